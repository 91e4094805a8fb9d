#pragma once
// Kafka figures reported beside the pipeline stats (/api/v1/pipeline "kafka", /metrics). Filled
// by the Kafka source and sink through a pipeline reporter (Engine::add_reporter); plain data.
#include <cstdint>
#include <string>
#include <vector>

namespace ledgerflow {

struct KafkaPartitionStats {
  std::string topic;
  int32_t partition = 0;
  int64_t logged_offset = -1;     // highest offset of this partition in the bronze log (-1: none)
  int64_t next_offset = -1;       // next offset the consumer will read (-1: not known yet)
  int64_t committed_offset = -1;  // last offset+1 committed to Kafka by this instance (-1: none)
  int64_t high_watermark = -1;    // partition end as last seen by the consumer (-1: not known)
  int64_t lag = -1;               // high_watermark - next_offset (-1: not known)
};

struct KafkaSinkStats {
  std::string inventory_topic;
  std::string alerts_topic;
  uint64_t produced = 0;   // messages handed to the producer
  uint64_t delivered = 0;  // acknowledged by the brokers (acks=all)
  uint64_t failed = 0;     // final delivery failures (each one re-sent, see retried)
  uint64_t retried = 0;    // messages produced again after a failure
  uint64_t in_flight = 0;  // produced, delivery report not yet received
  std::string last_error;
};

struct KafkaStats {
  bool consumer = false;  // a Kafka source runs
  bool sink = false;      // a Kafka sink runs
  std::string group_id;
  std::vector<KafkaPartitionStats> partitions;  // assigned to this instance
  uint64_t consumed = 0;                        // messages read and logged
  uint64_t skipped_redeliveries = 0;            // messages at or below the logged offset, dropped
  uint64_t rebalances = 0;
  uint64_t commits_ok = 0;
  uint64_t commits_failed = 0;  // harmless: the log decides what is skipped
  KafkaSinkStats sink_stats;
};

}  // namespace ledgerflow
