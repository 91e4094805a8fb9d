#pragma once
// Remembers the identities of the last `capacity` events applied, so that a retried batch is
// not counted twice. Memory is bounded: an open-addressing table of 16-byte identities that
// grows to at most 2 x capacity slots, plus a ring of `capacity` identities for eviction order
// (48 bytes per remembered identity at most). An identity older than the window is forgotten; a
// retry arriving after `capacity` newer events in the same shard would count again (see
// docs/ARCHITECTURE.md, "Idempotency").
//
// Linear probing with backward-shift deletion keeps lookups short without tombstones.
// Owned by one ShardState; single-threaded.
#include <cstdint>
#include <vector>

#include "core/bytes.h"
#include "core/checksum.h"
#include "core/huge_page_allocator.h"

namespace ledgerflow {

class DedupeWindow {
 public:
  explicit DedupeWindow(size_t capacity) : capacity_(capacity) {}

  // True if `key` is new (and now remembered); false if it was seen within the window.
  bool insert(IdKey key);
  bool contains(IdKey key) const;
  // A hint that `key` is inserted about `ahead` inserts from now: starts loading its home slot,
  // and the slot of the identity that insert will evict, into the cache. The table is far larger
  // than the cache and every new identity lands in a random slot, so without the hint each
  // insert waits for memory (most of a shard's time per sale).
  void prefetch(IdKey key, size_t ahead) const {
    if (table_.empty()) return;
    prefetch_slot(slot_of(normalize(key)));
    // table_ is empty while capacity_ is 0 (insert keeps nothing), so the modulo has a divisor.
    if (ring_.size() == capacity_) prefetch_slot(slot_of(ring_[(head_ + ahead) % capacity_]));
  }

  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }

  // Oldest first, so that restoring gives the same eviction order.
  void serialize(ByteWriter& w) const;
  bool deserialize(ByteReader& r);

 private:
  static IdKey normalize(IdKey k) {
    if (k.lo == 0 && k.hi == 0) k.lo = 1;  // {0,0} marks an empty slot
    return k;
  }
  static bool is_free(const IdKey& slot) { return slot.lo == 0 && slot.hi == 0; }
  // The slot of `key` (normalized), or else the free slot that ends its probe run.
  size_t find(IdKey key) const;
  size_t slot_of(const IdKey& k) const { return size_t(k.lo ^ (k.hi >> 17)) & mask_; }
  void prefetch_slot(size_t i) const {
#if defined(__x86_64__)
    // GCC 12's dead-code elimination drops __builtin_prefetch here (its result is unused and
    // nothing depends on it); an asm statement with a memory operand is kept.
    asm volatile("prefetcht0 %0" : : "m"(table_[i]));
#else
    __builtin_prefetch(&table_[i]);
#endif
  }
  void grow();
  void erase(IdKey key);
  void insert_new(IdKey key);

  size_t capacity_;
  // Size is a power of two (or 0). Probed at random: on huge pages where the kernel allows.
  std::vector<IdKey, HugePageAllocator<IdKey>> table_;
  size_t mask_ = 0;
  size_t size_ = 0;
  std::vector<IdKey> ring_;  // insertion order; ring_[head_] is the oldest once full
  size_t head_ = 0;
};

}  // namespace ledgerflow
