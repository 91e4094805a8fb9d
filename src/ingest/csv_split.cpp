#include "ingest/csv_split.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/assert.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define LEDGERFLOW_CSV_X86 1
// GCC 12's AVX-512 intrinsics start from a self-initialized "undefined" register, which
// -W(maybe-)uninitialized reports wherever they are inlined.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

namespace ledgerflow {

namespace {

// The masks most blocks need, bit i for byte i of a 64-byte block: its commas, and its special
// bytes (commas, line ends and quotes). When the first special byte that is not a comma is a line
// end (or there is none) and no quoted field runs on from the block before, the block needs no
// more: quotes after the record's line end do not matter. Only the other blocks take the quote
// mask too. Found with a nibble lookup (pshufb) in one compare where the CPU has it; each special
// byte has a low nibble of its own (',' 0x2C, '\n' 0x0A, '\r' 0x0D, '"' 0x22).
struct Specials {
  uint64_t comma = 0, special = 0;
};

// The nibble table: the special byte with each low nibble, or a byte with another low nibble.
// Bytes from 0x80 up look up zero (pshufb), which they never equal.
#define LEDGERFLOW_CSV_NIBBLES 1, 0, '"', 0, 0, 0, 0, 0, 0, 0, '\n', 0, ',', '\r', 0, 0

// Writes the positions of the set bits of `bits` (plus `base`) at out[0...] and returns their
// count. Eight are written whatever the count (the extra ones are overwritten later), so a block
// costs one well-predicted branch per eight fields instead of one per field; out must have room
// for 64. Unrolled: as loops GCC kept a counter, compare and branch per entry, doubling its cost.
template <typename Simd>
[[gnu::always_inline]] inline size_t flatten_scalar(uint64_t bits, uint32_t base, uint32_t* out) {
  const size_t count = size_t(std::popcount(bits));
#pragma GCC unroll 8
  for (int k = 0; k < 8; ++k) {
    out[k] = base + Simd::lowest_bit(bits);
    bits &= bits - 1;
  }
  if (count > 8) {
#pragma GCC unroll 8
    for (int k = 8; k < 16; ++k) {
      out[k] = base + Simd::lowest_bit(bits);
      bits &= bits - 1;
    }
    for (size_t k = 16; k < count; ++k) {
      out[k] = base + Simd::lowest_bit(bits);
      bits &= bits - 1;
    }
  }
  return count;
}

// A variant: its block masks (specials, and quotes for the few blocks that need them) and
// flatten. Each is an object made once per record so that its constant vectors stay in registers
// over the record's blocks.

// The baseline: SSE2 (part of every x86-64) and SSSE3's pshufb where the build has it (x86-64-v2
// does), or a byte loop elsewhere.
struct Sse2 {
#if defined(__SSE2__)
#if defined(__SSSE3__)
  const __m128i nibbles = _mm_setr_epi8(LEDGERFLOW_CSV_NIBBLES);
#else
  const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
#endif
  const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');

  [[gnu::always_inline]] Specials specials(const char* p) const {
    Specials s;
#pragma GCC unroll 4
    for (int i = 0; i < 4; ++i) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
      s.comma |= uint64_t(uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)))) << (16 * i);
      s.special |= uint64_t(uint32_t(_mm_movemask_epi8(special(v)))) << (16 * i);
    }
    return s;
  }
  [[gnu::always_inline]] __m128i special(__m128i v) const {
#if defined(__SSSE3__)
    return _mm_cmpeq_epi8(_mm_shuffle_epi8(nibbles, v), v);
#else
    const __m128i line = _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr));
    return _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)), line);
#endif
  }
  uint64_t quotes(const char* p) const {
    uint64_t q = 0;
    for (int i = 0; i < 4; ++i) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
      q |= uint64_t(uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)))) << (16 * i);
    }
    return q;
  }
#else
  Specials specials(const char* p) const {
    Specials s;
    for (int i = 0; i < 64; ++i) {
      const uint64_t bit = uint64_t(1) << i;
      s.comma |= p[i] == ',' ? bit : 0;
      s.special |= p[i] == ',' || p[i] == '\n' || p[i] == '\r' || p[i] == '"' ? bit : 0;
    }
    return s;
  }
  uint64_t quotes(const char* p) const {
    uint64_t q = 0;
    for (int i = 0; i < 64; ++i) q |= p[i] == '"' ? uint64_t(1) << i : 0;
    return q;
  }
