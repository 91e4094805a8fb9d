// Finance events in the warehouse, on both backends (SQLite, and a real PostgreSQL 15 started for
// the suite): the silver facts hold each document once (replays, a replay with other content,
// two writer sessions) with the counts, sums, terms and due days a model computes from the
// records themselves; the alerts table equals the ledger's alerts; finance gold (aging, payment
// delay, cash required) equals its SQL over silver (`verify`) and the ledger's own figures.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analytics/finance_ledger.h"
#include "core/event_time.h"
#include "engine/engine.h"
#include "finance/payment_terms.h"
#include "ingest/finance_event_parser.h"
#include "ingest/finance_event_writer.h"
#include "ingest/ndjson_batch.h"
#include "sinks/gold_row_cache.h"
#include "sinks/warehouse_verify.h"
#include "sinks/warehouse_writer.h"
#include "sources/finance_feed.h"
#include "support/generated_events.h"
#include "support/warehouse_fixture.h"

using namespace ledgerflow;
using namespace ledgerflow::sinks;

namespace {

using Kind = ledgerflow::testing::BackendKind;
using finance::PaymentTerms;
__extension__ using Int128 = __int128;  // amount x ppm, computed here independently of SQL

// The book ends today, as the demo's does: the undated supplier version's business day (the
// ingest day) is then the book's last day and the aging buckets all get something.
int64_t end_day() {
  return floor_div(now_ms(), kMsPerDay);
}

std::string join(std::initializer_list<int64_t> values) {
  std::string out;
  for (int64_t v : values) out += (out.empty() ? "" : "|") + std::to_string(v);
  return out;
}

// What silver must hold, from the parsed events in log order: the first document per id (the
// first version per supplier content), terms as the ledger resolves them, money in micros.
struct FinanceModel {
  std::set<std::string> supplier_versions, supplier_ids, po_ids, receipt_ids, invoice_ids,
      payment_ids, order_ids, customer_invoice_ids, customer_payment_ids;
  std::map<std::string, std::string> supplier_terms;  // current terms text, by supplier
  int64_t po_lines = 0, po_value = 0, receipt_lines = 0, receipt_quantity = 0;
  int64_t invoice_lines = 0, invoice_amount = 0, due_day_sum = 0, discount_sum = 0,
          net_days_sum = 0, supplier_terms_invoices = 0;
  int64_t payment_amount = 0, order_amount = 0;
  int64_t customer_invoice_amount = 0, customer_due_day_sum = 0, customer_payment_amount = 0;

  static PaymentTerms terms(const std::string& text) {
    if (text.empty()) return PaymentTerms{};
    Result<PaymentTerms> t = PaymentTerms::parse(text);
    return t ? t.value() : PaymentTerms{};
  }

