#include "sinks/warehouse_writer.h"

#include <pthread.h>

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/event_time.h"
#include "ingest/event_parser.h"
#include "sinks/silver_rows.h"
#include "sinks/warehouse_schema.h"

namespace ledgerflow::sinks {

WarehouseWriter::WarehouseWriter(Engine* engine, WarehouseWriterOptions options)
    : engine_(engine),
      options_(std::move(options)),
      reader_(options_.log_dir),
      gold_(engine),
      finance_parser_(finance_limits(engine->config().limits)) {
  shared_->status.name = "warehouse";
  shared_->status.target = describe(options_.target);
  shared_->status.state = "starting";
}

WarehouseWriter::~WarehouseWriter() {
  stop();
}

void WarehouseWriter::start() {
  // The provider shares the status, not the writer: it stays valid whatever outlives what.
  engine_->add_reporter([shared = shared_, engine = engine_](PipelineStats* p) {
    p->sinks.push_back(snapshot(*shared, *engine));
  });
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "lf-warehouse");
    run();
  });
}

void WarehouseWriter::stop() {
  {
    std::lock_guard lock(wake_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

SinkStatus WarehouseWriter::status() const {
  return snapshot(*shared_, *engine_);
}

SinkStatus WarehouseWriter::snapshot(SharedStatus& shared, const Engine& engine) {
  std::lock_guard lock(shared.mu);
  SinkStatus s = shared.status;
  uint64_t end = engine.log_end_offset();
  s.lag_records = end > s.applied_offset ? end - s.applied_offset : 0;
  return s;
}

void WarehouseWriter::set_state(const std::string& state, const std::string& message) {
  std::lock_guard lock(shared_->mu);
  shared_->status.state = state;
  shared_->status.message = message;
  shared_->status.applied_offset = applied_offset_;
}

bool WarehouseWriter::pause(int64_t ms) {
  std::unique_lock lock(wake_mu_);
  wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_.load(); });
  return !stopping_;
}

void WarehouseWriter::run() {
  int64_t backoff_ms = 100;
  for (;;) {
    progressed_ = false;
    Status s = session();
    if (s || stopping_) {
      if (!s) spdlog::warn("warehouse: stopped before catching up: {}", s.to_string());
      return;
    }
    if (progressed_) backoff_ms = 100;  // it worked for a while: start the backoff over
    spdlog::warn("warehouse {} degraded, retrying in {} ms: {}", shared_->status.target, backoff_ms,
                 s.to_string());
    {
      std::lock_guard lock(shared_->mu);
      shared_->status.retry_in_ms = backoff_ms;
    }
    set_state("degraded", s.to_string());
    if (!pause(backoff_ms)) return;
    backoff_ms = std::min(backoff_ms * 2, options_.max_backoff_ms);
  }
}

Status WarehouseWriter::resume(WarehouseBackend& db) {
  WarehouseTxn catalog;
  catalog.steps.emplace_back(SilverRows::catalog_products(engine_->catalog()));
  if (Status s = db.apply(catalog); !s) return s;
  Result<uint64_t> offset = load_offset(db);
  if (!offset) return offset.status();
  if (*offset > engine_->log_end_offset()) {
    // The log lost a tail the warehouse had loaded (power loss under fsync "interval").
    return Status::fatal(
        "warehouse_ahead_of_log",
        fmt::format("the warehouse has loaded up to offset {} but the log ends at {}", *offset,
                    engine_->log_end_offset()));
  }
  applied_offset_ = *offset;
  dimensions_ = SeenDimensions{};
  gold_.reset();  // the first gold upsert of a session carries every row
  return reader_.seek(applied_offset_);
}

Status WarehouseWriter::session() {
  Result<std::unique_ptr<WarehouseBackend>> db =
      open_warehouse(options_.target, BackendMode::kWriter);
  if (!db) return db.status();
  if (Status s = resume(**db); !s) return s;
  spdlog::info("warehouse {}: loading from log offset {}", shared_->status.target, applied_offset_);
  next_gold_ns_ = 0;
  for (;;) {
    const bool draining = stopping_.load();  // the engine has stopped: its log end is final
    Result<bool> loaded = load_batch(**db);
    if (!loaded) return loaded.status();
    const uint64_t end = engine_->log_end_offset();
    set_state(end - applied_offset_ > options_.batch_rows ? "catching_up" : "ok", "");
    if (monotonic_ns() >= next_gold_ns_ || (draining && applied_offset_ >= end)) {
      if (Status s = upsert_gold(**db); !s) return s;
      next_gold_ns_ = monotonic_ns() + options_.gold_interval_ms * 1'000'000;
    }
    if (draining && applied_offset_ >= end) return Status::ok();
    if (!*loaded && !draining) pause(20);
  }
}

Result<bool> WarehouseWriter::load_batch(WarehouseBackend& db) {
  SilverRows rows(&dimensions_, &finance_parser_);
  std::vector<LogRecord> records;
  const int64_t deadline_ns = monotonic_ns() + options_.batch_interval_ms * 1'000'000;
  for (;;) {
    records.clear();
    const uint64_t end = engine_->log_end_offset();
    size_t want = options_.batch_rows - std::min(options_.batch_rows - 1, rows.rows());
    if (Status s = reader_.read(end, want, &records); !s) return s;
    for (const LogRecord& rec : records) {
      if (Status s = rows.add(rec); !s) return s;
    }
    bool full = rows.rows() >= options_.batch_rows;
    bool caught_up = reader_.next_offset() >= end;
    // While live, a partial batch waits for more rows until the interval is over.
    if (full || monotonic_ns() >= deadline_ns || stopping_ ||
        (caught_up && reader_.next_offset() == applied_offset_)) {
      break;
    }
    if (caught_up) pause(5);
  }
  if (reader_.next_offset() == applied_offset_) return false;
  WarehouseTxn txn;
  rows.append_steps(&txn);
  const size_t n = txn.rows();
  txn.steps.emplace_back(set_load_offset_sql(reader_.next_offset(), now_ms()));
  if (Status s = db.apply(txn); !s) return s;
  applied_offset_ = reader_.next_offset();
  dimensions_.merge(rows.added());
  progressed_ = true;
  std::lock_guard lock(shared_->mu);
  shared_->status.rows_loaded += n;
  shared_->status.retry_in_ms = 0;
  return true;
}

Status WarehouseWriter::upsert_gold(WarehouseBackend& db) {
  WarehouseTxn txn;
  if (!gold_.build(&txn)) return Status::ok();
  if (Status s = db.apply(txn); !s) return s;
  gold_.commit();
  return Status::ok();
}

}  // namespace ledgerflow::sinks
