#include "ingest/ndjson_batch.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "core/json_escape.h"

namespace ledgerflow {

LogRecord make_dead_letter(const SourcePosition& source, std::string_view raw, const Status& why,
                           size_t keep_raw_bytes) {
  LogRecord rec;
  rec.kind = RecordKind::kDeadLetter;
  rec.source = source;
  rec.raw_size = uint32_t(std::min<size_t>(raw.size(), UINT32_MAX));
  rec.raw.assign(raw.substr(0, keep_raw_bytes));
  rec.reason_code = why.code();
  rec.message = why.message();
  return rec;
}

void add_line(NdjsonBatch* out, std::string_view line, std::optional<EventType> type,
              SourcePosition at, size_t line_no, EventParser& parser,
              size_t dead_letter_raw_bytes) {
  ++out->lines;
  // Parsed straight into its slot: a record is several hundred bytes of strings, and building
  // it aside and moving it in cost the Kafka consumer more than the rest of add_line.
  LogRecord& rec = out->batch.records.emplace_back();
  Status s = parser.parse(line, type, &rec.event);
  if (s) {
    rec.kind = RecordKind::kEvent;
    rec.source = std::move(at);
    rec.raw.assign(line);
    rec.raw_size = uint32_t(line.size());
    ++out->accepted;
  } else {
    rec = make_dead_letter(at, line, s, dead_letter_raw_bytes);
    out->rejected.push_back(LineRejection{line_no, s.code(), s.message()});
  }
}

NdjsonBatch build_ndjson_batch(std::string_view body, std::optional<EventType> type,
                               const SourcePosition& source, int64_t first_position,
                               EventParser& parser, size_t dead_letter_raw_bytes) {
  NdjsonBatch out;
  out.batch.records.reserve(size_t(std::count(body.begin(), body.end(), '\n')) + 1);
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < body.size()) {
    const char* nl =
        static_cast<const char*>(std::memchr(body.data() + pos, '\n', body.size() - pos));
    size_t end = nl ? size_t(nl - body.data()) : body.size();
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    SourcePosition at = source;
    at.position = first_position + int64_t(line_no);
    add_line(&out, line, type, std::move(at), line_no, parser, dead_letter_raw_bytes);
  }
  return out;
}

std::string summary_json(const NdjsonBatch& b) {
  std::string out = "{\"accepted\":" + std::to_string(b.accepted) +
                    ",\"rejected_count\":" + std::to_string(b.rejected.size()) + ",\"rejected\":[";
  size_t listed = 0;
  for (const LineRejection& r : b.rejected) {
    if (listed++ == 1000) break;
    if (listed > 1) out += ',';
    out += "{\"line\":" + std::to_string(r.line) + ",\"code\":";
    append_json_string(&out, r.code);
    out += ",\"message\":";
    append_json_string(&out, r.message);
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace ledgerflow
