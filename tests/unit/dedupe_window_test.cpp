#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <set>

#include "engine/dedupe_window.h"

using namespace ledgerflow;

namespace {
IdKey key(uint64_t i) {
  return hash_id(std::to_string(i), 7);
}
}  // namespace

TEST(DedupeWindow, RemembersExactlyTheLastCapacityIdentities) {
  DedupeWindow w(1000);
  for (uint64_t i = 0; i < 5000; ++i) EXPECT_TRUE(w.insert(key(i)));
  EXPECT_EQ(w.size(), 1000u);
  for (uint64_t i = 0; i < 4000; ++i) EXPECT_FALSE(w.contains(key(i))) << i;
  for (uint64_t i = 4000; i < 5000; ++i) EXPECT_FALSE(w.insert(key(i))) << i;
}

TEST(DedupeWindow, MatchesAReferenceModelUnderRandomTraffic) {
  // Many repeats and deletions exercise backward-shift deletion in long probe runs.
  DedupeWindow w(300);
  std::deque<uint64_t> order;
  std::set<uint64_t> present;
  std::mt19937_64 rng(5);
  for (int step = 0; step < 200000; ++step) {
    uint64_t id = rng() % 900;
    bool expect_new = !present.count(id);
    ASSERT_EQ(w.insert(key(id)), expect_new) << step;
    if (expect_new) {
      order.push_back(id);
      present.insert(id);
      if (order.size() > 300) {
        present.erase(order.front());
        order.pop_front();
      }
    }
  }
  EXPECT_EQ(w.size(), present.size());
}

TEST(DedupeWindow, ZeroKeyIsAnOrdinaryKey) {
  DedupeWindow w(10);
  EXPECT_TRUE(w.insert(IdKey{0, 0}));
  EXPECT_FALSE(w.insert(IdKey{0, 0}));
}

TEST(DedupeWindow, SerializesInEvictionOrder) {
  DedupeWindow w(100);
  for (uint64_t i = 0; i < 250; ++i) w.insert(key(i));
  std::string blob;
  ByteWriter bw(&blob);
  w.serialize(bw);
  DedupeWindow r(100);
  ByteReader br(blob);
  ASSERT_TRUE(r.deserialize(br));
  EXPECT_EQ(r.size(), 100u);
  // The next insert evicts the oldest remembered (150) in both.
  w.insert(key(1000));
  r.insert(key(1000));
  EXPECT_FALSE(r.contains(key(150)));
  EXPECT_TRUE(r.contains(key(151)));
  EXPECT_EQ(w.contains(key(151)), r.contains(key(151)));
}

TEST(DedupeWindow, ATableOnHugePagesGrowsAndForgetsLikeASmallOne) {
  // 200,000 identities: the table grows through 2 MiB (131,072 slots) to 8 MiB, so it is
  // allocated by HugePageAllocator's large path, and eviction runs in it.
  DedupeWindow w(200'000);
  for (uint64_t i = 0; i < 300'000; ++i) ASSERT_TRUE(w.insert(key(i))) << i;
  EXPECT_EQ(w.size(), 200'000u);
  for (uint64_t i = 0; i < 100'000; i += 997) EXPECT_FALSE(w.contains(key(i))) << i;
  for (uint64_t i = 100'000; i < 300'000; i += 997) EXPECT_TRUE(w.contains(key(i))) << i;
}

TEST(HugePageAllocator, LargeBlocksAreAlignedToHugePagesAndSmallOnesAreOrdinary) {
  HugePageAllocator<IdKey> a;
  const size_t large = kHugePageBytes / sizeof(IdKey) + 1;  // just over 2 MiB: rounded to 4
  IdKey* p = a.allocate(large);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kHugePageBytes, 0u);
  for (size_t i = 0; i < large; ++i) p[i] = IdKey{i, ~i};  // every byte of it is usable
  EXPECT_EQ(p[large - 1].lo, large - 1);
  a.deallocate(p, large);
  IdKey* q = a.allocate(4);
  q[3] = IdKey{1, 2};
  EXPECT_EQ(q[3].hi, 2u);
  a.deallocate(q, 4);
  std::vector<IdKey, HugePageAllocator<IdKey>> v(large);
  v.resize(8);  // shrinking keeps the large block; the free must still take the large path
  v.shrink_to_fit();
  EXPECT_EQ(v.size(), 8u);
}

// Every key has the same home slot in a table of 1,024 slots, so all of them share one probe
// run, which growth to 2,048 splits in two (bit 10 of the key): a new key is stored in the free
// slot its lookup ended on unless an eviction (which pulls the run back) or growth came
// between, and must stay findable either way.
TEST(DedupeWindow, KeysOfOneHomeSlotStayFoundThroughEvictionAndGrowth) {
  auto crowded = [](uint64_t id) { return IdKey{(id + 1) << 20 | (id & 1) << 10 | 77, 0}; };
  for (size_t capacity : {size_t(40), size_t(700)}) {  // evicting in 1024 slots; growing to 2048
    DedupeWindow w(capacity);
    std::deque<uint64_t> order;
    std::set<uint64_t> present;
    std::mt19937_64 rng(capacity);
    for (int step = 0; step < 20'000; ++step) {
      const uint64_t id = rng() % (capacity * 3);
      const IdKey k = crowded(id);
      const bool expect_new = !present.count(id);
      ASSERT_EQ(w.insert(k), expect_new) << step;
      if (expect_new) {
        order.push_back(id);
        present.insert(id);
        if (order.size() > capacity) {
          present.erase(order.front());
          order.pop_front();
        }
      }
      if (step % 397 == 0) {
        for (uint64_t j = 0; j < capacity * 3; ++j) {
          ASSERT_EQ(w.contains(crowded(j)), present.count(j) == 1) << step;
        }
      }
    }
    EXPECT_EQ(w.size(), present.size());
  }
}
