#pragma once
// Finance gold from the engine's finance ledger (sql/migrations/007, docs/WAREHOUSE.md "Finance
// gold"), as of the ledger's clock (its latest business day), the API's default as-of day:
// finance_payables_aging (FinanceLedger::payables_aging), finance_payment_delays
// (payment_delays) and finance_cash_required (cash), one row per supplier. A supplier's row goes
// away when it has nothing left in the table (all paid, say), so changed rows are upserted and
// vanished keys deleted; the first upsert of a session empties the tables first (GoldRowCache).
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
  void commit() {
    cache_.commit();
    committed_events_ = pending_events_;
  }
  void reset() {
    cache_.reset();
    committed_events_ = kNone;
  }

 private:
  static constexpr uint64_t kNone = UINT64_MAX;
  GoldRowCache cache_;
  uint64_t committed_events_ = kNone;  // ledger events behind the committed rows
  uint64_t pending_events_ = kNone;
};

}  // namespace ledgerflow::sinks
