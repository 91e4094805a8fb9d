// FinanceEventParser: every field of every event type, every refusal code, the writer round
// trip, and a seeded mutation loop (arbitrary bytes never crash; what parses is in range).
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "ingest/finance_event_parser.h"
#include "ingest/finance_event_writer.h"

using namespace ledgerflow;
using namespace ledgerflow::finance;

namespace {

constexpr int64_t kMar2 = 20'514;  // 2026-03-02

const char* kSupplier =
    R"({"type":"supplier","id":"S1","name":"Acme Ltd","bank_account_fingerprint":"sha256:ab",)"
    R"("terms":"2/10 net 30","lead_time_days":7,"changed":"2026-03-02"})";
const char* kPurchaseOrder =
    R"({"type":"purchase_order","id":"PO1","supplier_id":"S1","order_date":"2026-03-02",)"
    R"("lines":[{"product_id":"P1","quantity":10,"unit_cost":2.75,"expected_date":"2026-03-09"},)"
    R"({"product_id":"P2","quantity":1,"unit_cost":"1250.000001"}]})";
const char* kReceipt =
    R"({"type":"goods_receipt","id":"GR1","po_id":"PO1","received_date":"2026-03-09",)"
    R"("lines":[{"product_id":"P1","quantity":8}]})";
const char* kInvoice =
    R"({"type":"invoice","id":"I1","supplier_id":"S1","supplier_name":"Acme Ltd",)"
    R"("number":"INV-0012","po_id":"PO1","amount":1250.00,"currency":"EUR",)"
    R"("issue_date":"2026-03-02","due_date":"2026-04-01","terms":"2/10 net 30",)"
    R"("lines":[{"product_id":"P1","quantity":8,"unit_price":"2.75"}]})";
const char* kPayment =
    R"({"type":"payment","id":"PAY1","invoice_id":"I1","amount":"1225.00",)"
    R"("paid_date":"2026-03-12","method":"transfer","bank_account_fingerprint":"sha256:ab"})";
const char* kOrder = R"({"type":"customer_order","id":"O1","customer_id":"C1","amount":99.9,)"
                     R"("time":"2026-03-02 10:00:00"})";

class FinanceEventParserTest : public ::testing::Test {
 protected:
  Status parse(const std::string& line, std::optional<FinanceEventType> type = std::nullopt) {
    return parser_.parse(line, type, &event_);
  }
  // The code of parsing `base` with `from` replaced by `to` (the replacement must happen).
  std::string code_with(const char* base, const std::string& from, const std::string& to) {
    std::string line = base;
    size_t at = line.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at == std::string::npos) return "not found";
    line.replace(at, from.size(), to);
    Status s = parse(line);
    return s ? "ok" : s.code();
  }
  FinanceEventParser parser_;
  FinanceEvent event_;
};

TEST_F(FinanceEventParserTest, SupplierEveryField) {
  ASSERT_TRUE(parse(kSupplier)) << parse(kSupplier).to_string();
  const auto& s = std::get<Supplier>(event_);
  EXPECT_EQ(s.id, "S1");
  EXPECT_EQ(s.name, "Acme Ltd");
  EXPECT_EQ(s.bank_account_fingerprint, "sha256:ab");
  EXPECT_EQ(s.terms_text, "2/10 net 30");
  EXPECT_EQ(s.lead_time_days, 7);
  EXPECT_EQ(s.changed_day, kMar2);
  EXPECT_FALSE(s.bank_account_changed_day);  // only apply_supplier_record() sets it
}

