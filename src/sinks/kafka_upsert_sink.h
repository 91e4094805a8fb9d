#pragma once
// Publishes live inventory to Kafka, in the shape of the Flink job it replaces:
//   topic `sale_info` (upsert / compacted): key {"prod_id":N} (plus "store_id" for stores other
//   than the default one, or always with key_store_id = "always"), value {"prod_id",
//   "prod_name", "regular_unit_price", "reorder_point", "total_sold", "unit_left"} with money
//   as exact decimal numbers;
//   topic `alerts`: {"kind":"low_stock", "store_id", "prod_id", "prod_name", "unit_left",
//   "reorder_point", "at"} when a row crosses to at or below its reorder point; {"kind":"reorder",
//   "store_id", "prod_id", "prod_name", "unit_left", "reorder_point", "safety_stock",
//   "demand_mean", "order_quantity", "stockout_day"} when a changed row's recommendation from its
//   own demand (analytics/reorder_report.h, [reorder]) turns to "reorder now"; and every finance
//   alert (fraud and anomaly rules, docs/FINANCE_API.md) as {"kind":"finance", "seq", "rule_id",
//   ...}, keyed "finance-<seq>". The ledger's seq is stable across restarts, but which alerts
//   were delivered is not remembered: after a restart they are published again under the same
//   keys (at least once; compact the topic or dedupe by key). The DataCo suspected-fraud
//   patterns (analytics/dataco_fraud_alerts.h) as {"kind":"dataco", "seq":0, "rule_id", ...}
//   when a pattern appears, keyed "dataco-<rule_id>-<subject>" (dataco_alert_key), the same
//   at-least-once way.
// Every interval the sink asks Engine::changes_since() for changed rows, so changes are
// coalesced per key. The producer is idempotent with acks=all; librdkafka retries transient
// errors itself, and a final delivery failure puts the key's latest value (or the alert) back
// for the next interval: nothing is dropped, and failures are counted in /api/v1/pipeline.
// After a restart the first pass publishes every row again (upserts are idempotent).
//
// Owned by the run command: start() and stop() from that thread; fill_stats() from any thread.
// The producer, the cursor and the maps below belong to the sink thread.
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "analytics/dataco_fraud_alerts.h"
#include "analytics/reorder_report.h"
#include "engine/engine.h"
#include "sources/kafka_client.h"

namespace ledgerflow {

// The key and value JSON of one sale_info message.
std::string sale_info_key(const InventoryRow& r, bool with_store);
std::string sale_info_value(const InventoryRow& r, bool with_store);
std::string low_stock_alert(const InventoryRow& r);
std::string reorder_alert(const InventoryRow& r, const finance::ReorderRecommendation& rec);
std::string finance_alert_message(const LedgerAlert& a, const std::string& subject_name);
std::string dataco_alert_message(const LedgerAlert& a);

class KafkaUpsertSink {
 public:
  KafkaUpsertSink(Engine* engine, KafkaConfig config);
  ~KafkaUpsertSink();
  KafkaUpsertSink(const KafkaUpsertSink&) = delete;
  KafkaUpsertSink& operator=(const KafkaUpsertSink&) = delete;

  Status start();
  // Publishes the last changes and waits (up to 30 s) for their delivery. Idempotent.
  void stop();
  void fill_stats(KafkaStats* out) const;

 private:
  struct Pending;  // what a delivery report refers to
  static void delivery_cb(rd_kafka_t* rk, const rd_kafka_message_t* m, void* opaque);
  Status make_producer();
  void run();
  void pass();
  int64_t newest_event_day() const;
  void add_reorder_alert(const InventoryRow& row, uint64_t key, int64_t as_of_day,
                         const ProductLeadTimes& lead_times,
                         std::vector<std::pair<std::string, std::string>>* alerts);
  void add_finance_alerts(std::vector<std::pair<std::string, std::string>>* alerts);
  void add_dataco_alerts(std::vector<std::pair<std::string, std::string>>* alerts);
  void produce(const std::string& topic, const std::string& key, const std::string& value,
               Pending* p);
  bool with_store(const InventoryRow& r) const;

  Engine* engine_;
  KafkaConfig config_;
  KafkaHandle rk_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> started_{false};

  // Sink thread only.
  ChangeCursor cursor_;
  std::map<uint64_t, InventoryRow> latest_;  // latest row per key
  std::map<uint64_t, bool> below_;           // below reorder at the last pass
  std::map<uint64_t, bool> reorder_now_;     // recommendation said "reorder now" at the last pass
  std::set<uint64_t> dirty_;                 // keys to (re)publish
  std::vector<std::pair<std::string, std::string>> alert_retry_;  // key, value
  uint64_t finance_seq_ = 0;              // finance alerts up to this seq were produced
  int64_t dataco_lines_ = -1;             // order lines behind dataco_alerted_
  std::set<std::string> dataco_alerted_;  // DataCo patterns holding at the last look, by key

  std::atomic<uint64_t> produced_{0}, delivered_{0}, failed_{0}, retried_{0};
  mutable std::mutex error_mu_;
  std::string last_error_;
};

}  // namespace ledgerflow
