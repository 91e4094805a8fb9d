#pragma once
// Compares and copies of short byte strings (a CSV value: a few to a few dozen bytes) by
// fixed-size loads and stores from both ends, which overlap in the middle. std::memcmp and
// std::memcpy with a size known only at run time are library calls through the PLT, costlier
// than the work for such sizes; the DataCo row parser makes 15 of them a row.
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ledgerflow::short_bytes {

template <typename T>
[[gnu::always_inline]] inline T load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <typename T>
[[gnu::always_inline]] inline void store(char* p, T v) {
  std::memcpy(p, &v, sizeof v);
}

// a[0, n) == b[0, n); n at most 24.
[[gnu::always_inline]] inline bool equal_upto24(const char* a, const char* b, size_t n) {
  if (n < 8) return std::memcmp(a, b, n) == 0;
  bool same = load<uint64_t>(a) == load<uint64_t>(b) &&
              load<uint64_t>(a + n - 8) == load<uint64_t>(b + n - 8);
  if (n > 16) same = same && load<uint64_t>(a + 8) == load<uint64_t>(b + 8);
  return same;
}

// out[0, n) = in[0, n) for ranges that do not overlap; only bytes in [out, out + n) are written.
[[gnu::always_inline]] inline void copy(char* out, const char* in, size_t n) {
  struct Bytes16 {
    uint64_t lo, hi;
  };
  if (n > 32) {
    std::memcpy(out, in, n);
  } else if (n >= 16) {
    const Bytes16 head = load<Bytes16>(in), tail = load<Bytes16>(in + n - 16);
    store(out, head);
    store(out + n - 16, tail);
  } else if (n >= 8) {
    const uint64_t head = load<uint64_t>(in), tail = load<uint64_t>(in + n - 8);
    store(out, head);
    store(out + n - 8, tail);
  } else if (n >= 4) {
    const uint32_t head = load<uint32_t>(in), tail = load<uint32_t>(in + n - 4);
    store(out, head);
    store(out + n - 4, tail);
  } else if (n > 0) {
    const char first = in[0], middle = in[n / 2], last = in[n - 1];
    out[0] = first;
    out[n / 2] = middle;
    out[n - 1] = last;
  }
}

}  // namespace ledgerflow::short_bytes
