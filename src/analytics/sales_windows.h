#pragma once
// Sales per minute as event-time tumbling windows with upsert-on-late semantics: a window is
// complete once the watermark passes its end, and a late event inside the retention updates it
// again (its version goes up, so sinks re-emit it). Owned by one ShardState; single-threaded.
#include <cstdint>
#include <map>

#include "core/bytes.h"
#include "core/event.h"
#include "core/money.h"

namespace ledgerflow {

inline constexpr int64_t kWindowMs = 60'000;  // the base window; hours and days roll up from it

struct SalesWindow {
  int64_t start_ms = 0;
  int64_t units_sold = 0;
  Money revenue;
  int64_t sale_lines = 0;
  int64_t shipments = 0;
  int64_t units_received = 0;
  uint64_t version = 0;      // shard change sequence at the last update
  int64_t late_updates = 0;  // updates that arrived after the window was complete

  // Merges another partial of the same window (shards, or minutes into an hour).
  void merge(const SalesWindow& o);
};

class SalesWindows {
 public:
  // Adds the event to its window. `watermark_ms` is the watermark before this event; returns
  // true if the window was already complete (a late update).
  bool add(const Event& e, int64_t watermark_ms, uint64_t version);
  // Forgets windows that ended before `cutoff_ms` (retention).
  void evict_before(int64_t cutoff_ms);

  const std::map<int64_t, SalesWindow>& windows() const { return windows_; }

  void serialize(ByteWriter& w) const;
  bool deserialize(ByteReader& r);

 private:
  std::map<int64_t, SalesWindow> windows_;
};

}  // namespace ledgerflow