  void add(const FinanceEvent& event) {
    std::visit([&](const auto& e) { on(e, event); }, event);
  }
  void on(const finance::Supplier& s, const FinanceEvent& event) {
    if (!supplier_versions.insert(finance_event_json(event)).second) return;  // exact replay
    supplier_ids.insert(s.id);
    supplier_terms[s.id] = s.terms_text;
  }
  void on(const finance::PurchaseOrder& po, const FinanceEvent&) {
    if (!po_ids.insert(po.id).second) return;
    for (const auto& l : po.lines) {
      ++po_lines;
      po_value += l.quantity * l.unit_cost.micros();
    }
  }
  void on(const finance::GoodsReceipt& r, const FinanceEvent&) {
    if (!receipt_ids.insert(r.id).second) return;
    for (const auto& l : r.lines) {
      ++receipt_lines;
      receipt_quantity += l.quantity;
    }
  }
  void on(const finance::Invoice& inv, const FinanceEvent&) {
    if (!invoice_ids.insert(inv.id).second) return;
    invoice_lines += int64_t(inv.lines.size());
    invoice_amount += inv.amount.micros();
    std::string text = inv.terms_text;
    if (text.empty()) {
      ++supplier_terms_invoices;
      auto s = supplier_terms.find(inv.supplier_id);
      if (s != supplier_terms.end()) text = s->second;
    }
    const PaymentTerms t = terms(text);
    due_day_sum += inv.due_day.value_or(inv.issue_day + t.net_days);
    net_days_sum += t.net_days;
    const Int128 product = Int128(inv.amount.micros()) * t.discount_ppm;
    discount_sum += int64_t((product + 500'000) / 1'000'000);
  }
  void on(const finance::Payment& p, const FinanceEvent&) {
    if (payment_ids.insert(p.id).second) payment_amount += p.amount.micros();
  }
  void on(const finance::CustomerOrder& o, const FinanceEvent&) {
    if (order_ids.insert(o.id).second) order_amount += o.amount.micros();
  }
  void on(const finance::CustomerInvoice& inv, const FinanceEvent&) {
    if (!customer_invoice_ids.insert(inv.id).second) return;
    customer_invoice_amount += inv.amount.micros();
    customer_due_day_sum += inv.due_day.value_or(inv.issue_day + terms(inv.terms_text).net_days);
  }
  void on(const finance::CustomerPayment& p, const FinanceEvent&) {
    if (customer_payment_ids.insert(p.id).second) customer_payment_amount += p.amount.micros();
  }
};

// A generated finance book (12 suppliers over 150 days, every anomaly on) as JSON lines, with
// the printed due date taken off every third invoice (due on issue + net days) and, a third of
// the way in, a new version of one supplier with other terms and no "changed" day (its
// business day is the ingest day).
std::vector<std::string> finance_book(uint64_t seed) {
  FinanceGeneratorOptions o;
  o.seed = seed;
  o.days = 150;
  o.suppliers = 12;
  o.customers = 20;
  o.rates.payment_before_invoice = 0.05;
  o.rates.payment_already_paid = 0.05;
  o.rates.duplicate_invoice = 0.03;
  o.rates.round_amount_supplier = 0.5;  // standing alerts, re-judged as invoices come
  std::vector<std::string> lines;
  FinanceEventParser parser;
  int invoices = 0;
  std::string first_supplier;
  const std::vector<FinanceRecord> records = finance_records_until(o, end_day());
  for (size_t i = 0; i < records.size(); ++i) {
    FinanceEvent e = records[i].event;
    if (auto* s = std::get_if<finance::Supplier>(&e); s && first_supplier.empty()) {
      first_supplier = s->id;
    }
    if (auto* inv = std::get_if<finance::Invoice>(&e); inv && ++invoices % 3 == 0) {
      inv->due_day.reset();
      lines.push_back(finance_event_json(e));
      continue;
    }
    if (i == records.size() / 3) {
      finance::Supplier changed;
      changed.id = first_supplier;
      changed.name = "Renamed Supplier";
      changed.bank_account_fingerprint = "sha256:feedbeef";
      changed.terms_text = "1/15 net 45";
      changed.lead_time_days = 9;
      lines.push_back(finance_event_json(FinanceEvent(changed)));
    }
    lines.push_back(finance_record_line(records[i]));
  }
  // A payment logged before its invoice (the ledger holds it until the invoice comes), and one
  // whose invoice never comes.
  std::map<std::string, size_t> invoice_at;
  for (size_t i = 0; i < lines.size(); ++i) {
    FinanceEvent e;
    if (!parser.parse(lines[i], std::nullopt, &e)) continue;
    if (auto* inv = std::get_if<finance::Invoice>(&e)) invoice_at.emplace(inv->id, i);
    auto* p = std::get_if<finance::Payment>(&e);
    if (p == nullptr || !invoice_at.count(p->invoice_id) || i < lines.size() / 2) continue;
    std::string line = lines[i];
    lines.erase(lines.begin() + ptrdiff_t(i));
    lines.insert(lines.begin() + ptrdiff_t(invoice_at[p->invoice_id]), line);
    finance::Payment orphan = *p;
    orphan.id = "PAY-ORPHAN";
    orphan.invoice_id = "INV-NEVER";
    lines.push_back(finance_event_json(FinanceEvent(orphan)));
    break;
  }
  return lines;
}

// Documents of the books worked out by hand: supplier S1's invoices and their payments.
Money money(const char* text) {
  return *Money::parse(text);
}
finance::Invoice hand_invoice(const char* id, const char* amount, int64_t day, const char* terms) {
  return finance::Invoice{.id = id,
                          .supplier_id = "S1",
                          .number = std::string("N-") + id,
                          .amount = money(amount),
                          .issue_day = day,
                          .currency = "EUR",
                          .terms_text = terms};
}
finance::Payment hand_payment(const char* id, const char* invoice_id, const char* amount,
                              int64_t day) {
  return finance::Payment{.id = id,
                          .invoice_id = invoice_id,
                          .amount = money(amount),
                          .paid_day = day,
                          .bank_account_fingerprint = "fp1",
                          .method = "transfer"};
}

class WarehouseFinanceTest : public ledgerflow::testing::WarehouseFixture {
 protected:
  // Submits lines [from, to) as one HTTP-like batch; the model sees them in log order.
  void submit(Engine& e, const std::vector<std::string>& lines, size_t from, size_t to) {
    NdjsonBatch b = ledgerflow::testing::http_batch(lines, from, to);
    FinanceEventParser parser;
    for (size_t i = from; i < to; ++i) {
      FinanceEvent event;
      if (parser.parse(lines[i], std::nullopt, &event)) model_.add(event);
    }
    IngestAck ack = e.submit(std::move(b.batch)).get();
    ASSERT_TRUE(ack.status) << ack.status.to_string();
  }

  // The first row of a query, its cells joined with '|'.
  std::string row(WarehouseBackend& db, const std::string& sql) const {
    Result<QueryResult> r = db.query(sql, QueryLimits{});
    EXPECT_TRUE(r) << sql << ": " << r.status().to_string();
    if (!r || r->rows.empty()) return "no row";
    std::string out;
    for (const auto& cell : r->rows[0]) out += (out.empty() ? "" : "|") + cell.value_or("NULL");
    return out;
  }

  // Loads the book with replays through two writer sessions; the engine stays for the caller.
  void load_book(Engine& engine, const std::vector<std::string>& lines) {
    const size_t half = lines.size() / 2;
    {
      WarehouseWriter writer(&engine, writer_options());
      writer.start();
      for (size_t i = 0; i < half; i += 250) submit(engine, lines, i, std::min(half, i + 250));
      writer.stop();
    }
    // A standing alert the ledger no longer has (as if it went while no writer ran): the next
    // session's first upsert must drop it.
    auto db = open_warehouse(target_, BackendMode::kWriter);
    ASSERT_TRUE(db) << db.status().to_string();
    ASSERT_TRUE((*db)->exec(
        "INSERT INTO finance_alerts (seq, rule_id, severity, score_ppm, subject, day, date_key, "
        "log_offset, evidence_ids, message, standing) VALUES (999999999, 'benford_deviation', "
        "'warning', 500000, 'S-GONE', 20000, 20240526, 0, '[]', 'gone', 1)"));
    writer_ = std::make_unique<WarehouseWriter>(&engine, writer_options());
    writer_->start();
    // Sales lines among the finance ones: they go to their own facts.
    const std::vector<std::string> sales = ledgerflow::testing::generated_lines(300, 5);
    submit(engine, sales, 0, sales.size());
    for (size_t i = half; i < lines.size(); i += 250)
      submit(engine, lines, i, std::min(lines.size(), i + 250));
    submit(engine, lines, 0, 600);  // a retried prefix: logged again, loaded once
    // The first purchase order again under its id with one more line: the engine drops it as
    // a duplicate (same identity), so silver keeps the first one and none of its lines.
    FinanceEventParser parser;
    for (const std::string& l : lines) {
      FinanceEvent e;
      ASSERT_TRUE(parser.parse(l, std::nullopt, &e));
      if (auto* po = std::get_if<finance::PurchaseOrder>(&e)) {
        po->lines.push_back(po->lines.front());
        po->lines.back().product_id = "EXTRA";
        submit(engine, {finance_event_json(e)}, 0, 1);
        break;
      }
    }
  }

  // Starts the engine, loads the book of `seed` through it and stops both: the warehouse then
  // holds the whole log and gold its final upsert.
  void run_book(Engine& engine, uint64_t seed) {
    const std::vector<std::string> lines = finance_book(seed);
    ASSERT_GT(lines.size(), 1500u);
    ASSERT_TRUE(engine.start());
    load_book(engine, lines);
    engine.stop();
    writer_->stop();
  }

  // One writer session over the whole of `lines`, then both stop (gold holds its final upsert).
  void load_all(Engine& engine, const std::vector<std::string>& lines) {
    ASSERT_TRUE(engine.start());
    writer_ = std::make_unique<WarehouseWriter>(&engine, writer_options());
    writer_->start();
    submit(engine, lines, 0, lines.size());
    engine.stop();
    writer_->stop();
  }

  void expect_silver_matches_model(WarehouseBackend& db) {
    const FinanceModel& m = model_;
    EXPECT_EQ(row(db, "SELECT COUNT(*) FROM fact_supplier_versions"),
              std::to_string(m.supplier_versions.size()));
    EXPECT_EQ(row(db, "SELECT COUNT(*) FROM v_suppliers"), std::to_string(m.supplier_ids.size()));
    EXPECT_EQ(row(db,
                  "SELECT COUNT(*), SUM(lines), SUM(order_value_micros) FROM "
                  "fact_purchase_orders"),
              join({int64_t(m.po_ids.size()), m.po_lines, m.po_value}));
    EXPECT_EQ(row(db, "SELECT COUNT(*), SUM(line_value_micros) FROM fact_purchase_order_lines"),
              join({m.po_lines, m.po_value}));
    EXPECT_EQ(row(db, "SELECT COUNT(*) FROM fact_purchase_order_lines WHERE product_id = 'EXTRA'"),
              "0");
    EXPECT_EQ(row(db, "SELECT COUNT(*), SUM(lines), SUM(quantity) FROM fact_goods_receipts"),
              join({int64_t(m.receipt_ids.size()), m.receipt_lines, m.receipt_quantity}));
    EXPECT_EQ(row(db, "SELECT COUNT(*), SUM(quantity) FROM fact_goods_receipt_lines"),
              join({m.receipt_lines, m.receipt_quantity}));
    EXPECT_EQ(row(db,
                  "SELECT COUNT(*), SUM(lines), SUM(amount_micros) FROM "
                  "fact_supplier_invoices"),
              join({int64_t(m.invoice_ids.size()), m.invoice_lines, m.invoice_amount}));
    EXPECT_EQ(row(db, "SELECT COUNT(*) FROM fact_supplier_invoice_lines"),
              std::to_string(m.invoice_lines));
    EXPECT_EQ(row(db,
                  "SELECT COUNT(*), SUM(due_day), SUM(net_days), SUM(discount_micros) FROM "
                  "v_supplier_invoices"),
              join({int64_t(m.invoice_ids.size()), m.due_day_sum, m.net_days_sum, m.discount_sum}));
    EXPECT_EQ(row(db, "SELECT COUNT(*) FROM fact_supplier_invoices WHERE terms_text = ''"),
              std::to_string(m.supplier_terms_invoices));
    EXPECT_EQ(row(db, "SELECT COUNT(*), SUM(amount_micros) FROM fact_payments"),
              join({int64_t(m.payment_ids.size()), m.payment_amount}));
    EXPECT_EQ(row(db, "SELECT COUNT(*), SUM(amount_micros) FROM fact_customer_orders"),
              join({int64_t(m.order_ids.size()), m.order_amount}));
    EXPECT_EQ(
        row(db, "SELECT COUNT(*), SUM(amount_micros), SUM(due_day) FROM fact_customer_invoices"),
        join({int64_t(m.customer_invoice_ids.size()), m.customer_invoice_amount,
              m.customer_due_day_sum}));
    EXPECT_EQ(row(db, "SELECT COUNT(*), SUM(amount_micros) FROM fact_customer_payments"),
              join({int64_t(m.customer_payment_ids.size()), m.customer_payment_amount}));
    EXPECT_GT(m.customer_invoice_ids.size(), 0u);
    // Every business day is in dim_date.
    EXPECT_EQ(row(db,
                  "SELECT COUNT(*) FROM fact_payments p LEFT JOIN dim_date d ON d.date_key = "
                  "p.date_key WHERE d.date_key IS NULL OR d.day_start_ms <> p.paid_day * "
                  "86400000"),
              "0");
  }

  FinanceModel model_;
  std::unique_ptr<WarehouseWriter> writer_;
};

TEST_P(WarehouseFinanceTest, SilverHoldsEachFinanceDocumentOnce) {
  Engine engine(engine_config());
  ASSERT_NO_FATAL_FAILURE(run_book(engine, 17));
  auto db = reader();
  ASSERT_TRUE(db);
  EXPECT_EQ(one(*db, "SELECT next_offset FROM load_state"),
            std::to_string(engine.log_end_offset()));
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM dead_letters"), "0")
      << row(*db, "SELECT reason_code, message FROM dead_letters ORDER BY log_offset");
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM fact_sales") != "0", true);
  expect_silver_matches_model(*db);
  // The ledger's clock is the latest business day of any event (here the ingest day of the
  // undated supplier version).
  const int64_t clock =
      engine.read_finance([](const FinanceLedger& l) { return l.latest_day().value_or(-1); });
  EXPECT_EQ(one(*db, "SELECT as_of_day FROM v_finance_clock"), std::to_string(clock));
  // The ledger counts the same documents.
  const FinanceCounts counts =
      engine.read_finance([&](const FinanceLedger& l) { return l.counts(clock); });
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM fact_supplier_invoices"),
            std::to_string(counts.invoices));
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM fact_payments"), std::to_string(counts.payments));
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM fact_purchase_orders"),
            std::to_string(counts.purchase_orders));
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM fact_goods_receipts"),
            std::to_string(counts.goods_receipts));
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM fact_customer_orders"),
            std::to_string(counts.customer_orders));
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM v_suppliers"), std::to_string(counts.suppliers));
}

