#include "engine/engine.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/event_time.h"
#include "ingest/logged_order_line.h"
#include "log/log_format.h"

namespace ledgerflow {
namespace fs = std::filesystem;

namespace {

// See writer_loop: the writer hands the log its encoded records in pieces of about this size
// (well inside a core's L2 cache).
constexpr size_t kWriteChunkBytes = 256 << 10;

std::string log_dir(const EngineConfig& c) {
  return (fs::path(c.data_dir) / "log").string();
}
std::string checkpoint_dir(const EngineConfig& c) {
  return (fs::path(c.data_dir) / "checkpoints").string();
}

}  // namespace

Engine::Engine(EngineConfig config)
    : config_(std::move(config)),
      log_(BronzeLogOptions{log_dir(config_), config_.segment_bytes}),
      router_(config_.watermark,
              RouterLimits{config_.dead_letters_kept, config_.idempotency_keys_kept}),
      finance_parser_(finance_limits(config_.limits)),
      ingest_queue_(config_.ingest_queue_batches) {
  config_.shard.finance.parse_limits = finance_limits(config_.limits);
}

Engine::~Engine() {
  stop();
}

// Sales and shipments by product x store; order lines by customer, so that a customer's orders
// and months (fraud, retention) live in one shard and shard partials merge exactly.
size_t Engine::shard_for(const Event& e) const {
  // Every finance event goes to one shard: the ledger needs orders, receipts, invoices and
  // payments together (analytics/finance_ledger.h).
  if (is_finance_event(e.type)) return kFinanceShard % shards_.size();
  uint64_t key = e.type == EventType::kOrderLine
                     ? uint64_t(e.order_line->customer_id) ^ (uint64_t(3) << 60)
                     : inventory_key(e.store_id, e.prod_id);
  uint64_t k = key * 0x9E3779B97F4A7C15ull;
  return size_t((k >> 32) % shards_.size());
}

Status Engine::start() {
  LF_ASSERT(!started_.load());
  started_ms_ = now_ms();
  Result<std::unique_ptr<DataDirLock>> lock = DataDirLock::acquire(config_.data_dir);
  if (!lock) return lock.status();
  lock_ = std::move(lock.value());
  if (config_.catalog_path.empty()) {
    catalog_ = std::make_unique<Catalog>(Catalog::builtin());
  } else {
    Result<Catalog> c = Catalog::load_file(config_.catalog_path);
    if (!c) return c.status();
    catalog_ = std::make_unique<Catalog>(std::move(c.value()));
  }
  for (int i = 0; i < config_.shards; ++i) {
    shards_.push_back(std::make_unique<ShardWorker>(i, catalog_.get(), config_.shard,
                                                    config_.shard_queue_batches));
  }
  if (Status s = recover(); !s) return s;
  for (auto& shard : shards_) shard->start();
  writer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "lf-log-writer");
    writer_loop();
  });
  checkpointer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "lf-checkpoint");
    checkpoint_loop();
  });
  started_ = true;
  ready_ = true;
  return Status::ok();
}

