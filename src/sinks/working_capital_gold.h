#pragma once
// Working-capital gold (sql/migrations/008, docs/WAREHOUSE.md "Finance gold"): one row, the
// inputs of /api/v1/finance/working-capital over a fixed trailing window of kWindowDays ending on
// the ledger's clock: revenue, purchases and the average open receivables and payables from the
// FinanceLedger, COGS and inventory at cost from the sales side (add_sales_working_capital). The
// days (DSO, DIO, DPO on either basis, CCC) are ratios of these integers: the view
// v_finance_working_capital derives them, so verify compares integers only.
//
// The figures mix both sides, so the row is rebuilt when finance events were applied or
// inventory rows changed since the last committed upsert; the ledger is walked again only when
// its events moved, and the inventory is read outside the ledger's lock (no shard lock is taken
// while another is held).
//
// Owned by GoldSnapshot (the WarehouseWriter thread); moves only when the caller says the
// transaction committed.
#include <cstdint>
#include <optional>

#include "engine/engine.h"
#include "sinks/gold_row_cache.h"
#include "sinks/lazy_inventory.h"
#include "sinks/warehouse_backend.h"

namespace ledgerflow::sinks {

class WorkingCapitalGold {
 public:
  // The API's default window; sql/gold/finance_working_capital.sql counts the same days.
  static constexpr int32_t kWindowDays = 30;

  // Adds the step for the row when it changed; false when it did not. `inventory_changed`: the
  // engine reported changed inventory rows since the last committed upsert.
  bool build(const Engine& engine, bool inventory_changed, LazyInventory* inventory,
             WarehouseTxn* txn);
  void commit() { cache_.commit(); }
  void reset() { cache_.reset(); }

 private:
  GoldRowCache cache_;  // also the ledger events behind its rows
  // The ledger's inputs (and clock) as of ledger_events_ applied events: they depend on nothing
  // else, so they are kept across upserts (commits or not).
  uint64_t ledger_events_ = UINT64_MAX;
  std::optional<int64_t> clock_;
  finance::WorkingCapitalInputs ledger_inputs_;
};

}  // namespace ledgerflow::sinks
