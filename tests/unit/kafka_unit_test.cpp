// Kafka pieces that need no broker: the [kafka] config section, the per-partition offsets the
// engine keeps for exactly-once consumption (logged, checkpointed, recovered), addresses, and
// the sale_info / alerts message shapes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "engine/engine.h"
#include "ingest/ndjson_batch.h"
#include "sinks/kafka_upsert_sink.h"
#include "sources/kafka_client.h"
#include "test_util.h"

using namespace ledgerflow;
using ledgerflow::testing::TempDir;

namespace {

Status load(const TempDir& tmp, const std::string& text, EngineConfig* c) {
  std::ofstream(tmp.sub("c.toml")) << text;
  return load_config_file(tmp.sub("c.toml"), c);
}

// A batch of Kafka records: good sales and one refused line, at the given offsets.
IngestBatch kafka_batch(const std::string& topic, int32_t partition, int64_t first, int n,
                        bool with_bad_line) {
  EventParser parser;
  NdjsonBatch b;
  for (int i = 0; i < n; ++i) {
    int64_t offset = first + i;
    std::string line = "{\"id\":\"r" + topic + std::to_string(partition) + "-" +
                       std::to_string(offset) +
                       "\",\"prod_id\":4,\"prod_name\":\"Tea\",\"unit_sold\":1,\"reorder_point\":5,"
                       "\"regular_unit_price\":2.75,\"dt\":\"2024-05-01 12:00:00.000\"}";
    if (with_bad_line && i == n - 1) line = "{not json";
    add_line(&b, line, EventType::kSale,
             SourcePosition{SourceKind::kKafka, topic, partition, offset}, size_t(i), parser, 4096);
  }
  return std::move(b.batch);
}

}  // namespace

TEST(KafkaConfig, ReadsTheKafkaSectionAndPassesPropertiesThrough) {
  TempDir tmp;
  ::setenv("LEDGERFLOW_TEST_SASL_PASSWORD", "s3cret", 1);
  EngineConfig c;
  Status s = load(tmp,
                  "[kafka]\n"
                  "brokers = \"k1:9092,k2:9092\"\n"
                  "group_id = \"inventory\"\n"
                  "auto_offset_reset = \"latest\"\n"
                  "[kafka.topics]\n"
                  "sale = \"pos.sales\"\n"
                  "shipment = \"\"\n"
                  "events = [\"ledgerflow.events\"]\n"
                  "[kafka.sink]\n"
                  "inventory_topic = \"inv\"\n"
                  "alerts_topic = \"\"\n"
                  "interval_ms = 250\n"
                  "key_store_id = \"always\"\n"
                  "[kafka.properties]\n"
                  "\"security.protocol\" = \"SASL_SSL\"\n"
                  "\"sasl.password\" = \"${LEDGERFLOW_TEST_SASL_PASSWORD}\"\n"
                  "\"fetch.wait.max.ms\" = 50\n"
                  "\"enable.ssl.certificate.verification\" = true\n",
                  &c);
  ASSERT_TRUE(s) << s.to_string();
  EXPECT_TRUE(c.kafka.enabled());
  EXPECT_EQ(c.kafka.brokers, "k1:9092,k2:9092");
  EXPECT_EQ(c.kafka.group_id, "inventory");
  EXPECT_EQ(c.kafka.auto_offset_reset, "latest");
  EXPECT_EQ(c.kafka.sale_topic, "pos.sales");
  EXPECT_EQ(c.kafka.shipment_topic, "");
  EXPECT_EQ(c.kafka.event_topics, std::vector<std::string>{"ledgerflow.events"});
  EXPECT_EQ(c.kafka.inventory_topic, "inv");
  EXPECT_EQ(c.kafka.alerts_topic, "");
  EXPECT_EQ(c.kafka.sink_interval_ms, 250);
  EXPECT_EQ(c.kafka.sink_key_store_id, "always");
  EXPECT_EQ(c.kafka.properties.at("security.protocol"), "SASL_SSL");
  EXPECT_EQ(c.kafka.properties.at("sasl.password"), "s3cret");
  EXPECT_EQ(c.kafka.properties.at("fetch.wait.max.ms"), "50");
  EXPECT_EQ(c.kafka.properties.at("enable.ssl.certificate.verification"), "true");
}

TEST(KafkaConfig, OffByDefaultAndRefusesBadValues) {
  TempDir tmp;
  EXPECT_FALSE(EngineConfig{}.kafka.enabled());
  EngineConfig c;
  ::unsetenv("LEDGERFLOW_TEST_UNSET");
  Status s =
      load(tmp, "[kafka.properties]\n\"sasl.password\" = \"${LEDGERFLOW_TEST_UNSET}\"\n", &c);
  EXPECT_FALSE(s);
  EXPECT_NE(s.message().find("LEDGERFLOW_TEST_UNSET"), std::string::npos) << s.message();
  EXPECT_FALSE(load(tmp, "[kafka]\nauto_offset_reset = \"sometime\"\n", &c));
  EXPECT_FALSE(load(tmp, "[kafka]\nbroker = \"x:1\"\n", &c));
  EXPECT_FALSE(load(tmp, "[kafka.topics]\nevents = \"one\"\n", &c));
  EXPECT_FALSE(load(tmp, "[kafka.properties]\n\"a.b\" = 1.5\n", &c));
}