// The finance_alerts table equals the ledger's alerts (what /api/v1/alerts serves): every
// event and standing alert with its figures, the standing ones as they are now, and none that
// the ledger no longer holds.
TEST_P(WarehouseFinanceTest, AlertsTableEqualsTheLedgersAlerts) {
  Engine engine(engine_config());
  ASSERT_NO_FATAL_FAILURE(run_book(engine, 23));
  AlertFilter all;
  all.limit = std::numeric_limits<size_t>::max();
  const AlertPage page = engine.read_finance([&](const FinanceLedger& l) { return l.alerts(all); });
  ASSERT_GT(page.alerts.size(), 20u);
  size_t standing = 0;
  std::vector<std::string> expected;
  for (auto it = page.alerts.rbegin(); it != page.alerts.rend(); ++it) {  // oldest first
    const LedgerAlert& a = *it;
    standing += a.standing ? 1 : 0;
    expected.push_back(fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", a.seq, a.alert.rule_id,
                                   finance::severity_name(a.alert.severity),
                                   std::llround(a.alert.score * 1e6), a.subject, a.day, a.offset,
                                   nlohmann::json(a.alert.evidence_ids).dump(), a.alert.message,
                                   a.standing ? 1 : 0));
  }
  EXPECT_GT(standing, 0u);
  auto db = reader();
  ASSERT_TRUE(db);
  Result<QueryResult> r = db->query(
      "SELECT seq, rule_id, severity, score_ppm, subject, day, log_offset, evidence_ids, message, "
      "standing FROM finance_alerts ORDER BY seq",
      QueryLimits{});
  ASSERT_TRUE(r) << r.status().to_string();
  std::vector<std::string> actual;
  for (const auto& cells : r->rows) {
    std::string line;
    for (size_t c = 0; c < cells.size(); ++c) {
      std::string v = cells[c].value_or("NULL");
      if (c == 7) v = nlohmann::json::parse(v).dump();  // the same array, however spaced
      line += (c == 0 ? "" : "|") + v;
    }
    actual.push_back(line);
  }
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) EXPECT_EQ(actual[i], expected[i]) << i;
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM finance_alerts WHERE subject = 'S-GONE'"), "0");
}