TEST_F(FinanceEventParserTest, PurchaseOrderEveryField) {
  ASSERT_TRUE(parse(kPurchaseOrder));
  const auto& po = std::get<PurchaseOrder>(event_);
  EXPECT_EQ(po.id, "PO1");
  EXPECT_EQ(po.supplier_id, "S1");
  EXPECT_EQ(po.order_day, kMar2);
  ASSERT_EQ(po.lines.size(), 2u);
  EXPECT_EQ(po.lines[0].product_id, "P1");
  EXPECT_EQ(po.lines[0].quantity, 10);
  EXPECT_EQ(po.lines[0].unit_cost, Money::from_micros(2'750'000));
  EXPECT_EQ(po.lines[0].expected_day, kMar2 + 7);
  EXPECT_EQ(po.lines[1].unit_cost, Money::from_micros(1'250'000'001));  // exact, from a string
  EXPECT_FALSE(po.lines[1].expected_day);
}

TEST_F(FinanceEventParserTest, GoodsReceiptEveryField) {
  ASSERT_TRUE(parse(kReceipt));
  const auto& r = std::get<GoodsReceipt>(event_);
  EXPECT_EQ(r.id, "GR1");
  EXPECT_EQ(r.po_id, "PO1");
  EXPECT_EQ(r.received_day, kMar2 + 7);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].product_id, "P1");
  EXPECT_EQ(r.lines[0].quantity, 8);
}

TEST_F(FinanceEventParserTest, InvoiceEveryField) {
  ASSERT_TRUE(parse(kInvoice));
  const auto& inv = std::get<Invoice>(event_);
  EXPECT_EQ(inv.id, "I1");
  EXPECT_EQ(inv.supplier_id, "S1");
  EXPECT_EQ(inv.supplier_name, "Acme Ltd");
  EXPECT_EQ(inv.number, "INV-0012");
  EXPECT_EQ(inv.po_id, "PO1");
  EXPECT_EQ(inv.amount, Money::from_units(1250));
  EXPECT_EQ(inv.currency, "EUR");
  EXPECT_EQ(inv.issue_day, kMar2);
  EXPECT_EQ(inv.due_day, kMar2 + 30);
  EXPECT_EQ(inv.terms_text, "2/10 net 30");
  ASSERT_EQ(inv.lines.size(), 1u);
  EXPECT_EQ(inv.lines[0].product_id, "P1");
  EXPECT_EQ(inv.lines[0].quantity, 8);
  EXPECT_EQ(inv.lines[0].unit_price, Money::from_micros(2'750'000));
}

TEST_F(FinanceEventParserTest, InvoiceOptionalFieldsMayBeAbsentOrNull) {
  std::string line =
      R"({"type":"invoice","id":"I2","supplier_id":"S1","number":"7","po_id":null,"amount":1,)"
      R"("currency":"USD","issue_date":"2026-03-02","due_date":null,"terms":"net 45"})";
  ASSERT_TRUE(parse(line)) << parse(line).to_string();
  const auto& inv = std::get<Invoice>(event_);
  EXPECT_TRUE(inv.po_id.empty());
  EXPECT_TRUE(inv.supplier_name.empty());
  EXPECT_FALSE(inv.due_day);
  EXPECT_TRUE(inv.lines.empty());
}

TEST_F(FinanceEventParserTest, PaymentAndCustomerOrderEveryField) {
  ASSERT_TRUE(parse(kPayment));
  const auto& p = std::get<Payment>(event_);
  EXPECT_EQ(p.id, "PAY1");
  EXPECT_EQ(p.invoice_id, "I1");
  EXPECT_EQ(p.amount, Money::from_units(1225));
  EXPECT_EQ(p.paid_day, kMar2 + 10);
  EXPECT_EQ(p.method, "transfer");
  EXPECT_EQ(p.bank_account_fingerprint, "sha256:ab");
  ASSERT_TRUE(parse(kOrder));
  const auto& o = std::get<CustomerOrder>(event_);
  EXPECT_EQ(o.id, "O1");
  EXPECT_EQ(o.customer_id, "C1");
  EXPECT_EQ(o.amount, Money::from_micros(99'900'000));
  EXPECT_EQ(o.time_ms, kMar2 * 86'400'000 + 10 * 3'600'000);
}