Status Engine::recover() {
  Result<LogOpenReport> opened = log_.open();
  if (!opened) return opened.status();
  recovery_.log = *opened;
  if (opened->torn_tail_bytes > 0) {
    spdlog::warn("bronze log: cut a torn tail of {} bytes from {}", opened->torn_tail_bytes,
                 opened->torn_tail_segment);
  }
  CheckpointLoad loaded = load_latest_checkpoint(checkpoint_dir(config_));
  recovery_.skipped_checkpoints = loaded.skipped;
  for (const std::string& s : loaded.skipped) spdlog::warn("checkpoint skipped: {}", s);
  uint64_t from = 0;
  if (loaded.data && loaded.data->shard_states.size() != shards_.size()) {
    spdlog::warn("checkpoint has {} shards, engine runs {}: rebuilding state from the whole log",
                 loaded.data->shard_states.size(), shards_.size());
    loaded.data.reset();
  }
  if (loaded.data && lacks_dataco_receivables(*loaded.data)) {
    spdlog::warn(
        "checkpoint version {} predates the DataCo receivables: rebuilding state from "
        "the whole log",
        loaded.data->version);
    loaded.data.reset();
  }
  if (loaded.data && loaded.data->next_offset > log_.next_offset()) {
    return Status::fatal("checkpoint_ahead_of_log",
                         fmt::format("checkpoint reflects offset {} but the log ends at {}",
                                     loaded.data->next_offset, log_.next_offset()));
  }
  if (loaded.data) {
    ByteReader rr(loaded.data->router_state);
    if (!router_.deserialize(rr))
      return Status::fatal("checkpoint_corrupt", "router state unreadable");
    for (size_t i = 0; i < shards_.size(); ++i) {
      ByteReader sr(loaded.data->shard_states[i]);
      if (!shards_[i]->state_unlocked().deserialize(sr, loaded.data->version)) {
        return Status::fatal("checkpoint_corrupt", fmt::format("shard {} state unreadable", i));
      }
    }
    from = loaded.data->next_offset;
    recovery_.from_checkpoint = true;
    recovery_.checkpoint_offset = from;
    last_checkpoint_offset_ = from;
    last_checkpoint_ms_ = loaded.data->created_ms;
  }
  // Replay the tail in chunks through the same routing as live records.
  std::vector<LogRecord> chunk;
  auto flush = [&] {
    route(chunk, /*live=*/false, monotonic_ns());
    recovery_.replayed_records += chunk.size();
    chunk.clear();
  };
  Status s = log_.replay(from, [&](const LogRecord& rec) {
    chunk.push_back(rec);
    if (chunk.size() >= 4096) flush();
    return Status::ok();
  });
  if (!s) return s;
  flush();
  log_bytes_ = 0;
  durable_offset_ = log_.next_offset();
  if (recovery_.replayed_records > 0 || recovery_.from_checkpoint) {
    spdlog::info("recovered: checkpoint at offset {}, replayed {} records, log ends at {}",
                 recovery_.checkpoint_offset, recovery_.replayed_records, log_.next_offset());
  }
  return Status::ok();
}

bool Engine::lacks_dataco_receivables(const CheckpointData& data) const {
  if (data.version >= 4) return false;
  for (const std::string& bytes : data.shard_states) {
    ShardState state(catalog_.get(), config_.shard);
    ByteReader r(bytes);
    // An unreadable state is reported by the load that follows.
    if (state.deserialize(r, data.version) && state.dataco().line_count() > 0) return true;
  }
  return false;
}

// A finance record read back from the log holds its raw bytes only. They parse to the same event
// (the parser accepted them once and is deterministic); if they do not, this log was written by
// a binary that parsed differently, and state built from it could not be trusted.
bool Engine::reparse_finance(LogRecord* rec) {
  FinanceEvent parsed;
  Status s = finance_parser_.parse(rec->raw, finance_type_of(rec->event.type), &parsed);
  if (!s) {
    fail(Status::fatal("log_unreadable",
                       fmt::format("finance record at offset {} no longer parses: {}", rec->offset,
                                   s.to_string())));
    return false;
  }
  rec->event.finance = std::make_shared<const FinanceEvent>(std::move(parsed));
  return true;
}

// An order line read back from the log holds its raw bytes only: the same rule as above.
bool Engine::reparse_order_line(LogRecord* rec) {
  if (Status s = parse_logged_order_line(*rec, order_line_parser_, &rec->event); !s) {
    fail(s);
    return false;
  }
  return true;
}