// Changed rows only; a key that went is deleted, and before the first commit (a new session)
// the whole table or scope, as the database may hold rows that went meanwhile.
TEST(GoldRowCache, UpsertsChangedRowsAndDeletesKeysThatWent) {
  const TableSpec spec{"t", {"k", "v"}, 1, TableSpec::OnConflict::kUpdate};
  auto table = [&](std::initializer_list<std::pair<const char*, int64_t>> rows) {
    TableRows t{&spec, {}};
    for (const auto& [k, v] : rows) t.add(std::string(k), v);
    return t;
  };
  auto statements = [](const WarehouseTxn& txn) {
    std::string out;
    for (const auto& step : txn.steps) {
      if (const auto* sql = std::get_if<std::string>(&step)) {
        out += *sql + ";";
      } else {
        out += std::to_string(std::get<TableRows>(step).rows()) + " rows;";
      }
    }
    return out;
  };
  GoldRowCache cache;
  WarehouseTxn first;
  cache.begin();
  cache.add_changed(table({{"a", 1}, {"it's", 2}}), &first, GoldRowCache::Missing::kDelete);
  EXPECT_EQ(statements(first), "DELETE FROM t;2 rows;");
  cache.commit();
  for (int attempt = 0; attempt < 2; ++attempt) {  // the first attempt fails: no commit
    WarehouseTxn next;
    cache.begin();
    cache.add_changed(table({{"a", 1}, {"b", 3}}), &next, GoldRowCache::Missing::kDelete);
    EXPECT_EQ(statements(next), "DELETE FROM t WHERE k = 'it''s';1 rows;");
  }
  cache.commit();
  WarehouseTxn same;
  cache.begin();
  cache.add_changed(table({{"a", 1}, {"b", 3}}), &same, GoldRowCache::Missing::kDelete);
  EXPECT_EQ(statements(same), "");
  cache.reset();
  WarehouseTxn scoped;
  cache.begin();
  TableRows changed = cache.changed_rows(table({{"b", 3}}), &scoped, GoldRowCache::Missing::kDelete,
                                         "standing = 1");
  EXPECT_EQ(statements(scoped), "DELETE FROM t WHERE standing = 1;");
  EXPECT_EQ(changed.rows(), 1u);
  EXPECT_EQ(GoldRowCache::literal(std::string("x\0y", 3)), "'x\xEF\xBF\xBDy'");
}

