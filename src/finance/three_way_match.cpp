#include "finance/three_way_match.h"

#include <algorithm>
#include <string>

namespace ledgerflow::finance {

namespace {

__extension__ using Int128 = __int128;
constexpr int64_t kBasis = 10'000;

// Whether `actual` exceeds `reference` by more than tolerance_bp, exactly.
bool beyond(Int128 actual, Int128 reference, int64_t tolerance_bp) {
  return actual * kBasis > reference * (kBasis + tolerance_bp);
}

// By how many basis points `actual` exceeds `reference`, rounded down (0 when it does not),
// for the sentence and the score; a zero reference reads as "far beyond".
int64_t excess_bp(Int128 actual, Int128 reference) {
  if (actual <= reference) return 0;
  if (reference <= 0) return INT64_MAX;
  Int128 bp = (actual - reference) * kBasis / reference;
  return bp > Int128(INT64_MAX) ? INT64_MAX : int64_t(bp);
}

struct Expected {
  bool on_order = false;
  int64_t ordered = 0;
  Money unit_cost;  // of the first order line for the product
  int64_t received = 0;
  int64_t invoiced_before = 0;
};

Expected expected_for(const std::string& product, const Invoice& invoice, const PurchaseOrder& po,
                      const std::vector<GoodsReceipt>& receipts,
                      const std::vector<Invoice>& earlier) {
  Expected e;
  for (const PurchaseOrderLine& l : po.lines) {
    if (l.product_id != product) continue;
    if (!e.on_order) e.unit_cost = l.unit_cost;
    e.on_order = true;
    e.ordered += l.quantity;
  }
  for (const GoodsReceipt& r : receipts) {
    if (r.po_id != po.id) continue;
    for (const GoodsReceiptLine& l : r.lines)
      e.received += l.product_id == product ? l.quantity : 0;
  }
  for (const Invoice& inv : earlier) {
    if (inv.po_id != po.id || inv.id == invoice.id) continue;
    for (const InvoiceLine& l : inv.lines) {
      e.invoiced_before += l.product_id == product ? l.quantity : 0;
    }
  }
  return e;
}

Alert line_alert(const char* rule, const Invoice& inv, const InvoiceLine& line,
                 const std::string& detail, int64_t excess, int64_t tolerance) {
  Alert a;
  a.rule_id = rule;
  bool far = excess == INT64_MAX || excess > 5 * std::max<int64_t>(tolerance, 1);
  a.severity = far ? Severity::kCritical : Severity::kWarning;
  a.score = excess == INT64_MAX ? 1.0 : std::min(1.0, 0.5 + double(excess) / 10'000.0);
  a.evidence_ids = {inv.id, inv.po_id};
  a.message = "Invoice " + inv.number + " from " + supplier_label(inv) + ", product " +
              line.product_id + ": " + detail;
  return a;
}

// 250 bp -> "2.50 %".
std::string pct(int64_t bp) {
  if (bp == INT64_MAX) return "an unbounded share";
  std::string cents = std::to_string(bp % 100);
  return std::to_string(bp / 100) + "." + (cents.size() < 2 ? "0" : "") + cents + " %";
}

}  // namespace

std::vector<Alert> match_invoice(const Invoice& invoice, const PurchaseOrder* po,
                                 const std::vector<GoodsReceipt>& receipts,
                                 const std::vector<Invoice>& earlier_invoices,
                                 const ThreeWayMatchParams& params) {
  std::vector<Alert> alerts;
  if (po == nullptr || invoice.po_id.empty() || po->id != invoice.po_id) {
    Alert a;
    a.rule_id = "invoice_without_po";
    a.severity = Severity::kWarning;
    a.score = 0.5;
    a.evidence_ids = {invoice.id};
    a.message = "Invoice " + invoice.number + " from " + supplier_label(invoice) + " for " +
                format_amount(invoice.amount) +
                (invoice.po_id.empty()
                     ? " names no purchase order."
                     : " names purchase order " + invoice.po_id + ", which is not on record.");
    alerts.push_back(std::move(a));
    return alerts;
  }
  for (const InvoiceLine& line : invoice.lines) {
    Expected e = expected_for(line.product_id, invoice, *po, receipts, earlier_invoices);
    if (!e.on_order) {
      alerts.push_back(line_alert("three_way_mismatch", invoice, line,
                                  "not on purchase order " + po->id + ".", INT64_MAX, 0));
      continue;
    }
    if (e.received == 0) {
      alerts.push_back(line_alert("invoice_not_received", invoice, line,
                                  std::to_string(line.quantity) +
                                      " units invoiced but none received on purchase order " +
                                      po->id + ".",
                                  INT64_MAX, 0));
      continue;
    }
    int64_t price_bp = excess_bp(line.unit_price.micros(), e.unit_cost.micros());
    if (beyond(line.unit_price.micros(), e.unit_cost.micros(), params.price_tolerance_bp)) {
      alerts.push_back(line_alert("three_way_mismatch", invoice, line,
                                  "unit price " + format_amount(line.unit_price) + " is " +
                                      pct(price_bp) + " above the ordered " +
                                      format_amount(e.unit_cost) + " (tolerance " +
                                      pct(params.price_tolerance_bp) + ").",
                                  price_bp, params.price_tolerance_bp));
    }
    Int128 invoiced = Int128(e.invoiced_before) + line.quantity;
    int64_t over_received = excess_bp(invoiced, e.received);
    int64_t over_ordered = excess_bp(invoiced, e.ordered);
    int64_t qty_bp = std::max(over_received, over_ordered);
    if (beyond(invoiced, e.received, params.quantity_tolerance_bp) ||
        beyond(invoiced, e.ordered, params.quantity_tolerance_bp)) {
      alerts.push_back(line_alert("three_way_mismatch", invoice, line,
                                  std::to_string(int64_t(invoiced)) + " units invoiced against " +
                                      std::to_string(e.received) + " received and " +
                                      std::to_string(e.ordered) + " ordered on purchase order " +
                                      po->id + " (tolerance " + pct(params.quantity_tolerance_bp) +
                                      ").",
                                  qty_bp, params.quantity_tolerance_bp));
    }
  }
  return alerts;
}

}  // namespace ledgerflow::finance