#endif
  // bsf is undefined for 0, and std::countr_zero's test and conditional move per entry cost
  // more than setting bit 63 (a garbage entry, overwritten later).
  [[gnu::always_inline]] static uint32_t lowest_bit(uint64_t bits) {
    return uint32_t(__builtin_ctzll(bits | (uint64_t(1) << 63)));
  }
  [[gnu::always_inline]] size_t flatten(uint64_t bits, uint32_t base, uint32_t* out) const {
    return flatten_scalar<Sse2>(bits, base, out);
  }
};

#if LEDGERFLOW_CSV_X86
#define LEDGERFLOW_AVX2 "avx2,bmi"
#define LEDGERFLOW_AVX512 "avx512f,avx512bw,avx512vbmi2,bmi"

// Two 32-byte halves; its split runs with BMI too (every AVX2 CPU has it; csv_simd_supported
// checks both). Its members are not always_inline: GCC refuses that into the template's own
// (baseline) body; the variant's function, marked flatten, inlines them.
struct Avx2 {
  __m256i nibbles, comma, quote;

  // The commas are hidden from GCC, which otherwise rebuilds the broadcast in the loop (three
  // instructions a block) rather than keep it in a register.
  [[gnu::target(LEDGERFLOW_AVX2)]] Avx2()
      : nibbles(_mm256_setr_epi8(LEDGERFLOW_CSV_NIBBLES, LEDGERFLOW_CSV_NIBBLES)),
        comma(_mm256_set1_epi8(',')),
        quote(_mm256_set1_epi8('"')) {
    asm("" : "+x"(comma));
  }
  [[gnu::target(LEDGERFLOW_AVX2)]] Specials specials(const char* p) const {
    const __m256i v0 = load(p), v1 = load(p + 32);
    return {bits(_mm256_cmpeq_epi8(v0, comma), _mm256_cmpeq_epi8(v1, comma)),
            bits(_mm256_cmpeq_epi8(_mm256_shuffle_epi8(nibbles, v0), v0),
                 _mm256_cmpeq_epi8(_mm256_shuffle_epi8(nibbles, v1), v1))};
  }
  [[gnu::target(LEDGERFLOW_AVX2)]] uint64_t quotes(const char* p) const {
    return bits(_mm256_cmpeq_epi8(load(p), quote), _mm256_cmpeq_epi8(load(p + 32), quote));
  }
  [[gnu::target(LEDGERFLOW_AVX2)]] static __m256i load(const char* p) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  }
  [[gnu::target(LEDGERFLOW_AVX2)]] static uint64_t bits(__m256i lo, __m256i hi) {
    return uint64_t(uint32_t(_mm256_movemask_epi8(lo))) |
           (uint64_t(uint32_t(_mm256_movemask_epi8(hi))) << 32);
  }
  // tzcnt gives 64 for none (a garbage entry, overwritten later) in one instruction.
  // std::countr_zero would do, but GCC threads its test for zero into a branch per entry.
  [[gnu::target(LEDGERFLOW_AVX2)]] static uint32_t lowest_bit(uint64_t bits) {
    return uint32_t(_tzcnt_u64(bits));
  }
  [[gnu::always_inline]] size_t flatten(uint64_t bits, uint32_t base, uint32_t* out) const {
    return flatten_scalar<Avx2>(bits, base, out);
  }
};

// One 64-byte register compared straight into 64-bit masks. Field ends come from vpcompressb
// (VBMI2): the byte offsets of the set bits packed in one instruction, widened to 32 bits sixteen
// at a time, so a block of up to 16 fields costs a handful of instructions instead of eight or
// more per-field steps.
struct Avx512 {
  __m512i nibbles, comma, quote, offsets;

