#include "ingest/logged_order_line.h"

#include <fmt/format.h>

#include "core/assert.h"
#include "core/bytes.h"
#include "ingest/csv_reader.h"

namespace ledgerflow {
namespace {

Status unreadable(const LogRecord& rec, std::string_view why) {
  return Status::fatal("log_unreadable",
                       fmt::format("order line at offset {}: {}", rec.offset, why));
}

bool read_csv_hint(std::string_view hint, DatacoHeader* header) {
  ByteReader r(hint.substr(1));
  uint16_t fields;
  if (!r.u16(&fields) || fields == 0) return false;
  header->fields = fields;
  for (size_t& index : header->index) {
    uint16_t i;
    if (!r.u16(&i) || i >= fields) return false;
    index = i;
  }
  return r.remaining() == 0;
}

Status parse_csv_record(const LogRecord& rec, const DatacoHeader& header,
                        const OrderLineParser& parser, Event* out) {
  CsvReader csv(rec.raw);
  std::vector<std::string_view> fields;
  Status error;
  if (!csv.next(&fields, &error) || !error) return unreadable(rec, "not a CSV record");
  if (fields.size() != header.fields) return unreadable(rec, "field count differs from its hint");
  // Views into the reader's buffers stay valid until its next call: parse before asking for more.
  if (Status s = parser.parse_row(OrderLineParser::row_of(header, fields), out); !s) {
    return unreadable(rec, s.to_string());
  }
  std::vector<std::string_view> more;
  if (csv.next(&more, &error)) return unreadable(rec, "more than one CSV record");
  return Status::ok();
}

}  // namespace

std::string csv_parse_hint(const DatacoHeader& header) {
  LF_ASSERT(header.fields > 0 && header.fields <= kMaxDatacoColumns);
  std::string out;
  ByteWriter w(&out);
  w.u8(uint8_t(kOrderLineCsvHint));
  w.u16(uint16_t(header.fields));
  for (size_t index : header.index) w.u16(uint16_t(index));
  return out;
}

Status parse_logged_order_line(const LogRecord& rec, OrderLineParser& parser, Event* out) {
  const std::string_view hint = rec.parse_hint;
  if (hint.empty()) return unreadable(rec, "no parse hint");
  Status s;
  if (hint[0] == kOrderLineJsonHint && hint.size() == 1) {
    s = parser.parse_json(rec.raw, out);
    if (!s) s = unreadable(rec, s.to_string());
  } else if (hint[0] == kOrderLineCsvHint) {
    DatacoHeader header;
    s = read_csv_hint(hint, &header) ? parse_csv_record(rec, header, parser, out)
                                     : unreadable(rec, "malformed CSV parse hint");
  } else {
    s = unreadable(rec, "unknown parse hint");
  }
  if (!s) return s;
  out->offset = rec.offset;
  out->ingest_time_ms = rec.ingest_time_ms;
  return Status::ok();
}

}  // namespace ledgerflow
