#pragma once
// Chooses which invoices to pay early under a cash budget: maximize the total discount taken
// subject to sum(pay_now) <= budget, over the opportunities whose simple annual return is at
// least the hurdle rate (a 0/1 knapsack in exact integer micro-units).
//
// - Up to kExactLimit candidates the plan is optimal: meet in the middle (all subsets of each
//   half, 2 x 2^(n/2) entries, combined by binary search on cash). Ties in savings go to the
//   plan that needs less cash.
// - Beyond that the plan is a heuristic: greedy by savings per unit of cash (fill whatever still
//   fits), replaced by the single best invoice when that saves more. Its savings are at least
//   half the optimum. Alongside it comes an upper bound on the optimum, the LP relaxation
//   (fractional knapsack: greedy order, the first item that does not fit taken fractionally,
//   rounded up to the micro), so a caller can say "within upper_bound - savings of optimal".
// For exact plans upper_bound equals savings.
//
// Pure function, no state, no thread.
#include <cstddef>
#include <string>
#include <vector>

#include "core/money.h"
#include "finance/early_payment.h"

namespace ledgerflow::finance {

struct EarlyPaymentPlan {
  std::vector<std::string> invoice_ids;  // chosen invoices, in the order of the input
  Money cash_needed;                     // sum of pay_now over the chosen invoices
  Money savings;                         // sum of discount over the chosen invoices
  Money upper_bound;                     // no plan saves more than this
  bool exact = false;
  size_t candidates = 0;  // opportunities that passed the hurdle and fit the budget alone
};

inline constexpr size_t kExactLimit = 25;
// Above this the exact solver's memory (2 x 2^(n/2) subsets) is refused whatever the caller asks.
inline constexpr size_t kExactHardLimit = 40;

EarlyPaymentPlan plan_early_payments(const std::vector<EarlyPaymentOpportunity>& opportunities,
                                     Money budget, double hurdle_annual_rate,
                                     size_t exact_limit = kExactLimit);

}  // namespace ledgerflow::finance
