// The warehouse on both backends (SQLite, and a real PostgreSQL 15 started for the suite):
// exactly-once loads against an independent model, gold equal to its SQL over silver and a
// corrupted gold row caught by verify, read-only SQL enforced by the database, and (PostgreSQL)
// an outage mid-stream reported as degraded and caught up exactly.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <set>
#include <thread>

#include "analytics/dataco_fraud_alerts.h"
#include "engine/engine.h"
#include "ingest/dataco_csv.h"
#include "ingest/ndjson_batch.h"
#include "ingest/text_file.h"
#include "sinks/warehouse_schema.h"
#include "sinks/warehouse_verify.h"
#include "sinks/warehouse_writer.h"
#include "sources/generator.h"
#include "support/backend_kind.h"
#include "support/dataco_expected.h"
#include "support/dataco_submit.h"
#include "support/generated_events.h"
#include "support/postgres_cluster.h"
#include "support/warehouse_fixture.h"
#include "support/warehouse_model.h"
#include "test_util.h"

using namespace ledgerflow;
using namespace ledgerflow::sinks;
using ledgerflow::testing::PostgresCluster;
using ledgerflow::testing::TempDir;
using ledgerflow::testing::WarehouseModel;

namespace {

using Kind = ledgerflow::testing::BackendKind;

std::vector<std::string> generated(size_t n, uint64_t seed) {
  return ledgerflow::testing::generated_lines(n, seed);
}

class WarehouseTest : public ledgerflow::testing::WarehouseFixture {
 protected:
  // Submits lines [from, to) (and counts them in the model) as one HTTP-like batch.
  void submit(Engine& e, const std::vector<std::string>& lines, size_t from, size_t to) {
    NdjsonBatch b = ledgerflow::testing::http_batch(lines, from, to);
    for (size_t i = from; i < to; ++i) {
      if (lines[i].front() == '{') model_.add(lines[i]);
    }
    IngestAck ack = e.submit(std::move(b.batch)).get();
    ASSERT_TRUE(ack.status) << ack.status.to_string();
  }

  // Submits a DataCo fixture file in batches of `rows` (bad rows become dead letters).
  void submit_dataco(Engine& e, const std::string& name, size_t rows) {
    ledgerflow::testing::submit_dataco_file(e, name, rows);
  }

  void expect_matches_model(uint64_t log_end) {
    auto db = reader();
    ASSERT_TRUE(db);
    EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM fact_sales"), std::to_string(model_.sale_lines));
    EXPECT_EQ(one(*db, "SELECT SUM(units) FROM fact_sales"), std::to_string(model_.units_sold));
    EXPECT_EQ(one(*db, "SELECT SUM(revenue_micros) FROM fact_sales"),
              std::to_string(model_.revenue.micros()));
    EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM fact_shipments"), std::to_string(model_.shipments));
    EXPECT_EQ(one(*db, "SELECT SUM(units) FROM fact_shipments"),
              std::to_string(model_.units_received));
    EXPECT_EQ(one(*db, "SELECT next_offset FROM load_state"), std::to_string(log_end));
  }

  WarehouseModel model_;
};

TEST_P(WarehouseTest, LoadsEachEventOnceAndGoldEqualsItsSqlOverSilver) {
  const auto lines = generated(3000, 7);
  Engine engine(engine_config());
  ASSERT_TRUE(engine.start());
  WarehouseWriter writer(&engine, writer_options());
  writer.start();
  for (size_t i = 0; i < lines.size(); i += 300)
    submit(engine, lines, i, std::min(lines.size(), i + 300));
  submit(engine, lines, 0, 300);  // a retried batch: logged again, loaded once
  submit(engine, {"this is not json"}, 0, 1);
  // A product outside the catalog whose name holds a NUL character (valid JSON; PostgreSQL text
  // cannot store it): loaded all the same, and gold still equals silver.
  submit(
      engine,
      {R"({"type":"sale_transaction","id":"nul-1","prod_id":999999,"prod_name":"a\u0000b","unit_sold":2,)"
       R"("reorder_point":5,"regular_unit_price":1.25,"dt":"2024-05-01 12:00:00"})"},
      0, 1);
  engine.stop();
  writer.stop();
  expect_matches_model(engine.log_end_offset());
  auto db = reader();
  ASSERT_TRUE(db);
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM dead_letters"), "1");
  // Every migration in sql/migrations applied once (numbered 001, 002, ... without gaps).
  const auto migrations =
      std::distance(std::filesystem::directory_iterator(LEDGERFLOW_SOURCE_DIR "/sql/migrations"),
                    std::filesystem::directory_iterator());
  EXPECT_EQ(one(*db, "SELECT MAX(version) FROM schema_version"), std::to_string(migrations));
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM schema_version"), std::to_string(migrations));
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM dim_store"), "3");

  Result<VerifyReport> report = verify_gold(*db);
  ASSERT_TRUE(report) << report.status().to_string();
  for (const MartCheck& m : report->marts) {
    // No order lines here: the DataCo marts are empty in gold and in silver alike.
    const std::set<std::string> pos = {"inventory_levels", "best_sellers", "sales_by_minute",
                                       "sales_by_day", "reorder_demand"};
    EXPECT_EQ(m.gold_rows > 0, pos.count(m.mart) > 0) << m.mart;
    EXPECT_EQ(m.differences_total, 0u)
        << m.mart << ": " << (m.differences.empty() ? "" : m.differences[0]);
  }

  // Corrupt one gold row on purpose: verify names the mart, the key and the column.
  auto writer_db = open_warehouse(target_, BackendMode::kWriter);
  ASSERT_TRUE(writer_db);
  ASSERT_TRUE((*writer_db)
                  ->exec("UPDATE inventory_levels SET total_sold = total_sold + 1 WHERE store_id = "
                         "2 AND prod_id = 5"));
  report = verify_gold(*db);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->equal());
  ASSERT_EQ(report->marts[0].differences_total, 1u);
  EXPECT_EQ(report->marts[0].differences[0].rfind(
                "inventory_levels store_id=2 prod_id=5: total_sold gold ", 0),
            0u)
      << report->marts[0].differences[0];
}

