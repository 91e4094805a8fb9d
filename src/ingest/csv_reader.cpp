#include "ingest/csv_reader.h"

#include <algorithm>
#include <bit>
#include <cstdint>
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

// The masks of one 64-byte block: bit i for byte i.
struct BlockMasks {
  uint64_t comma = 0, line_end = 0, quote = 0;
};

// Inlined and unrolled by hand: as a call with a loop it cost about 100 instructions a block.
[[gnu::always_inline]] inline BlockMasks block_masks(const char* p) {
  BlockMasks m;
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
                quote = _mm_set1_epi8('"');
  const __m128i v0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
  const __m128i v2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 32));
  const __m128i v3 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 48));
  auto bits = [](__m128i a, __m128i b, __m128i c, __m128i d) {
    return uint64_t(uint32_t(_mm_movemask_epi8(a))) |
           (uint64_t(uint32_t(_mm_movemask_epi8(b))) << 16) |
           (uint64_t(uint32_t(_mm_movemask_epi8(c))) << 32) |
           (uint64_t(uint32_t(_mm_movemask_epi8(d))) << 48);
  };
  auto eq = [](__m128i v, __m128i c) { return _mm_cmpeq_epi8(v, c); };
  auto line = [&](__m128i v) { return _mm_or_si128(eq(v, lf), eq(v, cr)); };
  m.comma = bits(eq(v0, comma), eq(v1, comma), eq(v2, comma), eq(v3, comma));
  m.line_end = bits(line(v0), line(v1), line(v2), line(v3));
  m.quote = bits(eq(v0, quote), eq(v1, quote), eq(v2, quote), eq(v3, quote));
#else
  for (int i = 0; i < 64; ++i) {
    const uint64_t bit = uint64_t(1) << i;
    m.comma |= p[i] == ',' ? bit : 0;
    m.line_end |= p[i] == '\n' || p[i] == '\r' ? bit : 0;
    m.quote |= p[i] == '"' ? bit : 0;
  }
#endif
  return m;
}

// Bit i set when an odd number of bits at or below i are set in x: with x the quotes of a
// block, the bytes from an opening quote up to (not including) its closing quote.
uint64_t prefix_xor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

// The index of the lowest set bit; 63 when none is (a garbage entry flatten overwrites later):
// std::countr_zero must give 64 for 0, which costs a test and a conditional move per entry.
[[gnu::always_inline]] inline uint32_t lowest_bit(uint64_t bits) {
  return uint32_t(__builtin_ctzll(bits | (uint64_t(1) << 63)));
}

// Appends the positions of the set bits of `bits` (plus `base`) at ends[n...]. Eight are
// written whatever the count (the extra ones are overwritten later), so a block costs one
// well-predicted branch per eight fields instead of one per field; ends must have room for
// n + 64.
[[gnu::always_inline]] inline size_t flatten(uint64_t bits, uint32_t base, uint32_t* ends,
                                             size_t n) {
  const size_t count = size_t(std::popcount(bits));
  uint32_t* out = ends + n;
  for (int k = 0; k < 8; ++k) {
    out[k] = base + lowest_bit(bits);
    bits &= bits - 1;
  }
  if (count > 8) {
    for (int k = 8; k < 16; ++k) {
      out[k] = base + lowest_bit(bits);
      bits &= bits - 1;
    }
    for (size_t k = 16; k < count; ++k) {
      out[k] = base + lowest_bit(bits);
      bits &= bits - 1;
    }
  }
  return n + count;
}

// What split_ends did with a record.
struct PlainSplit {
  bool done = false;      // false: left whole to the general path
  size_t next = 0;        // after the record's line end (or the input's end)
  bool line_end = false;  // the record ended with a line end (not the input's end)
  size_t fields = 0;      // the record's fields (when done)
};

