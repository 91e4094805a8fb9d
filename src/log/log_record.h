#pragma once
// Bronze log record: the unit the write-ahead log stores. See log_format.h for the bytes.
#include <cstdint>
#include <string>

#include "core/event.h"
#include "core/raw_bytes.h"

namespace ledgerflow {

// Stable numeric ids (written to disk).
enum class RecordKind : uint8_t {
  kEvent = 1,        // a validated event: raw bytes + normalized fields
  kDeadLetter = 2,   // a refused input: raw bytes (bounded) + reason code + message
  kBatchMarker = 3,  // end of an HTTP batch that carried an Idempotency-Key: key + summary
};

struct LogRecord {
  RecordKind kind = RecordKind::kEvent;
  uint64_t offset = 0;         // assigned by the log when appended
  int64_t ingest_time_ms = 0;  // wall clock when the engine received it
  SourcePosition source;
  RawBytes raw;             // the input exactly as it arrived (dead letters: truncated)
  uint32_t raw_size = 0;    // the input's full size (dead letters may keep a prefix only)
  Event event;              // kEvent only
  std::string reason_code;  // kDeadLetter: stable code; kBatchMarker: idempotency key
  std::string message;      // kDeadLetter: human message; kBatchMarker: JSON summary
  // Order lines read back from the log: how their raw bytes parse again (log_format.h "parse
  // hint"); the event then has no order_line until ingest/logged_order_line.h restores it.
  // Empty on the live path, where the parsed event travels with the record.
  std::string parse_hint;
};

// Parse hints of order-line records (log_format.h): the raw bytes are a JSON object keyed by the
// DataCo header names, or a CSV record followed by its file's column map.
inline constexpr char kOrderLineJsonHint = 1;
inline constexpr char kOrderLineCsvHint = 2;

}  // namespace ledgerflow