void Engine::route(std::vector<LogRecord>& records, bool live, int64_t submit_ns) {
  std::vector<ShardBatch> batches(shards_.size());
  std::shared_ptr<std::vector<LogRecord>> owner;
  if (live) {
    // The shards read the events where they are: the records go to them (and are freed by the
    // last shard done with them) instead of each event being copied out.
    owner = std::make_shared<std::vector<LogRecord>>(std::move(records));
    for (ShardBatch& b : batches) b.owner = owner;
  }
  std::vector<LogRecord>& routed = live ? *owner : records;
  for (ShardBatch& b : batches) b.events.reserve(routed.size() / shards_.size() + 16);
  uint64_t next_offset = 0;
  {
    std::lock_guard lock(router_mu_);
    for (LogRecord& rec : routed) {
      int64_t wm = router_.watermark_for(rec);
      router_.observe(rec);
      if (rec.kind == RecordKind::kEvent) {
        if (is_finance_event(rec.event.type) && rec.event.finance == nullptr &&
            !reparse_finance(&rec)) {
          continue;
        }
        if (rec.event.type == EventType::kOrderLine && rec.event.order_line == nullptr &&
            !reparse_order_line(&rec)) {
          continue;
        }
        rec.event.offset = rec.offset;
        rec.event.ingest_time_ms = rec.ingest_time_ms;
        size_t shard = shard_for(rec.event);
        batches[shard].events.push_back(RoutedEvent{&rec.event, wm});
      }
    }
    next_offset = router_.next_offset();
  }
  for (size_t i = 0; i < shards_.size(); ++i) {
    batches[i].next_offset = next_offset;
    batches[i].submit_ns = submit_ns;
    if (live) {
      shards_[i]->push(ShardMessage{std::move(batches[i]), nullptr});
    } else {
      shards_[i]->apply_now(batches[i]);
    }
  }
}

std::future<IngestAck> Engine::submit(IngestBatch batch) {
  auto pending = std::make_unique<Pending>();
  if (batch.submit_ns == 0) batch.submit_ns = monotonic_ns();
  pending->batch = std::move(batch);
  std::future<IngestAck> f = pending->done.get_future();
  if (failed_ || stopping_) {
    pending->done.set_value(
        IngestAck{failed_ ? Status::fatal("engine_failed", failure())
                          : Status::retriable("shutting_down", "the engine is stopping")});
    return f;
  }
  if (!ingest_queue_.push(std::move(pending))) {
    // Closed while we waited: the promise went with the rejected item, so answer anew.
    std::promise<IngestAck> p;
    p.set_value(IngestAck{Status::retriable("shutting_down", "the engine is stopping")});
    return p.get_future();
  }
  return f;
}

void Engine::fail(const Status& s) {
  {
    std::lock_guard lock(failure_mu_);
    if (failure_.empty()) failure_ = s.to_string();
  }
  failed_ = true;
  spdlog::critical("engine failed: {}", s.to_string());
}

std::string Engine::failure() const {
  std::lock_guard lock(failure_mu_);
  return failure_;
}

