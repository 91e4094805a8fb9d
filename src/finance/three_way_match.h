#pragma once
// Three-way match of a supplier invoice against its purchase order and the goods receipts for
// that order, line by line (by product):
//  - invoice_without_po (warning): the invoice names no purchase order, or one we do not know.
//  - three_way_mismatch (warning; critical when more than 5x the tolerance, and when the
//    product is not on the order at all): the product is not on the order; or the unit price is
//    above the order's unit cost by more than price_tolerance_bp; or the quantity invoiced so far
//    for the product (earlier invoices on the order plus this one) exceeds what was received, or
//    what was ordered, by more than quantity_tolerance_bp. A price below the order is not flagged:
//    it costs the buyer nothing.
//  - invoice_not_received (critical): the product was ordered but nothing of it was received.
// Tolerances are basis points of the reference (200 = 2 %), compared in exact integers. An
// invoice without lines is only checked for its order reference.
//
// Order: "earlier invoices" are whatever the caller passes; the engine should pass the
// invoices on the same order that precede this one by (issue day, id), so the result does not
// depend on arrival order.
//
// Pure function of its inputs; no state, no thread.
#include <cstdint>
#include <vector>

#include "finance/finance_types.h"

namespace ledgerflow::finance {

struct ThreeWayMatchParams {
  int64_t price_tolerance_bp = 200;     // 2 %
  int64_t quantity_tolerance_bp = 500;  // 5 %
};

// `po` may be null (unknown order). `receipts` are the receipts for that order; receipts for
// other orders are ignored. `earlier_invoices` are other invoices on the same order.
std::vector<Alert> match_invoice(const Invoice& invoice, const PurchaseOrder* po,
                                 const std::vector<GoodsReceipt>& receipts,
                                 const std::vector<Invoice>& earlier_invoices,
                                 const ThreeWayMatchParams& params = {});

}  // namespace ledgerflow::finance
