#pragma once
// The engine: bronze log, router, shards and checkpoints wired together.
//
// Threads:
//   callers (HTTP workers, generator, bench)  submit() batches into a bounded ingest queue;
//   the log writer thread                     group-commits them to the bronze log, acknowledges
//                                             them once durable per the fsync policy, then routes
//                                             them (watermark, dead letters, idempotency keys,
//                                             events to shards by product x store, order lines
//                                             by customer);
//   one thread per shard                      applies events in log order (ShardWorker);
//   the checkpoint thread                     every interval asks the writer for a barrier and
//                                             writes the shard snapshots it collects.
// Readers merge shard partials under each shard's lock.
//
// Owned by the command that runs it (cli); start() and stop() from that one thread.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/bounded_queue.h"
#include "engine/checkpoint.h"
#include "engine/data_dir_lock.h"
#include "engine/engine_config.h"
#include "engine/kafka_stats.h"
#include "engine/router_state.h"
#include "engine/shard_worker.h"
#include "engine/sink_status.h"
#include "ingest/catalog.h"
#include "ingest/finance_event_parser.h"
#include "ingest/order_line_parser.h"
#include "log/bronze_log.h"

namespace ledgerflow {

// Records in input order; offsets are assigned by the log writer. A non-empty idempotency key
// appends a batch marker carrying `summary_json`.
struct IngestBatch {
  std::vector<LogRecord> records;
  // The parse hint of the batch's order lines when they are records of one CSV file
  // (ingest/logged_order_line.h); empty when they are JSON objects. The log stores it with each.
  std::string order_line_hint;
  std::string idempotency_key;
  std::string summary_json;
  int64_t submit_ns = 0;
};

struct IngestAck {
  Status status;
  uint64_t first_offset = 0;
  uint64_t next_offset = 0;  // one past the last record of the batch
};

struct BestSeller {
  int64_t prod_id = 0;
  std::string prod_name;
  int64_t units = 0;
  Money revenue;
};

struct PipelineStats {
  uint64_t events_accepted = 0;  // events in the log
  uint64_t events_applied = 0;   // events that changed state (not duplicates)
  uint64_t duplicates = 0;
  uint64_t dead_letters = 0;
  uint64_t late_updates = 0;
  uint64_t late_dropped = 0;
  double events_per_s = 0;
  int64_t watermark_ms = 0;  // WatermarkTracker::kNone when no event yet
  int64_t max_event_time_ms = 0;
  uint64_t log_end_offset = 0;  // next offset to be written
  uint64_t applied_offset = 0;  // every record below it is reflected in all shards
  uint64_t log_bytes = 0;
  int64_t checkpoint_age_ms = -1;  // -1: none yet
  uint64_t checkpoint_offset = 0;
  size_t ingest_queue_depth = 0;
  size_t ingest_queue_capacity = 0;
  std::vector<size_t> shard_queue_depths;
  size_t shard_queue_capacity = 0;
  std::map<std::string, uint64_t> dead_letters_by_reason;
  int64_t uptime_ms = 0;
  bool ready = false;
  std::string fsync;
  KafkaStats kafka;               // filled by the pipeline hook when Kafka runs
  std::vector<SinkStatus> sinks;  // outputs fed from the log (warehouse)
};

struct KpiSnapshot {
  int64_t day_start_ms = 0;  // the UTC day of the newest event time
  Money revenue_today;
  int64_t units_today = 0;
  int64_t shipments_today = 0;
  int64_t units_received_today = 0;
  Money inventory_value_at_cost;
  int64_t below_reorder = 0;
  int64_t products = 0;
  double events_per_s = 0;
};

struct RecoveryReport {
  bool from_checkpoint = false;
  uint64_t checkpoint_offset = 0;
  uint64_t replayed_records = 0;
  LogOpenReport log;
  std::vector<std::string> skipped_checkpoints;
};

// Where a change stream (SSE client) has read up to.
struct ChangeCursor {
  std::vector<uint64_t> shard_seq;  // per shard: changes up to this sequence were sent
  uint64_t next_shipment_offset = 0;
  uint64_t next_dead_letter_offset = 0;
};

struct ChangeSet {
  std::vector<InventoryRow> inventory;   // rows changed since the cursor
  std::vector<int64_t> window_starts;    // minute windows changed since the cursor
  std::vector<Event> shipments;          // shipments applied since the cursor
  std::vector<DeadLetter> dead_letters;  // dead letters logged since the cursor
};

// The shard that holds the finance ledger.
inline constexpr size_t kFinanceShard = 0;

class Engine {
 public:
  explicit Engine(EngineConfig config);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Opens the log, loads the newest valid checkpoint, replays the tail, starts the threads.
  Status start();
  // Stops accepting, drains, writes a final checkpoint, joins every thread. Idempotent.
  void stop();