void Engine::writer_loop() {
  std::string buf;
  std::vector<std::unique_ptr<Pending>> group;
  int64_t last_sync_ns = monotonic_ns();
  bool unsynced = false;
  const int64_t interval_ns = config_.fsync_interval_ms * 1'000'000;
  for (;;) {
    auto wait = std::chrono::milliseconds(config_.fsync == FsyncPolicy::kInterval
                                              ? std::max<int64_t>(1, config_.fsync_interval_ms / 2)
                                              : 20);
    std::optional<std::unique_ptr<Pending>> first = ingest_queue_.pop_for(wait);
    if (first) {
      size_t bytes = 0;
      group.push_back(std::move(*first));
      while (bytes < config_.max_group_bytes) {
        auto more = ingest_queue_.try_pop();
        if (!more) break;
        group.push_back(std::move(*more));
        bytes += group.back()->batch.records.size() * 256;
      }
      buf.clear();
      uint64_t offset = log_.next_offset();
      uint64_t unwritten_first = offset;
      uint64_t group_bytes = 0;
      const int64_t ingest_ms = now_ms();
      std::vector<std::pair<uint64_t, uint64_t>> ranges;
      Status s = failed_ ? Status::fatal("engine_failed", failure()) : Status::ok();
      // The encoded records go to the log in pieces of about kWriteChunkBytes, while they are
      // still in this core's cache: the kernel's copy into the page cache, the writer's largest
      // cost, then reads them from L2 instead of memory.
      auto write_out = [&] {
        if (s && !buf.empty()) s = log_.append(buf, offset - unwritten_first);
        group_bytes += buf.size();
        buf.clear();
        unwritten_first = offset;
      };
      for (auto& p : group) {
        uint64_t first_offset = offset;
        IngestBatch& b = p->batch;
        if (!b.idempotency_key.empty()) {
          LogRecord marker;
          marker.kind = RecordKind::kBatchMarker;
          marker.source.kind = SourceKind::kHttp;
          marker.source.name = "http";
          marker.reason_code = b.idempotency_key;
          marker.message = b.summary_json;
          b.records.push_back(std::move(marker));
        }
        for (LogRecord& rec : b.records) {
          rec.offset = offset++;
          rec.ingest_time_ms = ingest_ms;
          logfmt::encode_record(rec, &buf, b.order_line_hint);
          if (buf.size() >= kWriteChunkBytes) write_out();
        }
        ranges.emplace_back(first_offset, offset);
      }
      write_out();
      if (s && config_.fsync == FsyncPolicy::kBatch) {
        s = log_.sync();
        last_sync_ns = monotonic_ns();
        if (s) durable_offset_ = offset;
      } else if (s) {
        unsynced = true;
      }
      if (!s) {
        // A failed write may have left part of the group on disk: nothing more may be appended
        // after it, so the engine stops taking writes (the torn tail is repaired on restart).
        fail(s);
        for (auto& p : group) p->done.set_value(IngestAck{s});
        group.clear();
        continue;
      }
      log_bytes_ += group_bytes;
      // Route before acknowledging: a client that retries as soon as it has its answer must
      // find the batch's idempotency key (and its dead letters) already recorded.
      for (auto& p : group) route(p->batch.records, /*live=*/true, p->batch.submit_ns);
      for (size_t i = 0; i < group.size(); ++i) {
        group[i]->done.set_value(IngestAck{Status::ok(), ranges[i].first, ranges[i].second});
      }
      group.clear();
    }
    if (unsynced &&
        (config_.fsync == FsyncPolicy::kInterval && monotonic_ns() - last_sync_ns >= interval_ns)) {
      uint64_t end = log_.next_offset();
      if (Status s = log_.sync(); !s)
        fail(s);
      else
        durable_offset_ = end;
      last_sync_ns = monotonic_ns();
      unsynced = false;
    }
    if (checkpoint_wanted_.load()) {
      std::lock_guard lock(checkpoint_mu_);
      if (checkpoint_request_) {
        checkpoint_request_->set_value(begin_checkpoint());
        checkpoint_request_.reset();
        unsynced = false;
      }
      checkpoint_wanted_ = false;
    }
    if (!first && stopping_ && ingest_queue_.size() == 0) break;
  }
  if (!failed_) {
    uint64_t end = log_.next_offset();
    if (Status s = log_.sync(); !s)
      fail(s);
    else
      durable_offset_ = end;
  }
}

// Runs on the writer thread (or on the stopping thread once the writer has exited): makes the
// log durable up to here, snapshots the router and asks every shard for its state at exactly
// this point of its queue.
Engine::PendingCheckpoint Engine::begin_checkpoint() {
  PendingCheckpoint p;
  if (Status s = log_.sync(); !s)
    fail(s);
  else
    durable_offset_ = log_.next_offset();
  p.data.next_offset = log_.next_offset();
  p.data.created_ms = now_ms();
  {
    std::lock_guard lock(router_mu_);
    ByteWriter w(&p.data.router_state);
    router_.serialize(w);
  }
  for (auto& shard : shards_) {
    auto barrier = std::make_shared<ShardBarrier>();
    p.shards.push_back(barrier->state.get_future());
    shard->push(ShardMessage{ShardBatch{}, barrier});
  }
  return p;
}

Status Engine::finish_checkpoint(PendingCheckpoint pending) {
  for (auto& f : pending.shards) pending.data.shard_states.push_back(f.get());
  if (failed_) return Status::fatal("engine_failed", failure());
  std::lock_guard lock(checkpoint_write_mu_);
  if (pending.data.next_offset < last_checkpoint_offset_.load() &&
      last_checkpoint_ms_.load() >= 0) {
    return Status::ok();  // a newer one is already on disk
  }
  Status s = write_checkpoint(checkpoint_dir(config_), pending.data, config_.checkpoints_kept);
  if (s) {
    last_checkpoint_ms_ = pending.data.created_ms;
    last_checkpoint_offset_ = pending.data.next_offset;
  } else {
    spdlog::error("checkpoint failed: {}", s.to_string());
  }
  return s;
}

