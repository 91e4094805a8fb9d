#include "ingest/finance_event_parser.h"

#include <fmt/format.h>

#include "core/event_time.h"
#include "finance/payment_terms.h"
#include "ingest/json_document.h"

namespace ledgerflow {
namespace {

using finance::CustomerInvoice;
using finance::CustomerOrder;
using finance::CustomerPayment;
using finance::GoodsReceipt;
using finance::GoodsReceiptLine;
using finance::Invoice;
using finance::InvoiceLine;
using finance::Payment;
using finance::PurchaseOrder;
using finance::PurchaseOrderLine;
using finance::Supplier;
using simdjson::ondemand::json_type;
using simdjson::ondemand::value;

constexpr size_t kMaxTypeBytes = 64;

std::string_view shown(std::string_view s) {
  return s.substr(0, 64);
}

template <typename T>
struct FieldSpec;

// Reads one field's value; knows the field's name for the messages and the limits.
struct Reader {
  const FinanceParseLimits& lim;
  std::string_view field;

  Status wrong_type(const char* want) const {
    return Status::bad_input("wrong_type", fmt::format("field \"{}\" must be {}", field, want));
  }

  Status text(value v, size_t max_bytes, std::string_view* out) const {
    json_type t;
    if (v.type().get(t) || t != json_type::string) return wrong_type("a string");
    if (auto e = v.get_string().get(*out)) return json_error(e);
    if (out->size() > max_bytes) {
      return Status::bad_input(
          "field_too_long", fmt::format("field \"{}\" is longer than {} bytes", field, max_bytes));
    }
    if (out->find_first_not_of(" \t") == std::string_view::npos) {
      return Status::bad_input("empty_field", fmt::format("field \"{}\" is empty", field));
    }
    return Status::ok();
  }

  Status string(value v, size_t max_bytes, std::string* out) const {
    std::string_view s;
    Status st = text(v, max_bytes, &s);
    if (st) out->assign(s);
    return st;
  }

  Status integer(value v, int64_t lo, int64_t hi, int64_t* out) const {
    json_type t;
    simdjson::ondemand::number_type nt;
    if (v.type().get(t) || t != json_type::number || v.get_number_type().get(nt) ||
        nt == simdjson::ondemand::number_type::floating_point_number) {
      return wrong_type("an integer");
    }
    int64_t x = 0;
    if (nt != simdjson::ondemand::number_type::signed_integer || v.get_int64().get(x) || x < lo ||
        x > hi) {
      return Status::bad_input(
          "out_of_range", fmt::format("field \"{}\" must be between {} and {}", field, lo, hi));
    }
    *out = x;
    return Status::ok();
  }

  // A JSON number or a string holding a plain decimal, read from its own text: no double.
  // `positive`: zero is refused too (amounts); otherwise zero is fine (unit prices).
  Status money(value v, bool positive, Money* out) const {
    json_type t;
    if (v.type().get(t)) return wrong_type("a decimal number or string");
    std::string_view raw;
    if (t == json_type::number) {
      raw = json_number_text(v);
    } else if (t == json_type::string) {
      if (auto e = v.get_string().get(raw)) return json_error(e);
    } else {
      return wrong_type("a decimal number or string");
    }
    Result<Money> m = Money::parse(raw);
    if (!m) {
      return Status::bad_input("bad_money",
                               fmt::format("field \"{}\": {}", field, shown(m.status().message())));
    }
    if (m->micros() < 0 || (positive && m->micros() == 0)) {
      return Status::bad_input("bad_money", fmt::format("field \"{}\" must be {}", field,
                                                        positive ? "positive" : "0 or more"));
    }
    if (m->micros() > lim.max_amount_units * Money::kScale) {
      return Status::bad_input(
          "out_of_range", fmt::format("field \"{}\" is above {}", field, lim.max_amount_units));
    }
    *out = *m;
    return Status::ok();
  }

  Status date(value v, int64_t* out) const {
    std::string_view s;
    Status st = text(v, 16, &s);
    if (!st) return st.code() == "wrong_type" ? st : bad_date(s);
    Result<int64_t> d = parse_date_days(s);
    if (!d) return bad_date(s);
    *out = *d;
    return Status::ok();
  }

  Status date(value v, std::optional<int64_t>* out) const {
    int64_t d = 0;
    Status st = date(v, &d);
    if (st) *out = d;
    return st;
  }

