#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "engine/checkpoint.h"
#include "engine/shard_state.h"
#include "engine/watermark.h"
#include "test_util.h"

using namespace ledgerflow;
using ledgerflow::testing::sale;
using ledgerflow::testing::shipment;

namespace {

constexpr int64_t kT0 = 1714564800000;  // 2024-05-01 12:00:00Z

// Runs events through a watermark tracker (one source) and a shard, in the given order.
ShardState run(const std::vector<Event>& events, int64_t bound_ms = 15'000) {
  WatermarkTracker wm({bound_ms, 30'000, 100});
  ShardState s(&Catalog::builtin(), ShardOptions{});
  uint64_t offset = 0;
  for (Event e : events) {
    e.offset = offset++;
    int64_t mark = wm.advance();
    wm.observe(SourcePosition{SourceKind::kHttp, "http", 0, 0}, e.event_time_ms, 0);
    s.apply(RoutedEvent{&e, mark});
  }
  return s;
}

std::vector<Event> workload() {
  std::vector<Event> events;
  std::mt19937 rng(1);
  for (int i = 0; i < 600; ++i) {
    int64_t t = kT0 + i * 500;  // 5 minutes of events, two per second
    events.push_back(
        sale("r" + std::to_string(i / 3), 1 + i % 7, 1 + int64_t(rng() % 9), "2.75", t, 1 + i % 2));
    if (i % 50 == 0)
      events.push_back(shipment("s" + std::to_string(i), 1 + i % 7, 500, t, 1 + i % 2));
  }
  return events;
}

// Shuffles within a bound: each event moves at most `bound_ms` of event time.
std::vector<Event> shuffle_within(std::vector<Event> events, int64_t bound_ms, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::pair<int64_t, Event>> keyed;
  for (auto& e : events)
    keyed.emplace_back(e.event_time_ms + int64_t(rng() % uint64_t(bound_ms)), e);
  std::stable_sort(keyed.begin(), keyed.end(), [](auto& a, auto& b) { return a.first < b.first; });
  std::vector<Event> out;
  for (auto& [k, e] : keyed) out.push_back(e);
  return out;
}

struct Totals {
  int64_t sold = 0, received = 0;
  Money revenue;
};

}  // namespace

TEST(ShardState, InventoryTotalsMatchAnIndependentSum) {
  auto events = workload();
  ShardState s = run(events);
  std::map<std::pair<int32_t, int64_t>, Totals> expect;
  for (const Event& e : events) {
    Totals& t = expect[{e.store_id, e.prod_id}];
    if (e.type == EventType::kSale) {
      t.sold += e.units;
      t.revenue += e.unit_price * e.units;
    } else {
      t.received += e.units;
    }
  }
  ASSERT_EQ(s.inventory().rows().size(), expect.size());
  for (const auto& [key, row] : s.inventory().rows()) {
    const Totals& t = expect.at({row.store_id, row.prod_id});
    EXPECT_EQ(row.total_sold, t.sold);
    EXPECT_EQ(row.total_received, t.received);
    EXPECT_EQ(row.unit_left(), t.received - t.sold);
    EXPECT_EQ(row.revenue, t.revenue);
    const Product* p = Catalog::builtin().find(row.prod_id);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(row.value_at_cost(), p->cost_price * std::max<int64_t>(0, row.unit_left()));
  }
}

TEST(ShardState, OutOfOrderWithinTheBoundEqualsSortedInput) {
  auto sorted = workload();
  ShardState a = run(sorted);
  for (uint32_t seed : {1u, 2u, 3u}) {
    ShardState b = run(shuffle_within(sorted, 15'000, seed));
    EXPECT_EQ(b.counters().late_dropped, 0u);
    ASSERT_EQ(a.windows().windows().size(), b.windows().windows().size());
    for (const auto& [start, w] : a.windows().windows()) {
      const SalesWindow& v = b.windows().windows().at(start);
      EXPECT_EQ(w.units_sold, v.units_sold) << start;
      EXPECT_EQ(w.revenue, v.revenue) << start;
      EXPECT_EQ(w.shipments, v.shipments) << start;
    }
    for (const auto& [key, row] : a.inventory().rows()) {
      const InventoryRow& r = b.inventory().rows().at(key);
      EXPECT_EQ(row.total_sold, r.total_sold);
      EXPECT_EQ(row.total_received, r.total_received);
      EXPECT_EQ(row.revenue, r.revenue);
    }
  }
}

TEST(ShardState, SalesPerMinuteAreExact) {
  auto events = workload();
  ShardState s = run(events);
  std::map<int64_t, std::pair<int64_t, Money>> expect;
  for (const Event& e : events) {
    if (e.type != EventType::kSale) continue;
    auto& [units, revenue] = expect[e.event_time_ms - (e.event_time_ms - kT0) % 60'000];
    units += e.units;
    revenue += e.unit_price * e.units;
  }
  ASSERT_EQ(s.windows().windows().size(), expect.size());
  for (const auto& [start, w] : s.windows().windows()) {
    EXPECT_EQ(w.units_sold, expect.at(start).first);
    EXPECT_EQ(w.revenue, expect.at(start).second);
  }
}

TEST(ShardState, LateEventUpdatesItsWindowAndCountsAsLate) {
  std::vector<Event> events;
  for (int i = 0; i < 10; ++i)
    events.push_back(sale("a" + std::to_string(i), 1, 1, "1.00", kT0 + i * 60'000));
  // 5 minutes behind the newest event: well past the 15 s bound, inside retention.
  events.push_back(sale("late", 1, 4, "1.00", kT0 + 4 * 60'000 + 10));
  ShardState s = run(events);
  EXPECT_EQ(s.counters().late_updates, 1u);
  EXPECT_EQ(s.counters().late_dropped, 0u);
  const SalesWindow& w = s.windows().windows().at(kT0 + 4 * 60'000);
  EXPECT_EQ(w.units_sold, 5);
  EXPECT_EQ(w.late_updates, 1);
}

TEST(ShardState, TooLateGoesToTheLateStoreButStillCountsInStock) {
  std::vector<Event> events;
  events.push_back(sale("now", 2, 1, "1.00", kT0 + 10 * 86'400'000LL));
  events.push_back(sale("now2", 2, 1, "1.00", kT0 + 10 * 86'400'000LL + 1000));
  events.push_back(sale("old", 2, 7, "1.00", kT0));  // 10 days late, retention is 7 days
  ShardState s = run(events);
  EXPECT_EQ(s.counters().late_dropped, 1u);
  ASSERT_EQ(s.late_events().size(), 1u);
  EXPECT_EQ(s.late_events().front().units, 7);
  EXPECT_EQ(s.inventory().rows().at(inventory_key(1, 2)).total_sold, 9);
}

TEST(ShardState, RetriedEventsCountOnce) {
  auto events = workload();
  auto doubled = events;
  doubled.insert(doubled.end(), events.begin(), events.begin() + 200);
  ShardState a = run(events), b = run(doubled);
  EXPECT_EQ(b.counters().duplicates, 200u);
  for (const auto& [key, row] : a.inventory().rows()) {
    EXPECT_EQ(row.total_sold, b.inventory().rows().at(key).total_sold);
  }
}

TEST(ShardState, UnknownProductIsKeptAndFlagged) {
  Event e = sale("x", 9999, 2, "3.10", kT0);
  e.prod_name = "Mystery Snack";
  ShardState s = run({e});
  const InventoryRow& r = s.inventory().rows().at(inventory_key(1, 9999));
  EXPECT_TRUE(r.unknown_product);
  EXPECT_EQ(r.prod_name, "Mystery Snack");
  EXPECT_EQ(r.total_sold, 2);
}

TEST(ShardState, CheckpointRoundTripReproducesState) {
  auto events = workload();
  std::vector<Event> first(events.begin(), events.begin() + 300),
      rest(events.begin() + 300, events.end());
  ShardState whole = run(events);
  ShardState part = run(first);
  std::string blob;
  ByteWriter w(&blob);
  part.serialize(w);
  ShardState restored(&Catalog::builtin(), ShardOptions{});
  ByteReader r(blob);
  ASSERT_TRUE(restored.deserialize(r, kCheckpointVersion));
  EXPECT_EQ(r.remaining(), 0u);
  // Re-serializing gives identical bytes (maps are ordered by key where it matters).
  std::string again;
  ByteWriter w2(&again);
  restored.serialize(w2);
  ShardState check(&Catalog::builtin(), ShardOptions{});
  ByteReader r2(again);
  ASSERT_TRUE(check.deserialize(r2, kCheckpointVersion));
  EXPECT_EQ(check.inventory().rows().size(), part.inventory().rows().size());
  // Retrying the first half after restore is recognised as duplicates.
  WatermarkTracker wm;
  uint64_t dup_before = restored.counters().duplicates;
  for (Event e : first) restored.apply(RoutedEvent{&e, WatermarkTracker::kNone});
  EXPECT_EQ(restored.counters().duplicates - dup_before, first.size());
  for (Event e : rest) restored.apply(RoutedEvent{&e, WatermarkTracker::kNone});
  for (const auto& [key, row] : whole.inventory().rows()) {
    EXPECT_EQ(row.total_sold, restored.inventory().rows().at(key).total_sold);
    EXPECT_EQ(row.total_received, restored.inventory().rows().at(key).total_received);
  }
}

TEST(ShardState, TruncatedSnapshotIsRefused) {
  ShardState s = run(workload());
  std::string blob;
  ByteWriter w(&blob);
  s.serialize(w);
  for (size_t cut : {size_t(0), size_t(10), blob.size() / 2, blob.size() - 1}) {
    ShardState r(&Catalog::builtin(), ShardOptions{});
    ByteReader br(std::string_view(blob).substr(0, cut));
    EXPECT_FALSE(r.deserialize(br, kCheckpointVersion)) << cut;
  }
}
