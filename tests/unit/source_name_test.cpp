#include "core/source_name.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "log/log_format.h"

namespace ledgerflow {
namespace {

TEST(SourceName, CopiesShareOneTextThatOutlivesTheOriginal) {
  auto original = std::make_unique<SourceName>(std::string("/data/DataCoSupplyChainDataset.csv"));
  const SourceName copy = *original;
  EXPECT_EQ(copy.view().data(), original->view().data());
  original.reset();
  EXPECT_EQ(copy, "/data/DataCoSupplyChainDataset.csv");
  EXPECT_EQ(copy.size(), 34u);
}

TEST(SourceName, ComparesByTextWhateverItWasBuiltFrom) {
  const SourceName a("supply_chain_data"), b(std::string("supply_chain_data"));
  EXPECT_NE(a.view().data(), b.view().data());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, std::string_view("supply_chain_data"));
  EXPECT_EQ(a, std::string("supply_chain_data"));
  EXPECT_NE(a, "supply_chain_dat");
  EXPECT_NE(a, SourceName("sale_transaction"));
  EXPECT_LT(SourceName("a.csv"), SourceName("b.csv"));
  EXPECT_LT(SourceName(), SourceName("a"));
}

TEST(SourceName, TheEmptyNameHoldsNothing) {
  const SourceName none, built("");
  EXPECT_TRUE(none.empty());
  EXPECT_TRUE(built.empty());
  EXPECT_EQ(none, built);
  EXPECT_EQ(none, "");
  EXPECT_EQ(none.str(), std::string());
  EXPECT_EQ(none.size(), 0u);
}

TEST(SourceName, ReuseSharesTheTextWhileTheBytesStayTheSame) {
  const SourceName first = SourceName::reuse("orders.csv");
  const SourceName again = SourceName::reuse(std::string("orders.csv"));
  EXPECT_EQ(first.view().data(), again.view().data());
  const SourceName other = SourceName::reuse("payments.csv");
  EXPECT_EQ(other, "payments.csv");
  EXPECT_NE(other.view().data(), first.view().data());
  // Another thread keeps its own: nothing is shared between threads but the counted text.
  SourceName elsewhere;
  std::thread([&] { elsewhere = SourceName::reuse("payments.csv"); }).join();
  EXPECT_EQ(elsewhere, other);
  EXPECT_NE(elsewhere.view().data(), other.view().data());
}

// Records read back from the log name their source with one shared text per run of records,
// and the name survives the round trip byte for byte.
TEST(SourceName, RecordsDecodedFromTheLogShareTheirName) {
  std::string bytes;
  const std::vector<std::string> names = {"topic-a", "topic-a", "a/longer/path/to/a/file.csv",
                                          "topic-a"};
  for (size_t i = 0; i < names.size(); ++i) {
    LogRecord rec;
    rec.kind = RecordKind::kDeadLetter;
    rec.offset = i;
    rec.source = SourcePosition{SourceKind::kKafka, names[i], int32_t(i), int64_t(10 * i)};
    rec.raw = "x";
    rec.raw_size = 1;
    rec.reason_code = "invalid_json";
    logfmt::encode_record(rec, &bytes);
  }
  std::vector<LogRecord> read(names.size());
  std::string_view rest = bytes;
  for (LogRecord& rec : read) {
    size_t used = 0;
    ASSERT_EQ(logfmt::decode_record(rest, &rec, &used), logfmt::DecodeResult::kOk);
    rest.remove_prefix(used);
  }
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(read[i].source.name, names[i]);
    EXPECT_EQ(read[i].source.position, int64_t(10 * i));
  }
  EXPECT_EQ(read[0].source.name.view().data(), read[1].source.name.view().data());
  EXPECT_NE(read[1].source.name.view().data(), read[2].source.name.view().data());
}

}  // namespace
}  // namespace ledgerflow
