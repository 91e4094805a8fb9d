#pragma once
// Finance gold from the engine's finance ledger (sql/migrations/007, docs/WAREHOUSE.md "Finance
// gold"), as of the ledger's clock (its latest business day), the API's default as-of day:
// finance_payables_aging (FinanceLedger::payables_aging), finance_payment_delays
// (payment_delays) and finance_cash_required (cash), one row per supplier, and (migration 008)
// finance_early_payments (early_payment_opportunities), one row per invoice whose discount is
// open. A row goes away when its key has nothing left in the table (all paid, a discount
// deadline passed), so changed rows are upserted and vanished keys deleted; the first upsert of
// a session empties the tables first (GoldRowCache).
//
// The tables are rebuilt in memory when events were applied since the last committed upsert
// (FinanceLedger::applied_events; the reads walk every invoice under the shard's lock, so an
// idle ledger is not walked every second); only the differing rows reach the database.
//
// Owned by GoldSnapshot (the WarehouseWriter thread); moves only when the caller says the
// transaction committed.
#include <cstdint>

#include "analytics/finance_ledger.h"
#include "sinks/gold_row_cache.h"
#include "sinks/warehouse_backend.h"

namespace ledgerflow::sinks {

class FinanceGold {
 public:
  // Adds the steps for the rows that changed; false when none did.
  bool build(const FinanceLedger& ledger, WarehouseTxn* txn);
  void commit() { cache_.commit(); }
  void reset() { cache_.reset(); }

 private:
  GoldRowCache cache_;  // also the ledger events behind its rows
};

}  // namespace ledgerflow::sinks