  Status time_ms(value v, int64_t* out) const {
    std::string_view s;
    Status st = text(v, 64, &s);
    if (!st) return st.code() == "wrong_type" ? st : bad_date(s);
    Result<int64_t> ms = parse_event_time_ms(s);
    if (!ms) return bad_date(s);
    *out = *ms;
    return Status::ok();
  }

  Status bad_date(std::string_view s) const {
    return Status::bad_input("bad_date",
                             fmt::format("field \"{}\" is not a date: \"{}\"", field, shown(s)));
  }

  Status terms(value v, std::string* out) const {
    std::string_view s;
    Status st = text(v, finance::PaymentTerms::kMaxTextLength, &s);
    if (!st) return st;
    Result<finance::PaymentTerms> parsed = finance::PaymentTerms::parse(s);
    if (!parsed) {
      return Status::bad_input("bad_terms",
                               fmt::format("field \"{}\": {}", field, parsed.status().message()));
    }
    out->assign(s);
    return Status::ok();
  }

  Status currency(value v, std::string* out) const {
    std::string_view s;
    Status st = text(v, 3, &s);
    if (st.code() == "wrong_type") return st;
    bool ok = st && s.size() == 3;
    for (char c : s) ok = ok && c >= 'A' && c <= 'Z';
    if (!ok) {
      return Status::bad_input(
          "bad_currency",
          fmt::format("field \"{}\" must be a three-letter ISO 4217 code like \"EUR\"", field));
    }
    out->assign(s);
    return Status::ok();
  }

