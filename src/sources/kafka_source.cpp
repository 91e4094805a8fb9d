#include "sources/kafka_source.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/event_time.h"

namespace ledgerflow {
namespace {

constexpr size_t kMaxInFlight = 4;
constexpr size_t kPollBatch = 1024;
constexpr size_t kMaxBatchBytes = 4u << 20;
constexpr int64_t kCommitIntervalNs = 100'000'000;
constexpr int64_t kStatsIntervalNs = 500'000'000;

bool cooperative(rd_kafka_t* rk) {
  return std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
}

bool contains(const rd_kafka_topic_partition_list_t* list, const std::string& topic,
              int32_t partition) {
  for (int i = 0; i < list->cnt; ++i) {
    if (list->elems[i].partition == partition && topic == list->elems[i].topic) return true;
  }
  return false;
}

}  // namespace

KafkaSource::KafkaSource(Engine* engine, KafkaConfig config)
    : engine_(engine), config_(std::move(config)), parser_(engine->config().limits) {
  if (!config_.sale_topic.empty()) topics_.emplace_back(config_.sale_topic, EventType::kSale);
  if (!config_.shipment_topic.empty())
    topics_.emplace_back(config_.shipment_topic, EventType::kShipment);
  if (!config_.order_line_topic.empty())
    topics_.emplace_back(config_.order_line_topic, EventType::kOrderLine);
  for (const std::string& t : config_.event_topics) {
    if (!t.empty()) topics_.emplace_back(t, std::nullopt);
  }
}

KafkaSource::~KafkaSource() {
  stop();
}

std::optional<EventType> KafkaSource::type_of(const std::string& topic) const {
  for (const auto& [name, type] : topics_) {
    if (name == topic) return type;
  }
  return std::nullopt;
}

Status KafkaSource::start() {
  if (topics_.empty())
    return Status::bad_input("invalid_config", "kafka: no input topic configured");
  for (size_t i = 0; i < topics_.size(); ++i) {
    for (size_t j = i + 1; j < topics_.size(); ++j) {
      if (topics_[i].first == topics_[j].first) {
        return Status::bad_input("invalid_config",
                                 fmt::format("kafka: topic {} configured twice", topics_[i].first));
      }
    }
  }
  KafkaClientSettings s;
  s.brokers = config_.brokers;
  s.defaults = {
      {"client.id", "ledgerflow"},
      // Range assignment gives partition N of every co-partitioned topic to the same member,
      // so the sales and the shipments of one key meet in one instance (docs/KAFKA.md).
      {"partition.assignment.strategy", "range"},
      {"session.timeout.ms", "10000"},
      {"check.crcs", "false"},
  };
  s.properties = config_.properties;
  s.required = {
      {"group.id", config_.group_id},
      {"auto.offset.reset", config_.auto_offset_reset},
      // Offsets are committed by hand, only for records the log holds durably.
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"enable.partition.eof", "false"},
  };
  Result<rd_kafka_conf_t*> conf = make_kafka_conf(s);
  if (!conf) return conf.status();
  rd_kafka_conf_set_opaque(*conf, this);
  rd_kafka_conf_set_rebalance_cb(*conf, &KafkaSource::rebalance_cb);
  Result<KafkaHandle> rk = make_kafka_client(RD_KAFKA_CONSUMER, *conf);
  if (!rk) return rk.status();
  rk_ = std::move(rk.value());
  rd_kafka_poll_set_consumer(rk_.get());
  consumer_queue_ = rd_kafka_queue_get_consumer(rk_.get());
  rd_kafka_topic_partition_list_t* subs = rd_kafka_topic_partition_list_new(int(topics_.size()));
  for (const auto& [name, type] : topics_) {
    rd_kafka_topic_partition_list_add(subs, name.c_str(), RD_KAFKA_PARTITION_UA);
  }
  rd_kafka_resp_err_t err = rd_kafka_subscribe(rk_.get(), subs);
  rd_kafka_topic_partition_list_destroy(subs);
  if (err) {
    rd_kafka_queue_destroy(consumer_queue_);
    consumer_queue_ = nullptr;
    rk_.reset();
    return Status::bad_input("kafka_subscribe", rd_kafka_err2str(err));
  }
  std::string names;
  for (const auto& [name, type] : topics_) names += (names.empty() ? "" : ", ") + name;
  spdlog::info("kafka: consuming {} from {} as group {}", names, config_.brokers, config_.group_id);
  started_ = true;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "lf-kafka-in");
    run();
  });
  return Status::ok();
}

