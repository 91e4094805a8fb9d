#include "analytics/string_ids.h"

#include <cstring>

namespace ledgerflow {

// Eight bytes at a time with a multiply-xorshift mix: dimension values are short, so this is a
// few multiplies where std::hash<std::string> walks them byte by byte.
uint32_t StringIds::hash_of(std::string_view s) {
  uint64_t h = uint64_t(s.size()) * 0x9E3779B97F4A7C15ull;
  const char* p = s.data();
  size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  // The last 0-7 bytes by fixed-size loads (a variable-size memcpy is a library call).
  uint64_t w = 0;
  if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    w = (uint64_t(a) << 32) | b;
  } else if (n > 0) {
    w = (uint64_t(uint8_t(p[0])) << 16) | (uint64_t(uint8_t(p[n / 2])) << 8) | uint8_t(p[n - 1]);
  }
  h = (h ^ w) * 0x94D049BB133111EBull;
  h ^= h >> 29;
  return uint32_t(h ^ (h >> 32));
}

uint32_t StringIds::find_or_add(std::string_view name) {
  if (2 * (names_.size() + 1) > slots_.size()) grow();
  const uint32_t h = hash_of(name);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.id_plus_one == 0) {
      names_.emplace_back(name);
      s = Slot{h, uint32_t(names_.size())};
      return s.id_plus_one - 1;
    }
    if (s.hash == h && same(names_[s.id_plus_one - 1], name)) return s.id_plus_one - 1;
  }
}

void StringIds::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.id_plus_one == 0) continue;
    size_t i = s.hash & mask;
    while (slots_[i].id_plus_one != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

}  // namespace ledgerflow
