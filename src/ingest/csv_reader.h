#pragma once
// RFC 4180 CSV splitting: quoted fields with commas, doubled quotes and line breaks inside
// quotes; CRLF or LF line ends. A record longer than the limit is refused, not truncated.
// Not thread-safe; one reader per input.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ledgerflow {

class CsvReader {
 public:
  CsvReader(std::string_view data, size_t max_record_bytes = 1 << 20);

  // Reads the next record into *fields. Returns false at the end of input. A malformed record
  // (unterminated quote, oversized) yields a bad-input status in *error and is skipped.
  bool next(std::vector<std::string>* fields, Status* error);
  // The same without copying: each field is a view into the input, or (quoted fields) into a
  // buffer of the reader. The views stay valid until the next call.
  bool next(std::vector<std::string_view>* fields, Status* error);
  // The same records (errors, lines, raw bytes, positions) with only some fields kept:
  // out[k] = the record's field pick[k], the view next() gives, for every k < picks, when the
  // record has exactly `fields` fields (out is left as it was otherwise). *count is set to the
  // record's field count (0 with an error). Views of the fields not picked are never made.
  bool next_picked(size_t fields, const uint32_t* pick, size_t picks, std::string_view* out,
                   size_t* count, Status* error);
  // 1-based line number where the last record returned started.
  size_t line() const { return record_line_; }
  // The bytes of the last record returned, as in the input, without its line end.
  std::string_view last_raw() const;
  // Bytes consumed so far (progress).
  size_t position() const { return pos_; }

 private:
  enum class FieldEnd { kComma, kLine, kInput, kUnterminated };
  template <typename Field>
  bool next_record(std::vector<Field>* fields, Status* error);
  bool start_record(Status* error);
  template <typename Field>
  void split_general(std::vector<Field>* fields, Status* error);
  FieldEnd read_field(std::string* field);
  FieldEnd read_field(std::string_view* field);
  bool read_quoted(std::string* field);

  std::string_view data_;
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t record_line_ = 0;
  size_t record_start_ = 0;
  size_t max_record_bytes_;
  std::deque<std::string> quoted_;  // quoted fields of the current record (stable addresses)
  size_t quoted_used_ = 0;
  std::vector<uint32_t> ends_;  // the one-pass split's field ends, after ends_[0] (scratch)
  std::vector<uint32_t> quoted_fields_;    // and the indexes of its quoted fields
  std::vector<std::string_view> general_;  // next_picked's fields from the general path
};

// Trims ASCII spaces and tabs at both ends.
std::string_view trim(std::string_view s);

}  // namespace ledgerflow