TEST_F(FinanceEventParserTest, TypeFromCallerOrField) {
  std::string untyped = std::string(kOrder).replace(1, 24, "");  // drop "type":"customer_order",
  ASSERT_EQ(untyped.substr(0, 6), "{\"id\":");
  EXPECT_EQ(parse(untyped).code(), "missing_field");
  EXPECT_TRUE(parse(untyped, FinanceEventType::kCustomerOrder));
  EXPECT_TRUE(parse(kOrder, FinanceEventType::kCustomerOrder));
  EXPECT_EQ(parse(kOrder, FinanceEventType::kPayment).code(), "type_mismatch");
  // "type" may stand anywhere in the object.
  EXPECT_TRUE(parse(R"({"id":"O1","customer_id":"C1","amount":1,"time":"2026-03-02 10:00:00",)"
                    R"("type":"customer_order"})"));
  EXPECT_EQ(code_with(kOrder, "customer_order", "sale"), "unknown_type");
  EXPECT_EQ(code_with(kOrder, "\"customer_order\"", "7"), "wrong_type");
  EXPECT_EQ(code_with(kOrder, "\"customer_order\"", "\"" + std::string(65, 'x') + "\""),
            "field_too_long");
  EXPECT_EQ(code_with(kOrder, "\"id\"", "\"type\":\"customer_order\",\"id\""), "duplicate_field");
  for (FinanceEventType t : {FinanceEventType::kSupplier, FinanceEventType::kPurchaseOrder,
                             FinanceEventType::kGoodsReceipt, FinanceEventType::kInvoice,
                             FinanceEventType::kPayment, FinanceEventType::kCustomerOrder}) {
    FinanceEventType back;
    ASSERT_TRUE(finance_event_type_from_name(finance_event_type_name(t), &back));
    EXPECT_EQ(back, t);
  }
}

TEST_F(FinanceEventParserTest, MissingEachRequiredField) {
  struct Case {
    const char* line;
    std::vector<std::string> required;
  } cases[] = {
      {kSupplier, {"id", "name", "bank_account_fingerprint", "terms", "lead_time_days"}},
      {kPurchaseOrder, {"supplier_id", "order_date", "lines"}},
      {kReceipt, {"po_id", "received_date", "lines"}},
      {kInvoice, {"supplier_id", "number", "amount", "currency", "issue_date", "terms"}},
      {kPayment, {"invoice_id", "amount", "paid_date", "method"}},
      {kOrder, {"customer_id", "amount", "time"}},
  };
  for (const Case& c : cases) {
    for (const std::string& field : c.required) {
      std::string line = c.line;
      size_t at = line.find("\"" + field + "\":");
      ASSERT_NE(at, std::string::npos) << field;
      // Cut `"field":value,` (up to the comma or brace that closes the value).
      size_t depth = 0, end = at;
      for (; end < line.size(); ++end) {
        char ch = line[end];
        if (ch == '[' || ch == '{') ++depth;
        if (ch == ']' || ch == '}') {
          if (depth == 0) break;
          --depth;
        }
        if (ch == ',' && depth == 0) {
          ++end;
          break;
        }
      }
      std::string cut = line.substr(0, at) + line.substr(end);
      if (cut[cut.size() - 2] == ',') cut.erase(cut.size() - 2, 1);
      Status s = parse(cut);
      EXPECT_EQ(s.code(), "missing_field") << cut;
      EXPECT_NE(s.message().find(field), std::string::npos) << s.message();
    }
  }
}

TEST_F(FinanceEventParserTest, MissingFieldInALine) {
  EXPECT_EQ(code_with(kReceipt, R"("quantity":8)", R"("qty":8)"), "unknown_field");
  EXPECT_EQ(code_with(kReceipt, R"(,"quantity":8)", ""), "missing_field");
  EXPECT_EQ(code_with(kInvoice, R"(,"unit_price":"2.75")", ""), "missing_field");
  EXPECT_EQ(code_with(kPurchaseOrder, R"(,"unit_cost":2.75)", ""), "missing_field");
}

TEST_F(FinanceEventParserTest, UnknownAndDuplicateFields) {
  EXPECT_EQ(code_with(kPayment, "\"method\"", "\"mode\""), "unknown_field");
  EXPECT_EQ(
      code_with(kPayment, "\"method\":\"transfer\"", "\"method\":\"transfer\",\"method\":\"card\""),
      "duplicate_field");
  EXPECT_EQ(code_with(kReceipt, R"("quantity":8)", R"("quantity":8,"quantity":9)"),
            "duplicate_field");
}

