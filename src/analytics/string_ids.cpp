#include "analytics/string_ids.h"

#include <bit>

namespace ledgerflow {

// Eight bytes at a time with a multiply-xorshift mix (only names longer than 16 bytes come
// here): a few multiplies where std::hash<std::string> walks them byte by byte.
uint64_t StringIds::hash_of(std::string_view s) {
  using short_bytes::load;
  uint64_t h = uint64_t(s.size()) * 0x9E3779B97F4A7C15ull;
  const char* p = s.data();
  size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    h = (h ^ load<uint64_t>(p)) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  // The last 0-7 bytes by fixed-size loads (a variable-size memcpy is a library call).
  uint64_t w = 0;
  if (n >= 4) {
    w = (uint64_t(load<uint32_t>(p)) << 32) | load<uint32_t>(p + n - 4);
  } else if (n > 0) {
    w = (uint64_t(uint8_t(p[0])) << 16) | (uint64_t(uint8_t(p[n / 2])) << 8) | uint8_t(p[n - 1]);
  }
  h = (h ^ w) * 0x94D049BB133111EBull;
  return h ^ (h >> 29);
}

// Every case id() does not answer inline: a name longer than 16 bytes, a new name, an empty
// table.
uint32_t StringIds::find_or_add(std::string_view name) {
  if (slots_.empty()) grow();  // new, or moved from
  const Key k = key_of(name);
  for (size_t i = home(k);; i = (i + 1) & mask_) {
    const Slot& s = slots_[i];
    if (s.id_plus_one == 0) return add(name, k);
    if (s.key == k && (name.size() <= kInlineBytes || names_[s.id_plus_one - 1] == name)) {
      return s.id_plus_one - 1;
    }
  }
}

// `name` is not in the table.
uint32_t StringIds::add(std::string_view name, const Key& k) {
  if (2 * (names_.size() + 1) > slots_.size()) grow();
  size_t i = home(k);
  while (slots_[i].id_plus_one != 0) i = (i + 1) & mask_;
  names_.emplace_back(name);
  slots_[i] = Slot{k, uint32_t(names_.size())};
  return uint32_t(names_.size() - 1);
}

void StringIds::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  shift_ = 64 - std::countr_zero(slots_.size());
  for (const Slot& s : old) {
    if (s.id_plus_one == 0) continue;
    size_t i = home(s.key);
    while (slots_[i].id_plus_one != 0) i = (i + 1) & mask_;
    slots_[i] = s;
  }
}

}  // namespace ledgerflow
