#pragma once
// CsvReader's one-pass split of a record into field ends, with bit masks of 64 bytes at a time.
// The build targets x86-64-v2 (SSE2), but wider vectors halve the split's work where the CPU has
// them, so the variant is chosen at run time, once. Internal to the CSV reader and its tests.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ledgerflow {

// What split_ends did with a record.
struct PlainSplit {
  bool done = false;      // false: left whole to the general path
  size_t next = 0;        // after the record's line end (or the input's end)
  bool line_end = false;  // the record ended with a line end (not the input's end)
  size_t fields = 0;      // the record's fields (when done)
};

// Splits the record at `start` into field ends: ends[1 + i] is the end of field i relative to
// `start` and ends[0] is UINT32_MAX, so that field i starts at ends[i] + 1 (0 for the first).
// A quoted field is taken when it is simple, as DataCo's are ("Washington, D.C."): the quote
// opens right at the field's start, closes right before its separator, and holds no quote
// (doubled) and no line end; its index goes to quoted_fields, and its value is the text between
// the quotes, which is what the general path unescapes it to. Anything else (a quote elsewhere,
// an unterminated one, a record longer than max_bytes) is left whole to the general path
// (done = false), which splits or refuses it exactly as it always did.
using SplitEnds = PlainSplit (*)(std::string_view data, size_t start, size_t max_bytes,
                                 std::vector<uint32_t>* ends, std::vector<uint32_t>* quoted_fields);

// The instruction sets a split can use; each needs the ones before it (and the CPU's support).
enum class CsvSimd { kSse2, kAvx2, kAvx512 };

namespace csv_split_internal {
extern std::atomic<SplitEnds> split;  // starts as a split that chooses the variant first
SplitEnds resolve();
}  // namespace csv_split_internal

// The split for this CPU: the widest supported variant, or a narrower one named by the
// environment variable LEDGERFLOW_SIMD (sse2, avx2, avx512), read once. Called per record, so
// a relaxed load of a pointer (chosen on first use) rather than a guarded static.
inline SplitEnds csv_split_ends() {
  return csv_split_internal::split.load(std::memory_order_relaxed);
}
// The variant LEDGERFLOW_SIMD=`wanted` makes the process choose: that one when this CPU runs it,
// the widest this CPU runs otherwise (an empty or unknown name too).
CsvSimd csv_simd_for(std::string_view wanted);
// Whether this CPU (and this build) can run the variant.
bool csv_simd_supported(CsvSimd simd);
// The variant csv_split_ends() runs, and its name as LEDGERFLOW_SIMD spells it.
CsvSimd csv_simd();
const char* csv_simd_name(CsvSimd simd);
// Tests: makes every reader from now on split with `simd` (false, nothing changed, when the CPU
// cannot run it).
bool set_csv_simd(CsvSimd simd);

}  // namespace ledgerflow
