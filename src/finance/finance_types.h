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
#include <vector>

#include "core/money.h"

namespace ledgerflow::finance {

struct Supplier {
  std::string id;
  std::string name;
  std::string bank_account_fingerprint;  // current account (a hash, never the number itself)
  std::optional<int64_t> bank_account_changed_day;  // last change of the account, if any
};

struct PurchaseOrderLine {
  std::string product_id;
  int64_t quantity = 0;
  Money unit_cost;
};

struct PurchaseOrder {
  std::string id;
  std::string supplier_id;
  int64_t order_day = 0;
  std::vector<PurchaseOrderLine> lines;
};

struct GoodsReceiptLine {
  std::string product_id;
  int64_t quantity = 0;
};

struct GoodsReceipt {
  std::string id;
  std::string po_id;
  int64_t received_day = 0;
  std::vector<GoodsReceiptLine> lines;
};

struct InvoiceLine {
  std::string product_id;
  int64_t quantity = 0;
  Money unit_price;
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
};

struct Payment {
  std::string id;
  std::string invoice_id;
  Money amount;
  int64_t paid_day = 0;
  std::string bank_account_fingerprint;  // the account the money went to
};

// A customer order as the outlier and velocity detectors see it.
struct CustomerOrder {
  std::string id;
  std::string customer_id;
  Money amount;
  int64_t time_ms = 0;
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
