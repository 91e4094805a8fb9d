#include <gtest/gtest.h>

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
