// The warehouse through the real binary, on SQLite and on a throwaway PostgreSQL 15: SIGKILL
// while batches are being loaded, then row counts and money sums equal an independent model
// exactly; `ledgerflow verify` exits 0, and 1 naming the row once a gold row is corrupted;
// `ledgerflow query` and POST /api/v1/query answer read-only SQL and refuse a second statement.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "engine_process.h"
#include "ingest/catalog.h"
#include "sinks/warehouse_backend.h"
#include "sources/generator.h"
#include "support/backend_kind.h"
#include "support/generated_events.h"
#include "support/postgres_cluster.h"
#include "support/warehouse_model.h"

using namespace ledgerflow;
using ledgerflow::testing::EngineProcess;
using ledgerflow::testing::PostgresCluster;
using ledgerflow::testing::TempDir;
using ledgerflow::testing::WarehouseModel;

namespace {

using Kind = ledgerflow::testing::BackendKind;

// Runs a command, returns (exit code, stdout).
std::pair<int, std::string> run(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = ::pclose(p);
  return {WEXITSTATUS(status), out};
}

std::vector<std::string> bodies(size_t batches, size_t per_batch, WarehouseModel* model) {
  std::vector<std::string> out(1);
  size_t in_body = 0;
  for (const std::string& line : ledgerflow::testing::generated_lines(batches * per_batch, 42)) {
    model->add(line);
    out.back() += line + "\n";
    if (++in_body % per_batch == 0) out.emplace_back();
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

class WarehouseProcessTest : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    if (GetParam() == Kind::kSqlite) {
      url_ = "sqlite:" + dir_.sub("warehouse.db");
      return;
    }
    if (std::string why = PostgresCluster::unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
    cluster_ = std::make_unique<PostgresCluster>();
    ASSERT_TRUE(cluster_->ok()) << "see " << cluster_->log_path();
    url_ = cluster_->url();
  }

  std::vector<std::string> args() const {
    return {"run",         "--data-dir", dir_.sub("data"),           "--port", "0",
            "--warehouse", url_,         "--checkpoint-interval-ms", "500"};
  }

  std::string cli(const std::string& sub) const {
    return std::string(LEDGERFLOW_BINARY) + " " + sub + " --warehouse '" + url_ + "' 2>&1";
  }

  std::string scalar(const std::string& sql) const {
    auto [rc, out] = run(cli("query --format csv \"" + sql + "\""));
    EXPECT_EQ(rc, 0) << out;
    return out.substr(out.find('\n') + 1, out.find('\n', out.find('\n') + 1) - out.find('\n') - 1);
  }

  TempDir dir_;
  std::string url_;
  std::unique_ptr<PostgresCluster> cluster_;
};

TEST_P(WarehouseProcessTest, SigkillDuringLoadsThenCountsAndSumsAreExact) {
  WarehouseModel model;
  const auto batches = bodies(120, 100, &model);  // 12,000 events
  auto engine = std::make_unique<EngineProcess>(args(), dir_.sub("engine.log"));
  ASSERT_TRUE(engine->start());
  std::mt19937 rng(5);
  int kills = 0;
  int mid_load_kills = 0;
  size_t next_kill = 10 + rng() % 10;
  for (size_t i = 0; i < batches.size(); ++i) {
    if (i == next_kill && kills < 6) {
      // Let the writer get into the middle of loading, then kill without warning. On a loaded
      // machine the restarted writer may take longer than the pause to connect and resume
      // (applied_offset 0 until it has): wait for that first, so the pause lands in a load.
      auto sink_state = [&] {
        auto p = engine->client().Get("/api/v1/pipeline");
        return p ? nlohmann::json::parse(p->body)["sinks"][0] : nlohmann::json();
      };
      for (int wait = 0; wait < 500 && sink_state().value("applied_offset", 0ull) == 0; ++wait) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 400));
      auto sink = sink_state();
      ASSERT_FALSE(sink.is_null());
      if (sink["applied_offset"].get<uint64_t>() > 0 && sink["lag_records"].get<uint64_t>() > 0)
        ++mid_load_kills;
      engine->kill_hard();
      ++kills;
      engine = std::make_unique<EngineProcess>(args(), dir_.sub("engine.log"));
      ASSERT_TRUE(engine->start()) << "see " << dir_.sub("engine.log");
      next_kill = i + 10 + rng() % 10;
    }
    auto c = engine->client();
    auto res = c.Post("/api/v1/events", batches[i], "application/x-ndjson");
    ASSERT_TRUE(res && res->status == 202) << (res ? res->body : "no answer");
    if (i % 7 == 3) c.Post("/api/v1/events", batches[i - 1], "application/x-ndjson");  // a retry
  }
  EXPECT_GE(kills, 5);
  // Most kills landed while the warehouse was part-way through the log.
  EXPECT_GE(mid_load_kills, 3);
  // SQL over HTTP while running: one statement answered, a second one refused.
  auto c = engine->client();
  auto ok = c.Post("/api/v1/query", "{\"sql\": \"SELECT COUNT(*) AS n FROM dim_store\"}",
                   "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(nlohmann::json::parse(ok->body)["rows"][0][0].get<int>(), 3) << ok->body;
  auto refused = c.Post("/api/v1/query", "SELECT 1; DROP TABLE fact_sales", "text/plain");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400) << refused->body;
  ASSERT_EQ(engine->stop(), 0);  // a clean stop loads silver to the log end and gold once more

