#pragma once
// Consumes Kafka topics into a running Engine with an exactly-once effect on state.
//
// One consumer thread (librdkafka high-level consumer, one member of `group_id`) polls
// messages; each becomes a record via add_line() with its source position
// (kafka, topic, partition, offset); the topic decides the event type. Records are submitted
// to Engine::submit in batches, a few batches in flight. Offsets are committed to Kafka only
// after the batch is acknowledged and the log has been fsynced past it.
//
// Exactly-once effect: the bronze log, not Kafka, is the source of truth for what has been
// consumed. The engine keeps, per (topic, partition), the highest offset in the log (router
// state, checkpointed and rebuilt by replay). On assignment each partition starts at
// max(committed offset, logged offset + 1), and any message at or below the logged offset is
// dropped (a redelivery: a commit lost to a crash, or refused during a rebalance).
//
// Rebalances: on revoke the source logs what it has read, waits for the acks, checkpoints the
// engine and commits synchronously before letting the partitions go; on assign it resumes as
// above. docs/KAFKA.md states what this means for state across instances.
//
// Owned by the run command: start() and stop() from that thread, stop() before Engine::stop().
// fill_stats() from any thread.
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engine/engine.h"
#include "ingest/ndjson_batch.h"
#include "sources/kafka_client.h"

namespace ledgerflow {

class KafkaSource {
 public:
  KafkaSource(Engine* engine, KafkaConfig config);
  ~KafkaSource();
  KafkaSource(const KafkaSource&) = delete;
  KafkaSource& operator=(const KafkaSource&) = delete;

  // Creates the consumer and subscribes; the consumer thread does the rest.
  Status start();
  // Logs what was read, commits it and leaves the group. Idempotent.
  void stop();

  void fill_stats(KafkaStats* out) const;
  // The topics this source subscribes to, with the event type each implies (nullopt: the
  // message names its type).
  const std::vector<std::pair<std::string, std::optional<EventType>>>& topics() const {
    return topics_;
  }
  uint64_t consumed() const { return consumed_.load(); }

 private:
  using TopicPartition = std::pair<std::string, int32_t>;
  struct Part {
    SourceName topic;  // shared by every record of this partition
    int32_t partition = 0;
    std::optional<EventType> type;
    int64_t next = 0;        // offsets below are logged (or belong to another instance): dropped
    int64_t acked = -1;      // highest offset acknowledged by the engine
    int64_t durable = -1;    // highest offset fsynced in the log
    int64_t committed = -1;  // offset+1 last committed by this instance
  };
  struct InFlight {
    std::future<IngestAck> ack;
    std::vector<std::pair<TopicPartition, int64_t>> offsets;  // highest offset per partition
  };
  struct Durable {
    uint64_t log_next = 0;  // durable once Engine::durable_offset() reaches it
    std::vector<std::pair<TopicPartition, int64_t>> offsets;
  };

  static void rebalance_cb(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t* parts, void* opaque);
  static void commit_cb(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                        rd_kafka_topic_partition_list_t* offsets, void* opaque);

  void run();
  // True if the message was taken into the batch (counted as consumed).
  bool on_message(rd_kafka_message_t* m);
  void on_assign(rd_kafka_topic_partition_list_t* parts);
  void on_revoke(rd_kafka_topic_partition_list_t* parts);
  void submit_batch();
  // Waits for in-flight acks: all of them, or only the ones already resolved.
  void settle(bool all);
  void promote_durable();
  // Commits what is durable and not yet committed (all owned partitions, or `only`).
  void commit(bool sync, const rd_kafka_topic_partition_list_t* only = nullptr);
  // Waits until everything acknowledged is durable (forces a checkpoint) and commits it.
  void drain_and_commit(const rd_kafka_topic_partition_list_t* only);
  Part* lookup(rd_kafka_topic_t* rkt, int32_t partition);
  std::optional<EventType> type_of(const std::string& topic) const;
  void snapshot_stats();

  Engine* engine_;
  KafkaConfig config_;
  std::vector<std::pair<std::string, std::optional<EventType>>> topics_;
  KafkaHandle rk_;
  rd_kafka_queue_t* consumer_queue_ = nullptr;  // async commit results are served from it
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> started_{false};
  bool failed_ = false;  // the engine refused a batch: stop consuming, commit nothing more

  // Consumer thread only.
  std::map<TopicPartition, Part> owned_;
  std::map<TopicPartition, int64_t> acked_ever_;  // survives revocation (see on_assign)
  Part* last_part_ = nullptr;
  rd_kafka_topic_t* last_rkt_ = nullptr;
  int32_t last_partition_ = -1;
  NdjsonBatch batch_;
  size_t batch_bytes_ = 0;
  std::vector<std::pair<TopicPartition, int64_t>> batch_offsets_;
  std::deque<InFlight> in_flight_;
  std::deque<Durable> awaiting_durable_;
  bool logged_since_checkpoint_ = false;
  int64_t last_commit_ns_ = 0;
  int64_t last_stats_ns_ = 0;
  EventParser parser_;

  std::atomic<uint64_t> consumed_{0};
  std::atomic<uint64_t> skipped_{0};
  std::atomic<uint64_t> rebalances_{0};
  std::atomic<uint64_t> commits_ok_{0};
  std::atomic<uint64_t> commits_failed_{0};

  mutable std::mutex stats_mu_;
  std::vector<KafkaPartitionStats> stats_;
};

}  // namespace ledgerflow
