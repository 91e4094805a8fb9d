#pragma once
// The finance ledger's alerts in the warehouse table finance_alerts (sql/migrations/006), the
// rows /api/v1/alerts serves: event alerts are inserted once as they arise, oldest first, at
// most kMaxAlertsPerUpsert per upsert (a long backlog catches up over several); they never
// change, and stay in the table after the ledger's bounded memory (finance.alerts_kept) has let
// them go. Standing alerts (round amounts, Benford) change their figures as invoices come and
// go away when the rule no longer holds: their rows are updated when they differ from what was
// committed and deleted when the alert is gone (GoldRowCache). The DataCo suspected-fraud
// patterns (analytics/dataco_fraud_alerts.h) are standing alerts too, mirrored the same way
// under negative seqs (dataco_alert_seq): the ledger's rows are `seq > 0`, theirs `seq < 0`,
// and neither cache ever deletes the other's.
//
// Owned by GoldSnapshot (the WarehouseWriter thread); moves only when the caller says the
// transaction committed.
#include <cstdint>
#include <vector>

#include "analytics/finance_ledger.h"
#include "sinks/gold_row_cache.h"
#include "sinks/warehouse_backend.h"

namespace ledgerflow::sinks {

class FinanceAlertsGold {
 public:
  static constexpr size_t kMaxAlertsPerUpsert = 10'000;

  // Adds the steps for new event alerts and changed or gone standing ones; false when none.
  // `dataco`: the DataCo patterns now, or nullptr when no order line came since the last build
  // (their rows are then left as they are).
  bool build(const FinanceLedger& ledger, const std::vector<LedgerAlert>* dataco,
             WarehouseTxn* txn);
  void commit();
  // Forget what was written: the next build rewrites the standing alerts from scratch (the
  // table's standing rows are deleted first, as any of them may have gone meanwhile) and
  // upserts every event alert the ledger still holds.
  void reset();

  // One alert as a finance_alerts row.
  static void add_row(const LedgerAlert& a, TableRows* rows);

 private:
  // The ledger's changed event and standing alert rows into `rows`; false when none can be.
  void add_ledger_rows(const FinanceLedger& ledger, WarehouseTxn* txn, TableRows* rows);

  GoldRowCache standing_;
  GoldRowCache dataco_;
  uint64_t committed_seq_ = 0;  // event alerts up to this seq are in the table
  uint64_t pending_seq_ = 0;
  uint64_t committed_events_ = 0;  // ledger events behind the committed rows (alerts only
  uint64_t pending_events_ = 0;    // arise or change when events are applied)
  bool fresh_ = true;              // nothing committed since construction or reset()
};

}  // namespace ledgerflow::sinks
