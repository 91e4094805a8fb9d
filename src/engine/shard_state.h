#pragma once
// Everything one shard knows: live inventory for its keys, sales windows, the DataCo order-line
// marts for its customers, the idempotency window, late events, recent shipments. A pure,
// deterministic function of the events applied to it in log order, which is what makes checkpoint +
// replay exact.
//
// Owned by a ShardWorker; mutated only on that worker's thread, read by others under the
// worker's lock.
#include <cstdint>
#include <deque>
#include <string>

#include "analytics/dataco_marts.h"
#include "analytics/finance_ledger.h"
#include "analytics/inventory_state.h"
#include "analytics/sales_windows.h"
#include "core/bytes.h"
#include "core/event.h"
#include "engine/dedupe_window.h"
#include "ingest/catalog.h"

namespace ledgerflow {

struct ShardOptions {
  size_t dedupe_window = 1'000'000;                // identities remembered per shard
  int64_t window_retention_ms = 7 * 86'400'000LL;  // windows kept behind the watermark
  size_t recent_shipments = 200;
  size_t late_store_keep = 1'000;  // latest too-late events kept for inspection
  FinanceConfig finance;           // the finance ledger (only the finance shard fills it)
};

// An event as the router hands it to a shard: a view of the event where it was parsed (its log
// record), not a copy. Moving each event into a batch of its own was a tenth of the log
// writer's time; the shard only reads it. Whoever builds the batch keeps the event alive until
// the shard has applied it (ShardBatch::owner on the live path).
struct RoutedEvent {
  const Event* event;
  int64_t watermark_ms;  // the watermark when the event was routed (deterministic per offset)
};

struct LateEvent {
  uint64_t offset;
  EventType type;
  int32_t store_id;
  int64_t prod_id;
  int64_t units;
  int64_t event_time_ms;
  int64_t watermark_ms;
};

enum class ApplyOutcome { kApplied, kDuplicate };

struct ShardCounters {
  uint64_t applied = 0;       // events that changed state
  uint64_t duplicates = 0;    // retries recognised by identity and ignored
  uint64_t late_updates = 0;  // applied to a window that was already complete
  uint64_t late_dropped = 0;  // older than retention: running totals updated, windows not
};

class ShardState {
 public:
  ShardState(const Catalog* catalog, ShardOptions options);

  ApplyOutcome apply(const RoutedEvent& re);
  // The event will be applied after `ahead` others: start loading what its apply reads first.
  void prefetch(const Event& e, size_t ahead) const { dedupe_.prefetch(e.id_key, ahead); }

  const InventoryState& inventory() const { return inventory_; }
  const SalesWindows& windows() const { return windows_; }
  const DatacoMarts& dataco() const { return dataco_; }
  const FinanceLedger& finance() const { return finance_; }
  const ShardCounters& counters() const { return counters_; }
  const std::deque<Event>& recent_shipments() const { return recent_shipments_; }
  const std::deque<LateEvent>& late_events() const { return late_; }
  uint64_t next_offset() const { return next_offset_; }  // one past the last applied record
  uint64_t change_seq() const { return change_seq_; }

  // Marks records up to `next_offset` as reflected (including ones routed elsewhere).
  void set_next_offset(uint64_t next_offset) {
    if (next_offset > next_offset_) next_offset_ = next_offset;
  }

  // `version` is the checkpoint format version the bytes come from (checkpoint.h): version 1
  // predates order lines, so its shards have empty DataCo marts; version 2 predates finance
  // events, so its shards have an empty finance ledger; version 3 predates the DataCo
  // receivables, so its shards have none (Engine::recover then rebuilds from the whole log when
  // the checkpoint holds order lines).
  void serialize(ByteWriter& w) const;
  bool deserialize(ByteReader& r, uint32_t version);

 private:
  ApplyOutcome apply_order_line(const Event& e);
  ApplyOutcome apply_finance(const Event& e);

  ShardOptions options_;
  InventoryState inventory_;
  SalesWindows windows_;
  DatacoMarts dataco_;
  FinanceLedger finance_;
  DedupeWindow dedupe_;
  ShardCounters counters_;
  std::deque<Event> recent_shipments_;
  std::deque<LateEvent> late_;
  uint64_t next_offset_ = 0;
  uint64_t change_seq_ = 0;
  int64_t evicted_through_ms_ = INT64_MIN;
};

}  // namespace ledgerflow