TEST_F(FinanceEventParserTest, Money) {
  EXPECT_EQ(code_with(kInvoice, "1250.00", "\"1,250.00\""), "bad_money");
  EXPECT_EQ(code_with(kInvoice, "1250.00", "1.25e3"), "bad_money");     // no exponents
  EXPECT_EQ(code_with(kInvoice, "1250.00", "0.0000001"), "bad_money");  // no silent rounding
  EXPECT_EQ(code_with(kInvoice, "1250.00", "-5"), "bad_money");
  EXPECT_EQ(code_with(kInvoice, "1250.00", "0"), "bad_money");  // an amount must be positive
  EXPECT_EQ(code_with(kInvoice, "1250.00", "\"\""), "bad_money");
  EXPECT_EQ(code_with(kInvoice, "1250.00", "true"), "wrong_type");
  EXPECT_EQ(code_with(kInvoice, "1250.00", "1000000000.000001"), "out_of_range");
  EXPECT_EQ(code_with(kInvoice, "1250.00", "99999999999999999999"), "bad_money");
  EXPECT_EQ(code_with(kInvoice, "1250.00", "1000000000"), "ok");
  EXPECT_EQ(code_with(kInvoice, R"("unit_price":"2.75")", R"("unit_price":0)"), "ok");
  EXPECT_EQ(code_with(kInvoice, R"("unit_price":"2.75")", R"("unit_price":-0.01)"), "bad_money");
  EXPECT_EQ(code_with(kPayment, "\"1225.00\"", "0.1"), "ok");
  ASSERT_TRUE(
      parse(std::string(kPayment).replace(std::string(kPayment).find("\"1225.00\""), 9, "0.1")));
  EXPECT_EQ(std::get<Payment>(event_).amount, Money::from_micros(100'000));  // not 0.1000000001
}

TEST_F(FinanceEventParserTest, Dates) {
  EXPECT_EQ(code_with(kInvoice, "\"2026-03-02\"", "\"2026-02-30\""), "bad_date");
  EXPECT_EQ(code_with(kInvoice, "\"2026-03-02\"", "\"02/03/2026\""), "bad_date");
  EXPECT_EQ(code_with(kInvoice, "\"2026-03-02\"", "\"1969-12-31\""), "bad_date");
  EXPECT_EQ(code_with(kInvoice, "\"2026-03-02\"", "\"\""), "bad_date");
  EXPECT_EQ(code_with(kInvoice, "\"2026-03-02\"", "\"2026-03-02 garbage garbage\""), "bad_date");
  EXPECT_EQ(code_with(kInvoice, "\"2026-03-02\"", "20260302"), "wrong_type");
  EXPECT_EQ(code_with(kInvoice, "\"2026-04-01\"", "\"2026-03-01\""), "bad_date");  // due < issue
  EXPECT_EQ(code_with(kSupplier, "\"2026-03-02\"", "\"2026-13-01\""), "bad_date");
  EXPECT_EQ(code_with(kPurchaseOrder, "\"2026-03-09\"", "\"x\""), "bad_date");
  EXPECT_EQ(code_with(kReceipt, "\"2026-03-09\"", "\"2026-3-9\""), "bad_date");
  EXPECT_EQ(code_with(kPayment, "\"2026-03-12\"", "\"2026-03-32\""), "bad_date");
  EXPECT_EQ(code_with(kOrder, "\"2026-03-02 10:00:00\"", "\"yesterday\""), "bad_date");
  EXPECT_EQ(code_with(kOrder, "\"2026-03-02 10:00:00\"", "\"2026-03-02T10:00:00Z\""), "ok");
}

TEST_F(FinanceEventParserTest, TermsCurrencyAndIntegers) {
  EXPECT_EQ(code_with(kInvoice, "\"2/10 net 30\"", "\"pay soon\""), "bad_terms");
  EXPECT_EQ(code_with(kSupplier, "\"2/10 net 30\"", "\"10/30 net 30\""), "bad_terms");
  EXPECT_EQ(code_with(kSupplier, "\"2/10 net 30\"", "\"" + std::string(65, ' ') + "net 30\""),
            "field_too_long");
  EXPECT_EQ(code_with(kInvoice, "\"EUR\"", "\"eur\""), "bad_currency");
  EXPECT_EQ(code_with(kInvoice, "\"EUR\"", "\"EURO\""), "bad_currency");
  EXPECT_EQ(code_with(kInvoice, "\"EUR\"", "\"E1R\""), "bad_currency");
  EXPECT_EQ(code_with(kSupplier, "\"lead_time_days\":7", "\"lead_time_days\":3651"),
            "out_of_range");
  EXPECT_EQ(code_with(kSupplier, "\"lead_time_days\":7", "\"lead_time_days\":-1"), "out_of_range");
  EXPECT_EQ(code_with(kSupplier, "\"lead_time_days\":7", "\"lead_time_days\":7.0"), "wrong_type");
  EXPECT_EQ(code_with(kReceipt, "\"quantity\":8", "\"quantity\":0"), "out_of_range");
  EXPECT_EQ(code_with(kReceipt, "\"quantity\":8", "\"quantity\":1000000001"), "out_of_range");
  EXPECT_EQ(code_with(kReceipt, "\"quantity\":8", "\"quantity\":18446744073709551615"),
            "out_of_range");
  EXPECT_EQ(code_with(kReceipt, "\"quantity\":8", "\"quantity\":\"8\""), "wrong_type");
}

TEST_F(FinanceEventParserTest, StringLimits) {
  EXPECT_EQ(code_with(kSupplier, "\"S1\"", "\"" + std::string(129, 's') + "\""), "field_too_long");
  EXPECT_EQ(code_with(kSupplier, "\"S1\"", "\"" + std::string(128, 's') + "\""), "ok");
  EXPECT_EQ(code_with(kSupplier, "\"Acme Ltd\"", "\"" + std::string(257, 'n') + "\""),
            "field_too_long");
  EXPECT_EQ(code_with(kInvoice, "\"INV-0012\"", "\"" + std::string(65, '1') + "\""),
            "field_too_long");
  EXPECT_EQ(code_with(kPayment, "\"transfer\"", "\"" + std::string(33, 'm') + "\""),
            "field_too_long");
  EXPECT_EQ(code_with(kPayment, "\"sha256:ab\"", "\"" + std::string(129, 'f') + "\""),
            "field_too_long");
  EXPECT_EQ(code_with(kPayment, "\"transfer\"", "\"  \""), "empty_field");
  EXPECT_EQ(code_with(kPayment, "\"transfer\"", "5"), "wrong_type");
  EXPECT_EQ(code_with(kReceipt, "\"P1\"", "\"" + std::string(129, 'p') + "\""), "field_too_long");
}

TEST_F(FinanceEventParserTest, Lines) {
  FinanceParseLimits limits;
  limits.max_lines = 3;
  FinanceEventParser small(limits);
  std::string line = R"({"type":"goods_receipt","id":"G","po_id":"P","received_date":"2026-03-02",)"
                     R"("lines":[)";
  for (int i = 0; i < 4; ++i) {
    line += std::string(i ? "," : "") + R"({"product_id":"P","quantity":1})";
    std::string closed = line + "]}";
    Status s = small.parse(closed, std::nullopt, &event_);
    EXPECT_EQ(s ? "ok" : s.code(), i < 3 ? "ok" : "too_many_lines") << i;
  }
  EXPECT_EQ(code_with(kReceipt, R"([{"product_id":"P1","quantity":8}])", "[]"), "no_lines");
  EXPECT_EQ(code_with(kPurchaseOrder, "\"lines\":[", "\"lines\":[1,"), "wrong_type");
  EXPECT_EQ(code_with(kReceipt, R"([{"product_id":"P1","quantity":8}])", "{}"), "wrong_type");
  EXPECT_EQ(code_with(kInvoice, "\"lines\":[", "\"lines\":[],\"x\":["), "unknown_field");
  EXPECT_EQ(
      code_with(kInvoice, R"(,"lines":[{"product_id":"P1","quantity":8,"unit_price":"2.75"}])",
                ",\"lines\":[]"),
      "ok");
}

TEST_F(FinanceEventParserTest, MalformedInput) {
  EXPECT_EQ(parse("").code(), "empty_line");
  EXPECT_EQ(parse(" \t\r\n").code(), "empty_line");
  EXPECT_EQ(parse("[1,2]").code(), "not_object");
  EXPECT_EQ(parse("\"supplier\"").code(), "not_object");
  EXPECT_EQ(parse("{\"type\":\"payment\"").code(), "invalid_json");
  EXPECT_EQ(parse(std::string(kPayment) + "{}").code(), "invalid_json");
  EXPECT_EQ(parse(std::string(kPayment) + " x").code(), "invalid_json");
  EXPECT_TRUE(parse(std::string(kPayment) + "  \n"));
  EXPECT_EQ(parse("{\"type\":\"payment\",\"id\":\"\xff\"}").code(), "invalid_utf8");
  FinanceParseLimits limits;
  limits.max_line_bytes = 50;
  FinanceEventParser small(limits);
  EXPECT_EQ(small.parse(kPayment, std::nullopt, &event_).code(), "line_too_long");
}

TEST_F(FinanceEventParserTest, WriterRoundTrip) {
  for (const char* line : {kSupplier, kPurchaseOrder, kReceipt, kInvoice, kPayment, kOrder}) {
    ASSERT_TRUE(parse(line));
    FinanceEvent first = event_;
    std::string written = finance_event_json(first);
    ASSERT_TRUE(parse(written)) << written << ": " << parse(written).to_string();
    EXPECT_EQ(finance_event_json(event_), written);
  }
}

TEST(FinanceSupplierRecord, BankAccountChangeDay) {
  Supplier first{"S1", "Acme", "fp1"};
  Supplier applied = apply_supplier_record(nullptr, first, 100);
  EXPECT_FALSE(applied.bank_account_changed_day);  // onboarding is not a change
  Supplier same = first;
  same.name = "Acme Ltd";
  applied = apply_supplier_record(&applied, same, 110);
  EXPECT_FALSE(applied.bank_account_changed_day);
  Supplier moved = same;
  moved.bank_account_fingerprint = "fp2";
  Supplier changed = apply_supplier_record(&applied, moved, 120);
  EXPECT_EQ(changed.bank_account_changed_day, 120);  // the ingest day
  moved.changed_day = 118;
  EXPECT_EQ(apply_supplier_record(&applied, moved, 120).bank_account_changed_day, 118);
  same = moved;
  same.changed_day.reset();
  EXPECT_EQ(apply_supplier_record(&changed, same, 130).bank_account_changed_day, 120);  // kept
}

// Seeded mutation loop over valid lines and random bytes: never crashes, never asserts, and
// whatever parses respects the limits.
TEST_F(FinanceEventParserTest, MutatedAndRandomBytesNeverCrash) {
  std::mt19937_64 rng(7);
  const char* seeds[] = {kSupplier, kPurchaseOrder, kReceipt, kInvoice, kPayment, kOrder};
  const std::string alphabet = "{}[]\":,.-+0123456789eE \\untrlfas\x01\xff\xc3\xa9";
  size_t accepted = 0;
  for (int i = 0; i < 60'000; ++i) {
    std::string line = seeds[rng() % 6];
    int edits = 1 + int(rng() % 4);
    for (int e = 0; e < edits && !line.empty(); ++e) {
      size_t at = rng() % line.size();
      switch (rng() % 4) {
        case 0:
          line[at] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          line.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        case 2:
          line.erase(at, 1 + rng() % 8);
          break;
        default:
          line = line.substr(0, at) + line.substr(rng() % line.size());
          break;
      }
    }
    if (i % 10 == 0) {
      line.resize(rng() % 200);
      for (char& c : line) c = char(rng());
    }
    std::optional<FinanceEventType> type;
    if (rng() % 2) type = FinanceEventType(rng() % 6);
    if (!parser_.parse(line, type, &event_)) continue;
    ++accepted;
    std::string again = finance_event_json(event_);
    ASSERT_TRUE(parse(again)) << line;
    if (const auto* inv = std::get_if<Invoice>(&event_)) {
      EXPECT_GT(inv->amount.micros(), 0);
      EXPECT_LE(inv->lines.size(), parser_.limits().max_lines);
    }
  }
  EXPECT_GT(accepted, 300u);  // the loop reaches past the first checks
}

}  // namespace
