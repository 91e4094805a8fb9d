#include "ingest/csv_reader.h"

#include <fmt/format.h>

namespace ledgerflow {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

CsvReader::CsvReader(std::string_view data, size_t max_record_bytes)
    : data_(data), max_record_bytes_(max_record_bytes) {
  // A UTF-8 byte order mark is not part of the first field.
  if (data_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

std::string_view CsvReader::last_raw() const {
  std::string_view raw = data_.substr(record_start_, pos_ - record_start_);
  while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.remove_suffix(1);
  return raw;
}

bool CsvReader::next(std::vector<std::string>* fields, Status* error) {
  fields->clear();
  *error = Status::ok();
  // Skip blank lines between records.
  while (pos_ < data_.size() && (data_[pos_] == '\n' || data_[pos_] == '\r')) {
    if (data_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= data_.size()) return false;
  record_line_ = line_;
  record_start_ = pos_;
  size_t start = pos_;
  std::string field;
  bool in_quotes = false;
  bool quoted_field = false;
  for (;;) {
    if (pos_ - start > max_record_bytes_) {
      // Skip to the end of this physical line and report.
      while (pos_ < data_.size() && data_[pos_] != '\n') ++pos_;
      *error = Status::bad_input("line_too_long",
                                 fmt::format("record longer than {} bytes", max_record_bytes_));
      fields->clear();
      return true;
    }
    if (pos_ >= data_.size()) {
      if (in_quotes) {
        *error = Status::bad_input("unterminated_quote", "a quoted field is not closed");
        fields->clear();
        return true;
      }
      fields->push_back(std::move(field));
      return true;
    }
    char c = data_[pos_++];
    if (in_quotes) {
      if (c == '"') {
        if (pos_ < data_.size() && data_[pos_] == '"') {
          field.push_back('"');
          ++pos_;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line_;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && !quoted_field && trim(field).empty()) {
      field.clear();
      in_quotes = true;
      quoted_field = true;
    } else if (c == ',') {
      fields->push_back(std::move(field));
      field.clear();
      quoted_field = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos_ < data_.size() && data_[pos_] == '\n') ++pos_;
      ++line_;
      fields->push_back(std::move(field));
      return true;
    } else {
      field.push_back(c);
    }
  }
}

}  // namespace ledgerflow