  EXPECT_EQ(scalar("SELECT COUNT(*) FROM fact_sales"), std::to_string(model.sale_lines));
  EXPECT_EQ(scalar("SELECT SUM(revenue_micros) FROM fact_sales"),
            std::to_string(model.revenue.micros()));
  EXPECT_EQ(scalar("SELECT SUM(units) FROM fact_sales"), std::to_string(model.units_sold));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM fact_shipments"), std::to_string(model.shipments));
  EXPECT_EQ(scalar("SELECT SUM(units) FROM fact_shipments"), std::to_string(model.units_received));
  EXPECT_EQ(scalar("SELECT SUM(total_sold) FROM inventory_levels"),
            std::to_string(model.units_sold));

  auto [rc, out] = run(cli("verify"));
  EXPECT_EQ(rc, 0) << out;
  auto db =
      sinks::open_warehouse(*sinks::parse_warehouse_url(url_, ""), sinks::BackendMode::kWriter);
  ASSERT_TRUE(db) << db.status().to_string();
  ASSERT_TRUE((*db)->exec("UPDATE sales_by_day SET revenue_micros = revenue_micros + 1"));
  std::tie(rc, out) = run(cli("verify"));
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("sales_by_day day_start_ms=1714521600000: revenue_micros gold"),
            std::string::npos)
      << out;
  std::tie(rc, out) = run(cli("query 'SELECT 1; DROP TABLE fact_sales'"));
  EXPECT_EQ(rc, 1) << out;
}

TEST(WarehouseQueryHttp, NeedsTheBearerTokenBeyondLoopback) {
  TempDir dir;
  ::setenv("LEDGERFLOW_TOKEN", "s3cret-token", 1);
  EngineProcess engine({"run", "--data-dir", dir.sub("data"), "--port", "0", "--bind", "0.0.0.0"},
                       dir.sub("engine.log"));
  bool started = engine.start();
  ::unsetenv("LEDGERFLOW_TOKEN");
  ASSERT_TRUE(started) << "see " << dir.sub("engine.log");
  auto c = engine.client();
  // The writer creates and migrates the warehouse right after start.
  for (int i = 0; i < 250; ++i) {
    auto p = c.Get("/api/v1/pipeline");
    if (p && nlohmann::json::parse(p->body)["sinks"][0]["state"] == "ok") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto no_token = c.Post("/api/v1/query", "SELECT COUNT(*) FROM fact_sales", "text/plain");
  ASSERT_TRUE(no_token);
  EXPECT_EQ(no_token->status, 401) << no_token->body;
  httplib::Headers auth = {{"Authorization", "Bearer s3cret-token"}};
  auto with_token = c.Post("/api/v1/query", auth, "SELECT COUNT(*) FROM fact_sales", "text/plain");
  ASSERT_TRUE(with_token);
  EXPECT_EQ(with_token->status, 200) << with_token->body;
  EXPECT_EQ(nlohmann::json::parse(with_token->body)["rows"][0][0].get<int>(), 0);
  auto write = c.Post("/api/v1/query", auth, "DELETE FROM fact_sales", "text/plain");
  ASSERT_TRUE(write);
  EXPECT_EQ(write->status, 400) << write->body;
}

INSTANTIATE_TEST_SUITE_P(Backends, WarehouseProcessTest,
                         ::testing::Values(Kind::kSqlite, Kind::kPostgres), [](const auto& info) {
                           return ledgerflow::testing::backend_name(info.param);
                         });

}  // namespace
