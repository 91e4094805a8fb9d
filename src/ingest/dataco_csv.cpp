#include "ingest/dataco_csv.h"

#include <fmt/format.h>

namespace ledgerflow {

Status DatacoCsvReader::open() {
  Status err;
  if (!csv_.next(&header_, &err))
    return Status::bad_input("no_header", "the file is empty: no header row");
  if (!err) return Status::bad_input("no_header", "the header row is malformed: " + err.message());
  if (header_.size() > kMaxDatacoColumns) {
    return Status::bad_input(
        "too_many_columns",
        fmt::format("the header has {} columns, at most {}", header_.size(), kMaxDatacoColumns));
  }
  Result<DatacoHeader> columns = OrderLineParser::map_header(header_);
  if (!columns) return columns.status();
  columns_ = *columns;
  for (size_t c = 0; c < kDatacoColumns; ++c) pick_[c] = uint32_t(columns_.index[c]);
  parse_hint_ = csv_parse_hint(columns_);
  return Status::ok();
}

Status DatacoCsvReader::field_count_error(size_t fields) const {
  return Status::bad_input("wrong_field_count",
                           fmt::format("{} fields, the header has {}", fields, columns_.fields));
}

bool DatacoCsvReader::next(DatacoCsvRecord* rec) {
  if (!csv_.next(&rec->fields, &rec->error)) return false;
  rec->line = csv_.line();
  rec->raw = csv_.last_raw();
  if (rec->error && rec->fields.size() != columns_.fields) {
    rec->error = field_count_error(rec->fields.size());
  }
  if (rec->error) rec->row = OrderLineParser::row_of(columns_, rec->fields);
  return true;
}

bool DatacoCsvReader::next_row(DatacoCsvRecord* rec) {
  rec->fields.clear();
  size_t count = 0;
  if (!csv_.next_picked(columns_.fields, pick_.data(), pick_.size(), rec->row.data(), &count,
                        &rec->error)) {
    return false;
  }
  rec->line = csv_.line();
  rec->raw = csv_.last_raw();
  if (rec->error && count != columns_.fields) rec->error = field_count_error(count);
  return true;
}

void add_dataco_record(NdjsonBatch* out, const DatacoCsvRecord& rec, const DatacoCsvReader& reader,
                       const SourcePosition& at, const OrderLineParser& parser,
                       size_t dead_letter_raw_bytes) {
  ++out->lines;
  // The log keeps the raw record and this hint only (one file per batch).
  std::string& hint = out->batch.order_line_hint;
  if (hint.empty()) hint = reader.parse_hint();
  LF_ASSERT(hint == reader.parse_hint());
  // Built in place: a LogRecord is large, and this runs for every row of a file.
  LogRecord& lr = out->batch.records.emplace_back();
  Status s = rec.error;
  if (s) s = parser.parse_row(rec.row, &lr.event);
  if (!s) {
    lr = make_dead_letter(at, rec.raw, s, dead_letter_raw_bytes);
    lr.source.position = int64_t(rec.line);
    out->rejected.push_back(LineRejection{rec.line, s.code(), s.message()});
    return;
  }
  lr.kind = RecordKind::kEvent;
  lr.source = at;
  lr.source.position = int64_t(rec.line);
  // rec.raw is a view of the reader's input (CsvReader::last_raw).
  if (reader.shared_input() != nullptr) {
    lr.raw.borrow(rec.raw, reader.shared_input());
  } else {
    lr.raw.assign(rec.raw);
  }
  lr.raw_size = uint32_t(rec.raw.size());
  ++out->accepted;
}

}  // namespace ledgerflow