// DataCo order lines: the shuffled Latin-1 copy, then (in a second writer session, which
// rewrites gold from scratch) the sorted UTF-8 file whose good lines are all replays. Silver
// holds each line once, the gold tables equal the figures SQLite computes from the raw CSV,
// and gold equals its SQL over silver.
TEST_P(WarehouseTest, DatacoLinesLoadOnceAndGoldEqualsSqlOverTheRawCsvAndOverSilver) {
  Engine engine(engine_config());
  ASSERT_TRUE(engine.start());
  {
    WarehouseWriter writer(&engine, writer_options());
    writer.start();
    submit_dataco(engine, "fixture_latin1.csv", 40);
    writer.stop();
  }
  {
    // A DataCo pattern that went while no writer ran, and one whose row is stale: the next
    // session's first upsert deletes the first and rewrites the second. A ledger row (seq > 0)
    // is no DataCo pattern's to delete.
    auto w = open_warehouse(target_, BackendMode::kWriter);
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->exec(
        "INSERT INTO finance_alerts (seq, rule_id, severity, score_ppm, subject, day, date_key, "
        "log_offset, evidence_ids, message, standing) VALUES (-5, 'dataco_fraud_customer', "
        "'warning', 500000, 'GONE', 17000, 20160724, 0, '[]', 'gone', 1), (7, 'duplicate_invoice', "
        "'critical', 1000000, 'S1', 17000, 20160724, 3, '[]', 'ledger', 0)"));
    ASSERT_TRUE((*w)->exec("UPDATE finance_alerts SET message = 'stale' WHERE seq < -5"));
  }
  WarehouseWriter writer(&engine, writer_options());
  writer.start();
  submit_dataco(engine, "fixture.csv", 64);
  engine.stop();
  writer.stop();
  auto db = reader();
  ASSERT_TRUE(db);
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM fact_order_lines"), "378");
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM fact_deliveries"), "378");
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM v_order_lines"), "378");
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM dim_shipping_mode"), "4");
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM dead_letters"), "24");  // 12 bad rows per file
  EXPECT_EQ(ledgerflow::testing::dataco_gold_lines(*db),
            ledgerflow::testing::dataco_expected_lines());
  // The DataCo suspected-fraud patterns in finance_alerts: the customers the SQL finds with two
  // or more such orders, and every pattern the API shows with its message, under negative seqs.
  const std::set<std::string> customers = ledgerflow::testing::dataco_expected_fraud_customers(2);
  ASSERT_FALSE(customers.empty());
  std::set<std::string> want, got;
  for (const LedgerAlert& a : dataco_fraud_alerts(engine.dataco_summary(), DatacoFraudParams{})) {
    want.insert(a.alert.rule_id + "|" + a.subject + "|" + a.alert.message + "|1");
  }
  Result<QueryResult> rows =
      db->query("SELECT rule_id, subject, message, standing FROM finance_alerts WHERE seq < 0",
                QueryLimits{});
  ASSERT_TRUE(rows) << rows.status().to_string();
  std::set<std::string> got_customers;
  for (const auto& r : rows->rows) {
    got.insert(*r[0] + "|" + *r[1] + "|" + *r[2] + "|" + *r[3]);
    if (*r[0] == "dataco_fraud_customer") got_customers.insert(*r[1]);
  }
  EXPECT_EQ(rows->rows.size(), want.size());
  EXPECT_EQ(got, want);
  EXPECT_EQ(got_customers, customers);
  EXPECT_EQ(one(*db, "SELECT message FROM finance_alerts WHERE seq = 7"), "ledger");

  Result<VerifyReport> report = verify_gold(*db);
  ASSERT_TRUE(report) << report.status().to_string();
  for (const MartCheck& m : report->marts) {
    EXPECT_EQ(m.differences_total, 0u)
        << m.mart << ": " << (m.differences.empty() ? "" : m.differences[0]);
  }
  EXPECT_TRUE(report->equal());
  auto writer_db = open_warehouse(target_, BackendMode::kWriter);
  ASSERT_TRUE(writer_db);
  ASSERT_TRUE((*writer_db)
                  ->exec("UPDATE fraud_by_customer SET orders = orders + 1 WHERE customer_id = "
                         "(SELECT MIN(customer_id) FROM fact_order_lines)"));
  const std::string first_customer = one(*db, "SELECT MIN(customer_id) FROM fact_order_lines");
  report = verify_gold(*db);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->equal());
  for (const MartCheck& m : report->marts) {
    if (m.mart != "fraud_by_customer") {
      EXPECT_EQ(m.differences_total, 0u) << m.mart;
      continue;
    }
    ASSERT_EQ(m.differences_total, 1u);
    EXPECT_EQ(m.differences[0].rfind(
                  "fraud_by_customer customer_id=" + first_customer + ": orders gold ", 0),
              0u)
        << m.differences[0];
  }
}