  // Blocks while the ingest queue is full (backpressure). The future resolves once the batch
  // is in the log (durable per the fsync policy) or failed.
  std::future<IngestAck> submit(IngestBatch batch);

  // Waits until every record below `offset` is applied by all shards (or the timeout passes).
  bool wait_applied(uint64_t offset, int64_t timeout_ms) const;
  // Forces a checkpoint now and waits for it.
  Status checkpoint_now();

  // Reads (any thread).
  std::vector<InventoryRow> inventory(std::optional<int32_t> store, bool below_only) const;
  std::vector<BestSeller> best_sellers(std::optional<int32_t> store, bool by_revenue,
                                       size_t limit) const;
  // Windows of `window_ms` (a multiple of a minute) whose start is in [from_ms, to_ms).
  std::vector<SalesWindow> sales(int64_t window_ms, int64_t from_ms, int64_t to_ms) const;
  std::vector<Event> recent_shipments(std::optional<int32_t> store, size_t limit) const;
  std::vector<DeadLetter> dead_letters(size_t limit) const;
  std::vector<LateEvent> late_events(size_t limit) const;
  std::optional<std::string> idempotent_summary(const std::string& key) const;
  // The DataCo order-line marts merged over all shards (docs/MARTS.md).
  DatacoSummary dataco_summary() const;
  // The merged marts and the suspected-fraud patterns they show, shared by every reader (HTTP
  // threads, the Kafka sink, the warehouse writer): the merge walks every order under each
  // shard's lock in turn, so it is redone only when order lines were applied since.
  struct DatacoSnapshot {
    int64_t lines = 0;  // order lines applied when the merge began
    DatacoSummary summary;
    std::vector<LedgerAlert> patterns;  // dataco_fraud_alerts over the summary
  };
  std::shared_ptr<const DatacoSnapshot> dataco_snapshot() const;
  // Order lines applied over all shards (cheap; dataco_summary() walks every order).
  int64_t dataco_line_count() const;
  // The open DataCo receivables over all shards (cheap: no walk over orders).
  DatacoReceivables dataco_receivables() const;
  // Runs f(const FinanceLedger&) under the finance shard's lock and returns its result.
  template <typename F>
  auto read_finance(F&& f) const {
    return shards_[kFinanceShard % shards_.size()]->read(
        [&](const ShardState& s) { return f(s.finance()); });
  }
  // Supplier lead times of catalog products, for reorder recommendations (reorder_report.h).
  ProductLeadTimes product_lead_times() const;
  std::vector<int32_t> stores() const;
  PipelineStats pipeline() const;
  KpiSnapshot kpis() const;
  // What changed since *cursor (and moves the cursor). A new cursor yields everything.
  ChangeSet changes_since(ChangeCursor* cursor) const;
  // Largest inventory row version in any shard (changes when inventory changes).
  uint64_t change_seq() const;

  // Kafka: the highest offset of (topic, partition) in the log, events and dead letters alike.
  // Records at or below it must not be logged again (exactly-once effect).
  std::optional<int64_t> source_offset(const std::string& topic, int32_t partition) const;
  // Every record below this offset has been fsynced (Kafka offsets are committed behind it).
  uint64_t durable_offset() const { return durable_offset_.load(); }
  // Components outside the engine (the Kafka source and sink, the warehouse writer) add their
  // figures to pipeline() through a reporter, called at its end from reader threads (it must be
  // thread-safe). Remove it before whatever it captures goes away; a reporter that captures
  // only shared state may stay for the engine's lifetime.
  using PipelineReporter = std::function<void(PipelineStats*)>;
  uint64_t add_reporter(PipelineReporter reporter);
  void remove_reporter(uint64_t id);