  template <typename Line, size_t N>
  Status lines(value v, const FieldSpec<Line> (&specs)[N], std::vector<Line>* out) const;
};

template <typename T>
struct FieldSpec {
  std::string_view name;
  bool required;
  Status (*read)(const Reader& r, value v, T* out);
};

bool is_null(value v) {
  json_type t;
  return !v.type().get(t) && t == json_type::null;
}

// Reads every field of `obj` into *out by `specs`: unknown and duplicate fields are refused,
// and so is a missing required field; an optional field may be absent or null. A "type" key is
// skipped when `type_key` (its value was checked before).
template <typename T, size_t N>
Status read_object(simdjson::ondemand::object obj, const FieldSpec<T> (&specs)[N],
                   const FinanceParseLimits& lim, bool type_key, T* out) {
  static_assert(N < 32);
  uint32_t seen = 0;
  bool type_seen = false;
  for (auto field_result : obj) {
    simdjson::ondemand::field field;
    if (auto e = std::move(field_result).get(field)) return json_error(e);
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return json_error(e);
    size_t i = 0;
    while (i < N && specs[i].name != key) ++i;
    bool is_type = type_key && i == N && key == "type";
    if (i == N && !is_type) {
      return Status::bad_input("unknown_field", fmt::format("unknown field \"{}\"", shown(key)));
    }
    uint32_t bit = is_type ? 0 : 1u << i;
    if ((is_type && type_seen) || (seen & bit)) {
      return Status::bad_input("duplicate_field", fmt::format("field \"{}\" appears twice", key));
    }
    type_seen = type_seen || is_type;
    seen |= bit;
    if (is_type) continue;  // simdjson skips the unread value
    value v = field.value();
    if (!specs[i].required && is_null(v)) continue;
    Status s = specs[i].read(Reader{lim, specs[i].name}, v, out);
    if (!s) return s;
  }
  for (size_t i = 0; i < N; ++i) {
    if (specs[i].required && !(seen & (1u << i))) {
      return Status::bad_input("missing_field", fmt::format("missing field \"{}\"", specs[i].name));
    }
  }
  return Status::ok();
}

template <typename Line, size_t N>
Status Reader::lines(value v, const FieldSpec<Line> (&specs)[N], std::vector<Line>* out) const {
  simdjson::ondemand::array arr;
  json_type t;
  if (v.type().get(t) || t != json_type::array || v.get_array().get(arr)) {
    return wrong_type("an array of objects");
  }
  out->clear();
  for (auto item_result : arr) {
    if (out->size() == lim.max_lines) {
      return Status::bad_input("too_many_lines", fmt::format("field \"{}\" has more than {} lines",
                                                             field, lim.max_lines));
    }
    value item;
    simdjson::ondemand::object obj;
    if (auto e = std::move(item_result).get(item)) return json_error(e);
    if (item.type().get(t) || t != json_type::object || item.get_object().get(obj)) {
      return wrong_type("an array of objects");
    }
    Line line;
    Status s = read_object(obj, specs, lim, false, &line);
    if (!s) {
      return Status::bad_input(s.code(),
                               fmt::format("{} line {}: {}", field, out->size() + 1, s.message()));
    }
    out->push_back(std::move(line));
  }
  return Status::ok();
}

// Field tables, one per struct. The names are the documented JSON keys (FINANCE_EVENTS.md).
#define LF_READ(T, expr) [](const Reader& r, value v, T* o) -> Status { return expr; }

const FieldSpec<PurchaseOrderLine> kPoLineFields[] = {
    {"product_id", true,
     LF_READ(PurchaseOrderLine, r.string(v, r.lim.max_id_bytes, &o->product_id))},
    {"quantity", true,
     LF_READ(PurchaseOrderLine, r.integer(v, 1, r.lim.max_quantity, &o->quantity))},
    {"unit_cost", true, LF_READ(PurchaseOrderLine, r.money(v, false, &o->unit_cost))},
    {"expected_date", false, LF_READ(PurchaseOrderLine, r.date(v, &o->expected_day))},
};

const FieldSpec<GoodsReceiptLine> kReceiptLineFields[] = {
    {"product_id", true,
     LF_READ(GoodsReceiptLine, r.string(v, r.lim.max_id_bytes, &o->product_id))},
    {"quantity", true,
     LF_READ(GoodsReceiptLine, r.integer(v, 1, r.lim.max_quantity, &o->quantity))},
};

const FieldSpec<InvoiceLine> kInvoiceLineFields[] = {
    {"product_id", true, LF_READ(InvoiceLine, r.string(v, r.lim.max_id_bytes, &o->product_id))},
    {"quantity", true, LF_READ(InvoiceLine, r.integer(v, 1, r.lim.max_quantity, &o->quantity))},
    {"unit_price", true, LF_READ(InvoiceLine, r.money(v, false, &o->unit_price))},
};

Status lead_time(const Reader& r, value v, Supplier* o) {
  int64_t days = 0;
  Status s = r.integer(v, 0, r.lim.max_lead_time_days, &days);
  o->lead_time_days = int32_t(days);
  return s;
}

const FieldSpec<Supplier> kSupplierFields[] = {
    {"id", true, LF_READ(Supplier, r.string(v, r.lim.max_id_bytes, &o->id))},
    {"name", true, LF_READ(Supplier, r.string(v, r.lim.max_name_bytes, &o->name))},
    {"bank_account_fingerprint", true,
     LF_READ(Supplier, r.string(v, r.lim.max_fingerprint_bytes, &o->bank_account_fingerprint))},
    {"terms", true, LF_READ(Supplier, r.terms(v, &o->terms_text))},
    {"lead_time_days", true, lead_time},
    {"changed", false, LF_READ(Supplier, r.date(v, &o->changed_day))},
};

const FieldSpec<PurchaseOrder> kPurchaseOrderFields[] = {
    {"id", true, LF_READ(PurchaseOrder, r.string(v, r.lim.max_id_bytes, &o->id))},
    {"supplier_id", true, LF_READ(PurchaseOrder, r.string(v, r.lim.max_id_bytes, &o->supplier_id))},
    {"order_date", true, LF_READ(PurchaseOrder, r.date(v, &o->order_day))},
    {"lines", true, LF_READ(PurchaseOrder, r.lines(v, kPoLineFields, &o->lines))},
};

const FieldSpec<GoodsReceipt> kGoodsReceiptFields[] = {
    {"id", true, LF_READ(GoodsReceipt, r.string(v, r.lim.max_id_bytes, &o->id))},
    {"po_id", true, LF_READ(GoodsReceipt, r.string(v, r.lim.max_id_bytes, &o->po_id))},
    {"received_date", true, LF_READ(GoodsReceipt, r.date(v, &o->received_day))},
    {"lines", true, LF_READ(GoodsReceipt, r.lines(v, kReceiptLineFields, &o->lines))},
};

const FieldSpec<Invoice> kInvoiceFields[] = {
    {"id", true, LF_READ(Invoice, r.string(v, r.lim.max_id_bytes, &o->id))},
    {"supplier_id", true, LF_READ(Invoice, r.string(v, r.lim.max_id_bytes, &o->supplier_id))},
    {"supplier_name", false,
     LF_READ(Invoice, r.string(v, r.lim.max_name_bytes, &o->supplier_name))},
    {"number", true, LF_READ(Invoice, r.string(v, r.lim.max_number_bytes, &o->number))},
    {"po_id", false, LF_READ(Invoice, r.string(v, r.lim.max_id_bytes, &o->po_id))},
    {"amount", true, LF_READ(Invoice, r.money(v, true, &o->amount))},
    {"currency", true, LF_READ(Invoice, r.currency(v, &o->currency))},
    {"issue_date", true, LF_READ(Invoice, r.date(v, &o->issue_day))},
    {"due_date", false, LF_READ(Invoice, r.date(v, &o->due_day))},
    {"terms", true, LF_READ(Invoice, r.terms(v, &o->terms_text))},
    {"lines", false, LF_READ(Invoice, r.lines(v, kInvoiceLineFields, &o->lines))},
};

const FieldSpec<Payment> kPaymentFields[] = {
    {"id", true, LF_READ(Payment, r.string(v, r.lim.max_id_bytes, &o->id))},
    {"invoice_id", true, LF_READ(Payment, r.string(v, r.lim.max_id_bytes, &o->invoice_id))},
    {"amount", true, LF_READ(Payment, r.money(v, true, &o->amount))},
    {"paid_date", true, LF_READ(Payment, r.date(v, &o->paid_day))},
    {"method", true, LF_READ(Payment, r.string(v, r.lim.max_method_bytes, &o->method))},
    {"bank_account_fingerprint", false,
     LF_READ(Payment, r.string(v, r.lim.max_fingerprint_bytes, &o->bank_account_fingerprint))},
};

const FieldSpec<CustomerOrder> kCustomerOrderFields[] = {
    {"id", true, LF_READ(CustomerOrder, r.string(v, r.lim.max_id_bytes, &o->id))},
    {"customer_id", true, LF_READ(CustomerOrder, r.string(v, r.lim.max_id_bytes, &o->customer_id))},
    {"amount", true, LF_READ(CustomerOrder, r.money(v, true, &o->amount))},
    {"time", true, LF_READ(CustomerOrder, r.time_ms(v, &o->time_ms))},
};

const FieldSpec<CustomerInvoice> kCustomerInvoiceFields[] = {
    {"id", true, LF_READ(CustomerInvoice, r.string(v, r.lim.max_id_bytes, &o->id))},
    {"customer_id", true,
     LF_READ(CustomerInvoice, r.string(v, r.lim.max_id_bytes, &o->customer_id))},
    {"order_id", false, LF_READ(CustomerInvoice, r.string(v, r.lim.max_id_bytes, &o->order_id))},
    {"amount", true, LF_READ(CustomerInvoice, r.money(v, true, &o->amount))},
    {"currency", true, LF_READ(CustomerInvoice, r.currency(v, &o->currency))},
    {"issue_date", true, LF_READ(CustomerInvoice, r.date(v, &o->issue_day))},
    {"due_date", false, LF_READ(CustomerInvoice, r.date(v, &o->due_day))},
    {"terms", true, LF_READ(CustomerInvoice, r.terms(v, &o->terms_text))},
};

const FieldSpec<CustomerPayment> kCustomerPaymentFields[] = {
    {"id", true, LF_READ(CustomerPayment, r.string(v, r.lim.max_id_bytes, &o->id))},
    {"invoice_id", true, LF_READ(CustomerPayment, r.string(v, r.lim.max_id_bytes, &o->invoice_id))},
    {"amount", true, LF_READ(CustomerPayment, r.money(v, true, &o->amount))},
    {"paid_date", true, LF_READ(CustomerPayment, r.date(v, &o->paid_day))},
    {"method", true, LF_READ(CustomerPayment, r.string(v, r.lim.max_method_bytes, &o->method))},
};

#undef LF_READ

// Cross-field checks, after every field is read.
Status check(const Supplier&) {
  return Status::ok();
}
Status check(const CustomerOrder&) {
  return Status::ok();
}
Status check(const Payment&) {
  return Status::ok();
}
Status check(const CustomerPayment&) {
  return Status::ok();
}
Status check(const CustomerInvoice& inv) {
  if (inv.due_day && *inv.due_day < inv.issue_day) {
    return Status::bad_input("bad_date", "field \"due_date\" is before \"issue_date\"");
  }
  return Status::ok();
}
Status check(const PurchaseOrder& po) {
  if (po.lines.empty()) return Status::bad_input("no_lines", "a purchase order needs lines");
  return Status::ok();
}
Status check(const GoodsReceipt& r) {
  if (r.lines.empty()) return Status::bad_input("no_lines", "a goods receipt needs lines");
  return Status::ok();
}
Status check(const Invoice& inv) {
  if (inv.due_day && *inv.due_day < inv.issue_day) {
    return Status::bad_input("bad_date", "field \"due_date\" is before \"issue_date\"");
  }
  return Status::ok();
}

template <typename T, size_t N>
Status read_event(simdjson::ondemand::object obj, const FieldSpec<T> (&specs)[N],
                  const FinanceParseLimits& lim, FinanceEvent* out) {
  T value;
  Status s = read_object(obj, specs, lim, true, &value);
  if (s) s = check(value);
  if (s) *out = std::move(value);
  return s;
}

}  // namespace

FinanceEventParser::FinanceEventParser(FinanceParseLimits limits) : limits_(limits) {}

// The "type" field is read first (wherever it stands), then the document is rewound for the
// typed pass.
Result<FinanceEventType> FinanceEventParser::resolve_type(simdjson::ondemand::document& doc,
                                                          std::optional<FinanceEventType> type) {
  value v;
  simdjson::error_code e = doc.find_field_unordered("type").get(v);
  if (e == simdjson::NO_SUCH_FIELD) {
    doc.rewind();
    if (!type) return Status::bad_input("missing_field", "missing field \"type\"");
    return *type;
  }
  if (e) return json_error(e);
  std::string_view name;
  Status s = Reader{limits_, "type"}.text(v, kMaxTypeBytes, &name);
  if (!s) return s;
  FinanceEventType named;
  if (!finance_event_type_from_name(name, &named)) {
    return Status::bad_input("unknown_type",
                             fmt::format("unknown finance event type \"{}\"", shown(name)));
  }
  if (type && *type != named) {
    return Status::bad_input(
        "type_mismatch", fmt::format("event type \"{}\" does not match the expected \"{}\"", name,
                                     finance_event_type_name(*type)));
  }
  doc.rewind();
  return named;
}

Status FinanceEventParser::parse(std::string_view line, std::optional<FinanceEventType> type,
                                 FinanceEvent* out) {
  if (line.size() > limits_.max_line_bytes) {
    return Status::bad_input("line_too_long",
                             fmt::format("line of {} bytes exceeds the limit of {}", line.size(),
                                         limits_.max_line_bytes));
  }
  if (line.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::bad_input("empty_line", "the line is empty");
  }
  simdjson::ondemand::document doc;
  if (Status s = open_json_object(parser_, scratch_, line, &doc); !s) return s;
  Result<FinanceEventType> resolved = resolve_type(doc, type);
  if (!resolved) return resolved.status();
  simdjson::ondemand::object obj;
  if (auto e = doc.get_object().get(obj)) return json_error(e);
  Status s;
  switch (*resolved) {
    case FinanceEventType::kSupplier:
      s = read_event(obj, kSupplierFields, limits_, out);
      break;
    case FinanceEventType::kPurchaseOrder:
      s = read_event(obj, kPurchaseOrderFields, limits_, out);
      break;
    case FinanceEventType::kGoodsReceipt:
      s = read_event(obj, kGoodsReceiptFields, limits_, out);
      break;
    case FinanceEventType::kInvoice:
      s = read_event(obj, kInvoiceFields, limits_, out);
      break;
    case FinanceEventType::kPayment:
      s = read_event(obj, kPaymentFields, limits_, out);
      break;
    case FinanceEventType::kCustomerOrder:
      s = read_event(obj, kCustomerOrderFields, limits_, out);
      break;
    case FinanceEventType::kCustomerInvoice:
      s = read_event(obj, kCustomerInvoiceFields, limits_, out);
      break;
    case FinanceEventType::kCustomerPayment:
      s = read_event(obj, kCustomerPaymentFields, limits_, out);
      break;
  }
  if (!s) return s;
  return expect_document_end(doc);
}

}  // namespace ledgerflow