TEST(KafkaUrl, ParsesBrokersTopicAndTopics) {
  Result<KafkaUrl> u = parse_kafka_url("kafka://a:1,b:2/supply_chain_data");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->brokers, "a:1,b:2");
  EXPECT_EQ(u->topic, "supply_chain_data");
  u = parse_kafka_url("kafka://localhost:9092?topics=s,t");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->topic, "");
  EXPECT_EQ(u->topics, (std::vector<std::string>{"s", "t"}));
  EXPECT_FALSE(parse_kafka_url("http://localhost:9092"));
  EXPECT_FALSE(parse_kafka_url("kafka:///topic"));
  EXPECT_FALSE(parse_kafka_url("kafka://h:1?partitions=3"));
}

TEST(KafkaOffsets, LoggedPerPartitionCheckpointedAndRecovered) {
  TempDir tmp;
  EngineConfig c;
  c.data_dir = tmp.str();
  c.checkpoint_interval_ms = 3'600'000;
  {
    Engine e(c);
    ASSERT_TRUE(e.start());
    EXPECT_FALSE(e.source_offset("sale_transaction", 0));
    IngestAck a = e.submit(kafka_batch("sale_transaction", 0, 100, 10, false)).get();
    ASSERT_TRUE(a.status);
    // A refused line counts as consumed too: its offset must not be read again.
    a = e.submit(kafka_batch("sale_transaction", 3, 7, 5, true)).get();
    ASSERT_TRUE(a.status);
    ASSERT_TRUE(e.wait_applied(a.next_offset, 10'000));
    EXPECT_EQ(e.source_offset("sale_transaction", 0), 109);
    EXPECT_EQ(e.source_offset("sale_transaction", 3), 11);
    EXPECT_FALSE(e.source_offset("sale_transaction", 1));
    ASSERT_TRUE(e.checkpoint_now());
    EXPECT_EQ(e.durable_offset(), a.next_offset);
    // After the checkpoint: only in the log tail.
    a = e.submit(kafka_batch("inventory_shipment", 1, 0, 3, false)).get();
    ASSERT_TRUE(a.status);
    ASSERT_TRUE(e.wait_applied(a.next_offset, 10'000));
    e.stop();
  }
  Engine again(c);
  ASSERT_TRUE(again.start());
  EXPECT_TRUE(again.recovery().from_checkpoint);
  EXPECT_EQ(again.source_offset("sale_transaction", 0), 109);
  EXPECT_EQ(again.source_offset("sale_transaction", 3), 11);
  EXPECT_EQ(again.source_offset("inventory_shipment", 1), 2);
  again.stop();
}

TEST(KafkaOffsets, RouterStateFromBeforeKafkaOffsetsStillLoads) {
  RouterState before(WatermarkOptions{}, RouterLimits{});
  std::string blob;
  ByteWriter w(&blob);
  before.serialize(w);
  // The same blob without the trailing Kafka section (an older checkpoint) reads as empty.
  ASSERT_GE(blob.size(), 8u);
  std::string old = blob.substr(0, blob.size() - 8);
  RouterState after(WatermarkOptions{}, RouterLimits{});
  ByteReader r(old);
  EXPECT_TRUE(after.deserialize(r));
  EXPECT_TRUE(after.source_offsets().empty());
}

TEST(KafkaSink, SaleInfoAndAlertShapes) {
  InventoryRow r;
  r.store_id = 1;
  r.prod_id = 4;
  r.prod_name = "Green \"Tea\"";
  r.regular_unit_price = Money::parse("2.75").value();
  r.reorder_point = 250;
  r.total_sold = 30;
  r.total_received = 300;
  r.last_event_ms = 1714564800123;
  EXPECT_EQ(sale_info_key(r, false), "{\"prod_id\":4}");
  EXPECT_EQ(sale_info_value(r, false),
            "{\"prod_id\":4,\"prod_name\":\"Green "
            "\\\"Tea\\\"\",\"regular_unit_price\":2.75,\"reorder_point\":250,"
            "\"total_sold\":30,\"unit_left\":270}");
  r.store_id = 7;
  EXPECT_EQ(sale_info_key(r, true), "{\"prod_id\":4,\"store_id\":7}");
  EXPECT_EQ(low_stock_alert(r),
            "{\"kind\":\"low_stock\",\"store_id\":7,\"prod_id\":4,\"prod_name\":\"Green "
            "\\\"Tea\\\"\",\"unit_left\":270,"
            "\"reorder_point\":250,\"at\":\"2024-05-01T12:00:00.123Z\"}");
}

TEST(KafkaConfig, ExampleFileStatesTheKafkaDefaults) {
  KafkaConfig defaults;
  EngineConfig loaded;
  loaded.kafka.group_id = "x";
  loaded.kafka.sink_interval_ms = 1;
  loaded.kafka.max_batch_records = 1;
  ASSERT_TRUE(
      load_config_file(std::string(LEDGERFLOW_SOURCE_DIR) + "/ledgerflow.example.toml", &loaded));
  const KafkaConfig& k = loaded.kafka;
  EXPECT_EQ(k.brokers, defaults.brokers);
  EXPECT_EQ(k.group_id, defaults.group_id);
  EXPECT_EQ(k.auto_offset_reset, defaults.auto_offset_reset);
  EXPECT_EQ(k.max_batch_records, defaults.max_batch_records);
  EXPECT_EQ(k.sale_topic, defaults.sale_topic);
  EXPECT_EQ(k.shipment_topic, defaults.shipment_topic);
  EXPECT_EQ(k.event_topics, defaults.event_topics);
  EXPECT_EQ(k.inventory_topic, defaults.inventory_topic);
  EXPECT_EQ(k.alerts_topic, defaults.alerts_topic);
  EXPECT_EQ(k.sink_interval_ms, defaults.sink_interval_ms);
  EXPECT_EQ(k.sink_key_store_id, defaults.sink_key_store_id);
  EXPECT_EQ(k.properties, defaults.properties);
}
