// The Engine in-process: submit, recover, and the claim that state is a deterministic function
// of the log prefix (checkpoint + tail replay == full replay == the live run).
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "analytics/dataco_receivables.h"
#include "engine/checkpoint.h"
#include "engine/engine.h"
#include "ingest/ndjson_batch.h"
#include "sources/generator.h"
#include "support/dataco_submit.h"
#include "support/generated_events.h"
#include "test_util.h"

using namespace ledgerflow;
using ledgerflow::testing::submit_lines;
using ledgerflow::testing::TempDir;

namespace {

EngineConfig config(const std::string& dir, int shards = 2) {
  EngineConfig c;
  c.data_dir = dir;
  c.shards = shards;
  c.checkpoint_interval_ms = 3'600'000;
  return c;
}

std::vector<std::string> generated(size_t n, uint64_t seed) {
  return ledgerflow::testing::generated_lines(n, seed, GeneratorOptions{}.clock_rate);
}

std::string fingerprint(const Engine& e) {
  std::string out;
  for (const InventoryRow& r : e.inventory(std::nullopt, false)) {
    out += std::to_string(r.store_id) + "/" + std::to_string(r.prod_id) + ":" +
           std::to_string(r.total_sold) + "," + std::to_string(r.total_received) + "," +
           r.revenue.to_string() + "," + std::to_string(r.reorder_point) + ";";
  }
  for (const SalesWindow& w : e.sales(kWindowMs, 0, INT64_MAX)) {
    out += std::to_string(w.start_ms) + "=" + std::to_string(w.units_sold) + "/" +
           w.revenue.to_string() + ";";
  }
  PipelineStats p = e.pipeline();
  out += "dl=" + std::to_string(p.dead_letters) + ",dup=" + std::to_string(p.duplicates) +
         ",wm=" + std::to_string(p.watermark_ms) + ",late=" + std::to_string(p.late_updates) + "/" +
         std::to_string(p.late_dropped);
  return out;
}

}  // namespace

TEST(Engine, RecoveryFromCheckpointPlusTailEqualsTheLiveRun) {
  TempDir tmp;
  auto lines = generated(6000, 11);
  lines.insert(lines.begin() + 100, "{\"type\":\"sale_transaction\",\"oops\":1}");  // a dead letter
  std::string live;
  {
    Engine e(config(tmp.sub("data")));
    ASSERT_TRUE(e.start());
    submit_lines(e, lines, 0, 3000);
    ASSERT_TRUE(e.checkpoint_now());
    submit_lines(e, lines, 3000, lines.size());
    submit_lines(e, lines, 0, 500);  // a retried prefix: duplicates only
    live = fingerprint(e);
    // No clean stop: the destructor of a second engine must not be needed. Simulate a crash by
    // copying the data directory as it is now (log + the one checkpoint) before stopping.
    std::filesystem::copy(tmp.sub("data"), tmp.sub("crash-copy"),
                          std::filesystem::copy_options::recursive);
    e.stop();
  }
  {
    Engine e(config(tmp.sub("crash-copy")));
    ASSERT_TRUE(e.start());
    EXPECT_TRUE(e.recovery().from_checkpoint);
    EXPECT_GT(e.recovery().replayed_records, 3000u);
    EXPECT_EQ(fingerprint(e), live);
    e.stop();
  }
  {
    // Without any checkpoint: full replay from offset 0 gives the same state.
    std::filesystem::remove_all(tmp.sub("crash-copy/checkpoints"));
    Engine e(config(tmp.sub("crash-copy")));
    ASSERT_TRUE(e.start());
    EXPECT_FALSE(e.recovery().from_checkpoint);
    EXPECT_EQ(fingerprint(e), live);
    e.stop();
  }
  {
    // After a clean stop the final checkpoint covers everything: nothing to replay.
    Engine e(config(tmp.sub("data")));
    ASSERT_TRUE(e.start());
    EXPECT_EQ(e.recovery().replayed_records, 0u);
    EXPECT_EQ(fingerprint(e), live);
    e.stop();
  }
  {
    // A different shard count rebuilds from the log and still agrees.
    Engine e(config(tmp.sub("data"), 3));
    ASSERT_TRUE(e.start());
    EXPECT_EQ(fingerprint(e), live);
    e.stop();
  }
}

