#include "finance/working_capital.h"

namespace ledgerflow::finance {

namespace {

std::optional<double> days_of(Money balance, Money flow, int32_t window_days) {
  if (flow.micros() <= 0 || window_days <= 0) return std::nullopt;
  return double(balance.micros()) / double(flow.micros()) * double(window_days);
}

}  // namespace

WorkingCapitalDays working_capital_days(const WorkingCapitalInputs& in) {
  WorkingCapitalDays out;
  out.dso = days_of(in.average_receivables, in.revenue, in.window_days);
  out.dio = days_of(in.average_inventory, in.cogs, in.window_days);
  Money dpo_flow = in.dpo_basis == DpoBasis::kCogs ? in.cogs : in.purchases;
  out.dpo = days_of(in.average_payables, dpo_flow, in.window_days);
  if (out.dso && out.dio && out.dpo) out.ccc = *out.dio + *out.dso - *out.dpo;
  return out;
}

}  // namespace ledgerflow::finance
