#include "engine/shard_state.h"

#include "engine/watermark.h"

namespace ledgerflow {

ShardState::ShardState(const Catalog* catalog, ShardOptions options)
    : options_(options),
      inventory_(catalog),
      finance_(options.finance),
      dedupe_(options.dedupe_window) {}

ApplyOutcome ShardState::apply(const RoutedEvent& re) {
  const Event& e = *re.event;
  if (e.offset + 1 > next_offset_) next_offset_ = e.offset + 1;
  if (!dedupe_.insert(e.id_key)) {
    counters_.duplicates += 1;
    return ApplyOutcome::kDuplicate;
  }
  ++change_seq_;
  counters_.applied += 1;
  if (e.type == EventType::kOrderLine) return apply_order_line(e);
  if (is_finance_event(e.type)) return apply_finance(e);
  inventory_.apply(e, change_seq_);
  const bool has_watermark = re.watermark_ms != WatermarkTracker::kNone;
  const int64_t cutoff = has_watermark ? re.watermark_ms - options_.window_retention_ms : INT64_MIN;
  if (has_watermark && e.event_time_ms < cutoff) {
    counters_.late_dropped += 1;
    late_.push_back(LateEvent{e.offset, e.type, e.store_id, e.prod_id, e.units, e.event_time_ms,
                              re.watermark_ms});
    if (late_.size() > options_.late_store_keep) late_.pop_front();
  } else if (windows_.add(e, re.watermark_ms, change_seq_)) {
    counters_.late_updates += 1;
  }
  if (e.type == EventType::kShipment && options_.recent_shipments > 0) {
    recent_shipments_.push_back(e);
    if (recent_shipments_.size() > options_.recent_shipments) recent_shipments_.pop_front();
  }
  if (has_watermark && cutoff > evicted_through_ms_ + kWindowMs) {
    windows_.evict_before(cutoff);
    evicted_through_ms_ = cutoff;
  }
  return ApplyOutcome::kApplied;
}

// Order lines feed only the DataCo marts: whole-history running aggregates, so neither the
// watermark nor windows are involved and their arrival order does not matter.
ApplyOutcome ShardState::apply_order_line(const Event& e) {
  LF_ASSERT(e.order_line != nullptr);
  dataco_.apply(*e.order_line);
  return ApplyOutcome::kApplied;
}

// Finance events feed only the ledger, which keeps its own business-day clock. Records read back
// from the log arrive parsed again by the router (Engine::route).
ApplyOutcome ShardState::apply_finance(const Event& e) {
  LF_ASSERT(e.finance != nullptr);
  finance_.apply(*e.finance, e.ingest_time_ms, e.offset);
  return ApplyOutcome::kApplied;
}

void ShardState::serialize(ByteWriter& w) const {
  w.u64(next_offset_);
  w.u64(change_seq_);
  w.i64(evicted_through_ms_);
  w.u64(counters_.applied);
  w.u64(counters_.duplicates);
  w.u64(counters_.late_updates);
  w.u64(counters_.late_dropped);
  inventory_.serialize(w);
  windows_.serialize(w);
  dedupe_.serialize(w);
  w.u64(recent_shipments_.size());
  for (const Event& e : recent_shipments_) {
    w.u64(e.offset);
    w.i32(e.store_id);
    w.i64(e.prod_id);
    w.i64(e.units);
    w.i64(e.event_time_ms);
    w.str(e.id);
  }
  w.u64(late_.size());
  for (const LateEvent& l : late_) {
    w.u64(l.offset);
    w.u8(uint8_t(l.type));
    w.i32(l.store_id);
    w.i64(l.prod_id);
    w.i64(l.units);
    w.i64(l.event_time_ms);
    w.i64(l.watermark_ms);
  }
  dataco_.serialize(w);
  finance_.serialize(w);
  inventory_.serialize_demand(w);
  dataco_.serialize_receivables(w);
}

bool ShardState::deserialize(ByteReader& r, uint32_t version) {
  if (!r.u64(&next_offset_) || !r.u64(&change_seq_) || !r.i64(&evicted_through_ms_) ||
      !r.u64(&counters_.applied) || !r.u64(&counters_.duplicates) ||
      !r.u64(&counters_.late_updates) || !r.u64(&counters_.late_dropped) ||
      !inventory_.deserialize(r) || !windows_.deserialize(r) || !dedupe_.deserialize(r)) {
    return false;
  }
  uint64_t n;
  if (!r.u64(&n)) return false;
  recent_shipments_.clear();
  for (uint64_t i = 0; i < n; ++i) {
    Event e;
    e.type = EventType::kShipment;
    if (!r.u64(&e.offset) || !r.i32(&e.store_id) || !r.i64(&e.prod_id) || !r.i64(&e.units) ||
        !r.i64(&e.event_time_ms) || !r.str(&e.id, 4096)) {
      return false;
    }
    recent_shipments_.push_back(std::move(e));
  }
  if (!r.u64(&n)) return false;
  late_.clear();
  for (uint64_t i = 0; i < n; ++i) {
    LateEvent l;
    uint8_t type;
    if (!r.u64(&l.offset) || !r.u8(&type) || !r.i32(&l.store_id) || !r.i64(&l.prod_id) ||
        !r.i64(&l.units) || !r.i64(&l.event_time_ms) || !r.i64(&l.watermark_ms)) {
      return false;
    }
    l.type = EventType(type);
    late_.push_back(l);
  }
  if (version < 2) return true;
  if (!dataco_.deserialize(r)) return false;
  if (version < 3) return true;
  if (!finance_.deserialize(r) || !inventory_.deserialize_demand(r)) return false;
  if (version < 4) return true;
  return dataco_.deserialize_receivables(r);
}

}  // namespace ledgerflow