void KafkaSource::stop() {
  if (!started_.exchange(false)) return;
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (consumer_queue_) rd_kafka_queue_destroy(consumer_queue_);
  consumer_queue_ = nullptr;
  rk_.reset();
}

void KafkaSource::run() {
  rd_kafka_t* rk = rk_.get();
  std::vector<rd_kafka_message_t*> msgs(kPollBatch);
  while (!stop_ && !failed_) {
    // Many messages per call: one poll per message costs a queue lock and a clock read each.
    // The consumer queue also serves the rebalance and commit callbacks.
    ssize_t n = rd_kafka_consume_batch_queue(
        consumer_queue_, batch_.batch.records.empty() ? 100 : 0, msgs.data(), msgs.size());
    uint64_t consumed = 0;
    for (ssize_t i = 0; i < n; ++i) {
      consumed += on_message(msgs[size_t(i)]);
      rd_kafka_message_destroy(msgs[size_t(i)]);
    }
    // One atomic add per poll, not per message (readers only watch progress).
    if (consumed > 0) consumed_.fetch_add(consumed, std::memory_order_relaxed);
    if (n > 0 && batch_.batch.records.size() < config_.max_batch_records &&
        batch_bytes_ < kMaxBatchBytes)
      continue;
    submit_batch();
    settle(false);
    promote_durable();
    int64_t now = monotonic_ns();
    if (now - last_commit_ns_ >= kCommitIntervalNs) {
      commit(false);
      last_commit_ns_ = now;
    }
    if (now - last_stats_ns_ >= kStatsIntervalNs) {
      snapshot_stats();
      last_stats_ns_ = now;
    }
  }
  // Leaving: log what was read, make it durable, commit it, then leave the group (the revoke
  // callback that close() triggers finds nothing left to do).
  submit_batch();
  settle(true);
  if (!failed_) drain_and_commit(nullptr);
  rd_kafka_resp_err_t err = rd_kafka_consumer_close(rk);
  if (err) spdlog::warn("kafka: closing the consumer: {}", rd_kafka_err2str(err));
  snapshot_stats();
  spdlog::info("kafka: consumer closed after {} messages ({} redeliveries skipped)",
               consumed_.load(), skipped_.load());
}

KafkaSource::Part* KafkaSource::lookup(rd_kafka_topic_t* rkt, int32_t partition) {
  if (rkt == last_rkt_ && partition == last_partition_ && last_part_) return last_part_;
  auto it = owned_.find(TopicPartition{rd_kafka_topic_name(rkt), partition});
  if (it == owned_.end()) return nullptr;
  last_rkt_ = rkt;
  last_partition_ = partition;
  last_part_ = &it->second;
  return last_part_;
}

