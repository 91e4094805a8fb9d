#pragma once
// Gold rows from the engine's live state: inventory rows and minute windows that changed since
// the last successful upsert (Engine::changes_since), best sellers whole (one row per product),
// and the days of the changed minutes re-rolled from sales_by_minute inside the warehouse (the
// engine drops minute windows past its retention, the warehouse keeps them all); the DataCo
// marts (DatacoGold), the finance ledger's alerts and the DataCo suspected-fraud patterns
// (FinanceAlertsGold), the ledger's payables aging, payment delay and cash required
// (FinanceGold) with the early-payment opportunities; working-capital inputs
// (WorkingCapitalGold); the reorder inputs per product x store (ReorderGold).
//
// Owned by the WarehouseWriter thread. The cursor only moves when the caller says the
// transaction committed, so a failed upsert is retried with everything it carried.
#include <cstdint>

#include "engine/engine.h"
#include "sinks/dataco_gold.h"
#include "sinks/finance_alerts_gold.h"
#include "sinks/finance_gold.h"
#include "sinks/reorder_gold.h"
#include "sinks/warehouse_backend.h"
#include "sinks/working_capital_gold.h"

namespace ledgerflow::sinks {

class GoldSnapshot {
 public:
  explicit GoldSnapshot(const Engine* engine) : engine_(engine) {}

  // The steps upserting what changed since the last commit(); false when nothing did.
  bool build(WarehouseTxn* txn);
  // The transaction of the last build() committed.
  void commit() {
    committed_ = pending_;
    dataco_.commit();
    alerts_.commit();
    finance_.commit();
    reorder_.commit();
    working_capital_.commit();
  }
  // Forget what was upserted (after a reconnect, the warehouse may have been replaced).
  void reset() {
    committed_ = ChangeCursor{};
    dataco_.reset();
    alerts_.reset();
    finance_.reset();
    reorder_.reset();
    working_capital_.reset();
  }

 private:
  void add_inventory(const std::vector<InventoryRow>& rows, WarehouseTxn* txn) const;
  void add_windows(const std::vector<int64_t>& starts, WarehouseTxn* txn) const;
  void add_best_sellers(WarehouseTxn* txn) const;

  const Engine* engine_;
  ChangeCursor committed_;
  ChangeCursor pending_;
  DatacoGold dataco_;
  FinanceAlertsGold alerts_;
  FinanceGold finance_;
  ReorderGold reorder_;
  WorkingCapitalGold working_capital_;
};

}  // namespace ledgerflow::sinks
