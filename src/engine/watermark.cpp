#include "engine/watermark.h"

#include <algorithm>

namespace ledgerflow {

std::string WatermarkTracker::source_key(const SourcePosition& s) {
  // HTTP posts, the generator and the bench are one logical source each; files and Kafka
  // partitions are sources of their own.
  std::string key(source_kind_name(s.kind));
  if (s.kind == SourceKind::kFile || s.kind == SourceKind::kKafka) {
    key += '/';
    key += s.name.view();
    key += '/';
    key += std::to_string(s.partition);
  }
  return key;
}

uint32_t WatermarkTracker::slot_for(const SourcePosition& source) {
  if (last_slot_ != kNoSlot && source.kind == last_kind_ && source.partition == last_partition_ &&
      source.name == last_name_) {
    return last_slot_;
  }
  auto [it, inserted] = slots_.try_emplace(source_key(source), uint32_t(clocks_.size()));
  if (inserted) {
    clocks_.emplace_back();
    stale_ = true;
  }
  last_slot_ = it->second;
  last_kind_ = source.kind;
  last_partition_ = source.partition;
  last_name_ = source.name;
  return last_slot_;
}

void WatermarkTracker::forget_oldest() {
  // In key order, so a tie goes to the first key (as when the clocks were the map's values).
  auto oldest = std::min_element(slots_.begin(), slots_.end(), [&](const auto& a, const auto& b) {
    return clocks_[a.second].last_ingest_ms < clocks_[b.second].last_ingest_ms;
  });
  const uint32_t slot = oldest->second;
  const uint32_t last = uint32_t(clocks_.size() - 1);
  slots_.erase(oldest);
  if (slot != last) {
    // The last slot's clock moves into the freed one; its key is found by the same kind of walk
    // as the one above (this runs only past max_sources).
    clocks_[slot] = clocks_[last];
    for (auto& entry : slots_) {
      if (entry.second == last) entry.second = slot;
    }
  }
  clocks_.pop_back();
  last_slot_ = kNoSlot;
  low_holder_ = kNoSlot;
  stale_ = true;
}

void WatermarkTracker::observe(const SourcePosition& source, int64_t event_time_ms,
                               int64_t ingest_time_ms) {
  const uint32_t slot = slot_for(source);
  SourceClock& c = clocks_[slot];
  // What can move the minimum: its holder's clock, a source back from idle, sources turning
  // idle as the newest ingest time moves (a new source marked stale in slot_for).
  if (slot == low_holder_ || idle(c) || ingest_time_ms > latest_ingest_ms_) stale_ = true;
  c.max_event_ms = std::max(c.max_event_ms, event_time_ms);
  c.last_ingest_ms = std::max(c.last_ingest_ms, ingest_time_ms);
  max_event_ms_ = std::max(max_event_ms_, event_time_ms);
  latest_ingest_ms_ = std::max(latest_ingest_ms_, ingest_time_ms);
  if (clocks_.size() > options_.max_sources) forget_oldest();
}

int64_t WatermarkTracker::advance() {
  if (stale_) {
    low_ = kNone;
    low_holder_ = kNoSlot;
    for (uint32_t i = 0; i < clocks_.size(); ++i) {
      const SourceClock& c = clocks_[i];
      if (idle(c)) continue;
      if (low_ == kNone || c.max_event_ms < low_) {
        low_ = c.max_event_ms;
        low_holder_ = i;
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
  w.u64(slots_.size());
  for (const auto& [key, slot] : slots_) {
    const SourceClock& c = clocks_[slot];
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
  slots_.clear();
  clocks_.clear();
  last_slot_ = kNoSlot;
  low_holder_ = kNoSlot;
  stale_ = true;
  for (uint64_t i = 0; i < n; ++i) {
    std::string key;
    SourceClock c;
    if (!r.str(&key, 4096) || !r.i64(&c.max_event_ms) || !r.i64(&c.last_ingest_ms)) return false;
    auto [it, inserted] = slots_.try_emplace(std::move(key), uint32_t(clocks_.size()));
    if (inserted) {
      clocks_.push_back(c);
    } else {
      clocks_[it->second] = c;  // written from a map, so never; the last one wins, as before
    }
  }
  return true;
}

}  // namespace ledgerflow
