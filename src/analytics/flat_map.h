#pragma once
// A small open-addressing hash map for the per-line aggregates of the DataCo marts (by month,
// by day, by commitment): a power-of-two table probed linearly, at most half full, so an update
// is one multiply-shift and usually one cache line, where std::unordered_map divides by a prime
// and follows a node pointer. Keys are never erased. Iteration order is the table's (callers
// that need an order copy into a std::map).
//
// Owned by its container; not thread-safe.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ledgerflow {

template <typename K, typename V, typename Hash>
class FlatMap {
 public:
  // The value of `key`, value-initialized when new. A key already there is found inline and
  // without calls; adding one (and growing) is out of line, so the lookup saves no registers.
  V& operator[](const K& key) {
    if (!slots_.empty()) {
      Slot& s = *find_slot(key, slots_.data(), mask_);
      if (s.used) return s.value;
    }
    return add(key);
  }
  size_t size() const { return size_; }

  template <typename F>
  void for_each(F&& f) const {
    for (const Slot& s : slots_) {
      if (s.used) f(s.key, s.value);
    }
  }

 private:
  struct Slot {
    K key{};
    V value{};
    bool used = false;
  };
  static size_t home(const K& key, size_t mask) {
    return size_t((uint64_t(Hash{}(key)) * 0x9E3779B97F4A7C15ull) >> 32) & mask;
  }
  // The slot of `key`, or the free slot that ends its probe run; mask is the table's size - 1.
  static Slot* find_slot(const K& key, Slot* slots, size_t mask) {
    for (size_t i = home(key, mask);; i = (i + 1) & mask) {
      Slot& s = slots[i];
      if (!s.used || s.key == key) return &s;
    }
  }
  // `key` is not in the table.
  [[gnu::noinline]] V& add(const K& key) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    Slot* s = find_slot(key, slots_.data(), mask_);
    *s = Slot{key, V{}, true};
    ++size_;
    return s->value;
  }
  void grow() {
    std::vector<Slot> next(slots_.empty() ? 64 : slots_.size() * 2);
    for (const Slot& s : slots_) {
      if (s.used) *find_slot(s.key, next.data(), next.size() - 1) = s;
    }
    slots_ = std::move(next);
    mask_ = slots_.size() - 1;
  }

  std::vector<Slot> slots_;  // size is a power of two (or 0)
  size_t mask_ = 0;          // slots_.size() - 1 once there are slots
  size_t size_ = 0;
};

}  // namespace ledgerflow
