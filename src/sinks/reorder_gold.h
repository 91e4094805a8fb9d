#pragma once
// Reorder gold (sql/migrations/009, docs/WAREHOUSE.md "Reorder gold"): per product x store, the
// integer inputs of its reorder recommendation as /api/v1/reorder computes it by default: the
// demand over the trailing window ending on the day of the newest event time (days, units, sum
// of squared daily units), stock on hand, and the supplier lead time (FinanceLedger
// product_lead_times; -1: the config's). reorder_parameters holds the [reorder] config the
// figures derive with, and the view v_reorder_recommendations derives them (mean, sigma, safety
// stock, reorder point, EOQ, days of supply, stock-out day, reorder now) in SQL. Integers only in
// the verified table, so that `ledgerflow verify` compares exact values on both databases.
//
// Rebuilt whole when inventory, the ledger or the as-of day moved since the last committed
// upsert; only the differing rows reach the database (GoldRowCache).
//
// Owned by GoldSnapshot (the WarehouseWriter thread); moves only when the caller says the
// transaction committed.
#include <cstdint>
#include <tuple>

#include "engine/engine.h"
#include "sinks/gold_row_cache.h"
#include "sinks/lazy_inventory.h"
#include "sinks/warehouse_backend.h"

namespace ledgerflow::sinks {

class ReorderGold {
 public:
  // Adds the steps for the rows that changed; false when none did. `inventory_changed`: an
  // inventory row changed since the last committed upsert.
  bool build(const Engine& engine, bool inventory_changed, LazyInventory* inventory,
             WarehouseTxn* txn);
  void commit() {
    cache_.commit();
    committed_ = pending_;
  }
  void reset() {
    cache_.reset();
    committed_ = kNever;
  }

 private:
  using Inputs = std::tuple<int64_t, uint64_t>;  // as-of day, ledger events applied
  static constexpr Inputs kNever{INT64_MIN, UINT64_MAX};
  GoldRowCache cache_;
  Inputs committed_ = kNever;
  Inputs pending_ = kNever;
};

}  // namespace ledgerflow::sinks
