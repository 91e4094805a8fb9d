#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/checksum.h"
#include "log/bronze_log.h"
#include "log/log_format.h"
#include "test_util.h"

using namespace ledgerflow;
using ledgerflow::testing::TempDir;

namespace {

LogRecord event_record(int i) {
  LogRecord r;
  r.kind = RecordKind::kEvent;
  r.source = SourcePosition{SourceKind::kHttp, "http", 0, i};
  r.raw = "{\"n\":" + std::to_string(i) + "}";
  r.raw_size = uint32_t(r.raw.size());
  r.event =
      ledgerflow::testing::sale("r" + std::to_string(i), 1 + i % 5, 1 + i % 7, "1.25", 1000 * i);
  r.ingest_time_ms = 42;
  return r;
}

// Appends n records through the public API; returns the segment path of the last segment.
void append_n(BronzeLog& log, int from, int n) {
  std::string buf;
  for (int i = from; i < from + n; ++i) {
    LogRecord r = event_record(i);
    r.offset = log.next_offset() + uint64_t(i - from);
    logfmt::encode_record(r, &buf);
  }
  ASSERT_TRUE(log.append(buf, uint64_t(n)));
  ASSERT_TRUE(log.sync());
}

std::vector<LogRecord> read_all(const std::string& dir, uint64_t from = 0) {
  BronzeLog log({dir, 1 << 20});
  EXPECT_TRUE(log.open().is_ok());
  std::vector<LogRecord> out;
  EXPECT_TRUE(log.replay(from, [&](const LogRecord& r) {
    out.push_back(r);
    return Status::ok();
  }));
  return out;
}

std::string only_segment(const std::string& dir) {
  for (auto& e : std::filesystem::directory_iterator(dir)) return e.path().string();
  return "";
}

}  // namespace

TEST(BronzeLog, AppendsAndReplaysFromAnyOffset) {
  TempDir tmp;
  {
    BronzeLog log({tmp.str(), 1 << 20});
    ASSERT_TRUE(log.open().is_ok());
    append_n(log, 0, 100);
  }
  auto all = read_all(tmp.str());
  ASSERT_EQ(all.size(), 100u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(all[size_t(i)].offset, uint64_t(i));
    EXPECT_EQ(all[size_t(i)].raw, "{\"n\":" + std::to_string(i) + "}");
    EXPECT_EQ(all[size_t(i)].event.prod_id, 1 + i % 5);
    EXPECT_EQ(all[size_t(i)].event.unit_price.micros(), 1'250'000);
    EXPECT_EQ(all[size_t(i)].source.position, i);
  }
  auto tail = read_all(tmp.str(), 73);
  ASSERT_EQ(tail.size(), 27u);
  EXPECT_EQ(tail.front().offset, 73u);
}

TEST(BronzeLog, RollsSegmentsAndReplaysAcrossThem) {
  TempDir tmp;
  {
    BronzeLog log({tmp.str(), 1 << 16});
    ASSERT_TRUE(log.open().is_ok());
    for (int k = 0; k < 20; ++k) append_n(log, k * 100, 100);
  }
  size_t segments = 0;
  for (auto& e : std::filesystem::directory_iterator(tmp.str()))
    segments += e.path().extension() == ".seg";
  EXPECT_GT(segments, 3u);
  BronzeLog log({tmp.str(), 1 << 16});
  auto report = log.open();
  ASSERT_TRUE(report.is_ok());
  EXPECT_EQ(report->next_offset, 2000u);
  uint64_t count = 0, expect = 1500;
  ASSERT_TRUE(log.replay(1500, [&](const LogRecord& r) {
    EXPECT_EQ(r.offset, expect++);
    ++count;
    return Status::ok();
  }));
  EXPECT_EQ(count, 500u);
}

TEST(BronzeLog, TruncatesATornTailAndReportsIt) {
  TempDir tmp;
  {
    BronzeLog log({tmp.str(), 1 << 20});
    ASSERT_TRUE(log.open().is_ok());
    append_n(log, 0, 10);
  }
  std::string seg = only_segment(tmp.str());
  auto size = std::filesystem::file_size(seg);
  std::filesystem::resize_file(seg, size - 7);  // cut the last record short
  BronzeLog log({tmp.str(), 1 << 20});
  auto report = log.open();
  ASSERT_TRUE(report.is_ok()) << report.status().to_string();
  EXPECT_EQ(report->next_offset, 9u);
  EXPECT_GT(report->torn_tail_bytes, 0u);
  // Appending after repair continues the offsets.
  append_n(log, 9, 3);
  auto all = read_all(tmp.str());
  ASSERT_EQ(all.size(), 12u);
  EXPECT_EQ(all.back().offset, 11u);
}

