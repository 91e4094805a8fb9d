#pragma once
// Every engine setting with its default. The TOML keys are documented in docs/CONFIG.md and
// in the example ledgerflow.toml; load_config() maps them onto this struct.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analytics/dataco_fraud_alerts.h"
#include "analytics/reorder_report.h"
#include "core/status.h"
#include "engine/shard_state.h"
#include "engine/watermark.h"
#include "ingest/event_parser.h"

namespace ledgerflow {

enum class FsyncPolicy { kBatch, kInterval, kNone };
const char* fsync_policy_name(FsyncPolicy p);
bool fsync_policy_from_name(const std::string& name, FsyncPolicy* out);

// Kafka in and out (docs/KAFKA.md). Off while `brokers` is empty.
struct KafkaConfig {
  std::string brokers;  // bootstrap.servers, e.g. "k1:9092,k2:9092"
  std::string group_id = "ledgerflow";
  std::string auto_offset_reset =
      "earliest";  // where a partition without a committed offset starts
  // Input topics: the event type follows from the topic. `event_topics` carry native events
  // whose JSON names its type in a "type" field. An empty name leaves that topic out.
  std::string sale_topic = "sale_transaction";
  std::string shipment_topic = "inventory_shipment";
  std::string order_line_topic = "supply_chain_data";  // DataCo rows as header-keyed JSON objects
  std::vector<std::string> event_topics;
  size_t max_batch_records = 10'000;  // records per ingest batch from the consumer
  // Output topics (empty: not produced).
  std::string inventory_topic = "sale_info";
  std::string alerts_topic = "alerts";
  int64_t sink_interval_ms = 1'000;  // changes are coalesced per key over this interval
  std::string sink_key_store_id =
      "auto";  // "auto": store_id in the key for stores other than 1; "always"
  // Passed verbatim to librdkafka (security.protocol, sasl.*, ssl.*, ...), for the consumer and
  // the producer alike; "${NAME}" in a value is replaced by the environment variable NAME.
  std::map<std::string, std::string> properties;

  bool enabled() const { return !brokers.empty(); }
};

// The SQL warehouse the log is loaded into (docs/WAREHOUSE.md).
struct WarehouseConfig {
  std::string url;  // "sqlite:PATH" or "postgresql://..."; empty: DATA/warehouse.db
  bool enabled = true;
  size_t batch_rows = 1'000;          // a silver transaction holds at most this many rows
  int64_t batch_interval_ms = 1'000;  // ... or what arrived within this time
  int64_t gold_interval_ms = 1'000;   // changed gold rows are upserted this often
};

struct EngineConfig {
  std::string data_dir = "ledgerflow-data";
  std::string catalog_path;  // empty: the built-in catalog

  // Bronze log
  FsyncPolicy fsync = FsyncPolicy::kInterval;
  int64_t fsync_interval_ms = 50;
  uint64_t segment_bytes = 64ull << 20;
  size_t max_group_bytes = 8u << 20;  // one group commit writes at most this much

  // Processing
  int shards = 2;
  size_t ingest_queue_batches = 64;  // batches waiting for the log writer
  size_t shard_queue_batches = 64;   // batches waiting in each shard
  ShardOptions shard;
  WatermarkOptions watermark;

  // Checkpoints
  int64_t checkpoint_interval_ms = 10'000;
  int checkpoints_kept = 3;

  // Dead letters and idempotency keys kept in memory (all are in the log regardless)
  size_t dead_letters_kept = 1'000;
  size_t dead_letter_raw_bytes = 4'096;  // raw bytes kept per dead letter
  size_t idempotency_keys_kept = 100'000;

  ParseLimits limits;

  // DataCo marts: the as-of date ("YYYY-MM-DD") order-value aging is measured from; empty: the
  // day of the newest order date (docs/MARTS.md).
  std::string marts_as_of;
  // Finance reads: the as-of date ("YYYY-MM-DD"); empty: the ledger's latest business day
  // (docs/FINANCE_API.md). The rules' parameters are in shard.finance ([finance] in the file).
  std::string finance_as_of;
  // Reorder recommendations (/api/v1/reorder, the Kafka `alerts` topic): [reorder].
  ReorderConfig reorder;
  // DataCo suspected-fraud patterns among the alerts: [finance.dataco].
  DatacoFraudParams dataco_fraud;
  // DataCo PENDING_PAYMENT lines are receivables due this many days after the order date: 30,
  // net 30 being the most common trade-credit term (DataCo states none).
  int64_t dataco_receivable_terms_days = 30;

  // HTTP
  std::string http_bind = "127.0.0.1";
  int http_port = 8080;
  size_t http_max_body_bytes = 64u << 20;
  size_t http_max_lines = 1'000'000;  // lines per request
  int http_threads = 16;
  std::string http_token;  // required for writes when bound beyond loopback (LEDGERFLOW_TOKEN)

  KafkaConfig kafka;
  WarehouseConfig warehouse;
};

// Replaces every "${NAME}" in `value` with the environment variable NAME; an unset variable is
// an error naming it (secrets must not silently become empty).
Status expand_env(const std::string& value, std::string* out);

// Reads a TOML file over the defaults in *config. Unknown keys are refused with their name.
Status load_config_file(const std::string& path, EngineConfig* config);

}  // namespace ledgerflow
