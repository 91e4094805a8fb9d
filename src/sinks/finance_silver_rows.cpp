#include "sinks/finance_silver_rows.h"

#include <fmt/format.h>

#include "analytics/finance_ledger.h"
#include "core/event_time.h"
#include "finance/payment_terms.h"
#include "sinks/silver_rows.h"

namespace ledgerflow::sinks {

namespace {

using OnConflict = TableSpec::OnConflict;
using namespace finance;

const TableSpec kSupplierVersions{
    "fact_supplier_versions",
    SilverRows::with_source({"supplier_id", "version_key", "name", "bank_account_fingerprint",
                             "terms_text", "discount_ppm", "discount_days", "net_days",
                             "lead_time_days", "changed_stated", "business_day", "date_key"}),
    2, OnConflict::kIgnore};
const TableSpec kPurchaseOrders{
    "fact_purchase_orders",
    SilverRows::with_source(
        {"po_id", "supplier_id", "order_day", "date_key", "lines", "order_value_micros"}),
    1, OnConflict::kIgnore};
const TableSpec kPurchaseOrderLines{"fact_purchase_order_lines",
                                    {"log_offset", "line_no", "po_id", "product_id", "quantity",
                                     "unit_cost_micros", "line_value_micros", "expected_day"},
                                    2,
                                    OnConflict::kIgnore};
const TableSpec kGoodsReceipts{"fact_goods_receipts",
                               SilverRows::with_source({"receipt_id", "po_id", "received_day",
                                                        "date_key", "lines", "quantity"}),
                               1, OnConflict::kIgnore};
const TableSpec kGoodsReceiptLines{
    "fact_goods_receipt_lines",
    {"log_offset", "line_no", "receipt_id", "product_id", "quantity"},
    2,
    OnConflict::kIgnore};
const TableSpec kInvoices{
    "fact_supplier_invoices",
    SilverRows::with_source({"invoice_id", "supplier_id", "supplier_name", "invoice_number",
                             "po_id", "amount_micros", "issue_day", "date_key", "currency",
                             "terms_text", "terms_discount_ppm", "terms_discount_days",
                             "terms_net_days", "due_stated", "stated_due_day", "lines"}),
    1, OnConflict::kIgnore};
const TableSpec kInvoiceLines{
    "fact_supplier_invoice_lines",
    {"log_offset", "line_no", "invoice_id", "product_id", "quantity", "unit_price_micros"},
    2,
    OnConflict::kIgnore};
const TableSpec kPayments{
    "fact_payments",
    SilverRows::with_source({"payment_id", "invoice_id", "amount_micros", "paid_day", "date_key",
                             "bank_account_fingerprint", "method"}),
    1, OnConflict::kIgnore};
const TableSpec kCustomerOrders{"fact_customer_orders",
                                SilverRows::with_source({"order_id", "customer_id", "amount_micros",
                                                         "order_time_ms", "order_day", "date_key"}),
                                1, OnConflict::kIgnore};

const TableSpec kCustomerInvoices{
    "fact_customer_invoices",
    SilverRows::with_source({"invoice_id", "customer_id", "order_id", "amount_micros", "currency",
                             "issue_day", "date_key", "terms_text", "terms_net_days", "due_day"}),
    1, OnConflict::kIgnore};
const TableSpec kCustomerPayments{
    "fact_customer_payments",
    SilverRows::with_source(
        {"payment_id", "invoice_id", "amount_micros", "paid_day", "date_key", "method"}),
    1, OnConflict::kIgnore};

// Terms as the ledger reads them: parsed, or none (0/0/0: due on the issue day, no discount)
// when the text is empty or does not parse (the parser refuses bad terms, so only old logs).
PaymentTerms parsed_terms(const std::string& text) {
  if (text.empty()) return PaymentTerms{};
  Result<PaymentTerms> t = PaymentTerms::parse(text);
  return t ? t.value() : PaymentTerms{};
}

int64_t line_value(Money unit, int64_t quantity) {
  Money v;
  return Money::checked_mul(unit, quantity, &v) ? v.micros() : INT64_MAX / 2;
}

// Deletes the lines loaded in this batch (log offsets from the batch's first line on) whose
// document row holds another offset: the lines of a replay whose document was not loaded.
std::string drop_replayed_lines(const TableRows& lines, const char* header, const char* id) {
  const int64_t first = std::get<int64_t>(lines.cells.front());
  return fmt::format(
      "DELETE FROM {0} WHERE log_offset >= {1} AND NOT EXISTS (SELECT 1 FROM {2} h WHERE "
      "h.{3} = {0}.{3} AND h.log_offset = {0}.log_offset)",
      lines.spec->name, first, header, id);
}

}  // namespace

FinanceSilverRows::FinanceSilverRows()
    : suppliers_{&kSupplierVersions, {}},
      orders_{&kPurchaseOrders, {}},
      order_lines_{&kPurchaseOrderLines, {}},
      receipts_{&kGoodsReceipts, {}},
      receipt_lines_{&kGoodsReceiptLines, {}},
      invoices_{&kInvoices, {}},
      invoice_lines_{&kInvoiceLines, {}},
      payments_{&kPayments, {}},
      customer_orders_{&kCustomerOrders, {}},
      customer_invoices_{&kCustomerInvoices, {}},
      customer_payments_{&kCustomerPayments, {}} {}

Status FinanceSilverRows::add(const LogRecord& rec, FinanceEventParser& parser,
                              const DateKey& date_key) {
  FinanceEvent event;
  if (Status s = parser.parse(rec.raw, finance_type_of(rec.event.type), &event); !s) {
    return Status::fatal(
        "log_unreadable",
        fmt::format("finance record at offset {} no longer parses: {}", rec.offset, s.to_string()));
  }
  add_event(rec, event, date_key);
  return Status::ok();
}

void FinanceSilverRows::add_event(const LogRecord& rec, const FinanceEvent& event,
                                  const DateKey& date_key) {
  const int64_t offset = int64_t(rec.offset);
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, Supplier>) {
          const int64_t day = e.changed_day.value_or(floor_div(rec.ingest_time_ms, kMsPerDay));
          const PaymentTerms t = parsed_terms(e.terms_text);
          suppliers_.add(e.id, rec.event.prod_id, e.name, e.bank_account_fingerprint, e.terms_text,
                         t.discount_ppm, int64_t(t.discount_days), int64_t(t.net_days),
                         int64_t(e.lead_time_days), int64_t(e.changed_day ? 1 : 0), day,
                         date_key(day));
          SilverRows::add_source(rec, &suppliers_);
        } else if constexpr (std::is_same_v<T, PurchaseOrder>) {
          orders_.add(e.id, e.supplier_id, e.order_day, date_key(e.order_day),
                      int64_t(e.lines.size()), purchase_order_value(e).micros());
          SilverRows::add_source(rec, &orders_);
          int64_t n = 0;
          for (const PurchaseOrderLine& l : e.lines) {
            order_lines_.add(offset, ++n, e.id, l.product_id, l.quantity, l.unit_cost.micros(),
                             line_value(l.unit_cost, l.quantity), l.expected_day.value_or(-1));
          }
        } else if constexpr (std::is_same_v<T, GoodsReceipt>) {
          int64_t quantity = 0;
          for (const GoodsReceiptLine& l : e.lines) quantity += l.quantity;
          receipts_.add(e.id, e.po_id, e.received_day, date_key(e.received_day),
                        int64_t(e.lines.size()), quantity);
          SilverRows::add_source(rec, &receipts_);
          int64_t n = 0;
          for (const GoodsReceiptLine& l : e.lines) {
            receipt_lines_.add(offset, ++n, e.id, l.product_id, l.quantity);
          }
        } else if constexpr (std::is_same_v<T, Invoice>) {
          const PaymentTerms t = parsed_terms(e.terms_text);
          invoices_.add(e.id, e.supplier_id, e.supplier_name, e.number, e.po_id, e.amount.micros(),
                        e.issue_day, date_key(e.issue_day), e.currency, e.terms_text,
                        t.discount_ppm, int64_t(t.discount_days), int64_t(t.net_days),
                        int64_t(e.due_day ? 1 : 0), e.due_day.value_or(0), int64_t(e.lines.size()));
          SilverRows::add_source(rec, &invoices_);
          int64_t n = 0;
          for (const InvoiceLine& l : e.lines) {
            invoice_lines_.add(offset, ++n, e.id, l.product_id, l.quantity, l.unit_price.micros());
          }
        } else if constexpr (std::is_same_v<T, Payment>) {
          payments_.add(e.id, e.invoice_id, e.amount.micros(), e.paid_day, date_key(e.paid_day),
                        e.bank_account_fingerprint, e.method);
          SilverRows::add_source(rec, &payments_);
        } else if constexpr (std::is_same_v<T, CustomerInvoice>) {
          // The due day as the ledger computes it: stated, else issue + the terms' net days.
          const PaymentTerms t = parsed_terms(e.terms_text);
          customer_invoices_.add(e.id, e.customer_id, e.order_id, e.amount.micros(), e.currency,
                                 e.issue_day, date_key(e.issue_day), e.terms_text,
                                 int64_t(t.net_days), e.due_day.value_or(t.due_day(e.issue_day)));
          SilverRows::add_source(rec, &customer_invoices_);
        } else if constexpr (std::is_same_v<T, CustomerPayment>) {
          customer_payments_.add(e.id, e.invoice_id, e.amount.micros(), e.paid_day,
                                 date_key(e.paid_day), e.method);
          SilverRows::add_source(rec, &customer_payments_);
        } else {
          static_assert(std::is_same_v<T, CustomerOrder>);
          const int64_t day = floor_div(e.time_ms, kMsPerDay);
          customer_orders_.add(e.id, e.customer_id, e.amount.micros(), e.time_ms, day,
                               date_key(day));
          SilverRows::add_source(rec, &customer_orders_);
        }
      },
      event);
}

void FinanceSilverRows::append_steps(WarehouseTxn* txn) {
  std::vector<std::string> cleanups;
  if (order_lines_.rows() > 0)
    cleanups.push_back(drop_replayed_lines(order_lines_, "fact_purchase_orders", "po_id"));
  if (receipt_lines_.rows() > 0)
    cleanups.push_back(drop_replayed_lines(receipt_lines_, "fact_goods_receipts", "receipt_id"));
  if (invoice_lines_.rows() > 0)
    cleanups.push_back(drop_replayed_lines(invoice_lines_, "fact_supplier_invoices", "invoice_id"));
  for (TableRows* t :
       {&suppliers_, &orders_, &order_lines_, &receipts_, &receipt_lines_, &invoices_,
        &invoice_lines_, &payments_, &customer_orders_, &customer_invoices_, &customer_payments_}) {
    if (t->rows() > 0) txn->steps.emplace_back(std::move(*t));
    t->cells.clear();
  }
  for (std::string& sql : cleanups) txn->steps.emplace_back(std::move(sql));
}

}  // namespace ledgerflow::sinks