// Asks the writer for a barrier; nullopt once the engine is stopping (stop() fails any request
// made before it looked, under the same lock). Callers hold checkpoint_run_mu_.
std::optional<std::future<Engine::PendingCheckpoint>> Engine::request_checkpoint() {
  std::lock_guard lock(checkpoint_mu_);
  if (stopping_) return std::nullopt;
  LF_ASSERT(!checkpoint_request_);
  checkpoint_request_.emplace();
  checkpoint_wanted_ = true;
  return checkpoint_request_->get_future();
}

Status Engine::checkpoint_now() {
  if (!started_ || stopping_) return Status::retriable("not_running", "the engine is not running");
  std::lock_guard run(checkpoint_run_mu_);
  std::optional<std::future<PendingCheckpoint>> f = request_checkpoint();
  if (!f) return Status::retriable("not_running", "the engine is stopping");
  try {
    return finish_checkpoint(f->get());
  } catch (const std::exception&) {
    return Status::retriable("not_running", "the engine stopped before the checkpoint");
  }
}

void Engine::sample_rate() {
  std::lock_guard lock(rate_mu_);
  uint64_t logged;
  {
    std::lock_guard rl(router_mu_);
    logged = router_.events_logged();
  }
  rate_samples_.emplace_back(monotonic_ns(), logged);
  if (rate_samples_.size() > 6) rate_samples_.erase(rate_samples_.begin());
}

void Engine::checkpoint_loop() {
  int64_t next_ckpt_ns = monotonic_ns() + config_.checkpoint_interval_ms * 1'000'000;
  int64_t next_sample_ns = 0;
  while (!stopping_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    int64_t now = monotonic_ns();
    if (now >= next_sample_ns) {
      sample_rate();
      next_sample_ns = now + 1'000'000'000;
    }
    if (now >= next_ckpt_ns && !stopping_) {
      // A checkpoint_now() in progress is as good as this one (and waiting for it here could
      // hold up stop(), which joins this thread before it fails an unserved request).
      std::unique_lock run(checkpoint_run_mu_, std::try_to_lock);
      if (!run.owns_lock()) continue;
      std::optional<std::future<PendingCheckpoint>> f = request_checkpoint();
      if (!f) return;
      // A request that races with stop() may never be served by the writer; wait in slices.
      while (f->wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
        if (stopping_) return;
      }
      try {
        (void)finish_checkpoint(f->get());
      } catch (const std::exception&) {
        return;
      }
      next_ckpt_ns = monotonic_ns() + config_.checkpoint_interval_ms * 1'000'000;
    }
  }
}

void Engine::stop() {
  if (!started_.exchange(false)) return;
  ready_ = false;
  stopping_ = true;
  if (checkpointer_.joinable()) checkpointer_.join();
  // No more input: the writer drains what is queued, then exits.
  if (writer_.joinable()) writer_.join();
  ingest_queue_.close();
  while (auto left = ingest_queue_.try_pop()) {
    (*left)->done.set_value(
        IngestAck{Status::retriable("shutting_down", "the engine is stopping")});
  }
  {
    std::lock_guard lock(checkpoint_mu_);
    if (checkpoint_request_) {
      checkpoint_request_->set_exception(std::make_exception_ptr(std::runtime_error("stopped")));
      checkpoint_request_.reset();
    }
  }
  if (!failed_) {
    Status s = finish_checkpoint(begin_checkpoint());
    if (s) spdlog::info("final checkpoint at offset {}", last_checkpoint_offset_.load());
  }
  for (auto& shard : shards_) shard->stop();
}

