#include "ingest/csv_reader.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fmt/format.h>

#include "ingest/csv_split.h"

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

namespace {

// Bytes that end an unquoted run: field and record separators, and the quote.
struct SpecialBytes {
  bool is[256] = {};
  constexpr SpecialBytes() {
    is[uint8_t(',')] = is[uint8_t('\n')] = is[uint8_t('\r')] = is[uint8_t('"')] = true;
  }
};
constexpr SpecialBytes kSpecial;

// The position of the first special byte at or after `pos` (or the end). 16 bytes at a time
// with SSE2 where available: DataCo rows have 53 short fields, and this scan was a quarter of
// the time from CSV file to marts.
size_t scan_run(std::string_view data, size_t pos) {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
                quote = _mm_set1_epi8('"');
  while (pos + 16 <= data.size()) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data.data() + pos));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)),
                               _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, quote)));
    if (int mask = _mm_movemask_epi8(hit); mask != 0)
      return pos + size_t(__builtin_ctz(unsigned(mask)));
    pos += 16;
  }
#endif
  while (pos < data.size() && !kSpecial.is[uint8_t(data[pos])]) ++pos;
  return pos;
}

// Field i of a record that split_ends split, quotes included: a quoted field's value is between
// them (split_ends lists it in quoted_fields), and the caller strips them.
std::string_view plain_field(const char* record, const uint32_t* ends, size_t i) {
  const uint32_t begin = ends[i] + 1;
  return std::string_view(record + begin, ends[i + 1] - begin);
}

// Every field of a record that split_ends split.
void plain_fields(const char* record, const std::vector<uint32_t>& ends, size_t n,
                  const std::vector<uint32_t>& quoted_fields,
                  std::vector<std::string_view>* fields) {
  fields->resize(n);
  std::string_view* f = fields->data();
  for (size_t i = 0; i < n; ++i) f[i] = plain_field(record, ends.data(), i);
  // A simple quoted field's value is between its quotes (checked by split_ends).
  for (uint32_t i : quoted_fields) f[i] = f[i].substr(1, f[i].size() - 2);
}

}  // namespace

// The body of a quoted field after its opening quote: up to the closing quote, with doubled
// quotes unescaped and line breaks kept (counted for line numbers). False if it never closes.
bool CsvReader::read_quoted(std::string* field) {
  for (;;) {
    const char* q =
        static_cast<const char*>(std::memchr(data_.data() + pos_, '"', data_.size() - pos_));
    size_t end = q ? size_t(q - data_.data()) : data_.size();
    std::string_view chunk = data_.substr(pos_, end - pos_);
    line_ += size_t(std::count(chunk.begin(), chunk.end(), '\n'));
    field->append(chunk);
    if (!q) {
      pos_ = data_.size();
      return false;
    }
    pos_ = end + 1;
    if (pos_ < data_.size() && data_[pos_] == '"') {
      field->push_back('"');
      ++pos_;
      continue;
    }
    return true;
  }
}

// One field into *field (cleared first). Unquoted runs are copied in one go; a quote opens a
// quoted section only at the start of a field (after optional blanks), elsewhere it is literal.
CsvReader::FieldEnd CsvReader::read_field(std::string* field) {
  field->clear();
  bool quoted = false;
  size_t start = pos_;
  for (;;) {
    pos_ = scan_run(data_, pos_);
    if (pos_ >= data_.size()) {
      field->append(data_.substr(start, pos_ - start));
      return FieldEnd::kInput;
    }
    char c = data_[pos_];
    if (c == '"') {
      if (!quoted && field->empty() && trim(data_.substr(start, pos_ - start)).empty()) {
        quoted = true;
        ++pos_;
        if (!read_quoted(field)) return FieldEnd::kUnterminated;
        start = pos_;
      } else {
        ++pos_;  // a literal quote: part of the run
      }
      continue;
    }
    field->append(data_.substr(start, pos_ - start));
    ++pos_;
    if (c == ',') return FieldEnd::kComma;
    if (c == '\r' && pos_ < data_.size() && data_[pos_] == '\n') ++pos_;
    ++line_;
    return FieldEnd::kLine;
  }
}

