#pragma once
// A DataCo CSV file read record by record: the header is mapped once (a file missing required
// columns is refused naming them), then each record comes with its line number and raw bytes,
// or with the reason it cannot be a row (malformed CSV, wrong number of fields). add_row()
// turns a record into an order-line event or a dead letter, so the CLI, the bench and the
// tests build identical batches.
//
// Not thread-safe; the data must outlive the reader (it holds views).
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "ingest/csv_reader.h"
#include "ingest/logged_order_line.h"
#include "ingest/ndjson_batch.h"
#include "ingest/order_line_parser.h"

namespace ledgerflow {

struct DatacoCsvRecord {
  size_t line = 0;                       // 1-based line where the record starts
  std::string_view raw;                  // the record's bytes without its line end
  std::vector<std::string_view> fields;  // every field (next() only); valid until the next record
  DatacoRow row;                         // the columns the parser reads; valid as the fields
  Status error;  // bad input: not a row (the fields and the row are then meaningless)
};

class DatacoCsvReader {
 public:
  explicit DatacoCsvReader(std::string_view utf8_data) : csv_(utf8_data) {}
  // Reads a shared buffer: the records add_dataco_record makes of its rows borrow their raw
  // bytes from it (RawBytes::borrow) instead of copying them, and keep it alive.
  explicit DatacoCsvReader(std::shared_ptr<const std::string> utf8_data)
      : csv_(*utf8_data), input_(std::move(utf8_data)) {}

  // Reads and maps the header. Bad input "no_header" or "missing_columns".
  Status open();
  // The next record, with all its fields and its row; false at the end of the input.
  bool next(DatacoCsvRecord* rec);
  // The same records, errors and positions with the row only (rec->fields is left empty): the
  // fields the parser does not read are never made into views.
  bool next_row(DatacoCsvRecord* rec);

  const std::vector<std::string>& header() const { return header_; }
  const DatacoHeader& columns() const { return columns_; }
  // The shared buffer the reader reads, if it was given one (null otherwise).
  const std::shared_ptr<const std::string>& shared_input() const { return input_; }
  // How the log parses this file's records again (ingest/logged_order_line.h).
  const std::string& parse_hint() const { return parse_hint_; }
  size_t position() const { return csv_.position(); }

 private:
  CsvReader csv_;
  std::vector<std::string> header_;
  Status field_count_error(size_t fields) const;

  DatacoHeader columns_;
  std::array<uint32_t, kDatacoColumns>
      pick_{};  // columns_.index as CsvReader::next_picked takes it
  std::string parse_hint_;
  std::shared_ptr<const std::string> input_;  // null unless the reader was given a shared buffer
};

// Adds the record to the batch as an event (source position = `at` with the record's line) or
// as a dead letter with its reason. A batch holds the records of one reader (one file): its
// order lines share the reader's parse hint. An event borrows its raw bytes from the reader's
// shared buffer when it has one, else copies them.
void add_dataco_record(NdjsonBatch* out, const DatacoCsvRecord& rec, const DatacoCsvReader& reader,
                       const SourcePosition& at, const OrderLineParser& parser,
                       size_t dead_letter_raw_bytes);

}  // namespace ledgerflow