// Splits a record 64 bytes at a time from bit masks of its separators, line ends and quotes
// into field ends: ends[1 + i] is the end of field i relative to `start` and ends[0] is
// UINT32_MAX, so that field i starts at ends[i] + 1 (0 for the first). A quoted field is taken
// here too when it is simple, as DataCo's are ("Washington, D.C."): the quote opens right at the
// field's start, closes right before its separator, and holds no quote (doubled) and no line
// end; its index goes to quoted_fields, and its value is the text between the quotes, which is
// what the general path unescapes it to (plain_field). Anything else (a quote
// elsewhere, an unterminated one, a record longer than max_bytes) is left whole to the general
// path (done = false), which splits or refuses it exactly as it always did.
PlainSplit split_ends(std::string_view data, size_t start, size_t max_bytes,
                      std::vector<uint32_t>* ends_buffer, std::vector<uint32_t>* quoted_fields) {
  const char* d = data.data();
  const size_t size = data.size();
  PlainSplit out;
  size_t n = 0;
  uint64_t inside_carry = 0;  // all ones while a quoted field goes on into the next block
  size_t end = size;          // the record's line end (or the input's end)
  // Positions are relative to the record's start; a record this long goes the general way.
  const size_t limit = std::min<size_t>(max_bytes, UINT32_MAX - 128);
  if (ends_buffer->empty()) ends_buffer->resize(128);
  (*ends_buffer)[0] = UINT32_MAX;
  for (size_t pos = start;; pos += 64) {
    if (pos >= size) {
      if (inside_carry != 0) return out;  // an unterminated quote
      break;
    }
    if (pos - start > limit) return out;
    BlockMasks m;
    if (pos + 64 <= size) {
      m = block_masks(d + pos);
    } else {
      char tail[64] = {};  // zero bytes are not special
      std::memcpy(tail, d + pos, size - pos);
      m = block_masks(tail);
    }
    uint64_t inside = inside_carry;
    if ((m.quote | inside_carry) != 0) {
      inside = prefix_xor(m.quote) ^ inside_carry;
      inside_carry = uint64_t(int64_t(inside) >> 63);
    }
    const uint64_t line_end = m.line_end & ~inside;
    const uint64_t before_end = line_end != 0 ? (line_end & (0 - line_end)) - 1 : ~uint64_t(0);
    const uint64_t commas = m.comma & ~inside & before_end;
    if (m.quote != 0) {
      // Each quote before the record's end must open a field or close one; no line end may be
      // inside quotes.
      if ((m.line_end & inside & before_end) != 0) return out;
      for (uint64_t q = m.quote & before_end; q != 0; q &= q - 1) {
        const int bit = std::countr_zero(q);
        const size_t p = pos + size_t(bit);
        if ((inside >> bit) & 1) {
          if (p != start && d[p - 1] != ',') return out;
          // Its field: the fields ended before this block and by the commas before it.
          const uint64_t below = (uint64_t(1) << bit) - 1;
          quoted_fields->push_back(uint32_t(n + size_t(std::popcount(commas & below))));
        } else if (p + 1 < size && d[p + 1] != ',' && d[p + 1] != '\n' && d[p + 1] != '\r') {
          return out;
        }
      }
    } else if (inside != 0 && (m.line_end & before_end) != 0) {
      return out;  // a quoted field goes on over this block and holds a line end
    }
    if (ends_buffer->size() < n + 65) ends_buffer->resize(2 * (n + 65));
    n = flatten(commas | (line_end & (0 - line_end)), uint32_t(pos - start),
                ends_buffer->data() + 1, n);
    if (line_end != 0) {
      end = pos + size_t(std::countr_zero(line_end));
      break;
    }
  }
  if (end == size) {  // the input ends without a line end: the last field ends there
    if (ends_buffer->size() < n + 2) ends_buffer->resize(n + 2);
    (*ends_buffer)[1 + n++] = uint32_t(size - start);
    out.next = size;
  } else {
    out.next = end + 1;
    if (d[end] == '\r' && out.next < size && d[out.next] == '\n') ++out.next;
    out.line_end = true;
  }
  if (out.next - start > max_bytes) return out;
  out.fields = n;
  out.done = true;
  return out;
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
  *error = Status::ok();
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
    PlainSplit plain = split_ends(data_, pos_, max_record_bytes_, &ends_, &quoted_fields_);
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
  PlainSplit plain = split_ends(data_, pos_, max_record_bytes_, &ends_, &quoted_fields_);
  if (plain.done) {
    const char* record = data_.data() + pos_;
    pos_ = plain.next;
    line_ += plain.line_end ? 1 : 0;
    *count = plain.fields;
    if (plain.fields != fields) return true;
    const uint32_t* ends = ends_.data();
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