bool KafkaSource::on_message(rd_kafka_message_t* m) {
  if (m->err) {
    if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      spdlog::warn("kafka: consumer: {}", rd_kafka_message_errstr(m));
    }
    return false;
  }
  Part* p = lookup(m->rkt, m->partition);
  if (!p || m->offset < p->next) {
    // Not ours (any more), or at or below what the log already holds: a redelivery.
    skipped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  std::string_view payload = m->payload
                                 ? std::string_view(static_cast<const char*>(m->payload), m->len)
                                 : std::string_view();
  // Sized once per batch: growing a vector of records moves every record. A batch is checked
  // against its limit after each poll, so it may take one poll's messages beyond it.
  if (batch_.batch.records.empty())
    batch_.batch.records.reserve(config_.max_batch_records + kPollBatch);
  add_line(&batch_, payload, p->type,
           SourcePosition{SourceKind::kKafka, p->topic, p->partition, m->offset}, size_t(m->offset),
           parser_, engine_->config().dead_letter_raw_bytes);
  batch_bytes_ += m->len + 128;
  p->next = m->offset + 1;
  if (batch_offsets_.empty() || batch_offsets_.back().first.second != p->partition ||
      p->topic != batch_offsets_.back().first.first) {
    auto it = std::find_if(batch_offsets_.begin(), batch_offsets_.end(), [&](const auto& e) {
      return e.first.second == p->partition && p->topic == e.first.first;
    });
    if (it == batch_offsets_.end()) {
      batch_offsets_.emplace_back(TopicPartition{p->topic.str(), p->partition}, m->offset);
    } else {
      // Keep the current partition last so the common case stays a comparison.
      auto e = *it;
      batch_offsets_.erase(it);
      batch_offsets_.push_back(e);
    }
  }
  batch_offsets_.back().second = std::max(batch_offsets_.back().second, m->offset);
  return true;
}

void KafkaSource::submit_batch() {
  if (batch_.batch.records.empty()) return;
  InFlight f;
  f.offsets = std::move(batch_offsets_);
  f.ack = engine_->submit(std::move(batch_.batch));
  batch_ = NdjsonBatch{};
  batch_offsets_.clear();
  batch_bytes_ = 0;
  in_flight_.push_back(std::move(f));
  logged_since_checkpoint_ = true;
  if (in_flight_.size() > kMaxInFlight) settle(false);
  while (in_flight_.size() > kMaxInFlight && !failed_) {
    in_flight_.front().ack.wait();
    settle(false);
  }
}

