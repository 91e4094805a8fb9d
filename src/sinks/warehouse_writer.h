#pragma once
// Loads the bronze log into the warehouse, exactly once. A thread tails the log from the
// offset stored in the warehouse's load_state row, turns records into silver rows (SilverRows)
// and commits them in micro-batches (at most batch_rows rows, or what arrived within
// batch_interval_ms) together with the new load_state offset in ONE transaction: after a crash
// at any instant the warehouse holds exactly the rows below its stored offset, and the writer
// resumes there. Every gold_interval_ms it upserts the gold rows that changed in the engine
// (GoldSnapshot).
//
// When the database is unreachable the engine goes on ingesting (the log keeps everything);
// the writer reports "degraded" through the engine's sink status, retries with exponential
// backoff (100 ms doubling to 30 s) and catches up from its stored offset when it returns.
// stop() drains: silver up to the log end and a last gold upsert (call it after Engine::stop
// for a quiesced warehouse, which `ledgerflow verify` expects).
//
// Owned by the run/demo command; start() and stop() from that thread; status() from any.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "engine/engine.h"
#include "ingest/finance_event_parser.h"
#include "log/log_tail_reader.h"
#include "sinks/gold_snapshot.h"
#include "sinks/silver_rows.h"
#include "sinks/warehouse_backend.h"

namespace ledgerflow::sinks {

struct WarehouseWriterOptions {
  WarehouseTarget target;
  std::string log_dir;
  size_t batch_rows = 1'000;
  int64_t batch_interval_ms = 1'000;
  int64_t gold_interval_ms = 1'000;
  int64_t max_backoff_ms = 30'000;
};

class WarehouseWriter {
 public:
  WarehouseWriter(Engine* engine, WarehouseWriterOptions options);
  ~WarehouseWriter();
  WarehouseWriter(const WarehouseWriter&) = delete;
  WarehouseWriter& operator=(const WarehouseWriter&) = delete;

  // Starts the thread and registers the sink status with the engine.
  void start();
  // Drains up to the log end (best effort when the database is down), then joins.
  void stop();
  SinkStatus status() const;

 private:
  void run();
  // One connection's life: resume, load, upsert gold; returns why it ended.
  Status session();
  Status resume(WarehouseBackend& db);
  // Reads up to one batch of records and commits their rows with the new offset.
  Result<bool> load_batch(WarehouseBackend& db);
  Status upsert_gold(WarehouseBackend& db);
  void set_state(const std::string& state, const std::string& message);
  // Sleeps up to `ms`, waking early on stop(); returns false when stopping.
  bool pause(int64_t ms);

  Engine* engine_;
  WarehouseWriterOptions options_;
  LogTailReader reader_;
  GoldSnapshot gold_;
  uint64_t applied_offset_ = 0;  // the warehouse's load_state (writer thread)
  int64_t next_gold_ns_ = 0;
  bool progressed_ = false;            // this session committed a batch
  SeenDimensions dimensions_;          // dimension keys committed in this session
  FinanceEventParser finance_parser_;  // re-reads finance records (the engine's limits)

  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex wake_mu_;
  std::condition_variable wake_;

  struct SharedStatus {
    std::mutex mu;
    SinkStatus status;
  };
  static SinkStatus snapshot(SharedStatus& shared, const Engine& engine);
  std::shared_ptr<SharedStatus> shared_ = std::make_shared<SharedStatus>();
};

}  // namespace ledgerflow::sinks
