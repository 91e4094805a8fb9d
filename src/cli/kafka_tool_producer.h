#pragma once
// The producer behind `generate --to kafka://` and `ingest --to kafka://`: idempotent, acks=all,
// Java-compatible key partitioning, counts of delivered and failed messages from the delivery
// reports. Single-threaded: produce(), poll() and flush() from the command's thread.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sources/kafka_client.h"

namespace ledgerflow::cli {

class KafkaToolProducer {
 public:
  // `properties` are librdkafka properties (-X key=value), applied over our defaults.
  Status start(const std::string& brokers, const std::map<std::string, std::string>& properties);
  // Queues one message (waits for room when the local queue is full). False if it could not be
  // queued at all (counted as failed).
  bool produce(const std::string& topic, std::string_view key, std::string_view value);
  void poll() { rd_kafka_poll(rk_.get(), 0); }
  // Waits until every queued message has a delivery report (or the timeout passes).
  void flush(int timeout_ms);

  uint64_t queued() const { return queued_; }
  uint64_t delivered() const { return delivered_; }
  uint64_t failed() const { return failed_; }
  uint64_t outstanding() const { return queued_ - delivered_ - (failed_ - not_queued_); }
  const std::string& last_error() const { return last_error_; }

 private:
  static void delivery_cb(rd_kafka_t* rk, const rd_kafka_message_t* m, void* opaque);
  KafkaHandle rk_;
  uint64_t queued_ = 0, delivered_ = 0, failed_ = 0, not_queued_ = 0;
  std::string last_error_;
};

// Parses -X key=value options into librdkafka properties ("${NAME}" expanded from the
// environment).
Status parse_properties(const std::vector<std::string>& kv,
                        std::map<std::string, std::string>* out);

}  // namespace ledgerflow::cli
