#pragma once
// Turns an NDJSON body into an IngestBatch: every good line becomes an event record, every bad
// line a dead-letter record with its reason (both go to the bronze log, in input order), and
// a per-line summary for the caller. Blank lines are skipped.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "ingest/event_parser.h"

namespace ledgerflow {

struct LineRejection {
  size_t line = 0;  // 1-based within the body
  std::string code;
  std::string message;
};

struct NdjsonBatch {
  IngestBatch batch;
  size_t lines = 0;  // non-blank lines
  size_t accepted = 0;
  std::vector<LineRejection> rejected;
};

// `source` gives kind, name and partition; each record's position is its line number, offset
// by `first_position` (for sources that number lines across requests or files).
NdjsonBatch build_ndjson_batch(std::string_view body, std::optional<EventType> type,
                               const SourcePosition& source, int64_t first_position,
                               EventParser& parser, size_t dead_letter_raw_bytes);

// Parses one line into `out` (an event record or a dead letter with its rejection). `at` is
// taken by value so that a caller's temporary moves into the record (a Kafka topic name is
// usually too long for the small-string buffer: a copy is a heap allocation per record).
void add_line(NdjsonBatch* out, std::string_view line, std::optional<EventType> type,
              SourcePosition at, size_t line_no, EventParser& parser, size_t dead_letter_raw_bytes);

// A dead-letter record for an input refused before or during parsing.
LogRecord make_dead_letter(const SourcePosition& source, std::string_view raw, const Status& why,
                           size_t keep_raw_bytes);

// {"accepted":N,"rejected":[{"line":L,"code":"...","message":"..."}...]} (at most 1000 listed).
std::string summary_json(const NdjsonBatch& b);

}  // namespace ledgerflow
