#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>

#include "ingest/csv_reader.h"
#include "ingest/csv_split.h"
#include "support/random_csv.h"

using namespace ledgerflow;

namespace {

// The variants this CPU runs: the baseline always, the wider ones where supported.
std::vector<CsvSimd> variants() {
  std::vector<CsvSimd> out;
  for (CsvSimd simd : {CsvSimd::kSse2, CsvSimd::kAvx2, CsvSimd::kAvx512}) {
    if (csv_simd_supported(simd)) out.push_back(simd);
  }
  return out;
}

// Puts back the variant the process chose once a test has forced others.
class CsvSplit : public ::testing::Test {
 protected:
  void TearDown() override { ASSERT_TRUE(set_csv_simd(chosen_)); }
  const CsvSimd chosen_ = csv_simd();
};

// The viewing reader (one-pass split) and the picking one against the copying one (the general
// path, the reference) under the current variant: the same records, fields, errors, lines, raw
// bytes and positions.
void expect_like_general(const std::string& csv, size_t max_bytes) {
  CsvReader general(csv, max_bytes), views(csv, max_bytes), picked(csv, max_bytes);
  std::vector<std::string> f;
  std::vector<std::string_view> v;
  const std::string name = csv_simd_name(csv_simd());
  for (size_t record = 0;; ++record) {
    Status e1, e2, e3;
    const bool more = general.next(&f, &e1);
    ASSERT_EQ(views.next(&v, &e2), more) << name << " " << csv;
    // Up to 3 picks (the last field among them); every third record expects one field more.
    const size_t expected = f.size() + (record % 3 == 2 ? 1 : 0);
    uint32_t pick[3] = {0, uint32_t(f.empty() ? 0 : f.size() - 1), uint32_t(f.size() / 2)};
    std::string_view out[3] = {"unset", "unset", "unset"};
    size_t count = 99;
    ASSERT_EQ(picked.next_picked(expected, pick, f.empty() ? 0 : 3, out, &count, &e3), more);
    if (!more) return;
    ASSERT_EQ(e1.code(), e2.code()) << name << " " << csv;
    ASSERT_EQ(e1.code(), e3.code()) << name << " " << csv;
    ASSERT_EQ(std::vector<std::string>(v.begin(), v.end()), f) << name << " " << csv;
    ASSERT_EQ(count, f.size()) << name << " " << csv;
    for (size_t k = 0; k < (f.empty() ? 0 : 3); ++k) {
      ASSERT_EQ(out[k], expected == f.size() ? std::string_view(f[pick[k]]) : "unset") << name;
    }
    for (const CsvReader* r : {&views, &picked}) {
      ASSERT_EQ(r->line(), general.line()) << name << " " << csv;
      ASSERT_EQ(r->last_raw(), general.last_raw()) << name << " " << csv;
      ASSERT_EQ(r->position(), general.position()) << name << " " << csv;
    }
  }
}

// One split's whole outcome; the ends only when it was done (they are scratch otherwise).
struct SplitOutcome {
  bool done;
  size_t next;
  bool line_end;
  size_t fields;
  std::vector<uint32_t> ends, quoted;
  bool operator==(const SplitOutcome&) const = default;
};

// Splits at `start` with `simd`, into an ends buffer holding garbage from earlier records.
SplitOutcome split_with(CsvSimd simd, const std::string& csv, size_t start, size_t max_bytes) {
  EXPECT_TRUE(set_csv_simd(simd));
  std::vector<uint32_t> ends(start % 2 == 0 ? 0 : 300, 0xdeadbeef), quoted;
  const PlainSplit s = csv_split_ends()(csv, start, max_bytes, &ends, &quoted);
  SplitOutcome out{s.done, s.next, s.line_end, s.fields, {}, quoted};
  if (s.done) out.ends.assign(ends.begin(), ends.begin() + 1 + ptrdiff_t(s.fields));
  return out;
}

// Every variant against the general path, and every variant's split from every `stride`-th byte
// against the baseline's: a wider variant must not give up on a record the baseline takes.
void expect_variants_agree(const std::string& csv, size_t max_bytes, size_t stride) {
  for (CsvSimd simd : variants()) {
    ASSERT_TRUE(set_csv_simd(simd));
    expect_like_general(csv, max_bytes);
    if (::testing::Test::HasFatalFailure()) return;
  }
  for (size_t start = 0; start < csv.size(); start += stride) {
    const SplitOutcome base = split_with(CsvSimd::kSse2, csv, start, max_bytes);
    for (CsvSimd simd : variants()) {
      ASSERT_EQ(split_with(simd, csv, start, max_bytes), base)
          << csv_simd_name(simd) << " from " << start << ": " << csv;
    }
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_F(CsvSplit, TheBaselineIsAlwaysSupportedAndSetCanBeUndone) {
  EXPECT_TRUE(csv_simd_supported(CsvSimd::kSse2));
  EXPECT_TRUE(csv_simd_supported(chosen_));
  for (CsvSimd simd : variants()) {
    ASSERT_TRUE(set_csv_simd(simd));
    EXPECT_EQ(csv_simd(), simd);
  }
  std::printf("[ info ] variants run here:");
  for (CsvSimd simd : variants()) std::printf(" %s", csv_simd_name(simd));
  std::printf(" (the process chose %s)\n", csv_simd_name(chosen_));
}

TEST_F(CsvSplit, TheEnvironmentNamesANarrowerVariantOnly) {
  const CsvSimd widest = variants().back();
  EXPECT_EQ(csv_simd_for(""), widest);
  EXPECT_EQ(csv_simd_for("bogus"), widest);
  EXPECT_EQ(csv_simd_for("SSE2"), widest);
  EXPECT_EQ(csv_simd_for("sse2"), CsvSimd::kSse2);
  for (CsvSimd simd : {CsvSimd::kAvx2, CsvSimd::kAvx512}) {
    EXPECT_EQ(csv_simd_for(csv_simd_name(simd)), csv_simd_supported(simd) ? simd : widest);
  }
}

TEST_F(CsvSplit, DatacoFixturesSplitAlikeWithEveryVariant) {
  for (const char* name : {"fixture.csv", "fixture_bom.csv", "fixture_latin1.csv"}) {
    const std::string csv =
        read_file(std::string(LEDGERFLOW_SOURCE_DIR) + "/tests/data/dataco/" + name);
    ASSERT_GT(csv.size(), 100000u) << name;
    expect_variants_agree(csv, size_t(1) << 20, 97);
    if (HasFatalFailure()) return;
  }
}

// Random records of every field shape: plain of any length, empty, simple quoted with commas,
// doubled quotes, line ends inside quotes, blanks before a quote, text after one, literal
// quotes, and an unterminated quote; LF, CRLF and CR line ends, or none at the input's end;
// limits around the records' sizes.
TEST_F(CsvSplit, RandomRecordsSplitAlikeWithEveryVariant) {
  std::mt19937 rng(2026);
  const ledgerflow::testing::RandomCsvShape shape{.max_fields = 14,
                                                  .shapes = 11,
                                                  .long_plain_bytes = 130,
                                                  .crlf_inside_quotes = true,
                                                  .open_quote_one_in = 15,
                                                  .open_quote_bytes = 150};
  for (int i = 0; i < 2000; ++i) {
    const std::string csv = ledgerflow::testing::random_csv(rng, shape);
    const size_t max_bytes = rng() % 3 == 0 ? size_t(1) << 20 : 10 + rng() % 500;
    expect_variants_agree(csv, max_bytes, 1 + i % 4);
    if (HasFatalFailure()) return;
  }
}

// Bytes of every value: the wider variants find the special bytes by their low nibble, which
// each shares with fifteen other bytes (',' with 'L', '\n' with 'J' and 0x8A, ...), all of which
// must stay plain.
TEST_F(CsvSplit, BytesOfEveryValueSplitAlikeWithEveryVariant) {
  std::mt19937 rng(256);
  for (int i = 0; i < 2000; ++i) {
    std::string csv(rng() % 400, ' ');
    for (char& c : csv) c = rng() % 4 == 0 ? ",\n\r\"x"[rng() % 5] : char(rng() % 256);
    expect_variants_agree(csv, rng() % 2 == 0 ? size_t(1) << 20 : 50 + rng() % 300, 7);
    if (HasFatalFailure()) return;
  }
  std::string every;
  for (int b = 0; b < 256; ++b) every += char(b);
  expect_variants_agree(every + every + "\n" + every, size_t(1) << 20, 1);
}

// A record ending (line end or input end) at every offset of the first two blocks, starting at
// offsets across a block, with a quoted field at its end or none.
TEST_F(CsvSplit, RecordsEndingAtEveryOffsetOfABlock) {
  for (size_t start : {size_t(0), size_t(1), size_t(17), size_t(32), size_t(63)}) {
    const std::string before = start == 0 ? "" : std::string(start - 1, 'p') + "\n";
    for (size_t len = 0; len < 128; ++len) {
      std::string record(len, 'x');
      for (size_t i = 3; i < len; i += 5) record[i] = ',';
      std::string quoted = record;
      if (len >= 6) quoted.replace(len - 6, 6, ",\"a,b\"");
      for (const std::string& rec : {record, quoted}) {
        for (const char* end : {"", "\n", "\r\n", "\r"}) {
          expect_variants_agree(before + rec + end + "z,y", size_t(1) << 20, 9);
          expect_variants_agree(before + rec + end, size_t(1) << 20, 9);
          if (HasFatalFailure()) return;
        }
      }
    }
  }
}

// A record with simple quoted fields (DataCo's "Washington, D.C.") is split by the one-pass split
// itself, not left to the general path, wherever its quotes fall in a block: the comparisons above
// would not see a split that gave up on them, only the time would.
TEST_F(CsvSplit, SplitsSimpleQuotedFieldsItself) {
  for (size_t lead = 0; lead < 130; ++lead) {
    const std::string csv = std::string(lead, 'a') + ",\"W, D.C.\",b,\"\",\"x\"\r\nnext";
    for (CsvSimd simd : variants()) {
      const SplitOutcome s = split_with(simd, csv, 0, size_t(1) << 20);
      ASSERT_TRUE(s.done) << csv_simd_name(simd) << " " << lead;
      EXPECT_EQ(s.fields, 5u);
      EXPECT_EQ(s.quoted, (std::vector<uint32_t>{1, 3, 4})) << csv_simd_name(simd) << " " << lead;
      EXPECT_EQ(s.next, lead + 21);
    }
  }
}

// Blocks of 0 to 64 field ends: the flattens write 8 or 16 at a time and more past those.
TEST_F(CsvSplit, BlocksOfEveryFieldCount) {
  std::mt19937 rng(65);
  for (size_t commas = 0; commas <= 64; ++commas) {
    for (int trial = 0; trial < 4; ++trial) {
      std::string csv(64 * 3 + trial * 7, 'c');
      for (size_t block = 0; block + 64 <= csv.size(); block += 64) {
        std::vector<size_t> at(64);
        for (size_t i = 0; i < 64; ++i) at[i] = i;
        std::shuffle(at.begin(), at.end(), rng);
        for (size_t i = 0; i < commas; ++i) csv[block + at[i]] = ',';
      }
      expect_variants_agree(csv + "\n" + csv, size_t(1) << 20, 5);
      if (HasFatalFailure()) return;
    }
  }
}

// Records at the limit and over it (the line end counts), long ones over many blocks too, and an
// unterminated quote that runs to the input's end from any offset.
TEST_F(CsvSplit, LongRecordsAtTheLimitAndUnterminatedQuotes) {
  std::mt19937 rng(7);
  for (size_t len : {size_t(63), size_t(64), size_t(65), size_t(127), size_t(128), size_t(129),
                     size_t(1000), size_t(4097)}) {
    std::string rec(len, 'v');
    for (size_t i = 0; i < len; i += 1 + rng() % 9) rec[i] = ',';
    rec.replace(len / 2, 5, "\"q,r\"");
    rec[len / 2 - 1] = ',';
    rec[len / 2 + 5] = ',';
    for (size_t max_bytes = len - 2; max_bytes <= len + 3; ++max_bytes) {
      expect_variants_agree(rec + "\r\n" + rec + "\n" + rec, max_bytes, 61);
      if (HasFatalFailure()) return;
    }
    for (size_t at = 0; at < len; at += 1 + len / 40) {
      std::string open = rec;
      open.insert(at, "\"");
      expect_variants_agree(open + "\nok,1\n", size_t(1) << 20, 61);
      if (HasFatalFailure()) return;
    }
  }
}