TEST(Engine, BackpressureBoundsQueuesAndLosesNothing) {
  TempDir tmp;
  EngineConfig c = config(tmp.str(), 1);
  c.ingest_queue_batches = 2;
  c.shard_queue_batches = 1;
  Engine e(c);
  ASSERT_TRUE(e.start());
  auto lines = generated(20000, 3);
  std::vector<std::future<IngestAck>> acks;
  EventParser parser;
  size_t max_depth = 0;
  for (size_t i = 0; i < lines.size(); i += 100) {
    NdjsonBatch b;
    for (size_t k = i; k < i + 100; ++k) {
      add_line(&b, lines[k], std::nullopt, SourcePosition{SourceKind::kBench, "b", 0, int64_t(k)},
               k, parser, 64);
    }
    acks.push_back(e.submit(std::move(b.batch)));
    PipelineStats p = e.pipeline();
    max_depth = std::max(max_depth, p.ingest_queue_depth);
    for (size_t d : p.shard_queue_depths) EXPECT_LE(d, 1u);
  }
  uint64_t end = 0;
  for (auto& f : acks) end = std::max(end, f.get().next_offset);
  ASSERT_TRUE(e.wait_applied(end, 10'000));
  EXPECT_LE(max_depth, 2u);
  EXPECT_EQ(e.pipeline().events_applied, 20000u);
  e.stop();
}

TEST(Engine, RefusesToStartOnMidLogCorruption) {
  TempDir tmp;
  {
    Engine e(config(tmp.str()));
    ASSERT_TRUE(e.start());
    submit_lines(e, generated(500, 1), 0, 500);
    e.stop();
  }
  std::string seg = tmp.sub("log/00000000000000000000.seg");
  {
    std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(200);
    f.put('\x01');
  }
  Engine e(config(tmp.str()));
  Status s = e.start();
  EXPECT_EQ(s.code(), "log_corrupt");
}

TEST(Engine, ASecondEngineOnTheSameDataDirRefusesToStart) {
  TempDir tmp;
  Engine first(config(tmp.str()));
  ASSERT_TRUE(first.start());
  Engine second(config(tmp.str()));
  EXPECT_EQ(second.start().code(), "data_dir_locked");
  first.stop();
}

// Regression: checkpoint_now() (Kafka revoke and shutdown) racing the periodic checkpoint, or
// another checkpoint_now(), took the same request promise's future twice and the engine
// aborted with std::future_error ("Future already retrieved").
TEST(Engine, ConcurrentCheckpointRequestsTakeTurns) {
  TempDir tmp;
  EngineConfig c = config(tmp.str());
  c.checkpoint_interval_ms = 1;  // the periodic checkpoint runs all the time
  auto lines = generated(4000, 5);
  std::string live;
  {
    Engine e(c);
    ASSERT_TRUE(e.start());
    std::atomic<bool> done{false};
    std::vector<std::thread> requesters;
    std::atomic<int> ok{0};
    for (int t = 0; t < 3; ++t) {
      requesters.emplace_back([&] {
        while (!done) {
          if (e.checkpoint_now()) ok++;
        }
      });
    }
    for (size_t i = 0; i < lines.size(); i += 200) submit_lines(e, lines, i, i + 200);
    done = true;
    for (auto& t : requesters) t.join();
    EXPECT_GT(ok.load(), 0);
    live = fingerprint(e);
    e.stop();
  }
  Engine again(config(tmp.str()));
  ASSERT_TRUE(again.start());
  EXPECT_EQ(fingerprint(again), live);
}

namespace {

// The open DataCo receivables as text: customer, order day, micro-units, lines.
std::string receivables_text(const Engine& e) {
  std::string out;
  for (const auto& [customer, days] : e.dataco_receivables().by_customer) {
    for (const auto& [day, open] : days) {
      out += std::to_string(customer) + "@" + std::to_string(day) + "=" +
             std::to_string(open.order_value.micros()) + "/" + std::to_string(open.lines) + ";";
    }
  }
  return out;
}

}  // namespace

// The DataCo receivables after a restart equal the live run's, from a checkpoint plus the log;
// a version 3 checkpoint (before them) holding order lines is passed over for a rebuild from the
// whole log, which gives them back.
TEST(Engine, DatacoReceivablesSurviveRestartAndAnOlderCheckpoint) {
  TempDir tmp;
  std::string live;
  {
    Engine e(config(tmp.sub("data"), 3));
    ASSERT_TRUE(e.start());
    const uint64_t half = ledgerflow::testing::submit_dataco_file(e, "fixture.csv", 60);
    ASSERT_TRUE(e.wait_applied(half, 10'000));
    ASSERT_TRUE(e.checkpoint_now());
    const uint64_t end = ledgerflow::testing::submit_dataco_file(e, "fixture_latin1.csv", 60);
    ASSERT_TRUE(e.wait_applied(std::max(half, end), 10'000));
    live = receivables_text(e);
    // As after a crash: the checkpoint of the first file, then the replays of it in the log.
    std::filesystem::copy(tmp.sub("data"), tmp.sub("crash-copy"),
                          std::filesystem::copy_options::recursive);
    e.stop();
  }
  ASSERT_NE(live.find("/"), std::string::npos) << "the fixture has PENDING_PAYMENT lines";
  {
    Engine e(config(tmp.sub("crash-copy"), 3));
    ASSERT_TRUE(e.start());
    EXPECT_TRUE(e.recovery().from_checkpoint);
    EXPECT_GT(e.recovery().replayed_records, 0u);
    EXPECT_EQ(receivables_text(e), live);
    e.stop();
  }
  // The newest checkpoint rewritten as version 3: each shard state without its receivables.
  CheckpointLoad loaded = load_latest_checkpoint(tmp.sub("data/checkpoints"));
  ASSERT_TRUE(loaded.data);
  CheckpointData v3 = *loaded.data;
  for (std::string& shard : v3.shard_states) {
    ShardState state(&Catalog::builtin(), ShardOptions{});
    ByteReader r(shard);
    ASSERT_TRUE(state.deserialize(r, kCheckpointVersion));
    std::string receivables;
    ByteWriter w(&receivables);
    state.dataco().serialize_receivables(w);
    shard.resize(shard.size() - receivables.size());
  }
  std::filesystem::remove_all(tmp.sub("data/checkpoints"));
  std::filesystem::create_directories(tmp.sub("data/checkpoints"));
  {
    std::string offset = std::to_string(v3.next_offset);
    offset.insert(0, 20 - offset.size(), '0');
    std::ofstream f(tmp.sub("data/checkpoints/checkpoint-" + offset + ".ckpt"), std::ios::binary);
    f << ledgerflow::testing::encode_checkpoint_as(v3, 3);
  }
  ASSERT_EQ(load_latest_checkpoint(tmp.sub("data/checkpoints")).data->version, 3u);
  {
    Engine e(config(tmp.sub("data"), 3));
    Status started = e.start();
    ASSERT_TRUE(started) << started.to_string();
    EXPECT_FALSE(e.recovery().from_checkpoint);
    EXPECT_EQ(receivables_text(e), live);
    e.stop();
  }
}
