#pragma once
// The sales side of working capital (docs/FINANCE_API.md "working-capital"): COGS over the
// window ending on as_of_day = units sold per day (event time, each row's DailyDemand) x the
// row's catalog cost price, and the inventory at cost now (the engine keeps no history of
// inventory balances: today's value stands in for the average). The API and the warehouse's
// gold (sinks/working_capital_gold) both fill their inputs here, so they count alike.
//
// A pure function, no state, no thread.
#include <cstdint>
#include <vector>

#include "analytics/inventory_state.h"
#include "finance/working_capital.h"

namespace ledgerflow {

// Adds to in->cogs and in->average_inventory over in->window_days.
void add_sales_working_capital(const std::vector<InventoryRow>& rows, int64_t as_of_day,
                               finance::WorkingCapitalInputs* in);

}  // namespace ledgerflow