TEST_P(WarehouseTest, ReadOnlySqlIsEnforcedByTheDatabase) {
  const auto lines = generated(200, 3);
  {
    Engine engine(engine_config());
    ASSERT_TRUE(engine.start());
    WarehouseWriter writer(&engine, writer_options());
    writer.start();
    submit(engine, lines, 0, lines.size());
    engine.stop();
    writer.stop();
  }
  auto db = reader();
  ASSERT_TRUE(db);
  const std::string marker = dir_.sub("copied-by-program");
  const std::string other_db = dir_.sub("other.db");
  for (const std::string& sql : std::vector<std::string>{
           "INSERT INTO dim_store (store_id) VALUES (99)",
           "UPDATE load_state SET next_offset = 0",
           "DELETE FROM fact_sales",
           "DROP TABLE fact_sales",
           "CREATE TABLE x (a INTEGER)",
           "ATTACH DATABASE '" + other_db + "' AS other",
           "PRAGMA journal_mode = DELETE",
           "PRAGMA query_only = 0",
           "COPY (SELECT 1) TO PROGRAM 'touch " + marker + "'",
           "COPY fact_sales FROM '/etc/hostname'",
           "SELECT 1; DROP TABLE fact_sales",
           "SELECT 1; INSERT INTO dim_store (store_id) VALUES (98)",
           "WITH gone AS (DELETE FROM fact_sales RETURNING 1) SELECT COUNT(*) FROM gone",
       }) {
    Result<QueryResult> r = db->query(sql, QueryLimits{});
    EXPECT_FALSE(r) << "accepted: " << sql;
  }
  EXPECT_FALSE(std::filesystem::exists(marker));
  EXPECT_FALSE(std::filesystem::exists(other_db));
  // Nothing changed, and the connection still answers.
  expect_matches_model(model_.sale_lines + model_.shipments);
  EXPECT_EQ(one(*db, "SELECT COUNT(*) FROM dim_store"), "3");
  Result<QueryResult> limited =
      db->query("SELECT log_offset FROM fact_sales", QueryLimits{5, 10'000});
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->rows.size(), 5u);
  EXPECT_TRUE(limited->truncated);
}

TEST_P(WarehouseTest, DegradedWhileTheDatabaseIsDownThenCatchesUpExactly) {
  if (GetParam() != Kind::kPostgres) GTEST_SKIP() << "an unreachable server is a PostgreSQL case";
  const auto lines = generated(4000, 11);
  Engine engine(engine_config());
  ASSERT_TRUE(engine.start());
  WarehouseWriter writer(&engine, writer_options());
  writer.start();
  submit(engine, lines, 0, 1000);
  // Stop the server once the writer has a stored offset to resume from.
  for (int i = 0; i < 200 && writer.status().applied_offset < 1000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(writer.status().applied_offset, 1000u);
  ASSERT_TRUE(cluster_->stop());
  for (size_t i = 1000; i < 3000; i += 500) submit(engine, lines, i, i + 500);  // ingest goes on
  bool degraded = false;
  for (int i = 0; i < 200 && !degraded; ++i) {
    degraded = writer.status().degraded();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(degraded);
  EXPECT_TRUE(engine.ready());
  EXPECT_TRUE(engine.pipeline().sinks.at(0).degraded());
  EXPECT_GT(engine.pipeline().sinks.at(0).lag_records, 0u);
  ASSERT_TRUE(cluster_->start());
  submit(engine, lines, 3000, 4000);
  bool caught_up = false;
  for (int i = 0; i < 300 && !caught_up; ++i) {
    SinkStatus s = writer.status();
    caught_up = s.state == "ok" && s.applied_offset == engine.log_end_offset();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(caught_up) << writer.status().message;
  engine.stop();
  writer.stop();
  expect_matches_model(engine.log_end_offset());
  auto db = reader();
  ASSERT_TRUE(db);
  Result<VerifyReport> report = verify_gold(*db);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->equal());
}

INSTANTIATE_TEST_SUITE_P(Backends, WarehouseTest, ::testing::Values(Kind::kSqlite, Kind::kPostgres),
                         [](const auto& info) {
                           return ledgerflow::testing::backend_name(info.param);
                         });

}  // namespace
