#include "engine/router_state.h"

#include <algorithm>

namespace ledgerflow {

int64_t RouterState::watermark_for(const LogRecord& rec) {
  // Recomputing is O(sources); with many sources (Kafka partitions) it is done every 64
  // offsets. Both rules depend only on the log, so replay reproduces every stamp.
  if (watermark_.source_count() <= 64 || rec.offset % 64 == 0) watermark_.advance();
  return watermark_.watermark();
}

void RouterState::observe(const LogRecord& rec) {
  next_offset_ = rec.offset + 1;
  if (rec.source.kind == SourceKind::kKafka && rec.kind != RecordKind::kBatchMarker) {
    if (!last_source_offset_ || rec.source.partition != last_source_.second ||
        rec.source.name != last_source_.first) {
      last_source_ = {rec.source.name, rec.source.partition};
      auto [it, inserted] = source_offsets_.try_emplace(
          std::pair(rec.source.name.str(), rec.source.partition), rec.source.position);
      last_source_offset_ = &it->second;  // std::map nodes are stable
    }
    *last_source_offset_ = std::max(*last_source_offset_, rec.source.position);
  }
  switch (rec.kind) {
    case RecordKind::kEvent:
      events_logged_ += 1;
      // Order lines are historical (DataCo spans 2015-2018) and feed only whole-history marts:
      // they take no part in the event-time watermark, which would otherwise hold the live
      // sales windows back to 2018 while a file streams in.
      // Finance events likewise: the ledger keeps its own business-day clock.
      if (rec.event.type == EventType::kOrderLine || is_finance_event(rec.event.type)) break;
      watermark_.observe(rec.source, rec.event.event_time_ms, rec.ingest_time_ms);
      // Keep the watermark the API reports current with the newest event. The next record's
      // stamp is computed from this same state by watermark_for(), so stamps do not change.
      if (watermark_.source_count() <= 64) watermark_.advance();
      break;
    case RecordKind::kDeadLetter: {
      dead_letters_total_ += 1;
      dead_letter_counts_[rec.reason_code] += 1;
      dead_letters_.push_back(DeadLetter{rec.offset, rec.ingest_time_ms, rec.source,
                                         rec.reason_code, rec.message, std::string(rec.raw.view()),
                                         rec.raw_size});
      if (dead_letters_.size() > limits_.dead_letters_kept) dead_letters_.pop_front();
      break;
    }
    case RecordKind::kBatchMarker: {
      if (limits_.idempotency_keys_kept == 0) break;
      auto [it, inserted] = idempotency_.insert_or_assign(rec.reason_code, rec.message);
      if (inserted) {
        idempotency_order_.push_back(rec.reason_code);
        if (idempotency_order_.size() > limits_.idempotency_keys_kept) {
          idempotency_.erase(idempotency_order_.front());
          idempotency_order_.pop_front();
        }
      }
      break;
    }
  }
}

std::optional<int64_t> RouterState::source_offset(const std::string& topic,
                                                  int32_t partition) const {
  auto it = source_offsets_.find({topic, partition});
  if (it == source_offsets_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> RouterState::idempotent_summary(const std::string& key) const {
  auto it = idempotency_.find(key);
  if (it == idempotency_.end()) return std::nullopt;
  return it->second;
}

void RouterState::serialize(ByteWriter& w) const {
  watermark_.serialize(w);
  w.u64(events_logged_);
  w.u64(dead_letters_total_);
  w.u64(next_offset_);
  w.u64(dead_letter_counts_.size());
  for (const auto& [code, n] : dead_letter_counts_) {
    w.str(code);
    w.u64(n);
  }
  w.u64(dead_letters_.size());
  for (const DeadLetter& d : dead_letters_) {
    w.u64(d.offset);
    w.i64(d.ingest_time_ms);
    w.u8(uint8_t(d.source.kind));
    w.str(d.source.name.view());
    w.i32(d.source.partition);
    w.i64(d.source.position);
    w.str(d.reason_code);
    w.str(d.message);
    w.str(d.raw);
    w.u32(d.raw_size);
  }
  w.u64(idempotency_order_.size());
  for (const std::string& key : idempotency_order_) {
    w.str(key);
    w.str(idempotency_.at(key));
  }
  w.u64(source_offsets_.size());
  for (const auto& [tp, offset] : source_offsets_) {
    w.str(tp.first);
    w.i32(tp.second);
    w.i64(offset);
  }
}

bool RouterState::deserialize(ByteReader& r) {
  uint64_t n;
  if (!watermark_.deserialize(r) || !r.u64(&events_logged_) || !r.u64(&dead_letters_total_) ||
      !r.u64(&next_offset_) || !r.u64(&n)) {
    return false;
  }
  dead_letter_counts_.clear();
  for (uint64_t i = 0; i < n; ++i) {
    std::string code;
    uint64_t count;
    if (!r.str(&code, 256) || !r.u64(&count)) return false;
    dead_letter_counts_[code] = count;
  }
  if (!r.u64(&n)) return false;
  dead_letters_.clear();
  for (uint64_t i = 0; i < n; ++i) {
    DeadLetter d;
    uint8_t kind;
    std::string_view name;
    if (!r.u64(&d.offset) || !r.i64(&d.ingest_time_ms) || !r.u8(&kind) ||
        !r.str_view(&name, 4096) || !r.i32(&d.source.partition) || !r.i64(&d.source.position) ||
        !r.str(&d.reason_code, 256) || !r.str(&d.message) || !r.str(&d.raw) ||
        !r.u32(&d.raw_size)) {
      return false;
    }
    d.source.kind = SourceKind(kind);
    d.source.name = SourceName::reuse(name);
    dead_letters_.push_back(std::move(d));
  }
  if (!r.u64(&n)) return false;
  idempotency_.clear();
  idempotency_order_.clear();
  for (uint64_t i = 0; i < n; ++i) {
    std::string key, summary;
    if (!r.str(&key, 4096) || !r.str(&summary)) return false;
    idempotency_[key] = summary;
    idempotency_order_.push_back(key);
  }
  source_offsets_.clear();
  last_source_offset_ = nullptr;
  if (r.remaining() == 0) return true;  // written before Kafka offsets were kept
  if (!r.u64(&n)) return false;
  for (uint64_t i = 0; i < n; ++i) {
    std::string topic;
    int32_t partition;
    int64_t offset;
    if (!r.str(&topic, 4096) || !r.i32(&partition) || !r.i64(&offset)) return false;
    source_offsets_[{topic, partition}] = offset;
  }
  return true;
}

}  // namespace ledgerflow