  // The commas are hidden from GCC, as in Avx2.
  [[gnu::target(LEDGERFLOW_AVX512)]] Avx512()
      : nibbles(_mm512_broadcast_i32x4(_mm_setr_epi8(LEDGERFLOW_CSV_NIBBLES))),
        comma(_mm512_set1_epi8(',')),
        quote(_mm512_set1_epi8('"')),
        offsets(_mm512_set_epi8(63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47,
                                46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30,
                                29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13,
                                12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)) {
    asm("" : "+v"(comma));
  }
  [[gnu::target(LEDGERFLOW_AVX512)]] Specials specials(const char* p) const {
    const __m512i v = _mm512_loadu_si512(p);
    return {_mm512_cmpeq_epi8_mask(v, comma),
            _mm512_cmpeq_epi8_mask(_mm512_shuffle_epi8(nibbles, v), v)};
  }
  [[gnu::target(LEDGERFLOW_AVX512)]] uint64_t quotes(const char* p) const {
    return _mm512_cmpeq_epi8_mask(_mm512_loadu_si512(p), quote);
  }
  // Writes 16 entries per started 16 (the extra ones are overwritten later).
  [[gnu::target(LEDGERFLOW_AVX512)]] size_t flatten(uint64_t bits, uint32_t base,
                                                    uint32_t* out) const {
    const __m512i bases = _mm512_set1_epi32(int(base));
    __m512i packed = _mm512_maskz_compress_epi8(bits, offsets);
    const size_t count = size_t(std::popcount(bits));
    for (size_t k = 0;;) {
      const __m512i wide = _mm512_cvtepu8_epi32(_mm512_castsi512_si128(packed));
      _mm512_storeu_si512(out + k, _mm512_add_epi32(wide, bases));
      k += 16;
      if (k >= count) return count;
      packed = _mm512_alignr_epi32(packed, packed, 4);  // the next 16 bytes to the bottom
    }
  }
};
#endif

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

// The bits below the lowest set bit of x (all of them when none is set).
[[gnu::always_inline]] inline uint64_t below_lowest(uint64_t x) {
  return (x - 1) & ~x;
}

// Asks for the input a page ahead of the block: with the wide variants the split waited on
// memory for about half its time on a file larger than the caches (DataCo, 1 M rows: 111 -> 79 ns
// a row with AVX-512), which the hardware prefetcher alone did not hide. The address is made as
// an integer since it may lie past the input; a prefetch never faults.
[[gnu::always_inline]] inline void prefetch_ahead(const char* block) {
  __builtin_prefetch(reinterpret_cast<const char*>(reinterpret_cast<uintptr_t>(block) + 4096));
}

// The record being split: the input, and where the record starts in it.
struct Record {
  const char* d;
  size_t size, start;
};

// The last block of the input, `left` bytes from `at`, copied into `tail` with zeros after the
// end, which are not special. Out of line, as it is rare.
[[gnu::noinline]] const char* tail_block(const char* at, size_t left, char* tail) {
  std::memset(tail, 0, 64);
  std::memcpy(tail, at, left);
  return tail;
}

// Room for n + 64 entries after ends[0], and for a whole typical record from the start. Out of
// line, as it is rare.
[[gnu::noinline]] void grow(std::vector<uint32_t>* ends, size_t n) {
  if (ends->size() < n + 65) ends->resize(std::max<size_t>(2 * (n + 65), 1024));
}

// How far into the record a block may start and still be whole, within the limit, and within
// the room for its field ends (at most one per byte before it, plus 64 for the block): only
// blocks after that need those checks, so most blocks take one compare for all three.
[[gnu::always_inline]] inline ptrdiff_t unchecked_until(const Record& r, size_t limit,
                                                        size_t room) {
  return std::min({ptrdiff_t(r.size - r.start) - 64, ptrdiff_t(limit), ptrdiff_t(room) - 64});
}

// Whether the quotes of the block at `pos` (inside: the bytes within quotes) are simple ones up
// to the record's end: no line end inside quotes, and each quote opens a field at its start or
// closes one right before its separator. Each opening quote's field (the fields ended before
// this block, n, and by the commas before it) goes to quoted_fields.
[[gnu::always_inline]] inline bool simple_quotes(const Record& r, size_t pos, uint64_t comma,
                                                 uint64_t line_end, uint64_t quote, uint64_t inside,
                                                 size_t n, std::vector<uint32_t>* quoted_fields) {
  const uint64_t before_end = below_lowest(line_end & ~inside);
  if ((line_end & inside & before_end) != 0) return false;
  const uint64_t commas = comma & ~inside;
  for (uint64_t q = quote & before_end; q != 0; q &= q - 1) {
    const int bit = std::countr_zero(q);
    const size_t p = pos + size_t(bit);
    const char* d = r.d;
    if ((inside >> bit) & 1) {
      if (p != r.start && d[p - 1] != ',') return false;
      const uint64_t below = (uint64_t(1) << bit) - 1;
      quoted_fields->push_back(uint32_t(n + size_t(std::popcount(commas & below))));
    } else if (p + 1 < r.size && d[p + 1] != ',' && d[p + 1] != '\n' && d[p + 1] != '\r') {
      return false;
    }
  }
  return true;
}