// The ledger's early-payment opportunities as of its clock, as the /api/v1/early-payments
// rows carry them (returns in ppm, rounded to nearest), by invoice id: what the gold columns
// other than the fractions and the rank must hold.
constexpr const char* kEarlyPaymentColumns =
    "SELECT invoice_id, supplier_id, as_of_day, amount_micros, discount_micros, pay_now_micros, "
    "discount_deadline_day, due_day, days_gained, simple_return_ppm, compound_return_ppm FROM "
    "finance_early_payments ORDER BY invoice_id";
std::vector<std::string> ledger_early_payments(const FinanceLedger& l) {
  const int64_t as_of = l.latest_day().value();
  const Money budget = l.config().early_payment_budget;
  std::map<std::string, std::string> by_id;
  for (const auto& o : l.early_payments(as_of, budget, l.config().hurdle_rate).opportunities) {
    by_id[o.invoice_id] = fmt::format(
        "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", o.invoice_id, o.supplier_id, as_of, o.amount.micros(),
        o.discount.micros(), o.pay_now.micros(), o.discount_deadline_day, o.due_day, o.days_gained,
        std::llround(o.simple_annual_return * 1e6), std::llround(o.compound_annual_return * 1e6));
  }
  std::vector<std::string> out;
  for (auto& [id, line] : by_id) out.push_back(std::move(line));
  return out;
}

// After one gold cell is changed by one micro-unit, verify names that mart, key and column, and
// only that difference.
void expect_corruption_named(WarehouseBackend& db, const WarehouseTarget& target,
                             const std::string& mart, const std::string& key_column,
                             const std::string& key, const std::string& column) {
  auto writer_db = open_warehouse(target, BackendMode::kWriter);
  ASSERT_TRUE(writer_db);
  ASSERT_TRUE((*writer_db)
                  ->exec(fmt::format("UPDATE {0} SET {1} = {1} + 1 WHERE {2} = '{3}'", mart, column,
                                     key_column, key)));
  Result<VerifyReport> report = verify_gold(db);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->equal());
  for (const MartCheck& m : report->marts) {
    if (m.mart != mart) continue;
    ASSERT_EQ(m.differences_total, 1u);
    EXPECT_EQ(
        m.differences[0].rfind(fmt::format("{} {}={}: {} gold ", mart, key_column, key, column), 0),
        0u)
        << m.differences[0];
  }
}

