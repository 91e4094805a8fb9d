#pragma once
// Checks on one supplier payment against its invoice and supplier:
//  - payment_without_invoice (warning): the invoice is unknown.
//  - payment_already_paid (critical): earlier payments already cover the invoice in full.
//  - payment_exceeds_invoice (warning): this payment takes the total paid above the invoice.
//  - payment_before_invoice (warning): the payment is dated before the invoice's issue date.
//  - payment_bank_account_changed (critical): the supplier's bank account changed within
//    bank_change_days before the payment (0 = the same day), the classic sign of a hijacked
//    supplier record.
//  - payment_bank_account_mismatch (critical): the payment went to an account that is not the
//    supplier's current one.
//
// Order: `paid_before` is the sum of the invoice's other payments that precede this one. The
// engine should order payments by (paid_day, id), not by arrival, so that which of two payments
// is "already paid" does not depend on arrival order.
//
// Pure function of its inputs; no state, no thread.
#include <cstdint>
#include <vector>

#include "finance/finance_types.h"

namespace ledgerflow::finance {

struct PaymentCheckParams {
  int32_t bank_change_days = 30;
};

// `invoice` and `supplier` may be null when unknown.
std::vector<Alert> check_payment(const Payment& payment, const Invoice* invoice, Money paid_before,
                                 const Supplier* supplier, const PaymentCheckParams& params = {});

}  // namespace ledgerflow::finance
