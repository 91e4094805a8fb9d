#pragma once
// Engine-wide state that follows the log order: the watermark, the dead letters kept for
// inspection, the idempotency keys of recent batches, log counters and, per Kafka (topic,
// partition), the highest source offset in the log (what makes Kafka input exactly-once). Mutated
// by the router (the log writer thread, or recovery before it starts) and read by the API under the
// Engine's router lock. Part of every checkpoint.
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/bytes.h"
#include "engine/watermark.h"
#include "log/log_record.h"

namespace ledgerflow {

struct DeadLetter {
  uint64_t offset = 0;
  int64_t ingest_time_ms = 0;
  SourcePosition source;
  std::string reason_code;
  std::string message;
  std::string raw;        // a prefix of at most dead_letter_raw_bytes
  uint32_t raw_size = 0;  // the input's full size
};

struct RouterLimits {
  size_t dead_letters_kept = 1'000;
  size_t idempotency_keys_kept = 100'000;
};

class RouterState {
 public:
  RouterState(WatermarkOptions wm, RouterLimits limits) : watermark_(wm), limits_(limits) {}

  // Records the non-event side of a record (dead letter, batch marker) and the event clock.
  void observe(const LogRecord& rec);
  // The watermark to stamp on the record at hand (recomputed deterministically per record).
  int64_t watermark_for(const LogRecord& rec);

  std::optional<std::string> idempotent_summary(const std::string& key) const;

  const WatermarkTracker& watermark() const { return watermark_; }
  const std::deque<DeadLetter>& dead_letters() const { return dead_letters_; }
  const std::map<std::string, uint64_t>& dead_letter_counts() const { return dead_letter_counts_; }
  uint64_t events_logged() const { return events_logged_; }
  uint64_t dead_letters_total() const { return dead_letters_total_; }
  uint64_t next_offset() const { return next_offset_; }
  // Highest Kafka offset of (topic, partition) in the log (events and dead letters alike).
  std::optional<int64_t> source_offset(const std::string& topic, int32_t partition) const;
  const std::map<std::pair<std::string, int32_t>, int64_t>& source_offsets() const {
    return source_offsets_;
  }

  void serialize(ByteWriter& w) const;
  bool deserialize(ByteReader& r);

 private:
  WatermarkTracker watermark_;
  RouterLimits limits_;
  std::deque<DeadLetter> dead_letters_;
  std::map<std::string, uint64_t> dead_letter_counts_;
  std::unordered_map<std::string, std::string> idempotency_;
  std::deque<std::string> idempotency_order_;
  uint64_t events_logged_ = 0;
  uint64_t dead_letters_total_ = 0;
  uint64_t next_offset_ = 0;
  std::map<std::pair<std::string, int32_t>, int64_t> source_offsets_;
  int64_t* last_source_offset_ = nullptr;  // cache: records come in runs of one partition
  std::pair<SourceName, int32_t> last_source_;
};

}  // namespace ledgerflow
