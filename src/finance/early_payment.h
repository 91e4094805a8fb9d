#pragma once
// Early-payment opportunities on supplier invoices: what taking the discount saves and what that
// is worth as an annual rate of return. With terms d/T net N, paying on day T instead of day N
// gives up the cash N - T days early and earns the discount d on it:
//   simple return     r_s = d / (1 - d) x 365 / (N - T)
//   compounded return r_c = (1 + d / (1 - d)) ^ (365 / (N - T)) - 1
// For 2/10 net 30: r_s = 0.02 / 0.98 x 365 / 20 = 37.24 % and r_c = 44.59 % (docs/FINANCE.md).
// Returns are ratios (double); amounts are Money.
//
// Pure functions, no state, no thread.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/money.h"
#include "finance/payment_terms.h"

namespace ledgerflow::finance {

inline constexpr int kDaysPerYear = 365;

struct OpenInvoice {
  std::string invoice_id;
  std::string supplier_id;
  Money amount;  // the amount the discount applies to (the invoice's open amount)
  PaymentTerms terms;
  int64_t issue_day = 0;
};

struct EarlyPaymentOpportunity {
  std::string invoice_id;
  std::string supplier_id;
  Money amount;
  Money discount;  // amount x rate, rounded half away from zero to the micro-unit
  Money pay_now;   // amount - discount: the cash needed to take the discount
  int64_t discount_deadline_day = 0;
  int64_t due_day = 0;
  int32_t days_gained = 0;   // N - T: how much earlier the cash leaves
  int64_t discount_ppm = 0;  // d: the exact rate behind the returns (the warehouse stores it)
  double simple_annual_return = 0;
  double compound_annual_return = 0;
};

// amount x ppm / 10^6, rounded half away from zero to the micro-unit (exact integer arithmetic).
Money discount_amount(Money amount, int64_t discount_ppm);

double simple_annual_return(const PaymentTerms& terms);
double compound_annual_return(const PaymentTerms& terms);

// The opportunity an invoice offers as of a day, or nothing when its terms carry no discount,
// the discount deadline has passed or the amount is not positive.
std::optional<EarlyPaymentOpportunity> evaluate_early_payment(const OpenInvoice& invoice,
                                                              int64_t as_of_day);

// Every open opportunity, best first: by simple annual return, then larger discount, then
// invoice id, so the ranking does not depend on input order.
std::vector<EarlyPaymentOpportunity> rank_early_payments(const std::vector<OpenInvoice>& invoices,
                                                         int64_t as_of_day);

}  // namespace ledgerflow::finance
