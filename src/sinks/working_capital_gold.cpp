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

bool WorkingCapitalGold::build(const Engine& engine, bool inventory_changed,
                               LazyInventory* inventory, WarehouseTxn* txn) {
  cache_.begin();
  const bool stale = engine.read_finance([&](const FinanceLedger& ledger) {
    const uint64_t events = ledger.applied_events();
    if (!cache_.source_moved(events) && !inventory_changed) return false;
    // The ledger's part is a function of its events: walked again only when they moved, not on
    // every upsert that only sales changed.
    if (events != ledger_events_) {
      ledger_events_ = events;
      clock_ = ledger.latest_day();
      if (clock_) ledger_inputs_ = ledger.working_capital_inputs(*clock_, kWindowDays);
    }
    return true;
  });
  if (!stale) return false;
  const size_t steps_before = txn->steps.size();
  // No finance event yet: no clock, no row (as its SQL over silver).
  TableRows rows{&kWorkingCapital, {}};
  if (clock_) {
    finance::WorkingCapitalInputs in = ledger_inputs_;
    add_sales_working_capital(inventory->rows(), *clock_, &in);
    rows.add(int64_t(kWindowDays), *clock_, in.revenue.micros(), in.cogs.micros(),
             in.purchases.micros(), in.average_receivables.micros(), in.average_inventory.micros(),
             in.average_payables.micros());
  }
  cache_.add_changed(std::move(rows), txn, GoldRowCache::Missing::kDelete);
  return txn->steps.size() > steps_before;
}

}  // namespace ledgerflow::sinks
