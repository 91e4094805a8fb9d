#pragma once
// Remembers the identities of the last `capacity` events applied, so that a retried batch is
// not counted twice. Memory is bounded: about 48 bytes per remembered identity (the hash set
// node plus the ring slot). An identity older than the window is forgotten; a retry that
// arrives after `capacity` newer events in the same shard would count again (documented in
// docs/ARCHITECTURE.md, "Idempotency").
//
// Owned by one ShardState; single-threaded.
#include <cstdint>
#include <unordered_set>
#include <vector>

#include "core/bytes.h"
#include "core/checksum.h"

namespace ledgerflow {

class DedupeWindow {
 public:
  explicit DedupeWindow(size_t capacity) : capacity_(capacity) { ring_.reserve(capacity < 4096 ? capacity : 4096); }

  // True if `key` is new (and now remembered); false if it was seen within the window.
  bool insert(const IdKey& key) {
    if (capacity_ == 0) return true;
    if (!set_.insert(key).second) return false;
    if (ring_.size() < capacity_) {
      ring_.push_back(key);
    } else {
      set_.erase(ring_[head_]);
      ring_[head_] = key;
      head_ = (head_ + 1) % capacity_;
    }
    return true;
  }

  size_t size() const { return set_.size(); }
  size_t capacity() const { return capacity_; }

  // Oldest first, so that restoring gives the same eviction order.
  void serialize(ByteWriter& w) const {
    w.u64(ring_.size());
    for (size_t i = 0; i < ring_.size(); ++i) {
      const IdKey& k = ring_[(head_ + i) % ring_.size()];
      w.u64(k.lo);
      w.u64(k.hi);
    }
  }
  bool deserialize(ByteReader& r) {
    uint64_t n;
    if (!r.u64(&n) || n > r.remaining() / 16) return false;
    set_.clear();
    ring_.clear();
    head_ = 0;
    for (uint64_t i = 0; i < n; ++i) {
      IdKey k;
      if (!r.u64(&k.lo) || !r.u64(&k.hi)) return false;
      insert(k);
    }
    return true;
  }

 private:
  size_t capacity_;
  std::unordered_set<IdKey, IdKeyHash> set_;
  std::vector<IdKey> ring_;  // insertion order; ring_[head_] is the oldest once full
  size_t head_ = 0;
};

}  // namespace ledgerflow
