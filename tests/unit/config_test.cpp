#include <gtest/gtest.h>

#include <fstream>

#include "engine/engine_config.h"
#include "test_util.h"

using namespace ledgerflow;

TEST(Config, ExampleFileStatesTheDefaults) {
  EngineConfig defaults;
  EngineConfig loaded;
  loaded.http_port = 1;  // make sure the file really sets what it lists
  loaded.shards = 99;
  ASSERT_TRUE(
      load_config_file(std::string(LEDGERFLOW_SOURCE_DIR) + "/ledgerflow.example.toml", &loaded));
  EXPECT_EQ(loaded.data_dir, defaults.data_dir);
  EXPECT_EQ(loaded.fsync, defaults.fsync);
  EXPECT_EQ(loaded.fsync_interval_ms, defaults.fsync_interval_ms);
  EXPECT_EQ(loaded.segment_bytes, defaults.segment_bytes);
  EXPECT_EQ(loaded.shards, defaults.shards);
  EXPECT_EQ(loaded.ingest_queue_batches, defaults.ingest_queue_batches);
  EXPECT_EQ(loaded.shard_queue_batches, defaults.shard_queue_batches);
  EXPECT_EQ(loaded.shard.dedupe_window, defaults.shard.dedupe_window);
  EXPECT_EQ(loaded.shard.window_retention_ms, defaults.shard.window_retention_ms);
  EXPECT_EQ(loaded.checkpoint_interval_ms, defaults.checkpoint_interval_ms);
  EXPECT_EQ(loaded.checkpoints_kept, defaults.checkpoints_kept);
  EXPECT_EQ(loaded.watermark.out_of_orderness_ms, defaults.watermark.out_of_orderness_ms);
  EXPECT_EQ(loaded.watermark.idle_timeout_ms, defaults.watermark.idle_timeout_ms);
  EXPECT_EQ(loaded.dead_letters_kept, defaults.dead_letters_kept);
  EXPECT_EQ(loaded.dead_letter_raw_bytes, defaults.dead_letter_raw_bytes);
  EXPECT_EQ(loaded.idempotency_keys_kept, defaults.idempotency_keys_kept);
  EXPECT_EQ(loaded.limits.max_line_bytes, defaults.limits.max_line_bytes);
  EXPECT_EQ(loaded.http_bind, defaults.http_bind);
  EXPECT_EQ(loaded.http_port, defaults.http_port);
  EXPECT_EQ(loaded.http_max_body_bytes, defaults.http_max_body_bytes);
  EXPECT_EQ(loaded.http_max_lines, defaults.http_max_lines);
  EXPECT_EQ(loaded.http_threads, defaults.http_threads);
  EXPECT_EQ(loaded.finance_as_of, defaults.finance_as_of);
  const FinanceConfig& lf = loaded.shard.finance;
  const FinanceConfig& df = defaults.shard.finance;
  EXPECT_EQ(lf.early_payment_budget, df.early_payment_budget);
  EXPECT_EQ(lf.hurdle_rate, df.hurdle_rate);
  EXPECT_EQ(lf.alerts_kept, df.alerts_kept);
  EXPECT_EQ(lf.max_events, df.max_events);
  EXPECT_EQ(lf.duplicate.max_invoices_per_supplier, df.duplicate.max_invoices_per_supplier);
  EXPECT_EQ(lf.split.approval_threshold, df.split.approval_threshold);
  EXPECT_EQ(lf.split.window_days, df.split.window_days);
  EXPECT_EQ(lf.split.min_invoices, df.split.min_invoices);
  EXPECT_EQ(lf.split.retention_days, df.split.retention_days);
  EXPECT_EQ(lf.match.price_tolerance_bp, df.match.price_tolerance_bp);
  EXPECT_EQ(lf.match.quantity_tolerance_bp, df.match.quantity_tolerance_bp);
  EXPECT_EQ(lf.payment.bank_change_days, df.payment.bank_change_days);
  EXPECT_EQ(lf.round.round_unit, df.round.round_unit);
  EXPECT_EQ(lf.round.expected_share, df.round.expected_share);
  EXPECT_EQ(lf.round.min_z, df.round.min_z);
  EXPECT_EQ(lf.round.min_count, df.round.min_count);
  EXPECT_EQ(lf.benford.min_count, df.benford.min_count);
  EXPECT_EQ(lf.benford.min_amount, df.benford.min_amount);
  EXPECT_EQ(lf.benford.noise_multiple, df.benford.noise_multiple);
  EXPECT_EQ(lf.outlier.history_per_customer, df.outlier.history_per_customer);
  EXPECT_EQ(lf.outlier.min_history, df.outlier.min_history);
  EXPECT_EQ(lf.outlier.threshold, df.outlier.threshold);
  EXPECT_EQ(lf.velocity.max_orders, df.velocity.max_orders);
  EXPECT_EQ(lf.velocity.window_ms, df.velocity.window_ms);
  EXPECT_EQ(loaded.dataco_fraud.min_orders, defaults.dataco_fraud.min_orders);
  EXPECT_EQ(loaded.dataco_fraud.concentration, defaults.dataco_fraud.concentration);
  EXPECT_EQ(loaded.dataco_fraud.min_excess, defaults.dataco_fraud.min_excess);
  EXPECT_EQ(loaded.dataco_fraud.min_customer_fraud_orders,
            defaults.dataco_fraud.min_customer_fraud_orders);
  EXPECT_EQ(loaded.dataco_fraud.critical_share, defaults.dataco_fraud.critical_share);
  EXPECT_EQ(loaded.dataco_fraud.max_customer_alerts, defaults.dataco_fraud.max_customer_alerts);
  EXPECT_EQ(loaded.reorder.window_days, defaults.reorder.window_days);
  EXPECT_EQ(loaded.reorder.service_level, defaults.reorder.service_level);
  EXPECT_EQ(loaded.reorder.lead_time_days, defaults.reorder.lead_time_days);
  EXPECT_EQ(loaded.reorder.order_cost, defaults.reorder.order_cost);
  EXPECT_EQ(loaded.reorder.holding_rate, defaults.reorder.holding_rate);
  EXPECT_EQ(loaded.warehouse.url, defaults.warehouse.url);
  EXPECT_EQ(loaded.warehouse.enabled, defaults.warehouse.enabled);
  EXPECT_EQ(loaded.warehouse.batch_rows, defaults.warehouse.batch_rows);
  EXPECT_EQ(loaded.warehouse.batch_interval_ms, defaults.warehouse.batch_interval_ms);
  EXPECT_EQ(loaded.warehouse.gold_interval_ms, defaults.warehouse.gold_interval_ms);
  EXPECT_EQ(loaded.marts_as_of, defaults.marts_as_of);
  EXPECT_EQ(loaded.kafka.sale_topic, defaults.kafka.sale_topic);
  EXPECT_EQ(loaded.kafka.shipment_topic, defaults.kafka.shipment_topic);
  EXPECT_EQ(loaded.kafka.order_line_topic, defaults.kafka.order_line_topic);
  EXPECT_EQ(loaded.kafka.order_line_topic, "supply_chain_data");
  EXPECT_EQ(loaded.kafka.event_topics, defaults.kafka.event_topics);
}

