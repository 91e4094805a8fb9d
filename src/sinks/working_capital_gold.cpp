#include "sinks/working_capital_gold.h"

#include <optional>

#include "analytics/working_capital_sales.h"

namespace ledgerflow::sinks {

namespace {

const TableSpec kWorkingCapital{
    "finance_working_capital",
    {"window_days", "as_of_day", "revenue_micros", "cogs_micros", "purchases_micros",
     "average_receivables_micros", "average_inventory_micros", "average_payables_micros"},
    1,
    TableSpec::OnConflict::kUpdate};

}  // namespace

bool WorkingCapitalGold::build(const Engine& engine, bool inventory_changed, WarehouseTxn* txn) {
  cache_.begin();
  std::optional<int64_t> clock;
  finance::WorkingCapitalInputs in;
  const bool stale = engine.read_finance([&](const FinanceLedger& ledger) {
    if (!cache_.source_moved(ledger.applied_events()) && !inventory_changed) return false;
    clock = ledger.latest_day();
    if (clock) in = ledger.working_capital_inputs(*clock, kWindowDays);
    return true;
  });
  if (!stale) return false;
  const size_t steps_before = txn->steps.size();
  // No finance event yet: no clock, no row (as its SQL over silver).
  TableRows rows{&kWorkingCapital, {}};
  if (clock) {
    add_sales_working_capital(engine.inventory(std::nullopt, false), *clock, &in);
    rows.add(int64_t(kWindowDays), *clock, in.revenue.micros(), in.cogs.micros(),
             in.purchases.micros(), in.average_receivables.micros(), in.average_inventory.micros(),
             in.average_payables.micros());
  }
  cache_.add_changed(std::move(rows), txn, GoldRowCache::Missing::kDelete);
  return txn->steps.size() > steps_before;
}

}  // namespace ledgerflow::sinks
