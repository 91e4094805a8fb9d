#include "ingest/finance_event_writer.h"

#include "core/event_time.h"
#include "core/json_writer.h"

namespace ledgerflow {
namespace {

using namespace finance;

void date_field(JsonWriter& w, std::string_view key, int64_t day) {
  w.field(key, format_day(day));
}

void optional_string(JsonWriter& w, std::string_view key, const std::string& s) {
  if (!s.empty()) w.field(key, s);
}

void write(JsonWriter& w, const Supplier& s) {
  w.field("id", s.id).field("name", s.name);
  w.field("bank_account_fingerprint", s.bank_account_fingerprint);
  w.field("terms", s.terms_text).field("lead_time_days", int64_t(s.lead_time_days));
  if (s.changed_day) date_field(w, "changed", *s.changed_day);
}

void write(JsonWriter& w, const PurchaseOrder& po) {
  w.field("id", po.id).field("supplier_id", po.supplier_id);
  date_field(w, "order_date", po.order_day);
  w.key("lines").begin_array();
  for (const PurchaseOrderLine& l : po.lines) {
    w.begin_object().field("product_id", l.product_id).field("quantity", l.quantity);
    w.field("unit_cost", l.unit_cost);
    if (l.expected_day) date_field(w, "expected_date", *l.expected_day);
    w.end_object();
  }
  w.end_array();
}

void write(JsonWriter& w, const GoodsReceipt& r) {
  w.field("id", r.id).field("po_id", r.po_id);
  date_field(w, "received_date", r.received_day);
  w.key("lines").begin_array();
  for (const GoodsReceiptLine& l : r.lines) {
    w.begin_object().field("product_id", l.product_id).field("quantity", l.quantity).end_object();
  }
  w.end_array();
}

void write(JsonWriter& w, const Invoice& inv) {
  w.field("id", inv.id).field("supplier_id", inv.supplier_id);
  optional_string(w, "supplier_name", inv.supplier_name);
  w.field("number", inv.number);
  optional_string(w, "po_id", inv.po_id);
  w.field("amount", inv.amount).field("currency", inv.currency);
  date_field(w, "issue_date", inv.issue_day);
  if (inv.due_day) date_field(w, "due_date", *inv.due_day);
  w.field("terms", inv.terms_text);
  if (inv.lines.empty()) return;
  w.key("lines").begin_array();
  for (const InvoiceLine& l : inv.lines) {
    w.begin_object().field("product_id", l.product_id).field("quantity", l.quantity);
    w.field("unit_price", l.unit_price).end_object();
  }
  w.end_array();
}

void write(JsonWriter& w, const Payment& p) {
  w.field("id", p.id).field("invoice_id", p.invoice_id).field("amount", p.amount);
  date_field(w, "paid_date", p.paid_day);
  w.field("method", p.method);
  optional_string(w, "bank_account_fingerprint", p.bank_account_fingerprint);
}

void write(JsonWriter& w, const CustomerOrder& o) {
  w.field("id", o.id).field("customer_id", o.customer_id).field("amount", o.amount);
  w.field("time", format_event_time(o.time_ms));
}

void write(JsonWriter& w, const CustomerInvoice& inv) {
  w.field("id", inv.id).field("customer_id", inv.customer_id);
  optional_string(w, "order_id", inv.order_id);
  w.field("amount", inv.amount).field("currency", inv.currency);
  date_field(w, "issue_date", inv.issue_day);
  if (inv.due_day) date_field(w, "due_date", *inv.due_day);
  w.field("terms", inv.terms_text);
}

void write(JsonWriter& w, const CustomerPayment& p) {
  w.field("id", p.id).field("invoice_id", p.invoice_id).field("amount", p.amount);
  date_field(w, "paid_date", p.paid_day);
  w.field("method", p.method);
}

}  // namespace

std::string finance_event_json(const FinanceEvent& event) {
  JsonWriter w;
  w.begin_object().field("type", finance_event_type_name(finance_event_type(event)));
  std::visit([&w](const auto& e) { write(w, e); }, event);
  w.end_object();
  return w.take();
}

}  // namespace ledgerflow
