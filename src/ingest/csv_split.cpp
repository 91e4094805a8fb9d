#include "ingest/csv_split.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <string_view>

#if defined(__x86_64__) && defined(__GNUC__)
#define LEDGERFLOW_CSV_X86 1
// GCC 12's AVX-512 intrinsics start from a self-initialized "undefined" register, which
// -Wmaybe-uninitialized reports wherever they are inlined.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif

namespace ledgerflow {

namespace {

// The masks of one 64-byte block: bit i for byte i.
struct BlockMasks {
  uint64_t comma = 0, line_end = 0, quote = 0;
};

// The index of the lowest set bit, for a field end. With BMI, tzcnt gives 64 for none (a garbage
// entry that is overwritten later) in one instruction; without it, bsf is undefined for 0, and
// std::countr_zero's test and conditional move per entry cost more than setting bit 63.
template <bool kTzcnt>
[[gnu::always_inline]] inline uint32_t lowest_bit(uint64_t bits) {
  if constexpr (kTzcnt) return uint32_t(std::countr_zero(bits));
  return uint32_t(__builtin_ctzll(bits | (uint64_t(1) << 63)));
}

// Writes the positions of the set bits of `bits` (plus `base`) at out[0...] and returns their
// count. Eight are written whatever the count (the extra ones are overwritten later), so a block
// costs one well-predicted branch per eight fields instead of one per field; out must have room
// for 64.
template <bool kTzcnt>
[[gnu::always_inline]] inline size_t flatten_scalar(uint64_t bits, uint32_t base, uint32_t* out) {
  const size_t count = size_t(std::popcount(bits));
  for (int k = 0; k < 8; ++k) {
    out[k] = base + lowest_bit<kTzcnt>(bits);
    bits &= bits - 1;
  }
  if (count > 8) {
    for (int k = 8; k < 16; ++k) {
      out[k] = base + lowest_bit<kTzcnt>(bits);
      bits &= bits - 1;
    }
    for (size_t k = 16; k < count; ++k) {
      out[k] = base + lowest_bit<kTzcnt>(bits);
      bits &= bits - 1;
    }
  }
  return count;
}

// The baseline: SSE2 (part of every x86-64), or a byte loop elsewhere.
struct Sse2 {
  // Unrolled by hand: as a call with a loop it cost about 100 instructions a block.
  [[gnu::always_inline]] static BlockMasks masks(const char* p) {
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
  [[gnu::always_inline]] static size_t flatten(uint64_t bits, uint32_t base, uint32_t* out) {
    return flatten_scalar<false>(bits, base, out);
  }
};

#if LEDGERFLOW_CSV_X86
#define LEDGERFLOW_AVX2 "avx2,bmi"
#define LEDGERFLOW_AVX512 "avx512f,avx512bw,avx512vbmi2,bmi"

// Two 32-byte halves; its split runs with BMI too (every AVX2 CPU has it, and the check says so).
// Not always_inline: GCC refuses that into the template's own (baseline) body; it inlines once
// the template is inlined into the variant's target function.
struct Avx2 {
  [[gnu::target(LEDGERFLOW_AVX2)]] static BlockMasks masks(const char* p) {
    const __m256i v0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    const __m256i v1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
    BlockMasks m;
    m.comma = bits(eq(v0, ','), eq(v1, ','));
    m.line_end = bits(line(v0), line(v1));
    m.quote = bits(eq(v0, '"'), eq(v1, '"'));
    return m;
  }
  [[gnu::target(LEDGERFLOW_AVX2)]] static __m256i eq(__m256i v, char c) {
    return _mm256_cmpeq_epi8(v, _mm256_set1_epi8(c));
  }
  [[gnu::target(LEDGERFLOW_AVX2)]] static __m256i line(__m256i v) {
    return _mm256_or_si256(eq(v, '\n'), eq(v, '\r'));
  }
  [[gnu::target(LEDGERFLOW_AVX2)]] static uint64_t bits(__m256i lo, __m256i hi) {
    return uint64_t(uint32_t(_mm256_movemask_epi8(lo))) |
           (uint64_t(uint32_t(_mm256_movemask_epi8(hi))) << 32);
  }
  [[gnu::always_inline]] static size_t flatten(uint64_t bits, uint32_t base, uint32_t* out) {
    return flatten_scalar<true>(bits, base, out);
  }
};

// One 64-byte register compared straight into 64-bit masks. Field ends come from vpcompressb
// (VBMI2): the byte offsets of the set bits packed in one instruction, widened to 32 bits sixteen
// at a time, so a block of up to 16 fields costs a handful of instructions instead of eight or
// more per-field steps.
struct Avx512 {
  [[gnu::target(LEDGERFLOW_AVX512)]] static BlockMasks masks(const char* p) {
    const __m512i v = _mm512_loadu_si512(p);
    BlockMasks m;
    m.comma = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(','));
    m.line_end = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n')) |
                 _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\r'));
    m.quote = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
    return m;
  }
  // Writes 16 entries per started 16 (the extra ones are overwritten later).
  [[gnu::target(LEDGERFLOW_AVX512)]] static size_t flatten(uint64_t bits, uint32_t base,
                                                           uint32_t* out) {
    const __m512i offsets = _mm512_set_epi8(
        63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41,
        40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18,
        17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
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

// The masks of the block at `pos` that is not whole (the input ends in it): bytes past the end
// read as zeros, which are not special.
template <typename Simd>
BlockMasks tail_masks(const char* d, size_t pos, size_t size) {
  if (pos + 64 <= size) return Simd::masks(d + pos);
  char tail[64] = {};
  std::memcpy(tail, d + pos, size - pos);
  return Simd::masks(tail);
}

// Whether the quotes of the block at `pos` (inside: the bytes within quotes) are simple ones up
// to the record's end: no line end inside quotes, and each quote opens a field at its start or
// closes one right before its separator. Each opening quote's field (the fields ended before
// this block, n, and by the commas before it) goes to quoted_fields.
[[gnu::always_inline]] inline bool simple_quotes(const char* d, size_t size, size_t start,
                                                 size_t pos, const BlockMasks& m, uint64_t inside,
                                                 size_t n, std::vector<uint32_t>* quoted_fields) {
  const uint64_t before_end = below_lowest(m.line_end & ~inside);
  if ((m.line_end & inside & before_end) != 0) return false;
  const uint64_t commas = m.comma & ~inside;
  for (uint64_t q = m.quote & before_end; q != 0; q &= q - 1) {
    const int bit = std::countr_zero(q);
    const size_t p = pos + size_t(bit);
    if ((inside >> bit) & 1) {
      if (p != start && d[p - 1] != ',') return false;
      const uint64_t below = (uint64_t(1) << bit) - 1;
      quoted_fields->push_back(uint32_t(n + size_t(std::popcount(commas & below))));
    } else if (p + 1 < size && d[p + 1] != ',' && d[p + 1] != '\n' && d[p + 1] != '\r') {
      return false;
    }
  }
  return true;
}

// Room for n + 64 entries after ends[0]; out of line, as it is rare.
[[gnu::noinline]] void grow(std::vector<uint32_t>* ends, size_t n) {
  if (ends->size() < n + 65) ends->resize(2 * (n + 65));
}

// The record's end at `end` (its line end, or the input's end when end == size): the last field
// ends at the input's end when there is no line end; the line end is one byte, or CR LF.
PlainSplit finish(const char* d, size_t size, size_t start, size_t end, size_t max_bytes,
                  std::vector<uint32_t>* ends, size_t n) {
  PlainSplit out;
  if (end == size) {
    grow(ends, n);
    (*ends)[1 + n++] = uint32_t(size - start);
    out.next = size;
  } else {
    out.next = end + 1;
    if (d[end] == '\r' && out.next < size && d[out.next] == '\n') ++out.next;
    out.line_end = true;
  }
  if (out.next - start > max_bytes) return PlainSplit{};
  out.fields = n;
  out.done = true;
  return out;
}

// The split, 64 bytes at a time with Simd's masks and flatten; see SplitEnds.
template <typename Simd>
[[gnu::always_inline]] inline PlainSplit split_with(std::string_view data, size_t start,
                                                    size_t max_bytes,
                                                    std::vector<uint32_t>* ends_buffer,
                                                    std::vector<uint32_t>* quoted_fields) {
  const char* d = data.data();
  const size_t size = data.size();
  // Positions are relative to the record's start; a record this long goes the general way.
  const size_t limit = std::min<size_t>(max_bytes, UINT32_MAX - 128);
  // Blocks that start at most this far in are whole and within the limit; only later ones need
  // the checks of the input's end and of the limit.
  const ptrdiff_t checked_after = std::min(ptrdiff_t(size - start) - 64, ptrdiff_t(limit));
  if (ends_buffer->size() < 65) grow(ends_buffer, 0);
  (*ends_buffer)[0] = UINT32_MAX;
  size_t n = 0;
  uint64_t inside_carry = 0;  // all ones while a quoted field goes on into the next block
  for (size_t rel = 0;; rel += 64) {
    const size_t pos = start + rel;
    BlockMasks m;
    if (ptrdiff_t(rel) <= checked_after) [[likely]] {
      m = Simd::masks(d + pos);
    } else {
      if (pos >= size) {
        if (inside_carry != 0) return PlainSplit{};  // an unterminated quote
        return finish(d, size, start, size, max_bytes, ends_buffer, n);
      }
      if (rel > limit) return PlainSplit{};
      m = tail_masks<Simd>(d, pos, size);
    }
    if ((m.quote | inside_carry) != 0) {
      const uint64_t inside = prefix_xor(m.quote) ^ inside_carry;
      inside_carry = uint64_t(int64_t(inside) >> 63);
      if (!simple_quotes(d, size, start, pos, m, inside, n, quoted_fields)) return PlainSplit{};
      m.comma &= ~inside;
      m.line_end &= ~inside;
    }
    const uint64_t first_end = m.line_end & (0 - m.line_end);
    if (ends_buffer->size() < n + 65) grow(ends_buffer, n);
    n += Simd::flatten((m.comma & below_lowest(m.line_end)) | first_end, uint32_t(rel),
                       ends_buffer->data() + 1 + n);
    if (first_end != 0) {
      const size_t end = pos + size_t(std::countr_zero(first_end));
      return finish(d, size, start, end, max_bytes, ends_buffer, n);
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

// The widest supported variant, or LEDGERFLOW_SIMD's when it names a supported one.
CsvSimd choose() {
  const char* name = std::getenv("LEDGERFLOW_SIMD");
  const std::string_view wanted = name != nullptr ? name : "";
  for (CsvSimd simd : {CsvSimd::kSse2, CsvSimd::kAvx2, CsvSimd::kAvx512}) {
    if (wanted == csv_simd_name(simd) && csv_simd_supported(simd)) return simd;
  }
  for (CsvSimd simd : {CsvSimd::kAvx512, CsvSimd::kAvx2}) {
    if (csv_simd_supported(simd)) return simd;
  }
  return CsvSimd::kSse2;
}

std::atomic<CsvSimd> chosen_simd{CsvSimd::kSse2};

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
  set_csv_simd(choose());
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

CsvSimd csv_simd() {
  csv_split_internal::resolve();
  return chosen_simd.load(std::memory_order_relaxed);
}

bool set_csv_simd(CsvSimd simd) {
  if (!csv_simd_supported(simd)) return false;
  chosen_simd.store(simd, std::memory_order_relaxed);
  csv_split_internal::split.store(variant(simd), std::memory_order_relaxed);
  return true;
}

}  // namespace ledgerflow
