#include <gtest/gtest.h>

#include "core/event_time.h"

using namespace ledgerflow;

TEST(EventTime, ParsesSeedFormatAsUtc) {
  // 2024-05-01T12:00:00Z is 1714564800 s.
  EXPECT_EQ(parse_event_time_ms("2024-05-01 12:00:00.123").value(), 1714564800123);
  EXPECT_EQ(parse_event_time_ms("2024-05-01 12:00:00").value(), 1714564800000);
  EXPECT_EQ(parse_event_time_ms("2024-05-01 12:00:00.5").value(), 1714564800500);
  EXPECT_EQ(parse_event_time_ms("2024-05-01 12:00:00.123456").value(), 1714564800123);
  EXPECT_EQ(parse_event_time_ms("1970-01-01 00:00:00").value(), 0);
}

TEST(EventTime, ParsesIso8601WithZones) {
  EXPECT_EQ(parse_event_time_ms("2024-05-01T12:00:00Z").value(), 1714564800000);
  EXPECT_EQ(parse_event_time_ms("2024-05-01T14:00:00.250+02:00").value(), 1714564800250);
  EXPECT_EQ(parse_event_time_ms("2024-05-01T07:30:00-0430").value(), 1714564800000);
}

TEST(EventTime, RefusesBadTimes) {
  for (const char* bad : {"", "2024-05-01", "2024-13-01 00:00:00", "2024-02-30 00:00:00",
                          "2024-05-01 24:00:00", "2024-05-01 12:60:00", "2024-05-01T12:00:00",
                          "1969-12-31 23:59:59", "2024-05-01 12:00:00Z junk",
                          "2024-05-01 12:00:00.", "yesterday", "2024-05-01T12:00:00+25:00"}) {
    auto r = parse_event_time_ms(bad);
    EXPECT_FALSE(r.is_ok()) << bad;
    if (!r.is_ok()) {
      EXPECT_EQ(r.status().code(), "invalid_time") << bad;
    }
  }
}

TEST(EventTime, LeapDays) {
  EXPECT_TRUE(parse_event_time_ms("2024-02-29 00:00:00").is_ok());
  EXPECT_FALSE(parse_event_time_ms("2023-02-29 00:00:00").is_ok());
  EXPECT_FALSE(parse_event_time_ms("2100-02-29 00:00:00").is_ok());
}

TEST(EventTime, FormatsRoundTrip) {
  int64_t ms = 1714564800123;
  EXPECT_EQ(format_event_time(ms), "2024-05-01 12:00:00.123");
  EXPECT_EQ(format_iso8601(ms), "2024-05-01T12:00:00.123Z");
  EXPECT_EQ(parse_event_time_ms(format_event_time(ms)).value(), ms);
  EXPECT_EQ(parse_event_time_ms(format_iso8601(ms)).value(), ms);
}

TEST(EventTime, FloorHandlesNegatives) {
  EXPECT_EQ(floor_to(-1, 60000), -60000);
  EXPECT_EQ(floor_to(59999, 60000), 0);
  EXPECT_EQ(floor_to(60000, 60000), 60000);
}