bool Engine::wait_applied(uint64_t offset, int64_t timeout_ms) const {
  int64_t deadline = monotonic_ns() + timeout_ms * 1'000'000;
  for (;;) {
    bool all = true;
    for (const auto& s : shards_) all = all && s->applied_next_offset() >= offset;
    if (all) return true;
    if (monotonic_ns() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::vector<InventoryRow> Engine::inventory(std::optional<int32_t> store, bool below_only) const {
  std::vector<InventoryRow> out;
  for (const auto& shard : shards_) {
    shard->read([&](const ShardState& s) {
      for (const auto& [key, row] : s.inventory().rows()) {
        if (store && row.store_id != *store) continue;
        if (below_only && !row.below_reorder()) continue;
        out.push_back(row);
      }
      return 0;
    });
  }
  std::sort(out.begin(), out.end(), [](const InventoryRow& a, const InventoryRow& b) {
    return std::tie(a.store_id, a.prod_id) < std::tie(b.store_id, b.prod_id);
  });
  return out;
}

std::vector<BestSeller> Engine::best_sellers(std::optional<int32_t> store, bool by_revenue,
                                             size_t limit) const {
  std::map<int64_t, BestSeller> by_product;
  for (const InventoryRow& row : inventory(store, false)) {
    BestSeller& b = by_product[row.prod_id];
    b.prod_id = row.prod_id;
    if (b.prod_name.empty()) b.prod_name = row.prod_name;
    b.units += row.total_sold;
    b.revenue = saturating_add(b.revenue, row.revenue);
  }
  std::vector<BestSeller> out;
  for (auto& [id, b] : by_product) {
    if (b.units > 0) out.push_back(std::move(b));
  }
  std::sort(out.begin(), out.end(), [&](const BestSeller& a, const BestSeller& b) {
    if (by_revenue && a.revenue != b.revenue) return a.revenue > b.revenue;
    if (a.units != b.units) return a.units > b.units;
    if (!by_revenue && a.revenue != b.revenue) return a.revenue > b.revenue;
    return a.prod_id < b.prod_id;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::vector<SalesWindow> Engine::sales(int64_t window_ms, int64_t from_ms, int64_t to_ms) const {
  LF_ASSERT(window_ms > 0 && window_ms % kWindowMs == 0);
  // Each shard evicts windows older than the retention when its own next event arrives, so one
  // shard may still hold a window that another has dropped: hide every window past the
  // retention behind the current watermark so that none is ever reported partly evicted.
  int64_t cutoff = INT64_MIN;
  {
    std::lock_guard lock(router_mu_);
    int64_t wm = router_.watermark().watermark();
    if (wm != WatermarkTracker::kNone) cutoff = wm - config_.shard.window_retention_ms;
  }
  std::map<int64_t, SalesWindow> merged;
  for (const auto& shard : shards_) {
    shard->read([&](const ShardState& s) {
      const auto& w = s.windows().windows();
      // A window whose start is in [from, to) is whole: all its minutes, even past `to`.
      for (auto it = w.lower_bound(floor_to(from_ms, window_ms));
           it != w.end() && floor_to(it->first, window_ms) < to_ms; ++it) {
        if (it->first + kWindowMs <= cutoff) continue;
        int64_t start = floor_to(it->first, window_ms);
        if (start < from_ms) continue;
        SalesWindow& m = merged[start];
        m.start_ms = start;
        m.merge(it->second);
      }
      return 0;
    });
  }
  std::vector<SalesWindow> out;
  out.reserve(merged.size());
  for (auto& [start, w] : merged) out.push_back(w);
  return out;
}

std::vector<Event> Engine::recent_shipments(std::optional<int32_t> store, size_t limit) const {
  std::vector<Event> out;
  for (const auto& shard : shards_) {
    shard->read([&](const ShardState& s) {
      for (const Event& e : s.recent_shipments()) {
        if (!store || e.store_id == *store) out.push_back(e);
      }
      return 0;
    });
  }
  std::sort(out.begin(), out.end(), [](const Event& a, const Event& b) {
    return std::tie(a.event_time_ms, a.offset) > std::tie(b.event_time_ms, b.offset);
  });
  if (out.size() > limit) out.resize(limit);
  for (Event& e : out) {
    if (const Product* p = catalog_->find(e.prod_id)) e.prod_name = p->name;
  }
  return out;
}

std::vector<DeadLetter> Engine::dead_letters(size_t limit) const {
  std::lock_guard lock(router_mu_);
  const auto& all = router_.dead_letters();
  size_t n = std::min(limit, all.size());
  return std::vector<DeadLetter>(all.end() - long(n), all.end());
}

std::vector<LateEvent> Engine::late_events(size_t limit) const {
  std::vector<LateEvent> out;
  for (const auto& shard : shards_) {
    shard->read([&](const ShardState& s) {
      out.insert(out.end(), s.late_events().begin(), s.late_events().end());
      return 0;
    });
  }
  std::sort(out.begin(), out.end(),
            [](const LateEvent& a, const LateEvent& b) { return a.offset > b.offset; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::optional<std::string> Engine::idempotent_summary(const std::string& key) const {
  std::lock_guard lock(router_mu_);
  return router_.idempotent_summary(key);
}

int64_t Engine::dataco_line_count() const {
  int64_t n = 0;
  for (const auto& shard : shards_) {
    n += shard->read([](const ShardState& s) { return s.dataco().line_count(); });
  }
  return n;
}

template <typename Out, typename Add>
Out Engine::merge_dataco(Add add) const {
  Out out;
  for (const auto& shard : shards_) {
    shard->read([&](const ShardState& s) {
      add(s.dataco(), &out);
      return 0;
    });
  }
  return out;
}

std::shared_ptr<const Engine::DatacoSnapshot> Engine::dataco_snapshot() const {
  // The count before the merge: lines applied while it runs make the next call merge again.
  const int64_t lines = dataco_line_count();
  std::lock_guard lock(dataco_snapshot_mu_);
  if (!dataco_snapshot_ || dataco_snapshot_->lines != lines) {
    auto snapshot = std::make_shared<DatacoSnapshot>();
    snapshot->lines = lines;
    snapshot->summary = dataco_summary();
    snapshot->patterns = dataco_fraud_alerts(snapshot->summary, config_.dataco_fraud);
    dataco_snapshot_ = std::move(snapshot);
  }
  return dataco_snapshot_;
}

DatacoReceivables Engine::dataco_receivables() const {
  return merge_dataco<DatacoReceivables>(
      [](const DatacoMarts& m, DatacoReceivables* out) { m.add_receivables_to(out); });
}

DatacoSummary Engine::dataco_summary() const {
  return merge_dataco<DatacoSummary>(
      [](const DatacoMarts& m, DatacoSummary* out) { m.summarize(out); });
}

std::vector<int32_t> Engine::stores() const {
  std::vector<int32_t> out;
  for (const InventoryRow& r : inventory(std::nullopt, false)) {
    if (out.empty() || out.back() != r.store_id) out.push_back(r.store_id);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

ChangeSet Engine::changes_since(ChangeCursor* cursor) const {
  ChangeSet out;
  cursor->shard_seq.resize(shards_.size(), 0);
  std::set<int64_t> starts;
  for (size_t i = 0; i < shards_.size(); ++i) {
    uint64_t since = cursor->shard_seq[i];
    cursor->shard_seq[i] = shards_[i]->read([&](const ShardState& s) {
      for (const auto& [key, row] : s.inventory().rows()) {
        if (row.version > since) out.inventory.push_back(row);
      }
      for (const auto& [start, w] : s.windows().windows()) {
        if (w.version > since) starts.insert(start);
      }
      for (const Event& e : s.recent_shipments()) {
        if (e.offset >= cursor->next_shipment_offset) out.shipments.push_back(e);
      }
      return s.change_seq();
    });
  }
  out.window_starts.assign(starts.begin(), starts.end());
  for (const Event& e : out.shipments) {
    cursor->next_shipment_offset = std::max(cursor->next_shipment_offset, e.offset + 1);
  }
  std::sort(out.shipments.begin(), out.shipments.end(),
            [](const Event& a, const Event& b) { return a.offset < b.offset; });
  for (Event& e : out.shipments) {
    if (const Product* p = catalog_->find(e.prod_id)) e.prod_name = p->name;
  }
  {
    std::lock_guard lock(router_mu_);
    for (const DeadLetter& d : router_.dead_letters()) {
      if (d.offset >= cursor->next_dead_letter_offset) out.dead_letters.push_back(d);
    }
  }
  if (!out.dead_letters.empty())
    cursor->next_dead_letter_offset = out.dead_letters.back().offset + 1;
  return out;
}

std::optional<int64_t> Engine::source_offset(const std::string& topic, int32_t partition) const {
  std::lock_guard lock(router_mu_);
  return router_.source_offset(topic, partition);
}

uint64_t Engine::change_seq() const {
  uint64_t sum = 0;
  for (const auto& shard : shards_)
    sum += shard->read([](const ShardState& s) { return s.change_seq(); });
  return sum;
}

ProductLeadTimes Engine::product_lead_times() const {
  return read_finance(
      [](const FinanceLedger& l) { return catalog_lead_times(l.product_lead_times()); });
}

PipelineStats Engine::pipeline() const {
  PipelineStats p;
  {
    std::lock_guard lock(router_mu_);
    p.events_accepted = router_.events_logged();
    p.dead_letters = router_.dead_letters_total();
    p.dead_letters_by_reason = router_.dead_letter_counts();
    p.watermark_ms = router_.watermark().watermark();
    p.max_event_time_ms = router_.watermark().max_event_time();
    p.log_end_offset = router_.next_offset();
  }
  p.applied_offset = UINT64_MAX;
  for (const auto& shard : shards_) {
    p.applied_offset = std::min(p.applied_offset, shard->applied_next_offset());
    p.shard_queue_depths.push_back(shard->queue_depth());
    p.shard_queue_capacity = shard->queue_capacity();
    ShardCounters c = shard->read([](const ShardState& s) { return s.counters(); });
    p.events_applied += c.applied;
    p.duplicates += c.duplicates;
    p.late_updates += c.late_updates;
    p.late_dropped += c.late_dropped;
  }
  if (shards_.empty()) p.applied_offset = 0;
  {
    std::lock_guard lock(rate_mu_);
    if (rate_samples_.size() >= 2) {
      auto& a = rate_samples_.front();
      auto& b = rate_samples_.back();
      double secs = double(b.first - a.first) / 1e9;
      if (secs > 0) p.events_per_s = double(b.second - a.second) / secs;
    }
  }
  int64_t ck = last_checkpoint_ms_.load();
  p.checkpoint_age_ms = ck < 0 ? -1 : std::max<int64_t>(0, now_ms() - ck);
  p.checkpoint_offset = last_checkpoint_offset_.load();
  p.log_bytes = log_bytes_.load();
  p.ingest_queue_depth = ingest_queue_.size();
  p.ingest_queue_capacity = ingest_queue_.capacity();
  p.uptime_ms = now_ms() - started_ms_;
  p.ready = ready();
  p.fsync = fsync_policy_name(config_.fsync);
  std::lock_guard lock(reporters_mu_);
  for (const auto& [id, reporter] : reporters_) reporter(&p);
  return p;
}

uint64_t Engine::log_end_offset() const {
  std::lock_guard lock(router_mu_);
  return router_.next_offset();
}

uint64_t Engine::add_reporter(PipelineReporter reporter) {
  std::lock_guard lock(reporters_mu_);
  reporters_.emplace_back(next_reporter_id_, std::move(reporter));
  return next_reporter_id_++;
}

void Engine::remove_reporter(uint64_t id) {
  std::lock_guard lock(reporters_mu_);
  std::erase_if(reporters_, [id](const auto& r) { return r.first == id; });
}

KpiSnapshot Engine::kpis() const {
  KpiSnapshot k;
  PipelineStats p = pipeline();
  k.events_per_s = p.events_per_s;
  if (p.max_event_time_ms != WatermarkTracker::kNone) {
    k.day_start_ms = floor_to(p.max_event_time_ms, kMsPerDay);
    for (const SalesWindow& w : sales(kMsPerDay, k.day_start_ms, k.day_start_ms + kMsPerDay)) {
      k.revenue_today = saturating_add(k.revenue_today, w.revenue);
      k.units_today += w.units_sold;
      k.shipments_today += w.shipments;
      k.units_received_today += w.units_received;
    }
  }
  for (const InventoryRow& r : inventory(std::nullopt, false)) {
    k.inventory_value_at_cost = saturating_add(k.inventory_value_at_cost, r.value_at_cost());
    if (r.below_reorder()) k.below_reorder += 1;
    k.products += 1;
  }
  return k;
}

void Engine::record_latency(bool on) {
  for (auto& s : shards_) s->record_latency(on);
}

std::vector<LatencySample> Engine::take_latency_samples() {
  std::vector<LatencySample> out;
  for (auto& s : shards_) {
    auto part = s->take_latency_samples();
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

}  // namespace ledgerflow
