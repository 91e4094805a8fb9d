#pragma once
// Event-time watermark with bounded out-of-orderness and idle-source handling.
//   watermark = min over active sources of (max event time seen) - out_of_orderness
// A source is active while its latest record's ingest time is within idle_timeout of the
// newest ingest time seen from any source, so an idle source never stalls the watermark.
// Ingest times come from the log records, so the watermark is a deterministic function of the
// log prefix (replay gives the same watermark as the live run). It never goes backwards.
//
// advance() is O(1) unless something can have moved the minimum: it keeps the last minimum
// and the source that holds it, and recomputes over all sources only when that source moves,
// a source appears, comes back from idle or is forgotten, or the newest ingest time moves
// (sources may turn idle). With Kafka partitions as sources that is about once per
// partition-count records and once per millisecond, not once per record. The clocks sit in
// one vector, so a recomputation reads a few cache lines instead of walking a tree of nodes
// (it was a tenth of the log writer's time with 21 partitions).
//
// Owned by the Engine's router (the log writer thread); copied under the router lock.
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/event.h"

namespace ledgerflow {

struct WatermarkOptions {
  int64_t out_of_orderness_ms = 15'000;
  int64_t idle_timeout_ms = 30'000;
  size_t max_sources = 10'000;  // the least recently active source is forgotten beyond this
};

class WatermarkTracker {
 public:
  static constexpr int64_t kNone = std::numeric_limits<int64_t>::min();

  explicit WatermarkTracker(WatermarkOptions options = {}) : options_(options) {}

  void observe(const SourcePosition& source, int64_t event_time_ms, int64_t ingest_time_ms);
  // Recomputes the watermark from the sources (call after a group of observations).
  int64_t advance();
  int64_t watermark() const { return watermark_; }
  int64_t max_event_time() const { return max_event_ms_; }
  size_t source_count() const { return clocks_.size(); }

  void serialize(ByteWriter& w) const;
  bool deserialize(ByteReader& r);

 private:
  struct SourceClock {
    int64_t max_event_ms = kNone;
    int64_t last_ingest_ms = kNone;
  };
  static std::string source_key(const SourcePosition& s);

  static constexpr uint32_t kNoSlot = UINT32_MAX;
  // The slot in clocks_ of the source (added when new).
  uint32_t slot_for(const SourcePosition& source);
  // Forgets the least recently active source (the last slot moves into its place).
  void forget_oldest();
  // A source is idle when its latest ingest time is more than idle_timeout_ms older than the
  // newest one. Saturating: before any observation latest_ingest_ms_ is kNone.
  bool idle(const SourceClock& c) const {
    const int64_t floor_ms = latest_ingest_ms_ < kNone + options_.idle_timeout_ms
                                 ? kNone
                                 : latest_ingest_ms_ - options_.idle_timeout_ms;
    return c.last_ingest_ms < floor_ms;
  }

  WatermarkOptions options_;
  // Source key -> slot in clocks_.
  std::map<std::string, uint32_t> slots_;
  std::vector<SourceClock> clocks_;
  // The source of the previous observation: consecutive records mostly share one.
  SourceKind last_kind_ = SourceKind::kHttp;
  int32_t last_partition_ = 0;
  SourceName last_name_;
  uint32_t last_slot_ = kNoSlot;
  int64_t watermark_ = kNone;
  int64_t max_event_ms_ = kNone;
  int64_t latest_ingest_ms_ = kNone;
  // The minimum of max_event_ms over active sources as last computed, and its holder; valid
  // while !stale_.
  int64_t low_ = kNone;
  uint32_t low_holder_ = kNoSlot;
  bool stale_ = true;
};

}  // namespace ledgerflow