// Finance gold, as the engine upserted it, equals the sql/gold/finance_*.sql over silver
// (verify) and the ledger's own reads as of its clock, with duplicate payments, payments dated
// before their invoice, a payment logged before its invoice and one whose invoice never comes.
TEST_P(WarehouseFinanceTest, FinanceGoldEqualsItsSqlOverSilverAndTheLedger) {
  Engine engine(engine_config());
  ASSERT_TRUE(engine.start());
  load_book(engine, finance_book(29));
  writer_->stop();
  auto db = reader();
  ASSERT_TRUE(db);
  // While no writer runs, every open invoice of one supplier is paid on the clock's day: the
  // next session must delete that supplier's aging row, which its cache has never seen.
  const std::string paid_up = one(
      *db, "SELECT supplier_id FROM finance_payables_aging ORDER BY open_invoices, supplier_id");
  Result<QueryResult> open = db->query(
      "SELECT invoice_id, open_micros, as_of_day FROM v_open_payables WHERE supplier_id = '" +
          paid_up + "'",
      QueryLimits{});
  ASSERT_TRUE(open) << open.status().to_string();
  ASSERT_FALSE(open->rows.empty());
  std::vector<std::string> payoffs;
  for (const auto& cells : open->rows) {
    finance::Payment p;
    p.id = "PAYOFF-" + *cells[0];
    p.invoice_id = *cells[0];
    p.amount = Money::from_micros(std::stoll(*cells[1]));
    p.paid_day = std::stoll(*cells[2]);
    p.method = "transfer";
    payoffs.push_back(finance_event_json(FinanceEvent(p)));
  }
  submit(engine, payoffs, 0, payoffs.size());
  writer_ = std::make_unique<WarehouseWriter>(&engine, writer_options());
  writer_->start();
  engine.stop();
  writer_->stop();
  EXPECT_EQ(
      one(*db, "SELECT COUNT(*) FROM finance_payables_aging WHERE supplier_id = '" + paid_up + "'"),
      "0");

  Result<VerifyReport> report = verify_gold(*db);
  ASSERT_TRUE(report) << report.status().to_string();
  for (const MartCheck& m : report->marts) {
    EXPECT_EQ(m.differences_total, 0u)
        << m.mart << ": " << (m.differences.empty() ? "" : m.differences[0]);
    if (m.mart.rfind("finance_", 0) == 0) {
      EXPECT_GT(m.gold_rows, 0u) << m.mart;
    }
  }

  // The ledger's figures, computed here from its reads.
  std::vector<std::string> aging, receivables, delays, cash, early;
  engine.read_finance([&](const FinanceLedger& l) {
    early = ledger_early_payments(l);
    const int64_t as_of = l.latest_day().value();
    auto lines = [&](const finance::AgingReport& report, std::vector<std::string>* out) {
      for (const auto& [id, b] : report.by_counterparty) {
        std::string line = id + "|" + std::to_string(as_of);
        int64_t open = 0;
        for (int k = 0; k < finance::kAgingBuckets; ++k) {
          line += fmt::format("|{}|{}", b.amount[size_t(k)].micros(), b.count[size_t(k)]);
          open += b.count[size_t(k)];
        }
        out->push_back(line + fmt::format("|{}|{}", b.total.micros(), open));
      }
    };
    lines(l.payables_aging(as_of), &aging);
    lines(l.receivables_aging(as_of), &receivables);
    for (const auto& [id, d] : l.payment_delays()) {
      delays.push_back(fmt::format("{}|{}|{}|{}", id, d.count,
                                   std::llround(d.mean_days * double(d.count)), d.p90_days));
    }
    for (const auto& [id, f] : l.cash(as_of).by_supplier) {
      cash.push_back(fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}", id, as_of, f.due[0].micros(),
                                 f.due[1].micros(), f.due[2].micros(), f.overdue.micros(),
                                 f.ordered_not_invoiced.micros(), f.invoiced_not_paid.micros(),
                                 f.open_commitments().micros()));
    }
    return 0;
  });
  EXPECT_EQ(rows_of(*db, "SELECT * FROM finance_payables_aging ORDER BY supplier_id"), aging);
  EXPECT_EQ(rows_of(*db, "SELECT * FROM finance_receivables_aging ORDER BY customer_id"),
            receivables);
  EXPECT_FALSE(receivables.empty());
  EXPECT_EQ(rows_of(*db, "SELECT * FROM finance_payment_delays ORDER BY supplier_id"), delays);
  EXPECT_EQ(rows_of(*db, "SELECT * FROM finance_cash_required ORDER BY supplier_id"), cash);
  // Something is overdue and something is settled late: the buckets and delays are exercised.
  EXPECT_NE(one(*db, "SELECT SUM(overdue_micros) FROM finance_cash_required"), "0");
  EXPECT_EQ(one(*db, "SELECT MIN(as_of_day) FROM finance_payables_aging"),
            std::to_string(end_day()));
  EXPECT_NE(one(*db, "SELECT SUM(current_count) FROM finance_payables_aging"), "0");
  EXPECT_NE(one(*db,
                "SELECT SUM(past_due_1_30_count + past_due_31_60_count) FROM "
                "finance_payables_aging"),
            "0");
  EXPECT_NE(one(*db, "SELECT SUM(ordered_not_invoiced_micros) FROM finance_cash_required"), "0");
  EXPECT_NE(one(*db, "SELECT MAX(p90_delay_days) FROM finance_payment_delays"), "0");

  EXPECT_EQ(rows_of(*db, kEarlyPaymentColumns), early);
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM finance_early_payments WHERE return_rank = 1") == "0",
            early.empty());

  // A corrupted gold row is caught, by mart, key and column.
  expect_corruption_named(*db, target_, "finance_cash_required", "supplier_id",
                          one(*db, "SELECT MIN(supplier_id) FROM finance_cash_required"),
                          "overdue_micros");
}

