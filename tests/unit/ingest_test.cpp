#include <gtest/gtest.h>

#include <random>

#include "core/json_escape.h"
#include "ingest/catalog.h"
#include "ingest/csv_reader.h"
#include "ingest/ndjson_batch.h"
#include "support/random_csv.h"

using namespace ledgerflow;

TEST(CsvReader, SplitsQuotedFieldsAndCountsLines) {
  std::string csv =
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,\"x, y\",\"he said \"\"hi\"\"\"\n\n2,\"multi\nline\",3\n4,5";
  CsvReader r(csv);
  std::vector<std::string> f;
  Status err;
  ASSERT_TRUE(r.next(&f, &err));
  EXPECT_EQ(f, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_TRUE(r.next(&f, &err));
  EXPECT_EQ(f, (std::vector<std::string>{"1", "x, y", "he said \"hi\""}));
  EXPECT_EQ(r.line(), 2u);
  ASSERT_TRUE(r.next(&f, &err));
  EXPECT_EQ(f, (std::vector<std::string>{"2", "multi\nline", "3"}));
  EXPECT_EQ(r.line(), 4u);
  ASSERT_TRUE(r.next(&f, &err));
  EXPECT_EQ(f, (std::vector<std::string>{"4", "5"}));
  EXPECT_EQ(r.line(), 6u);
  EXPECT_FALSE(r.next(&f, &err));
}

// Long fields take the 16-bytes-at-a-time scan; every special byte must still be seen at any
// offset within a block, and field buffers reused from the previous record must not leak.
TEST(CsvReader, LongFieldsAndReusedBuffersSplitLikeShortOnes) {
  for (size_t pad = 0; pad < 40; ++pad) {
    std::string x(pad, 'x');
    std::string csv =
        x + "a,b" + x + "\r\n\"q,\"\"" + x + "\"\"\" tail,lit\"eral" + x + ",\n,\nlast" + x;
    CsvReader r(csv);
    std::vector<std::string> f;
    Status err;
    ASSERT_TRUE(r.next(&f, &err));
    EXPECT_EQ(f, (std::vector<std::string>{x + "a", "b" + x})) << pad;
    ASSERT_TRUE(r.next(&f, &err));
    EXPECT_EQ(f, (std::vector<std::string>{"q,\"" + x + "\" tail", "lit\"eral" + x, ""})) << pad;
    EXPECT_EQ(r.line(), 2u);
    ASSERT_TRUE(r.next(&f, &err));
    EXPECT_EQ(f, (std::vector<std::string>{"", ""})) << pad;
    ASSERT_TRUE(r.next(&f, &err));
    EXPECT_EQ(f, (std::vector<std::string>{"last" + x})) << pad;
    EXPECT_EQ(r.line(), 4u);
    EXPECT_FALSE(r.next(&f, &err));
  }
}

// The copying and the viewing reader split every input alike.
TEST(CsvReader, ViewsEqualCopies) {
  for (std::string csv : {std::string("a,\"b,\"\"c\"\"\" d,e\r\n\n\"multi\nline\",x\"y,\n,"),
                          std::string(40, 'z') + ",\"" + std::string(30, 'q') + "\"\n\"open"}) {
    CsvReader copies(csv), views(csv);
    std::vector<std::string> f;
    std::vector<std::string_view> v;
    Status e1, e2;
    for (;;) {
      bool more = copies.next(&f, &e1);
      ASSERT_EQ(views.next(&v, &e2), more);
      if (!more) break;
      EXPECT_EQ(e1.code(), e2.code());
      EXPECT_EQ(std::vector<std::string>(v.begin(), v.end()), f);
      EXPECT_EQ(copies.line(), views.line());
      EXPECT_EQ(copies.last_raw(), views.last_raw());
    }
  }
}

namespace {

// The viewing reader (one-pass split) and the picking one against the copying one (the general
// path): the same records, errors, lines, raw bytes and positions; the picked fields are the
// copies' fields at the picked indexes when the expected field count is right, and untouched
// when it is not.
void expect_views_equal_copies(const std::string& csv, size_t max_bytes) {
  CsvReader copies(csv, max_bytes), views(csv, max_bytes), picked(csv, max_bytes);
  std::vector<std::string> f;
  std::vector<std::string_view> v;
  Status e1, e2, e3;
  for (size_t record = 0;; ++record) {
    bool more = copies.next(&f, &e1);
    ASSERT_EQ(views.next(&v, &e2), more) << csv;
    // Up to 5 picks, in any order, repeats allowed; every fourth record expects one field more.
    const size_t expected = f.size() + (record % 4 == 3 ? 1 : 0);
    uint32_t pick[5];
    const size_t picks = f.empty() ? 0 : 1 + record % 5;
    for (size_t k = 0; k < picks; ++k) pick[k] = uint32_t((k * 7 + record * 3) % f.size());
    std::string_view out[5] = {"unset", "unset", "unset", "unset", "unset"};
    size_t count = 99;
    ASSERT_EQ(picked.next_picked(expected, pick, picks, out, &count, &e3), more) << csv;
    if (!more) break;
    ASSERT_EQ(e1.code(), e2.code()) << csv;
    ASSERT_EQ(e1.code(), e3.code()) << csv;
    ASSERT_EQ(std::vector<std::string>(v.begin(), v.end()), f) << csv;
    ASSERT_EQ(count, f.size()) << csv;
    for (size_t k = 0; k < picks; ++k) {
      ASSERT_EQ(out[k], expected == f.size() ? std::string_view(f[pick[k]]) : "unset") << csv;
    }
    ASSERT_EQ(copies.line(), views.line()) << csv;
    ASSERT_EQ(copies.line(), picked.line()) << csv;
    ASSERT_EQ(copies.last_raw(), views.last_raw()) << csv;
    ASSERT_EQ(copies.last_raw(), picked.last_raw()) << csv;
    ASSERT_EQ(copies.position(), views.position()) << csv;
    ASSERT_EQ(copies.position(), picked.position()) << csv;
  }
}

}  // namespace

// Records without quotes, or with simple quoted fields, take a one-pass split 64 bytes at a
// time; it must agree with the general path on any mix of separators, line ends, quotes and
// record size limits, at any offset within a block and across blocks.
TEST(CsvReader, ViewsEqualCopiesOnRandomInput) {
  std::mt19937 rng(6);
  const std::string alphabet = "aaaaabbbbb  ,,,,\n\r\"";
  for (int i = 0; i < 8000; ++i) {
    std::string csv(rng() % 300, ' ');
    for (char& c : csv) c = alphabet[rng() % alphabet.size()];
    const size_t max_bytes = 8 + rng() % 300;
    expect_views_equal_copies(csv, max_bytes);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// Records of DataCo-like fields: the one-pass split takes 64 bytes at a time and simple quoted
// fields ("x, y") itself, so fields of every length must land on every offset of a block, next
// to quoted fields of every kind (simple, doubled quotes, line breaks, blanks before the quote,
// text after it, unterminated), under CRLF, LF and CR line ends and record limits around the
// record's size. The copying reader (the general path) is the reference.
TEST(CsvReader, ViewsEqualCopiesOnFieldsOfEveryShape) {
  std::mt19937 rng(64);
  for (int i = 0; i < 4000; ++i) {
    const std::string csv =
        ledgerflow::testing::random_csv(rng, ledgerflow::testing::RandomCsvShape{});
    const size_t max_bytes = rng() % 3 == 0 ? size_t(1) << 20 : 20 + rng() % 400;
    expect_views_equal_copies(csv, max_bytes);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// A record exactly at the limit is split; one byte more (its line end counts) is refused; a
// quoted field keeps its separator inside whether it starts or ends a 64-byte block.
TEST(CsvReader, RecordsAtTheLimitAndQuotesOnBlockEdges) {
  for (size_t len = 60; len < 140; ++len) {
    const std::string rec = std::string(len - 7, 'x') + ",\"a, b\"";  // len bytes
    const std::string csv = rec + "\r\n" + rec;
    for (size_t max_bytes : {len + 1, len + 2}) {
      CsvReader views(csv, max_bytes);
      std::vector<std::string_view> v;
      Status err;
      ASSERT_TRUE(views.next(&v, &err));
      if (max_bytes == len + 2) {
        ASSERT_TRUE(err.is_ok()) << len;
        ASSERT_EQ(v.size(), 2u);
        EXPECT_EQ(v[0], std::string(len - 7, 'x'));
        EXPECT_EQ(v[1], "a, b");
        EXPECT_EQ(v[1].data(), csv.data() + len - 5);  // the one-pass split's view of the input
      } else {
        EXPECT_EQ(err.code(), "line_too_long") << len;
      }
      ASSERT_TRUE(views.next(&v, &err));  // the last record has no line end
      ASSERT_TRUE(err.is_ok()) << len;
      ASSERT_EQ(v.size(), 2u);
      EXPECT_EQ(v[1], "a, b");
      EXPECT_EQ(v[1].data(), csv.data() + len + 2 + len - 5);
      EXPECT_EQ(views.line(), 2u);
      EXPECT_FALSE(views.next(&v, &err));
    }
  }
}

TEST(CsvReader, ReportsUnterminatedQuotesAndLongRecords) {
  std::vector<std::string> f;
  Status err;
  CsvReader r("a,\"open");
  ASSERT_TRUE(r.next(&f, &err));
  EXPECT_EQ(err.code(), "unterminated_quote");
  const std::string long_record = std::string(100, 'x') + "\nok\n";  // the reader holds a view
  CsvReader r2(long_record, 50);
  ASSERT_TRUE(r2.next(&f, &err));
  EXPECT_EQ(err.code(), "line_too_long");
  ASSERT_TRUE(r2.next(&f, &err));
  EXPECT_TRUE(err.is_ok());
  EXPECT_EQ(f, (std::vector<std::string>{"ok"}));
}

TEST(Catalog, BuiltinIsARealisticStore) {
  const Catalog& c = Catalog::builtin();
  EXPECT_GE(c.products().size(), 20u);
  for (const Product& p : c.products()) {
    EXPECT_GT(p.price, p.cost_price) << p.name;  // every item sells at a margin
    EXPECT_GT(p.reorder_point, 0) << p.name;
  }
  ASSERT_NE(c.find(4), nullptr);
  EXPECT_EQ(c.find(4)->price.to_string(), "1.89");
}

TEST(Catalog, ParsesAndRefusesBadFiles) {
  auto ok = Catalog::parse_csv(
      "id,item_name,price,cost_price,reorder_point,description\n7,\"Tea, "
      "green\",3.50,1.25,40,\"Loose leaf\"\n");
  ASSERT_TRUE(ok.is_ok());
  EXPECT_EQ(ok->find(7)->name, "Tea, green");
  EXPECT_EQ(ok->find(7)->cost_price.to_string(), "1.25");
  EXPECT_FALSE(Catalog::parse_csv("name,price\nx,1\n").is_ok());
  EXPECT_FALSE(
      Catalog::parse_csv("id,item_name,price,cost_price,reorder_point\n1,a,x,1,1\n").is_ok());
  EXPECT_FALSE(
      Catalog::parse_csv("id,item_name,price,cost_price,reorder_point\n1,a,1,1,1\n1,b,1,1,1\n")
          .is_ok());
  EXPECT_FALSE(Catalog::parse_csv("id,item_name,price,cost_price,reorder_point\n").is_ok());
}

TEST(NdjsonBatch, KeepsGoodLinesAndDeadLettersBadOnesInOrder) {
  EventParser parser;
  std::string body =
      "{\"id\":\"a\",\"prod_id\":1,\"unit_received\":5,\"dt\":\"2024-05-01 00:00:00\"}\r\n"
      "\n"
      "garbage\n"
      "   \n"
      "{\"id\":\"b\",\"prod_id\":2,\"unit_received\":5,\"dt\":\"2024-05-01 00:00:00\"}";
  NdjsonBatch b = build_ndjson_batch(body, EventType::kShipment,
                                     SourcePosition{SourceKind::kHttp, "http", 0, 0}, 0, parser, 4);
  EXPECT_EQ(b.lines, 3u);
  EXPECT_EQ(b.accepted, 2u);
  ASSERT_EQ(b.rejected.size(), 1u);
  EXPECT_EQ(b.rejected[0].line, 3u);
  ASSERT_EQ(b.batch.records.size(), 3u);
  EXPECT_EQ(b.batch.records[1].kind, RecordKind::kDeadLetter);
  EXPECT_EQ(b.batch.records[1].raw, "garb");  // bounded to 4 bytes
  EXPECT_EQ(b.batch.records[1].raw_size, 7u);
  EXPECT_EQ(b.batch.records[1].source.position, 3);
  EXPECT_EQ(b.batch.records[2].event.id, "b");
  std::string summary = summary_json(b);
  EXPECT_NE(summary.find("\"accepted\":2"), std::string::npos);
  EXPECT_NE(summary.find("\"line\":3"), std::string::npos);
}

TEST(JsonEscape, ProducesValidJsonForAnyBytes) {
  EXPECT_EQ(json_string("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
  EXPECT_EQ(json_string("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(json_string("bad\xff\xfe"), "\"bad\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(json_string("\xed\xa0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // surrogate
}