// An unquoted field is a view of the input; one with a quote goes through the copying path
// into a buffer that lives until the next record.
CsvReader::FieldEnd CsvReader::read_field(std::string_view* field) {
  const size_t start = pos_;
  const size_t end = scan_run(data_, pos_);
  if (end < data_.size() && data_[end] == '"') {
    if (quoted_used_ == quoted_.size()) quoted_.emplace_back();
    std::string& buffer = quoted_[quoted_used_++];
    FieldEnd e = read_field(&buffer);
    *field = buffer;
    return e;
  }
  *field = data_.substr(start, end - start);
  pos_ = end;
  if (pos_ >= data_.size()) return FieldEnd::kInput;
  char c = data_[pos_++];
  if (c == ',') return FieldEnd::kComma;
  if (c == '\r' && pos_ < data_.size() && data_[pos_] == '\n') ++pos_;
  ++line_;
  return FieldEnd::kLine;
}

bool CsvReader::next(std::vector<std::string>* fields, Status* error) {
  return next_record(fields, error);
}

bool CsvReader::next(std::vector<std::string_view>* fields, Status* error) {
  return next_record(fields, error);
}

// Skips blank lines and marks where the next record starts; false at the end of the input.
bool CsvReader::start_record(Status* error) {
  // Callers reuse one status, ok nearly always: assigning ok() anyway moved two empty strings
  // (about 50 instructions a record). An ok status has no code or message to clear.
  if (!error->is_ok()) *error = Status::ok();
  quoted_used_ = 0;
  // Skip blank lines between records.
  while (pos_ < data_.size() && (data_[pos_] == '\n' || data_[pos_] == '\r')) {
    if (data_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= data_.size()) return false;
  record_line_ = line_;
  record_start_ = pos_;
  return true;
}

template <typename Field>
bool CsvReader::next_record(std::vector<Field>* fields, Status* error) {
  if (!start_record(error)) {
    fields->clear();
    return false;
  }
  if constexpr (std::is_same_v<Field, std::string_view>) {
    quoted_fields_.clear();
    PlainSplit plain = csv_split_ends()(data_, pos_, max_record_bytes_, &ends_, &quoted_fields_);
    if (plain.done) {
      plain_fields(data_.data() + pos_, ends_, plain.fields, quoted_fields_, fields);
      pos_ = plain.next;
      line_ += plain.line_end ? 1 : 0;
      return true;
    }
  }
  split_general(fields, error);
  return true;
}

// The record at pos_ (its start) field by field, as it always was split.
template <typename Field>
void CsvReader::split_general(std::vector<Field>* fields, Status* error) {
  // Field strings are reused from record to record: their buffers stay allocated.
  size_t n = 0;
  for (;;) {
    if (n == fields->size()) fields->emplace_back();
    FieldEnd end = read_field(&(*fields)[n++]);
    if (end == FieldEnd::kUnterminated) {
      *error = Status::bad_input("unterminated_quote", "a quoted field is not closed");
      fields->clear();
      return;
    }
    if (pos_ - record_start_ > max_record_bytes_) {
      // Skip to the end of this physical line and report.
      if (end != FieldEnd::kLine) {
        while (pos_ < data_.size() && data_[pos_] != '\n') ++pos_;
      }
      *error = Status::bad_input("line_too_long",
                                 fmt::format("record longer than {} bytes", max_record_bytes_));
      fields->clear();
      return;
    }
    if (end != FieldEnd::kComma) break;
  }
  fields->resize(n);
}

bool CsvReader::next_picked(size_t fields, const uint32_t* pick, size_t picks,
                            std::string_view* out, size_t* count, Status* error) {
  if (!start_record(error)) {
    *count = 0;
    return false;
  }
  quoted_fields_.clear();
  PlainSplit plain = csv_split_ends()(data_, pos_, max_record_bytes_, &ends_, &quoted_fields_);
  if (plain.done) {
    const char* record = data_.data() + pos_;
    pos_ = plain.next;
    line_ += plain.line_end ? 1 : 0;
    *count = plain.fields;
    if (plain.fields != fields) return true;
    const uint32_t* ends = ends_.data();
    // Hidden from GCC, which otherwise added the input's start and the record's offset apart for
    // every field and copied each length once more (10 instructions a field, 8 this way).
    asm("" : "+r"(record));
    // Unrolled: the loop's own counting was a third of its cost.
#pragma GCC unroll 4
    for (size_t k = 0; k < picks; ++k) out[k] = plain_field(record, ends, pick[k]);
    for (uint32_t q : quoted_fields_) {
      for (size_t k = 0; k < picks; ++k) {
        if (pick[k] == q) out[k] = out[k].substr(1, out[k].size() - 2);
      }
    }
    return true;
  }
  split_general(&general_, error);
  *count = general_.size();
  if (*error && general_.size() == fields) {
    for (size_t k = 0; k < picks; ++k) out[k] = general_[pick[k]];
  }
  return true;
}

}  // namespace ledgerflow