// Early-payment gold on a book worked out by hand (clock D+5; terms 2/10 net 30 unless said):
//   I1 (D) 1,000.00: discount 20.00, pay 980.00, deadline D+10, due D+30, 20 days gained;
//      simple 0.02 / 0.98 x 365 / 20 = 37.24 % (7,300,000 / 19,600,000), compound
//      (1 / 0.98) ^ 18.25 - 1 = 44.59 %.
//   I4 (D) 1,000.00: the same, so the same rank (1).
//   I3 (D+1) 500.00, 100.00 paid on D+3: 400.00 open, discount 8.00; same return, smaller
//      discount: rank 3.
//   I2 (D+2) 1,500.00 "1/15 net 45": discount 15.00, 30 days gained, simple 0.01 / 0.99 x
//      365 / 30 = 12.29 % (3,650,000 / 29,700,000), compound (1 / 0.99) ^ (365 / 30) - 1 =
//      13.01 %: rank 4.
//   I5 (D-20) 2/10 net 30: deadline D-10 has passed. I6 (D+5) "net 30": no discount.
//   I7 (D) 2/10 net 30, paid 980.00 on D+4: settled inside the window, nothing open.
TEST_P(WarehouseFinanceTest, EarlyPaymentGoldByHand) {
  constexpr int64_t D = 20'454;  // 2026-01-01
  finance::Supplier s{.id = "S1",
                      .name = "Acme",
                      .bank_account_fingerprint = "fp1",
                      .terms_text = "2/10 net 30",
                      .changed_day = D - 30};
  std::vector<std::string> lines;
  for (const FinanceEvent& e : std::vector<FinanceEvent>{
           s, hand_invoice("I1", "1000.00", D, "2/10 net 30"),
           hand_invoice("I4", "1000.00", D, "2/10 net 30"),
           hand_invoice("I3", "500.00", D + 1, "2/10 net 30"),
           hand_invoice("I2", "1500.00", D + 2, "1/15 net 45"),
           hand_invoice("I5", "700.00", D - 20, "2/10 net 30"),
           hand_invoice("I6", "300.00", D + 5, "net 30"),
           hand_invoice("I7", "1000.00", D, "2/10 net 30"),
           hand_payment("Y3", "I3", "100.00", D + 3), hand_payment("Y7", "I7", "980.00", D + 4)}) {
    lines.push_back(finance_event_json(e));
  }
  Engine engine(engine_config());
  ASSERT_NO_FATAL_FAILURE(load_all(engine, lines));
  auto db = reader();
  ASSERT_TRUE(db);

  auto row = [&](const char* id, int64_t amount, int64_t discount, int64_t issue, int64_t gained,
                 int64_t ppm, int64_t num, int64_t den, int64_t simple, int64_t compound,
                 int64_t rank) {
    return fmt::format("{}|S1|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", id, D + 5, amount, discount,
                       amount - discount, issue + (ppm == 20'000 ? 10 : 15),
                       issue + (ppm == 20'000 ? 30 : 45), gained, ppm, num, den, simple, compound,
                       rank);
  };
  EXPECT_EQ(rows_of(*db, "SELECT * FROM finance_early_payments ORDER BY invoice_id"),
            (std::vector<std::string>{row("I1", 1'000'000'000, 20'000'000, D, 20, 20'000, 7'300'000,
                                          19'600'000, 372'449, 445'853, 1),
                                      row("I2", 1'500'000'000, 15'000'000, D + 2, 30, 10'000,
                                          3'650'000, 29'700'000, 122'896, 130'069, 4),
                                      row("I3", 400'000'000, 8'000'000, D + 1, 20, 20'000,
                                          7'300'000, 19'600'000, 372'449, 445'853, 3),
                                      row("I4", 1'000'000'000, 20'000'000, D, 20, 20'000, 7'300'000,
                                          19'600'000, 372'449, 445'853, 1)}));
  // The same figures as the ledger's API rows, and the same SQL over silver.
  const std::vector<std::string> early =
      engine.read_finance([](const FinanceLedger& l) { return ledger_early_payments(l); });
  EXPECT_EQ(rows_of(*db, kEarlyPaymentColumns), early);
  Result<VerifyReport> report = verify_gold(*db);
  ASSERT_TRUE(report) << report.status().to_string();
  EXPECT_TRUE(report->equal());
  expect_corruption_named(*db, target_, "finance_early_payments", "invoice_id", "I3",
                          "compound_return_ppm");
}

// Working-capital gold on a book worked out by hand, window D-24 .. D+5 (30 days, clock D+5),
// with the generated sales (all on D, 2024-05-01, catalog products):
//   receivables: C0 600.00 (D-40) open all 30 days; C1 3,000.00 (D-10) paid on D: open 10 days;
//     C2 900.00 (D+5) open 1 day. Revenue 3,900.00 (C1 + C2); average (600 x 30 + 3,000 x 10 +
//     900) / 30 = 1,630.00.
//   payables: I1 1,000.00 "net 30" (D-20), 400.00 paid on D-5: 1,000.00 for 15 days, 600.00 for
//     11; I2 2,000.00 "2/10 net 30" (D-2), 1,960.00 paid on D+3 (settled by the discount): open
//     5 days. Purchases 3,000.00; average (15,000 + 6,600 + 10,000) / 30 = 1,053.333333.
//   COGS: every sale's units x its cost price; inventory: received - sold, when above 0, at cost.
TEST_P(WarehouseFinanceTest, WorkingCapitalGoldByHand) {
  constexpr int64_t D = 19'844;  // 2024-05-01, the generated sales' day
  auto receivable = [&](const char* id, const char* amount, int64_t day) {
    return finance::CustomerInvoice{.id = id,
                                    .customer_id = "C",
                                    .amount = money(amount),
                                    .currency = "EUR",
                                    .issue_day = day,
                                    .terms_text = "net 30"};
  };
  std::vector<std::string> lines = ledgerflow::testing::generated_lines(300, 5);
  for (const FinanceEvent& e : std::vector<FinanceEvent>{
           receivable("C0", "600.00", D - 40), receivable("C1", "3000.00", D - 10),
           receivable("C2", "900.00", D + 5),
           finance::CustomerPayment{.id = "CP1",
           .invoice_id = "C1",
           .amount = money("3000.00"),
           .paid_day = D,
           .method = "transfer"},
           hand_invoice("I1", "1000.00", D - 20, "net 30"),
           hand_invoice("I2", "2000.00", D - 2, "2/10 net 30"),
           hand_payment("Y1", "I1", "400.00", D - 5), hand_payment("Y2", "I2", "1960.00", D + 3)}) {
    lines.push_back(finance_event_json(e));
  }
  Engine engine(engine_config());
  ASSERT_NO_FATAL_FAILURE(load_all(engine, lines));
  auto db = reader();
  ASSERT_TRUE(db);

  int64_t cogs = 0, inventory = 0;
  for (const InventoryRow& r : engine.inventory(std::nullopt, false)) {
    cogs += r.cost_price.micros() * r.total_sold;
    inventory += r.cost_price.micros() * std::max<int64_t>(r.unit_left(), 0);
  }
  EXPECT_GT(cogs, 0);
  EXPECT_EQ(row(*db, "SELECT * FROM finance_working_capital"),
            join({30, D + 5, 3'900'000'000, cogs, 3'000'000'000, 1'630'000'000, inventory,
                  1'053'333'333}));
  // The view's days are the API's (the same inputs, the same formulas).
  finance::WorkingCapitalInputs in = engine.read_finance(
      [](const FinanceLedger& l) { return l.working_capital_inputs(l.latest_day().value(), 30); });
  in.cogs = Money::from_micros(cogs);
  in.average_inventory = Money::from_micros(inventory);
  in.dpo_basis = finance::DpoBasis::kPurchases;  // the API's default
  const finance::WorkingCapitalDays api = finance::working_capital_days(in);
  in.dpo_basis = finance::DpoBasis::kCogs;
  const finance::WorkingCapitalDays api_cogs = finance::working_capital_days(in);
  Result<QueryResult> days = db->query(
      "SELECT dso, dio, dpo_purchases, ccc_purchases, dpo_cogs, ccc_cogs FROM "
      "v_finance_working_capital",
      QueryLimits{});
  ASSERT_TRUE(days && days->rows.size() == 1);
  const std::vector<double> expected = {*api.dso, *api.dio,      *api.dpo,
                                        *api.ccc, *api_cogs.dpo, *api_cogs.ccc};
  for (size_t c = 0; c < expected.size(); ++c) {
    EXPECT_NEAR(std::stod(days->rows[0][c].value()), expected[c], 1e-9 * std::abs(expected[c]))
        << days->columns[c];
  }
  EXPECT_NEAR(*api.dso, 1630.0 / 3900.0 * 30, 1e-12);
  EXPECT_NEAR(*api.dpo, 1053.333333 / 3000.0 * 30, 1e-12);
  Result<VerifyReport> report = verify_gold(*db);
  ASSERT_TRUE(report) << report.status().to_string();
  EXPECT_TRUE(report->equal());
  expect_corruption_named(*db, target_, "finance_working_capital", "window_days", "30",
                          "average_payables_micros");
}

INSTANTIATE_TEST_SUITE_P(Backends, WarehouseFinanceTest,
                         ::testing::Values(Kind::kSqlite, Kind::kPostgres), [](const auto& info) {
                           return ledgerflow::testing::backend_name(info.param);
                         });

}  // namespace
