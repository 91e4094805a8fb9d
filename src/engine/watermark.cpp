#include "engine/watermark.h"

#include <algorithm>

namespace ledgerflow {

std::string WatermarkTracker::source_key(const SourcePosition& s) {
  // HTTP posts, the generator and the bench are one logical source each; files and Kafka
  // partitions are sources of their own.
  std::string key(source_kind_name(s.kind));
  if (s.kind == SourceKind::kFile || s.kind == SourceKind::kKafka) {
    key += '/';
    key += s.name;
    key += '/';
    key += std::to_string(s.partition);
  }
  return key;
}

WatermarkTracker::SourceClock& WatermarkTracker::clock_for(const SourcePosition& source) {
  if (last_clock_ && source.kind == last_kind_ && source.partition == last_partition_ &&
      source.name == last_name_) {
    return *last_clock_;
  }
  auto [it, inserted] = sources_.try_emplace(source_key(source));
  if (inserted) stale_ = true;
  last_clock_ = &it->second;  // std::map nodes are stable
  last_kind_ = source.kind;
  last_partition_ = source.partition;
  last_name_ = source.name;
  return *last_clock_;
}

void WatermarkTracker::observe(const SourcePosition& source, int64_t event_time_ms,
                               int64_t ingest_time_ms) {
  SourceClock& c = clock_for(source);
  // What can move the minimum: its holder's clock, a source back from idle, sources turning
  // idle as the newest ingest time moves (a new source marked stale in clock_for).
  if (&c == low_holder_ || idle(c) || ingest_time_ms > latest_ingest_ms_) stale_ = true;
  c.max_event_ms = std::max(c.max_event_ms, event_time_ms);
  c.last_ingest_ms = std::max(c.last_ingest_ms, ingest_time_ms);
  max_event_ms_ = std::max(max_event_ms_, event_time_ms);
  latest_ingest_ms_ = std::max(latest_ingest_ms_, ingest_time_ms);
  if (sources_.size() > options_.max_sources) {
    auto oldest =
        std::min_element(sources_.begin(), sources_.end(), [](const auto& a, const auto& b) {
          return a.second.last_ingest_ms < b.second.last_ingest_ms;
        });
    sources_.erase(oldest);
    last_clock_ = nullptr;
    low_holder_ = nullptr;
    stale_ = true;
  }
}

int64_t WatermarkTracker::advance() {
  if (stale_) {
    low_ = kNone;
    low_holder_ = nullptr;
    for (const auto& [key, c] : sources_) {
      if (idle(c)) continue;
      if (low_ == kNone || c.max_event_ms < low_) {
        low_ = c.max_event_ms;
        low_holder_ = &c;
      }
    }
    stale_ = false;
  }
  if (low_ != kNone) watermark_ = std::max(watermark_, low_ - options_.out_of_orderness_ms);
  return watermark_;
}

void WatermarkTracker::serialize(ByteWriter& w) const {
  w.i64(watermark_);
  w.i64(max_event_ms_);
  w.i64(latest_ingest_ms_);
  w.u64(sources_.size());
  for (const auto& [key, c] : sources_) {
    w.str(key);
    w.i64(c.max_event_ms);
    w.i64(c.last_ingest_ms);
  }
}

bool WatermarkTracker::deserialize(ByteReader& r) {
  uint64_t n;
  if (!r.i64(&watermark_) || !r.i64(&max_event_ms_) || !r.i64(&latest_ingest_ms_) || !r.u64(&n)) {
    return false;
  }
  sources_.clear();
  last_clock_ = nullptr;
  low_holder_ = nullptr;
  stale_ = true;
  for (uint64_t i = 0; i < n; ++i) {
    std::string key;
    SourceClock c;
    if (!r.str(&key, 4096) || !r.i64(&c.max_event_ms) || !r.i64(&c.last_ingest_ms)) return false;
    sources_[key] = c;
  }
  return true;
}

}  // namespace ledgerflow