  const EngineConfig& config() const { return config_; }
  const Catalog& catalog() const { return *catalog_; }
  const RecoveryReport& recovery() const { return recovery_; }
  bool ready() const { return ready_.load() && !failed_.load(); }
  std::string failure() const;

  // The offset the next record will get: every record below it is completely in the log.
  uint64_t log_end_offset() const;

  // Bench support: per-batch latency samples from all shards.
  void record_latency(bool on);
  std::vector<LatencySample> take_latency_samples();

 private:
  struct Pending {
    IngestBatch batch;
    std::promise<IngestAck> done;
  };
  struct PendingCheckpoint {
    CheckpointData data;
    std::vector<std::future<std::string>> shards;
  };

  Status recover();
  // A version 3 checkpoint whose shards hold DataCo order lines lacks their open receivables
  // (checkpoint.h): such a checkpoint is passed over for a rebuild from the whole log.
  bool lacks_dataco_receivables(const CheckpointData& data) const;
  // `add(marts, &out)` for each shard's DataCo marts in turn, under that shard's lock.
  template <typename Out, typename Add>
  Out merge_dataco(Add add) const;
  void writer_loop();
  void checkpoint_loop();
  // Routes records (offsets assigned, in log order) to the router state and shards. `live`
  // pushes to shard queues and hands the records over to them (`records` is left empty);
  // otherwise applies on the calling thread (recovery).
  void route(std::vector<LogRecord>& records, bool live, int64_t submit_ns);
  PendingCheckpoint begin_checkpoint();
  std::optional<std::future<PendingCheckpoint>> request_checkpoint();
  Status finish_checkpoint(PendingCheckpoint pending);
  void fail(const Status& s);
  size_t shard_for(const Event& e) const;
  bool reparse_finance(LogRecord* rec);
  bool reparse_order_line(LogRecord* rec);
  void sample_rate();

  EngineConfig config_;
  std::unique_ptr<DataDirLock> lock_;
  std::unique_ptr<Catalog> catalog_;
  BronzeLog log_;
  std::vector<std::unique_ptr<ShardWorker>> shards_;
  mutable std::mutex router_mu_;
  RouterState router_;
  FinanceEventParser finance_parser_;  // under router_mu_: finance records replayed from the log
  OrderLineParser order_line_parser_;  // under router_mu_: order lines replayed from the log
  BoundedQueue<std::unique_ptr<Pending>> ingest_queue_;

  std::thread writer_;
  std::thread checkpointer_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> ready_{false};
  std::atomic<bool> failed_{false};
  mutable std::mutex failure_mu_;
  std::string failure_;

  // Checkpoint requests from the checkpoint thread to the writer.
  std::mutex checkpoint_mu_;
  // Held from a checkpoint's request to its file: the periodic one and checkpoint_now() (Kafka
  // revoke and shutdown) take turns, so a request promise is never shared.
  std::mutex checkpoint_run_mu_;
  std::condition_variable checkpoint_cv_;
  std::optional<std::promise<PendingCheckpoint>> checkpoint_request_;
  std::atomic<bool> checkpoint_wanted_{false};
  std::mutex checkpoint_write_mu_;  // one checkpoint file write at a time
  std::atomic<int64_t> last_checkpoint_ms_{-1};
  std::atomic<uint64_t> last_checkpoint_offset_{0};

  std::atomic<uint64_t> log_bytes_{0};
  std::atomic<uint64_t> durable_offset_{0};
  int64_t started_ms_ = 0;
  mutable std::mutex dataco_snapshot_mu_;  // one merge at a time; guards dataco_snapshot_
  mutable std::shared_ptr<const DatacoSnapshot> dataco_snapshot_;
  mutable std::mutex rate_mu_;
  std::vector<std::pair<int64_t, uint64_t>> rate_samples_;  // (monotonic ns, events logged)

  RecoveryReport recovery_;
  mutable std::mutex reporters_mu_;
  std::vector<std::pair<uint64_t, PipelineReporter>> reporters_;  // (id, reporter)
  uint64_t next_reporter_id_ = 1;
};

}  // namespace ledgerflow