TEST(BronzeLog, TornTailWithGarbageIsCut) {
  TempDir tmp;
  {
    BronzeLog log({tmp.str(), 1 << 20});
    ASSERT_TRUE(log.open().is_ok());
    append_n(log, 0, 5);
  }
  std::string seg = only_segment(tmp.str());
  {
    std::ofstream f(seg, std::ios::app | std::ios::binary);
    f << std::string(100, '\x7f');  // a half-written record's worth of junk
  }
  BronzeLog log({tmp.str(), 1 << 20});
  auto report = log.open();
  ASSERT_TRUE(report.is_ok());
  EXPECT_EQ(report->next_offset, 5u);
  EXPECT_EQ(report->torn_tail_bytes, 100u);
}

TEST(BronzeLog, RefusesCorruptionInTheMiddle) {
  TempDir tmp;
  {
    BronzeLog log({tmp.str(), 1 << 20});
    ASSERT_TRUE(log.open().is_ok());
    append_n(log, 0, 10);
  }
  std::string seg = only_segment(tmp.str());
  {
    std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(logfmt::kSegmentHeaderBytes + 40);  // inside the first record's body
    f.put('X');
  }
  BronzeLog log({tmp.str(), 1 << 20});
  auto report = log.open();
  ASSERT_FALSE(report.is_ok());
  EXPECT_EQ(report.status().code(), "log_corrupt");
  EXPECT_EQ(report.status().error_class(), ErrorClass::kFatal);
  EXPECT_NE(report.status().message().find("offset 0"), std::string::npos);
  // Nothing was truncated: the damaged file is left for inspection.
  EXPECT_GT(std::filesystem::file_size(seg), 1000u);
}

TEST(BronzeLog, EncodesEveryRecordKind) {
  for (RecordKind kind : {RecordKind::kEvent, RecordKind::kDeadLetter, RecordKind::kBatchMarker}) {
    LogRecord r = event_record(3);
    r.kind = kind;
    r.offset = 77;
    r.reason_code = "invalid_json";
    r.message = "malformed";
    std::string buf;
    logfmt::encode_record(r, &buf);
    LogRecord back;
    size_t consumed = 0;
    ASSERT_EQ(logfmt::decode_record(buf, &back, &consumed), logfmt::DecodeResult::kOk);
    EXPECT_EQ(consumed, buf.size());
    EXPECT_EQ(back.kind, kind);
    EXPECT_EQ(back.offset, 77u);
    EXPECT_EQ(back.raw, r.raw);
    if (kind != RecordKind::kEvent) {
      EXPECT_EQ(back.reason_code, "invalid_json");
    }
    // Every single-byte change is detected.
    for (size_t i = 0; i < buf.size(); i += 7) {
      std::string bad = buf;
      bad[i] ^= 0x20;
      EXPECT_NE(logfmt::decode_record(bad, &back, &consumed), logfmt::DecodeResult::kOk) << i;
    }
  }
}

// A record whose strings are all empty (no source name, no id, no raw bytes) encodes and
// decodes back: an empty view's data() may be null, which the encoder must not copy from
// (UBSan in the ASan build; found by tests/unit/fuzz_replay_test.cpp).
TEST(BronzeLog, EncodesARecordWithEveryStringEmpty) {
  for (RecordKind kind : {RecordKind::kEvent, RecordKind::kDeadLetter, RecordKind::kBatchMarker}) {
    LogRecord r;
    r.kind = kind;
    r.offset = 9;
    std::string buf;
    logfmt::encode_record(r, &buf);
    LogRecord back;
    size_t consumed = 0;
    ASSERT_EQ(logfmt::decode_record(buf, &back, &consumed), logfmt::DecodeResult::kOk);
    EXPECT_EQ(consumed, buf.size());
    EXPECT_EQ(back.kind, kind);
    EXPECT_EQ(back.offset, 9u);
    EXPECT_TRUE(back.source.name.view().empty());
    EXPECT_TRUE(back.raw.view().empty());
    EXPECT_TRUE(back.event.id.empty());
  }
}

TEST(Checksum, IsTheStandardCrc32) {
  // The CRC-32 check value (IEEE 802.3, as zlib and gzip compute it) of "123456789".
  EXPECT_EQ(ledgerflow::crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(ledgerflow::crc32(""), 0u);
  // Chaining equals one pass.
  EXPECT_EQ(ledgerflow::crc32("56789", ledgerflow::crc32("1234")), 0xCBF43926u);
}
