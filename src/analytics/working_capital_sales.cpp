#include "analytics/working_capital_sales.h"

namespace ledgerflow {

void add_sales_working_capital(const std::vector<InventoryRow>& rows, int64_t as_of_day,
                               finance::WorkingCapitalInputs* in) {
  for (const InventoryRow& row : rows) {
    for (double units : row.demand.window(as_of_day, int(in->window_days))) {
      in->cogs += row.cost_price * int64_t(units);
    }
    in->average_inventory += row.value_at_cost();
  }
}

}  // namespace ledgerflow