void KafkaSource::settle(bool all) {
  while (!in_flight_.empty()) {
    InFlight& f = in_flight_.front();
    if (!all && f.ack.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
    IngestAck a = f.ack.get();
    if (!a.status) {
      // Nothing after this batch can be in the log either: stop, commit nothing more. A
      // restart resumes from the log.
      spdlog::error("kafka: the engine refused a batch ({}); consumption stops",
                    a.status.to_string());
      failed_ = true;
      in_flight_.clear();
      return;
    }
    for (const auto& [tp, offset] : f.offsets) {
      auto [it, inserted] = acked_ever_.try_emplace(tp, offset);
      it->second = std::max(it->second, offset);
      if (auto o = owned_.find(tp); o != owned_.end())
        o->second.acked = std::max(o->second.acked, offset);
    }
    awaiting_durable_.push_back(Durable{a.next_offset, std::move(f.offsets)});
    in_flight_.pop_front();
  }
}

void KafkaSource::promote_durable() {
  uint64_t durable = engine_->durable_offset();
  while (!awaiting_durable_.empty() && awaiting_durable_.front().log_next <= durable) {
    for (const auto& [tp, offset] : awaiting_durable_.front().offsets) {
      if (auto o = owned_.find(tp); o != owned_.end())
        o->second.durable = std::max(o->second.durable, offset);
    }
    awaiting_durable_.pop_front();
  }
}

void KafkaSource::commit_cb(rd_kafka_t*, rd_kafka_resp_err_t err,
                            rd_kafka_topic_partition_list_t* offsets, void* opaque) {
  auto* self = static_cast<KafkaSource*>(opaque);
  bool ok = err == RD_KAFKA_RESP_ERR_NO_ERROR;
  for (int i = 0; offsets && i < offsets->cnt; ++i) {
    const rd_kafka_topic_partition_t& e = offsets->elems[i];
    if (e.err) {
      ok = false;
      continue;
    }
    if (auto o = self->owned_.find(TopicPartition{e.topic, e.partition}); o != self->owned_.end()) {
      o->second.committed = std::max(o->second.committed, e.offset);
    }
  }
  if (ok) {
    self->commits_ok_.fetch_add(1, std::memory_order_relaxed);
  } else {
    // Harmless for correctness: the next owner seeks past what its log holds. During a
    // rebalance the group coordinator may refuse commits (REBALANCE_IN_PROGRESS).
    self->commits_failed_.fetch_add(1, std::memory_order_relaxed);
    spdlog::info("kafka: offset commit failed: {}", rd_kafka_err2str(err));
  }
}

void KafkaSource::commit(bool sync, const rd_kafka_topic_partition_list_t* only) {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(int(owned_.size()));
  for (const auto& [tp, p] : owned_) {
    if (only && !contains(only, tp.first, tp.second)) continue;
    if (p.durable >= 0 && p.durable + 1 > p.committed) {
      rd_kafka_topic_partition_list_add(list, tp.first.c_str(), tp.second)->offset = p.durable + 1;
    }
  }
  if (list->cnt > 0) {
    // Both paths report through commit_cb: a temporary queue served here (sync), or the
    // consumer queue served by the poll loop (async).
    rd_kafka_resp_err_t err = rd_kafka_commit_queue(
        rk_.get(), list, sync ? nullptr : consumer_queue_, &KafkaSource::commit_cb, this);
    if (err && !sync) {
      commits_failed_.fetch_add(1, std::memory_order_relaxed);
      spdlog::info("kafka: offset commit not sent: {}", rd_kafka_err2str(err));
    }
  }
  rd_kafka_topic_partition_list_destroy(list);
}

void KafkaSource::drain_and_commit(const rd_kafka_topic_partition_list_t* only) {
  if (logged_since_checkpoint_) {
    // A checkpoint fsyncs the log: every acknowledged record becomes durable, and the engine
    // restarts from here without replaying what this instance is handing over.
    Status s = engine_->checkpoint_now();
    if (s) {
      logged_since_checkpoint_ = false;
    } else {
      spdlog::warn("kafka: checkpoint before handing partitions over: {}", s.to_string());
    }
  }
  promote_durable();
  commit(true, only);
}

void KafkaSource::rebalance_cb(rd_kafka_t*, rd_kafka_resp_err_t err,
                               rd_kafka_topic_partition_list_t* parts, void* opaque) {
  auto* self = static_cast<KafkaSource*>(opaque);
  self->rebalances_.fetch_add(1, std::memory_order_relaxed);
  switch (err) {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
      self->on_assign(parts);
      break;
    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
      self->on_revoke(parts);
      break;
    default:
      spdlog::warn("kafka: rebalance failed: {}", rd_kafka_err2str(err));
      self->on_revoke(parts);
      break;
  }
  self->snapshot_stats();
}

void KafkaSource::on_assign(rd_kafka_topic_partition_list_t* parts) {
  rd_kafka_t* rk = rk_.get();
  rd_kafka_topic_partition_list_t* committed = rd_kafka_topic_partition_list_copy(parts);
  rd_kafka_resp_err_t cerr = rd_kafka_committed(rk, committed, 10'000);
  if (cerr) {
    spdlog::warn(
        "kafka: committed offsets unavailable ({}): resuming from the log and the group's offsets",
        rd_kafka_err2str(cerr));
  }
  std::string summary;
  for (int i = 0; i < parts->cnt; ++i) {
    rd_kafka_topic_partition_t& e = parts->elems[i];
    TopicPartition tp{e.topic, e.partition};
    int64_t logged = engine_->source_offset(tp.first, tp.second).value_or(-1);
    if (auto it = acked_ever_.find(tp); it != acked_ever_.end())
      logged = std::max(logged, it->second);
    int64_t group = -1;
    if (!cerr && committed->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR &&
        committed->elems[i].offset >= 0) {
      group = committed->elems[i].offset;
    }
    // Start past both what this instance's log holds and what the group has committed (records
    // another instance consumed and committed are its state, not ours). Without the group's
    // offsets librdkafka resolves them itself (or applies auto.offset.reset), and the filter on
    // `next` still drops everything the log holds.
    int64_t start = RD_KAFKA_OFFSET_INVALID;
    if (!cerr) {
      int64_t s = std::max(group, logged + 1);
      if (s > 0 || group == 0) start = s;
    }
    e.offset = start;
    Part p;
    p.topic = tp.first;
    p.partition = tp.second;
    p.type = type_of(tp.first);
    p.next = std::max<int64_t>(logged + 1, start >= 0 ? start : 0);
    p.acked = logged;
    p.durable = logged;
    p.committed = group;
    owned_[tp] = std::move(p);
    summary += fmt::format("{}{}[{}]@{}", summary.empty() ? "" : " ", tp.first, tp.second,
                           start >= 0 ? std::to_string(start) : std::string("group/reset"));
  }
  rd_kafka_topic_partition_list_destroy(committed);
  last_part_ = nullptr;
  last_rkt_ = nullptr;
  spdlog::info("kafka: assigned {}", summary.empty() ? "nothing" : summary);
  rd_kafka_error_t* error = nullptr;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  if (cooperative(rk)) {
    error = rd_kafka_incremental_assign(rk, parts);
  } else {
    err = rd_kafka_assign(rk, parts);
  }
  if (error) {
    spdlog::error("kafka: assign: {}", rd_kafka_error_string(error));
    rd_kafka_error_destroy(error);
  } else if (err) {
    spdlog::error("kafka: assign: {}", rd_kafka_err2str(err));
  }
}

void KafkaSource::on_revoke(rd_kafka_topic_partition_list_t* parts) {
  rd_kafka_t* rk = rk_.get();
  // Everything read from these partitions goes into the log, becomes durable and is committed
  // before they are let go; the checkpoint lets this instance restart without replaying it.
  submit_batch();
  settle(true);
  if (!failed_) drain_and_commit(parts);
  std::string summary;
  for (int i = 0; parts && i < parts->cnt; ++i) {
    TopicPartition tp{parts->elems[i].topic, parts->elems[i].partition};
    summary += fmt::format("{}{}[{}]", summary.empty() ? "" : " ", tp.first, tp.second);
    owned_.erase(tp);
  }
  last_part_ = nullptr;
  last_rkt_ = nullptr;
  spdlog::info("kafka: revoked {}", summary.empty() ? "nothing" : summary);
  if (cooperative(rk)) {
    if (rd_kafka_error_t* error = rd_kafka_incremental_unassign(rk, parts)) {
      spdlog::error("kafka: unassign: {}", rd_kafka_error_string(error));
      rd_kafka_error_destroy(error);
    }
  } else {
    rd_kafka_assign(rk, nullptr);
  }
}

void KafkaSource::snapshot_stats() {
  std::vector<KafkaPartitionStats> out;
  out.reserve(owned_.size());
  for (const auto& [tp, p] : owned_) {
    KafkaPartitionStats s;
    s.topic = tp.first;
    s.partition = tp.second;
    s.logged_offset = engine_->source_offset(tp.first, tp.second).value_or(-1);
    s.next_offset = p.next;
    s.committed_offset = p.committed;
    int64_t lo = -1, hi = -1;
    if (rd_kafka_get_watermark_offsets(rk_.get(), tp.first.c_str(), tp.second, &lo, &hi) ==
            RD_KAFKA_RESP_ERR_NO_ERROR &&
        hi >= 0) {
      s.high_watermark = hi;
      s.lag = std::max<int64_t>(0, hi - p.next);
    }
    out.push_back(std::move(s));
  }
  std::lock_guard lock(stats_mu_);
  stats_ = std::move(out);
}

void KafkaSource::fill_stats(KafkaStats* out) const {
  out->consumer = true;
  out->group_id = config_.group_id;
  {
    std::lock_guard lock(stats_mu_);
    out->partitions = stats_;
  }
  out->consumed = consumed_.load();
  out->skipped_redeliveries = skipped_.load();
  out->rebalances = rebalances_.load();
  out->commits_ok = commits_ok_.load();
  out->commits_failed = commits_failed_.load();
}

}  // namespace ledgerflow
