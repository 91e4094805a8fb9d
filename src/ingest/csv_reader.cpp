#include "ingest/csv_reader.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// What split_plain did with a record.
struct PlainSplit {
  enum Kind { kDone, kQuote, kGiveUp } kind = kGiveUp;
  size_t fields = 0;      // kQuote: fields split before the one that holds a quote
  size_t next = 0;        // kDone: after the record's line end; kQuote: where that field starts
  bool line_end = false;  // kDone: the record ended with a line end (not the input's end)
};

// Splits a record in one pass that finds every special byte of 16 bytes at once (one block
// covers about two DataCo fields): the fields are views of the input. At the first field that
// holds a quote it stops (kQuote) and the general path goes on from that field, with its rules
// for quotes. A record longer than max_bytes is left whole to the general path (kGiveUp), which
// reports it exactly as it would have.
PlainSplit split_plain(std::string_view data, size_t start, size_t max_bytes,
                       std::vector<std::string_view>* fields) {
  const char* d = data.data();
  PlainSplit out;
  size_t n = 0, field_start = start;
  auto put = [&](size_t end) {
    if (n == fields->size()) fields->emplace_back();
    (*fields)[n++] = std::string_view(d + field_start, end - field_start);
    field_start = end + 1;
  };
  enum class Step { kMore, kDone, kQuote };
  auto special = [&](size_t p) {
    const char c = d[p];
    if (c == '"') return Step::kQuote;
    put(p);
    if (c == ',') return Step::kMore;
    size_t after = p + 1;  // a line end: \n, \r\n or \r alone
    if (c == '\r' && after < data.size() && d[after] == '\n') ++after;
    out.next = after;
    out.line_end = true;
    return Step::kDone;
  };
  Step step = Step::kMore;
  size_t pos = start;
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
                quote = _mm_set1_epi8('"');
  for (; step == Step::kMore && pos + 16 <= data.size(); pos += 16) {
    if (pos - start > max_bytes) return out;
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + pos));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)),
                               _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, quote)));
    for (unsigned mask = unsigned(_mm_movemask_epi8(hit)); mask != 0 && step == Step::kMore;
         mask &= mask - 1) {
      step = special(pos + size_t(__builtin_ctz(mask)));
    }
  }
#endif
  for (; step == Step::kMore && pos < data.size(); ++pos) {
    if (kSpecial.is[uint8_t(d[pos])]) step = special(pos);
  }
  if (step == Step::kQuote) {
    // The general path checks the size after each field: up to here it would have passed.
    if (field_start - start > max_bytes) return out;
    out.kind = PlainSplit::kQuote;
    out.fields = n;
    out.next = field_start;
    return out;
  }
  if (step == Step::kMore) {  // the input ends without a line end
    put(data.size());
    out.next = data.size();
  }
  if (out.next - start > max_bytes) return out;
  fields->resize(n);
  out.kind = PlainSplit::kDone;
  return out;
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

template <typename Field>
bool CsvReader::next_record(std::vector<Field>* fields, Status* error) {
  *error = Status::ok();
  quoted_used_ = 0;
  // Skip blank lines between records.
  while (pos_ < data_.size() && (data_[pos_] == '\n' || data_[pos_] == '\r')) {
    if (data_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= data_.size()) {
    fields->clear();
    return false;
  }
  record_line_ = line_;
  record_start_ = pos_;
  // Field strings are reused from record to record: their buffers stay allocated.
  size_t n = 0;
  if constexpr (std::is_same_v<Field, std::string_view>) {
    PlainSplit plain = split_plain(data_, pos_, max_record_bytes_, fields);
    if (plain.kind == PlainSplit::kDone) {
      pos_ = plain.next;
      line_ += plain.line_end ? 1 : 0;
      return true;
    }
    if (plain.kind == PlainSplit::kQuote) {
      n = plain.fields;
      pos_ = plain.next;
    }
  }
  for (;;) {
    if (n == fields->size()) fields->emplace_back();
    FieldEnd end = read_field(&(*fields)[n++]);
    if (end == FieldEnd::kUnterminated) {
      *error = Status::bad_input("unterminated_quote", "a quoted field is not closed");
      fields->clear();
      return true;
    }
    if (pos_ - record_start_ > max_record_bytes_) {
      // Skip to the end of this physical line and report.
      if (end != FieldEnd::kLine) {
        while (pos_ < data_.size() && data_[pos_] != '\n') ++pos_;
      }
      *error = Status::bad_input("line_too_long",
                                 fmt::format("record longer than {} bytes", max_record_bytes_));
      fields->clear();
      return true;
    }
    if (end != FieldEnd::kComma) break;
  }
  fields->resize(n);
  return true;
}

}  // namespace ledgerflow