// A block with quotes in play (its first special byte other than a comma is a quote, or a quoted
// field runs into it): its quote mask is taken, the quotes checked (false when not simple), and
// the bytes inside quotes dropped from *comma and *line_end (which held the quotes until now).
template <typename Simd>
[[gnu::always_inline]] inline bool take_quotes(const Simd& simd, const Record& r, const char* block,
                                               size_t pos, size_t n, uint64_t* comma,
                                               uint64_t* line_end, uint64_t* inside_carry,
                                               std::vector<uint32_t>* quoted_fields) {
  const uint64_t quote = simd.quotes(block);
  *line_end &= ~quote;
  const uint64_t inside = prefix_xor(quote) ^ *inside_carry;
  *inside_carry = uint64_t(int64_t(inside) >> 63);
  if (!simple_quotes(r, pos, *comma, *line_end, quote, inside, n, quoted_fields)) return false;
  *comma &= ~inside;
  *line_end &= ~inside;
  return true;
}

// The record's end at `end` (its line end, or the input's end when end == size): the last field
// ends at the input's end when there is no line end; the line end is one byte, or CR LF.
PlainSplit finish(const Record& r, size_t end, size_t max_bytes, std::vector<uint32_t>* ends,
                  size_t n) {
  PlainSplit out;
  if (end == r.size) {
    grow(ends, n);
    (*ends)[1 + n++] = uint32_t(r.size - r.start);
    out.next = r.size;
  } else {
    out.next = end + 1;
    if (r.d[end] == '\r' && out.next < r.size && r.d[out.next] == '\n') ++out.next;
    out.line_end = true;
  }
  if (out.next - r.start > max_bytes) return PlainSplit{};
  out.fields = n;
  out.done = true;
  return out;
}

// The split, 64 bytes at a time with Simd's masks and flatten; see SplitEnds. Most blocks hold
// only commas (no line end, no quote): they take the masks, one test and the flatten.
template <typename Simd>
[[gnu::always_inline]] inline PlainSplit split_with(std::string_view data, size_t start,
                                                    size_t max_bytes,
                                                    std::vector<uint32_t>* ends_buffer,
                                                    std::vector<uint32_t>* quoted_fields) {
  const Record r{data.data(), data.size(), start};
  // Positions are relative to the record's start; a record this long goes the general way.
  const size_t limit = std::min<size_t>(max_bytes, UINT32_MAX - 128);
  if (ends_buffer->size() < 65) grow(ends_buffer, 0);
  (*ends_buffer)[0] = UINT32_MAX;
  uint32_t* ends = ends_buffer->data() + 1;
  ptrdiff_t unchecked = unchecked_until(r, limit, ends_buffer->size() - 1);
  const Simd simd;
  char tail[64];
  size_t n = 0;
  uint64_t inside_carry = 0;  // all ones while a quoted field goes on into the next block
  for (size_t rel = 0;; rel += 64) {
    const size_t pos = start + rel;
    const char* block = r.d + pos;
    if (ptrdiff_t(rel) > unchecked) [[unlikely]] {
      if (pos >= r.size) {
        if (inside_carry != 0) return PlainSplit{};  // an unterminated quote
        return finish(r, r.size, max_bytes, ends_buffer, n);
      }
      if (rel > limit) return PlainSplit{};
      if (pos + 64 > r.size) block = tail_block(block, r.size - pos, tail);
      if (n + 64 > ends_buffer->size() - 1) {
        grow(ends_buffer, n);
        ends = ends_buffer->data() + 1;
        unchecked = unchecked_until(r, limit, ends_buffer->size() - 1);
      }
    }
    prefetch_ahead(block);
    const Specials s = simd.specials(block);
    uint64_t comma = s.comma, line_end = s.special & ~s.comma;  // and quotes, until checked
    if ((line_end | inside_carry) == 0) [[likely]] {
      n += simd.flatten(comma, uint32_t(rel), ends + n);
      continue;
    }
    if ((inside_carry != 0 || block[std::countr_zero(line_end)] == '"') &&
        !take_quotes(simd, r, block, pos, n, &comma, &line_end, &inside_carry, quoted_fields)) {
      return PlainSplit{};
    }
    const uint64_t first_end = line_end & (0 - line_end);
    n += simd.flatten((comma & below_lowest(line_end)) | first_end, uint32_t(rel), ends + n);
    if (first_end != 0) {
      return finish(r, pos + size_t(std::countr_zero(first_end)), max_bytes, ends_buffer, n);
    }
  }
}

