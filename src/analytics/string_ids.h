#pragma once
// Dense ids for the few distinct values of one dimension (delivery statuses, markets, ...), so
// that applying a line costs one probe per dimension instead of string copies and string-keyed
// map walks. Names come back only when summarizing or serializing.
//
// Ids are given in first-seen order (the checkpoint bytes depend on it only through names, but
// by-id vectors are indexed by it). The table is open addressing over the id of each name with
// a key beside it. A name of up to 16 bytes is its own key (its length and two 8-byte loads,
// which together cover every byte), so a lookup of such a name makes that key from registers,
// mixes it with two multiplies and compares it: no hash loop and no walk to the stored name.
// Most dimension values are that short. A longer name's key is a hash of all its bytes, and a
// key match is confirmed by comparing the bytes.
//
// Owned by one DatacoMarts; single-threaded.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/short_bytes.h"

namespace ledgerflow {

class StringIds {
 public:
  // Inline and calling nothing for a short name already known (nearly every lookup); the other
  // cases are out of line, so that this path saves and restores no registers for them.
  uint32_t id(std::string_view name) {
    if (name.size() <= kInlineBytes && !slots_.empty()) {
      const Key k = short_key(name);
      for (size_t i = home(k);; i = (i + 1) & mask_) {
        const Slot& s = slots_[i];
        if (s.id_plus_one == 0) break;
        if (s.key == k) return s.id_plus_one - 1;
      }
    }
    return find_or_add(name);
  }
  const std::string& name(uint32_t id) const { return names_[id]; }
  size_t size() const { return names_.size(); }

 private:
  static constexpr size_t kInlineBytes = 16;  // names up to this long are their own key
  struct Key {
    uint64_t head = 0, tail = 0;  // longer names: head is a hash of every byte, tail 0
    uint64_t size = 0;
    bool operator==(const Key&) const = default;
  };
  struct Slot {
    Key key;
    uint32_t id_plus_one = 0;  // 0: empty
  };
  // The first and last 8 (or 4) bytes, which overlap below 16 (or 8); the length tells the
  // overlap, so two names of equal length with equal loads are equal. Fixed-size loads: a
  // variable-size memcpy is a library call.
  static Key short_key(std::string_view s) {
    const char* p = s.data();
    const size_t n = s.size();
    using short_bytes::load;
    if (n >= 8) return Key{load<uint64_t>(p), load<uint64_t>(p + n - 8), n};
    if (n >= 4) return Key{load<uint32_t>(p), load<uint32_t>(p + n - 4), n};
    if (n > 0) {
      return Key{uint64_t(uint8_t(p[0])) | uint64_t(uint8_t(p[n / 2])) << 8 |
                     uint64_t(uint8_t(p[n - 1])) << 16,
                 0, n};
    }
    return Key{};
  }
  static Key key_of(std::string_view s) {
    return s.size() > kInlineBytes ? Key{hash_of(s), 0, s.size()} : short_key(s);
  }
  size_t home(const Key& k) const {
    uint64_t h = (k.head ^ k.size) * 0x9E3779B97F4A7C15ull;
    h = (h ^ (h >> 29) ^ k.tail) * 0xBF58476D1CE4E5B9ull;
    return size_t(h >> shift_);
  }
  static uint64_t hash_of(std::string_view s);
  uint32_t find_or_add(std::string_view name);
  uint32_t add(std::string_view name, const Key& k);
  void grow();

  std::vector<Slot> slots_;  // size is a power of two (or 0), at most half full
  size_t mask_ = 0;          // slots_.size() - 1
  int shift_ = 64;           // 64 - log2(slots_.size()): home() takes the hash's top bits
  std::vector<std::string> names_;
};

}  // namespace ledgerflow
