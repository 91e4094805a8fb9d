#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "engine/watermark.h"

using namespace ledgerflow;

namespace {
SourcePosition kafka(int partition) {
  return SourcePosition{SourceKind::kKafka, "sales", partition, 0};
}
}  // namespace

TEST(Watermark, TrailsTheSlowestActiveSourceByTheBound) {
  WatermarkTracker w({15'000, 30'000, 100});
  EXPECT_EQ(w.advance(), WatermarkTracker::kNone);
  w.observe(kafka(0), 100'000, 1'000);
  w.observe(kafka(1), 50'000, 1'000);
  EXPECT_EQ(w.advance(), 35'000);
  w.observe(kafka(1), 120'000, 2'000);
  EXPECT_EQ(w.advance(), 85'000);
}

TEST(Watermark, IdleSourceDoesNotStallIt) {
  WatermarkTracker w({15'000, 30'000, 100});
  w.observe(kafka(0), 100'000, 0);
  w.observe(kafka(1), 10'000, 0);
  EXPECT_EQ(w.advance(), -5'000);
  // Partition 1 stays silent while partition 0 keeps going for more than the idle timeout.
  w.observe(kafka(0), 200'000, 40'000);
  EXPECT_EQ(w.advance(), 185'000);
}

TEST(Watermark, NeverGoesBackwards) {
  WatermarkTracker w({1'000, 30'000, 100});
  w.observe(kafka(0), 100'000, 0);
  EXPECT_EQ(w.advance(), 99'000);
  w.observe(kafka(1), 5'000, 0);  // a new, slower source appears
  EXPECT_EQ(w.advance(), 99'000);
}

TEST(Watermark, SerializesExactly) {
  WatermarkTracker w({15'000, 30'000, 100});
  w.observe(kafka(0), 100'000, 1);
  w.observe(kafka(3), 90'000, 2);
  w.advance();
  std::string blob;
  ByteWriter bw(&blob);
  w.serialize(bw);
  WatermarkTracker r({15'000, 30'000, 100});
  ByteReader br(blob);
  ASSERT_TRUE(r.deserialize(br));
  EXPECT_EQ(r.watermark(), w.watermark());
  EXPECT_EQ(r.max_event_time(), 100'000);
  r.observe(kafka(3), 95'000, 3);
  w.observe(kafka(3), 95'000, 3);
  EXPECT_EQ(r.advance(), w.advance());
}

// advance() keeps the last minimum and recomputes only when it can have moved; checked against
// the definition (min over active sources of their max event time, minus the bound, never
// backwards) recomputed from scratch after every observation, over random streams with idle
// sources, sources coming back, new sources and sources forgotten beyond max_sources.
TEST(Watermark, CachedMinimumEqualsTheDefinitionAtEveryStep) {
  struct Clock {
    int64_t max_event = WatermarkTracker::kNone;
    int64_t last_ingest = WatermarkTracker::kNone;
  };
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    const WatermarkOptions opts{1'000, 5'000, 12};
    WatermarkTracker w(opts);
    std::map<std::string, Clock> model;  // keyed like the tracker's sources (ties: key order)
    int64_t latest_ingest = WatermarkTracker::kNone, expected = WatermarkTracker::kNone;
    int64_t ingest = 0;
    for (int step = 0; step < 5'000; ++step) {
      ingest += int64_t(rng() % 3 == 0 ? rng() % 400 : 0);
      // Mostly a few busy partitions, sometimes one of many (new, idle or coming back).
      int partition = rng() % 4 == 0 ? int(rng() % 16) : int(rng() % 3);
      int64_t event_time = ingest + int64_t(rng() % 4'000) - 2'000;
      w.observe(kafka(partition), event_time, ingest);
      Clock& c = model["kafka/sales/" + std::to_string(partition)];
      c.max_event = std::max(c.max_event, event_time);
      c.last_ingest = std::max(c.last_ingest, ingest);
      latest_ingest = std::max(latest_ingest, ingest);
      if (model.size() > opts.max_sources) {
        auto oldest = std::min_element(model.begin(), model.end(), [](auto& a, auto& b) {
          return a.second.last_ingest < b.second.last_ingest;
        });
        model.erase(oldest);
      }
      int64_t low = WatermarkTracker::kNone;
      for (const auto& [p, m] : model) {
        if (m.last_ingest < latest_ingest - opts.idle_timeout_ms) continue;
        low = low == WatermarkTracker::kNone ? m.max_event : std::min(low, m.max_event);
      }
      if (low != WatermarkTracker::kNone)
        expected = std::max(expected, low - opts.out_of_orderness_ms);
      ASSERT_EQ(w.advance(), expected) << "seed " << seed << " step " << step;
    }
  }
}

// The clocks sit in slots with the keys beside them: a copy (readers get one) or a tracker
// restored from a checkpoint forgets its own sources without touching the original's, and the
// slot moved into a forgotten one keeps its clock. By hand, no bound, no idling:
//   w: p0 100, p1 200, p2 300, p3 400 -> 100;
//   copy + p10 1000: 5 sources > 4, the oldest (p0) goes -> 200; w + p0 150 -> 150;
//   restored copy + p11 5000: p1 goes, p11's clock moves into its slot -> 300;
//   then p10 6000, p2 7000, p3 8000 -> 5000 (p11's clock, found in its new slot).
TEST(Watermark, CopiesAndRestoredTrackersForgetSourcesOnTheirOwn) {
  const WatermarkOptions opts{0, 1'000'000, 4};
  WatermarkTracker w(opts);
  for (int p = 0; p < 4; ++p) w.observe(kafka(p), 100 * (p + 1), p);
  EXPECT_EQ(w.advance(), 100);
  WatermarkTracker copy = w;
  copy.observe(kafka(10), 1'000, 10);
  EXPECT_EQ(copy.source_count(), 4u);
  EXPECT_EQ(copy.advance(), 200);
  w.observe(kafka(0), 150, 11);
  EXPECT_EQ(w.source_count(), 4u);
  EXPECT_EQ(w.advance(), 150);
  std::string blob;
  ByteWriter bw(&blob);
  copy.serialize(bw);
  WatermarkTracker restored(opts);
  ByteReader br(blob);
  ASSERT_TRUE(restored.deserialize(br));
  restored.observe(kafka(11), 5'000, 12);
  EXPECT_EQ(restored.source_count(), 4u);
  EXPECT_EQ(restored.advance(), 300);
  restored.observe(kafka(10), 6'000, 13);
  restored.observe(kafka(2), 7'000, 14);
  restored.observe(kafka(3), 8'000, 15);
  EXPECT_EQ(restored.source_count(), 4u);
  EXPECT_EQ(restored.advance(), 5'000);
}