TEST(Config, RefusesUnknownKeysAndBadValues) {
  ledgerflow::testing::TempDir tmp;
  auto try_load = [&](const std::string& text) {
    std::ofstream(tmp.sub("c.toml")) << text;
    EngineConfig c;
    return load_config_file(tmp.sub("c.toml"), &c);
  };
  Status s = try_load("[engine]\nshardz = 3\n");
  EXPECT_EQ(s.code(), "invalid_config");
  EXPECT_NE(s.message().find("engine.shardz"), std::string::npos);
  EXPECT_FALSE(try_load("[engine]\nshards = 0\n"));
  EXPECT_FALSE(try_load("[engine]\nshards = \"two\"\n"));
  EXPECT_FALSE(try_load("[log]\nfsync = \"sometimes\"\n"));
  EXPECT_FALSE(try_load("this is not toml"));
  EXPECT_TRUE(try_load("[log]\nfsync = \"batch\"\n"));
  EXPECT_FALSE(try_load("[marts]\nas_of = \"31/01/2018\"\n"));
  EXPECT_TRUE(try_load("[marts]\nas_of = \"2018-01-31\"\n"));
  // [finance]: money as exact decimal strings (or whole integers), ratios in range, dates.
  EXPECT_TRUE(try_load("[finance]\nearly_payment_budget = \"2500.50\"\nhurdle_rate = 0.2\n"));
  EXPECT_TRUE(try_load("[finance.split]\napproval_threshold = 5000\n"));
  EXPECT_FALSE(try_load("[finance]\nearly_payment_budget = \"-1\"\n"));
  EXPECT_FALSE(try_load("[finance]\nearly_payment_budget = 2500.5\n"));  // a float: not exact
  EXPECT_FALSE(try_load("[finance]\nhurdle_rate = -0.1\n"));
  EXPECT_FALSE(try_load("[finance]\nas_of = \"2018/01/31\"\n"));
  EXPECT_FALSE(try_load("[finance.split]\nwindow_days = 30\nretention_days = 10\n"));
  EXPECT_FALSE(try_load("[finance.benford]\nmin_cnt = 3\n"));
  EngineConfig c;
  std::ofstream(tmp.sub("f.toml")) << "[finance]\nearly_payment_budget = \"2500.50\"\n"
                                   << "[finance.velocity]\nmax_orders = 9\n";
  ASSERT_TRUE(load_config_file(tmp.sub("f.toml"), &c));
  EXPECT_EQ(c.shard.finance.early_payment_budget, Money::parse("2500.50").value());
  EXPECT_EQ(c.shard.finance.velocity.max_orders, 9u);
}
