#pragma once
// Working-capital days over a trailing window of `window_days` days, from sums the caller
// accumulates (flows over the window, balances averaged over it):
//   DSO = average receivables / revenue             x window_days
//   DIO = average inventory   / COGS                x window_days
//   DPO = average payables    / COGS (or purchases) x window_days
//   CCC = DIO + DSO - DPO
// DPO uses COGS by default so that DIO and DPO share a denominator and CCC is a difference of
// like quantities (the textbook definition). Purchases is the better denominator when inventory
// is building up or running down within the window (payables arise from purchases, not from
// cost of sales); the caller picks it with DpoBasis::kPurchases. docs/FINANCE.md has the detail.
//
// A figure whose denominator is zero or negative (no sales, no cost of sales in the window) is
// "not defined" (std::nullopt), never inf or NaN; CCC is defined only when all three are.
//
// Pure function, no state, no thread.
#include <cstdint>
#include <optional>

#include "core/money.h"

namespace ledgerflow::finance {

enum class DpoBasis { kCogs, kPurchases };

struct WorkingCapitalInputs {
  int32_t window_days = 365;
  Money revenue;    // credit sales over the window
  Money cogs;       // cost of goods sold over the window
  Money purchases;  // purchases on credit over the window
  Money average_receivables;
  Money average_inventory;  // at cost
  Money average_payables;
  DpoBasis dpo_basis = DpoBasis::kCogs;
};

struct WorkingCapitalDays {
  std::optional<double> dso;
  std::optional<double> dio;
  std::optional<double> dpo;
  std::optional<double> ccc;
};

WorkingCapitalDays working_capital_days(const WorkingCapitalInputs& in);

}  // namespace ledgerflow::finance