PlainSplit split_sse2(std::string_view data, size_t start, size_t max_bytes,
                      std::vector<uint32_t>* ends, std::vector<uint32_t>* quoted_fields) {
  return split_with<Sse2>(data, start, max_bytes, ends, quoted_fields);
}

#if LEDGERFLOW_CSV_X86
[[gnu::target(LEDGERFLOW_AVX2), gnu::flatten]] PlainSplit split_avx2(
    std::string_view data, size_t start, size_t max_bytes, std::vector<uint32_t>* ends,
    std::vector<uint32_t>* quoted_fields) {
  return split_with<Avx2>(data, start, max_bytes, ends, quoted_fields);
}

[[gnu::target(LEDGERFLOW_AVX512), gnu::flatten]] PlainSplit split_avx512(
    std::string_view data, size_t start, size_t max_bytes, std::vector<uint32_t>* ends,
    std::vector<uint32_t>* quoted_fields) {
  return split_with<Avx512>(data, start, max_bytes, ends, quoted_fields);
}
#endif

SplitEnds variant(CsvSimd simd) {
#if LEDGERFLOW_CSV_X86
  if (simd == CsvSimd::kAvx512) return split_avx512;
  if (simd == CsvSimd::kAvx2) return split_avx2;
#endif
  (void)simd;
  return split_sse2;
}

// The first split of the process chooses the variant (cheaper than a guard on every record).
PlainSplit split_first(std::string_view data, size_t start, size_t max_bytes,
                       std::vector<uint32_t>* ends, std::vector<uint32_t>* quoted_fields) {
  return csv_split_internal::resolve()(data, start, max_bytes, ends, quoted_fields);
}

}  // namespace

namespace csv_split_internal {

std::atomic<SplitEnds> split{split_first};

SplitEnds resolve() {
  SplitEnds s = split.load(std::memory_order_relaxed);
  if (s != split_first) return s;
  const char* wanted = std::getenv("LEDGERFLOW_SIMD");
  set_csv_simd(csv_simd_for(wanted != nullptr ? wanted : ""));
  return split.load(std::memory_order_relaxed);
}

}  // namespace csv_split_internal

const char* csv_simd_name(CsvSimd simd) {
  switch (simd) {
    case CsvSimd::kAvx512:
      return "avx512";
    case CsvSimd::kAvx2:
      return "avx2";
    case CsvSimd::kSse2:
      break;
  }
  return "sse2";
}

CsvSimd csv_simd_for(std::string_view wanted) {
  for (CsvSimd simd : {CsvSimd::kSse2, CsvSimd::kAvx2, CsvSimd::kAvx512}) {
    if (wanted == csv_simd_name(simd) && csv_simd_supported(simd)) return simd;
  }
  for (CsvSimd simd : {CsvSimd::kAvx512, CsvSimd::kAvx2}) {
    if (csv_simd_supported(simd)) return simd;
  }
  return CsvSimd::kSse2;
}

bool csv_simd_supported(CsvSimd simd) {
#if LEDGERFLOW_CSV_X86
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi");
  if (simd == CsvSimd::kAvx2) return avx2;
  if (simd == CsvSimd::kAvx512) {
    return avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vbmi2");
  }
#endif
  return simd == CsvSimd::kSse2;
}

// The variant whose split is in use (narrowest first: where the wide variants are not built,
// every variant is the SSE2 split).
CsvSimd csv_simd() {
  const SplitEnds in_use = csv_split_internal::resolve();
  for (CsvSimd simd : {CsvSimd::kSse2, CsvSimd::kAvx2, CsvSimd::kAvx512}) {
    if (variant(simd) == in_use) return simd;
  }
  LF_ASSERT(false);
  return CsvSimd::kSse2;
}

bool set_csv_simd(CsvSimd simd) {
  if (!csv_simd_supported(simd)) return false;
  csv_split_internal::split.store(variant(simd), std::memory_order_relaxed);
  return true;
}

}  // namespace ledgerflow
