#include "engine/dedupe_window.h"

#include "core/assert.h"

namespace ledgerflow {

bool DedupeWindow::contains(IdKey key) const {
  if (table_.empty()) return false;
  key = normalize(key);
  return table_[find(key)] == key;
}

size_t DedupeWindow::find(IdKey key) const {
  size_t i = slot_of(key);
  while (!(table_[i] == key) && !is_free(table_[i])) i = (i + 1) & mask_;
  return i;
}

void DedupeWindow::grow() {
  size_t slots = table_.empty() ? 1024 : table_.size() * 2;
  std::vector<IdKey, HugePageAllocator<IdKey>> old = std::move(table_);
  table_.assign(slots, IdKey{});
  mask_ = slots - 1;
  size_ = 0;
  for (const IdKey& k : old) {
    if (!is_free(k)) insert_new(k);
  }
}

void DedupeWindow::insert_new(IdKey key) {
  size_t i = slot_of(key);
  while (!is_free(table_[i])) i = (i + 1) & mask_;
  table_[i] = key;
  ++size_;
}

// Backward-shift deletion: pull later members of the probe run into the hole so that every
// key stays reachable from its home slot.
void DedupeWindow::erase(IdKey key) {
  size_t hole = find(key);
  LF_ASSERT(table_[hole] == key);
  for (size_t j = (hole + 1) & mask_;; j = (j + 1) & mask_) {
    const IdKey& k = table_[j];
    if (is_free(k)) break;
    size_t home = slot_of(k);
    // k may move into the hole if its home is not cyclically inside (hole, j].
    bool home_in_range = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (!home_in_range) {
      table_[hole] = k;
      hole = j;
    }
  }
  table_[hole] = IdKey{};
  --size_;
}

// One probe finds the key or the empty slot that ends its run, where it then goes unless the
// table changed in between (an eviction shifts runs back, growth rehashes): a second probe only
// then.
bool DedupeWindow::insert(IdKey key) {
  if (capacity_ == 0) return true;
  key = normalize(key);
  if (table_.empty()) grow();
  const size_t i = find(key);
  if (table_[i] == key) return false;
  bool moved = false;
  if (ring_.size() == capacity_) {
    erase(ring_[head_]);
    ring_[head_] = key;
    head_ = (head_ + 1) % capacity_;
    moved = true;
  } else {
    ring_.push_back(key);
  }
  if ((size_ + 1) * 2 > table_.size()) {
    grow();
    moved = true;
  }
  if (moved) {
    insert_new(key);
  } else {
    table_[i] = key;
    ++size_;
  }
  return true;
}

void DedupeWindow::serialize(ByteWriter& w) const {
  w.u64(ring_.size());
  for (size_t i = 0; i < ring_.size(); ++i) {
    const IdKey& k = ring_[(head_ + i) % ring_.size()];
    w.u64(k.lo);
    w.u64(k.hi);
  }
}

bool DedupeWindow::deserialize(ByteReader& r) {
  uint64_t n;
  if (!r.u64(&n) || n > r.remaining() / 16) return false;
  table_.clear();
  mask_ = 0;
  size_ = 0;
  ring_.clear();
  head_ = 0;
  for (uint64_t i = 0; i < n; ++i) {
    IdKey k;
    if (!r.u64(&k.lo) || !r.u64(&k.hi)) return false;
    insert(k);
  }
  return true;
}

}  // namespace ledgerflow
