#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/checksum.h"
#include "engine/checkpoint.h"
#include "engine/shard_state.h"
#include "ingest/catalog.h"
#include "test_util.h"

using namespace ledgerflow;
using ledgerflow::testing::TempDir;

namespace {
CheckpointData sample(uint64_t offset) {
  CheckpointData d;
  d.next_offset = offset;
  d.created_ms = 1234;
  d.router_state = "router-" + std::to_string(offset);
  d.shard_states = {"shard0", std::string(1000, 'x'), ""};
  return d;
}
}  // namespace

TEST(Checkpoint, EncodesAndDecodesExactly) {
  CheckpointData d = sample(42);
  auto back = decode_checkpoint(encode_checkpoint(d));
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(back->next_offset, 42u);
  EXPECT_EQ(back->created_ms, 1234);
  EXPECT_EQ(back->router_state, d.router_state);
  EXPECT_EQ(back->shard_states, d.shard_states);
}

TEST(Checkpoint, DetectsAnyDamage) {
  std::string bytes = encode_checkpoint(sample(7));
  for (size_t i = 0; i < bytes.size(); i += 13) {
    std::string bad = bytes;
    bad[i] ^= 0x01;
    EXPECT_FALSE(decode_checkpoint(bad).is_ok()) << i;
  }
  EXPECT_FALSE(decode_checkpoint(bytes.substr(0, bytes.size() - 1)).is_ok());
}

TEST(Checkpoint, LoadsTheNewestValidAndKeepsOnlyTheLastFew) {
  TempDir tmp;
  for (uint64_t off : {10u, 20u, 30u, 40u})
    ASSERT_TRUE(write_checkpoint(tmp.str(), sample(off), 3));
  size_t files = 0;
  for (auto& e : std::filesystem::directory_iterator(tmp.str()))
    files += e.path().extension() == ".ckpt";
  EXPECT_EQ(files, 3u);
  auto loaded = load_latest_checkpoint(tmp.str());
  ASSERT_TRUE(loaded.data.has_value());
  EXPECT_EQ(loaded.data->next_offset, 40u);
  // Damage the newest: the loader reports it and falls back to the previous one.
  std::string newest = tmp.sub("checkpoint-00000000000000000040.ckpt");
  std::filesystem::resize_file(newest, 30);
  loaded = load_latest_checkpoint(tmp.str());
  ASSERT_TRUE(loaded.data.has_value());
  EXPECT_EQ(loaded.data->next_offset, 30u);
  ASSERT_EQ(loaded.skipped.size(), 1u);
  EXPECT_NE(loaded.skipped[0].find("00040"), std::string::npos);
}

TEST(Checkpoint, NoneIsNotAnError) {
  TempDir tmp;
  auto loaded = load_latest_checkpoint(tmp.sub("missing"));
  EXPECT_FALSE(loaded.data.has_value());
  EXPECT_TRUE(loaded.skipped.empty());
}

namespace {

std::string section(void (*write)(ledgerflow::ByteWriter&)) {
  std::string out;
  ledgerflow::ByteWriter w(&out);
  write(w);
  return out;
}

// A checkpoint file holding `shard` with its version field set to `version`.
std::string checkpoint_with_version(const std::string& shard, uint32_t version) {
  CheckpointData d;
  d.next_offset = 5;
  d.router_state = "r";
  d.shard_states = {shard};
  return ledgerflow::testing::encode_checkpoint_as(d, version);
}

}  // namespace

// Formats 1 (before DataCo order lines) and 2 (before finance events) still load: a shard state
// without the later sections loads with empty marts and an empty finance ledger.
TEST(Checkpoint, OlderVersionsStillLoad) {
  ledgerflow::ShardState empty(&ledgerflow::Catalog::builtin(), ledgerflow::ShardOptions{});
  std::string v4;
  ledgerflow::ByteWriter w(&v4);
  empty.serialize(w);
  std::string finance =
      section([](ledgerflow::ByteWriter& w) { ledgerflow::FinanceLedger().serialize(w); });
  std::string marts =
      section([](ledgerflow::ByteWriter& w) { ledgerflow::DatacoMarts().serialize(w); });
  std::string demand = section([](ledgerflow::ByteWriter& w) {
    ledgerflow::InventoryState(&ledgerflow::Catalog::builtin()).serialize_demand(w);
  });
  std::string receivables = section(
      [](ledgerflow::ByteWriter& w) { ledgerflow::DatacoMarts().serialize_receivables(w); });
  ASSERT_GT(v4.size(), marts.size() + finance.size() + demand.size() + receivables.size());
  std::string v3 = v4.substr(0, v4.size() - receivables.size());
  std::string v2_shard = v3.substr(0, v3.size() - finance.size() - demand.size());
  std::string v1_shard = v2_shard.substr(0, v2_shard.size() - marts.size());
  for (auto [version, shard] :
       {std::pair<uint32_t, std::string>{1, v1_shard}, {2, v2_shard}, {3, v3}}) {
    Result<CheckpointData> back = decode_checkpoint(checkpoint_with_version(shard, version));
    ASSERT_TRUE(back) << back.status().to_string();
    EXPECT_EQ(back->version, version);
    ledgerflow::ShardState restored(&ledgerflow::Catalog::builtin(), ledgerflow::ShardOptions{});
    ledgerflow::ByteReader r(back->shard_states[0]);
    ASSERT_TRUE(restored.deserialize(r, back->version)) << version;
    EXPECT_EQ(r.remaining(), 0u);
    EXPECT_FALSE(restored.finance().latest_day().has_value());
    ledgerflow::DatacoReceivables none;
    restored.dataco().add_receivables_to(&none);
    EXPECT_TRUE(none.by_customer.empty());
    ledgerflow::ByteReader r2(back->shard_states[0]);
    EXPECT_FALSE(restored.deserialize(r2, kCheckpointVersion)) << version << " read as current";
  }
  EXPECT_EQ(
      decode_checkpoint(checkpoint_with_version(v4, kCheckpointVersion + 1)).status().message(),
      "unsupported version");
}
