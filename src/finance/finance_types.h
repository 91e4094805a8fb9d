#pragma once
// Plain value types the finance library works on: suppliers, purchase orders, goods receipts,
// supplier invoices, payments and customer orders, plus the Alert every fraud detector returns.
// They are copies of what the events carry, with no behaviour of their own, so the library stays
// free of the engine, the log and the server. Dates are days since 1970-01-01 (UTC) unless a
// name ends in _ms. Money is always Money (int64 micro-units), never a double.
//
// Owned by whoever builds them (a shard, a test); no threads involved.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/money.h"

namespace ledgerflow::finance {

struct Supplier {
  std::string id;
  std::string name;
  std::string bank_account_fingerprint;  // current account (a hash, never the number itself)
  std::optional<int64_t> bank_account_changed_day;  // last change of the account, if any
  std::string terms_text;                           // default terms, e.g. "2/10 net 30"
  int32_t lead_time_days = 0;                       // order to receipt, as agreed
  // The business day of this version of the record (event field "changed"), when the source
  // states it; apply_supplier_record() falls back to the ingest day.
  std::optional<int64_t> changed_day;

  bool operator==(const Supplier&) const = default;
};

// The supplier record after `update` (a new supplier event) on top of `known` (null for a new
// supplier). A different bank account fingerprint is a change: bank_account_changed_day becomes
// the update's changed_day, or ingest_day when the event does not state it. Otherwise the last
// change is kept. Onboarding (no known record) is not a change.
Supplier apply_supplier_record(const Supplier* known, const Supplier& update, int64_t ingest_day);

struct PurchaseOrderLine {
  std::string product_id;
  int64_t quantity = 0;
  Money unit_cost;
  std::optional<int64_t> expected_day;  // promised delivery day, when the order states it

  bool operator==(const PurchaseOrderLine&) const = default;
};

struct PurchaseOrder {
  std::string id;
  std::string supplier_id;
  int64_t order_day = 0;
  std::vector<PurchaseOrderLine> lines;

  bool operator==(const PurchaseOrder&) const = default;
};

struct GoodsReceiptLine {
  std::string product_id;
  int64_t quantity = 0;

  bool operator==(const GoodsReceiptLine&) const = default;
};

struct GoodsReceipt {
  std::string id;
  std::string po_id;
  int64_t received_day = 0;
  std::vector<GoodsReceiptLine> lines;

  bool operator==(const GoodsReceipt&) const = default;
};

struct InvoiceLine {
  std::string product_id;
  int64_t quantity = 0;
  Money unit_price;

  bool operator==(const InvoiceLine&) const = default;
};

struct Invoice {
  std::string id;  // the engine's id of the invoice event
  std::string supplier_id;
  std::string supplier_name;  // for alert sentences; may be empty (the id is used then)
  std::string number;         // the supplier's own invoice number, as printed
  std::string po_id;          // empty when the invoice references no purchase order
  Money amount;
  int64_t issue_day = 0;
  std::vector<InvoiceLine> lines;
  std::string currency;            // ISO 4217 code, e.g. "EUR"; empty when not stated
  std::string terms_text;          // e.g. "2/10 net 30"; empty when not stated
  std::optional<int64_t> due_day;  // as printed; otherwise issue day + the terms' net days

  bool operator==(const Invoice&) const = default;
};

struct Payment {
  std::string id;
  std::string invoice_id;
  Money amount;
  int64_t paid_day = 0;
  std::string bank_account_fingerprint;  // the account the money went to
  std::string method;                    // "transfer", "card", "check", ...; empty if unknown

  bool operator==(const Payment&) const = default;
};

// A customer order as the outlier and velocity detectors see it.
struct CustomerOrder {
  std::string id;
  std::string customer_id;
  Money amount;
  int64_t time_ms = 0;

  bool operator==(const CustomerOrder&) const = default;
};

// A customer invoice (receivables): what a customer owes and when. The mirror of Invoice
// without the purchase-order side.
struct CustomerInvoice {
  std::string id;
  std::string customer_id;
  std::string order_id;  // the customer order billed; empty when not stated
  Money amount;
  std::string currency;
  int64_t issue_day = 0;
  std::optional<int64_t> due_day;  // as printed; otherwise issue day + the terms' net days
  std::string terms_text;          // e.g. "net 30"

  bool operator==(const CustomerInvoice&) const = default;
};

// Money received from a customer against one of its invoices.
struct CustomerPayment {
  std::string id;
  std::string invoice_id;
  Money amount;
  int64_t paid_day = 0;
  std::string method;

  bool operator==(const CustomerPayment&) const = default;
};

enum class Severity { kInfo, kWarning, kCritical };
const char* severity_name(Severity s);

// One explained finding. rule_id is a stable machine name (dashboards and the warehouse key on
// it); message is a sentence a controller understands without knowing the rule.
struct Alert {
  std::string rule_id;
  Severity severity = Severity::kWarning;
  double score = 0;                       // in [0, 1], higher is more suspicious
  std::vector<std::string> evidence_ids;  // invoice / payment / order ids, most relevant first
  std::string message;
};

// "1,250.00": two decimals (more only when the amount has them), thousands grouped, for
// sentences a person reads.
std::string format_amount(Money m);
// "2026-03-02" for a day number.
std::string format_day(int64_t day);
// The name to show for an invoice's supplier: its name, or its id when the name is unknown.
const std::string& supplier_label(const Invoice& inv);

}  // namespace ledgerflow::finance

namespace ledgerflow {

// The finance events of docs/FINANCE_EVENTS.md, as parsed by FinanceEventParser.
enum class FinanceEventType {
  kSupplier,
  kPurchaseOrder,
  kGoodsReceipt,
  kInvoice,
  kPayment,
  kCustomerOrder,
  kCustomerInvoice,
  kCustomerPayment,
};
// "supplier", "purchase_order", ...: the value of the "type" field.
const char* finance_event_type_name(FinanceEventType t);
bool finance_event_type_from_name(std::string_view name, FinanceEventType* out);

using FinanceEvent = std::variant<finance::Supplier, finance::PurchaseOrder, finance::GoodsReceipt,
                                  finance::Invoice, finance::Payment, finance::CustomerOrder,
                                  finance::CustomerInvoice, finance::CustomerPayment>;
// The variant index matches FinanceEventType's order.
FinanceEventType finance_event_type(const FinanceEvent& e);

// The business day an event states (days since 1970-01-01): order, receipt, issue or payment
// day, the UTC day of a customer order's time, a supplier record's `changed` day; nothing for a
// supplier record that states none (its day is then the ingest day, decided by the caller).
std::optional<int64_t> finance_business_day(const FinanceEvent& e);

}  // namespace ledgerflow
