#pragma once
// Dense ids for the few distinct values of one dimension (delivery statuses, markets, ...), so
// that applying a line costs one probe per dimension instead of string copies and string-keyed
// map walks. Names come back only when summarizing or serializing.
//
// Ids are given in first-seen order (the checkpoint bytes depend on it only through names, but
// by-id vectors are indexed by it). The table is open addressing over the id of each name with
// its hash beside it, so a lookup hashes the caller's bytes once, builds no std::string and
// compares bytes only on a full hash match.
//
// Owned by one DatacoMarts; single-threaded.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace ledgerflow {

class StringIds {
 public:
  // The last name asked for is checked first, inline: lines of one order come one after
  // another and share most dimension values, so most lookups compare one string and stop.
  uint32_t id(std::string_view name) {
    if (last_ < names_.size() && same(names_[last_], name)) return last_;
    return last_ = find_or_add(name);
  }
  const std::string& name(uint32_t id) const { return names_[id]; }
  size_t size() const { return names_.size(); }

 private:
  struct Slot {
    uint32_t hash = 0;
    uint32_t id_plus_one = 0;  // 0: empty
  };
  uint32_t find_or_add(std::string_view name);
  // a == b by 8-byte loads that overlap at the end: dimension values are short, and memcmp is a
  // library call (it was a fifth of the lookups' instructions).
  static bool same(std::string_view a, std::string_view b) {
    const size_t n = a.size();
    if (n != b.size()) return false;
    const char *x = a.data(), *y = b.data();
    if (n >= 8) {
      for (size_t i = 0; i + 8 < n; i += 8) {
        if (load<uint64_t>(x + i) != load<uint64_t>(y + i)) return false;
      }
      return load<uint64_t>(x + n - 8) == load<uint64_t>(y + n - 8);
    }
    if (n >= 4) {
      return load<uint32_t>(x) == load<uint32_t>(y) &&
             load<uint32_t>(x + n - 4) == load<uint32_t>(y + n - 4);
    }
    for (size_t i = 0; i < n; ++i) {
      if (x[i] != y[i]) return false;
    }
    return true;
  }
  template <typename T>
  static T load(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static uint32_t hash_of(std::string_view s);
  void grow();

  std::vector<Slot> slots_;  // size is a power of two (or 0), at most half full
  std::vector<std::string> names_;
  uint32_t last_ = UINT32_MAX;  // the id returned last (none yet: out of range)
};

}  // namespace ledgerflow
