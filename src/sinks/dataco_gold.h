#pragma once
// Gold rows of the DataCo marts (docs/MARTS.md) from the engine's merged summary
// (Engine::dataco_summary): payment_delays, late_deliveries_by_mode/_by_market,
// financial_commitments, fraud_by_customer/_by_payment_type/_by_market, overall_performance,
// customer_retention, order_value_by_month, order_value_by_day and dataco_receivables_by_day
// (open PENDING_PAYMENT lines per customer and order day, migration 010). Each table is rebuilt in
// memory per upsert and only the rows that differ from what the last committed upsert wrote go
// to the database. No row ever has to be deleted: every figure is a sum or a count over a
// growing set of lines, so a key, once there, stays. Only sums and counts are stored (exact);
// views derive averages and rates.
//
// Owned by GoldSnapshot (the WarehouseWriter thread). Like it, the cache (GoldRowCache) only
// moves when the caller says the transaction committed.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analytics/dataco_marts.h"
#include "sinks/gold_row_cache.h"
#include "sinks/warehouse_backend.h"

namespace ledgerflow::sinks {

// yyyymm of a month index (year * 12 + month - 1), the warehouse's month key.
int64_t month_key(int32_t month_index);

class DatacoGold {
 public:
  // True when lines were applied since the last commit (or nothing was committed yet): only
  // then is a summary worth building. Every applied line adds one to the count, so an equal
  // count means equal marts.
  bool stale(int64_t line_count) const { return line_count != committed_lines_; }
  // Adds upserts for the rows that changed; false when none did.
  bool build(const DatacoSummary& summary, WarehouseTxn* txn);
  void commit();
  // Forget what was written (a new session may face another database).
  void reset();

 private:
  GoldRowCache cache_;
  int64_t committed_lines_ = -1;  // order lines behind the committed rows
  int64_t pending_lines_ = -1;
};

}  // namespace ledgerflow::sinks
