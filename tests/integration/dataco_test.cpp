// DataCo order lines end to end through the real binary: `ingest --format dataco` into an
// embedded engine (--data-dir) and into a running one (--to http://), from the UTF-8 file
// sorted by date, the Latin-1 copy shuffled and the BOM copy with its columns reordered; every
// mart must equal what SQLite computes from the raw CSV (dataco_expected.h), exactly, in the
// API and in the warehouse's gold tables (which `verify` checks against silver). The
// Kafka path is in kafka_test.cpp (it owns the mock cluster helpers).
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include <fstream>
#include <thread>

#include "engine_process.h"
#include "support/dataco_expected.h"

using namespace ledgerflow;
using ledgerflow::testing::EngineProcess;
using ledgerflow::testing::TempDir;

namespace {

constexpr int64_t kGoodLines = 378;  // make_fixture.py: distinct good rows

// Runs the binary with `args`, returns its exit status; stderr goes to `log`.
int run_cli(std::vector<std::string> args, const std::string& log) {
  std::string cmd = std::string(LEDGERFLOW_BINARY);
  for (const std::string& a : args) cmd += " '" + a + "'";
  cmd += " >>" + log + " 2>&1";
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string read_file(const std::string& path) {
  std::ifstream f(path);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

}  // namespace

TEST(Dataco, SqlOverTheRawCsvGivesTheExpectedFigures) {
  std::vector<std::string> expected = ledgerflow::testing::dataco_expected_lines();
  ASSERT_GT(expected.size(), 200u) << "sqlite3 did not run";
  EXPECT_NE(std::find(expected.begin(), expected.end(), "N|" + std::to_string(kGoodLines)),
            expected.end());
}

TEST(Dataco, FileIntoEmbeddedEngineMatchesSqlAndReplaysAreIdempotent) {
  TempDir dir;
  std::string log = dir.sub("cli.log");
  // Bad rows are dead letters: exit status 1, the rest is loaded.
  ASSERT_EQ(run_cli({"ingest", ledgerflow::testing::dataco_fixture("fixture.csv"), "--format",
                     "dataco", "--data-dir", dir.sub("data")},
                    log),
            1)
      << read_file(log);
  std::string summary = read_file(log);
  EXPECT_NE(summary.find("400 rows read"), std::string::npos) << summary;
  EXPECT_NE(summary.find("388 accepted, 12 rejected"), std::string::npos) << summary;
  EXPECT_NE(summary.find("10 repeat lines already logged"), std::string::npos) << summary;
  EXPECT_NE(summary.find("wrong_field_count"), std::string::npos) << summary;
  // The same lines again from the BOM copy (other column order, an unknown column): replays.
  ASSERT_EQ(run_cli({"ingest", ledgerflow::testing::dataco_fixture("fixture_bom.csv"), "--format",
                     "dataco", "--data-dir", dir.sub("data"), "--shards", "2"},
                    log),
            1);
  EXPECT_NE(read_file(log).find("(UTF-8 with BOM): 388 accepted"), std::string::npos)
      << read_file(log);
  EngineProcess engine({"run", "--data-dir", dir.sub("data"), "--port", "0"},
                       dir.sub("engine.log"));
  ASSERT_TRUE(engine.start()) << read_file(dir.sub("engine.log"));
  EXPECT_EQ(ledgerflow::testing::dataco_mart_lines(engine.port()),
            ledgerflow::testing::dataco_expected_lines());
}

TEST(Dataco, ShuffledLatin1OverHttpMatchesSql) {
  TempDir dir;
  EngineProcess engine({"run", "--data-dir", dir.sub("data"), "--port", "0", "--shards", "3"},
                       dir.sub("engine.log"));
  ASSERT_TRUE(engine.start());
  std::string url = "http://127.0.0.1:" + std::to_string(engine.port());
  std::string log = dir.sub("cli.log");
  ASSERT_EQ(run_cli({"ingest", ledgerflow::testing::dataco_fixture("fixture_latin1.csv"),
                     "--format", "dataco", "--to", url, "--batch", "37"},
                    log),
            1)
      << read_file(log);
  EXPECT_NE(read_file(log).find("(Latin-1): 388 accepted, 12 rejected"), std::string::npos)
      << read_file(log);
  ASSERT_TRUE(ledgerflow::testing::wait_mart_lines(engine.port(), kGoodLines));
  EXPECT_EQ(ledgerflow::testing::dataco_mart_lines(engine.port()),
            ledgerflow::testing::dataco_expected_lines());
  // Bad rows are dead letters with their reason.
  auto res = engine.client().Get("/api/v1/dead-letters?limit=1000");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("invalid_time"), std::string::npos);
  // After a restart (checkpoint + log) the marts are the same.
  ASSERT_EQ(engine.stop(), 0);
  EngineProcess again({"run", "--data-dir", dir.sub("data"), "--port", "0", "--shards", "3"},
                      dir.sub("engine.log"));
  ASSERT_TRUE(again.start());
  EXPECT_EQ(ledgerflow::testing::dataco_mart_lines(again.port()),
            ledgerflow::testing::dataco_expected_lines());
  // DataCo suspected-fraud customers among the alerts: every customer the SQL finds with two or
  // more SUSPECTED_FRAUD orders.
  std::set<std::string> want_customers = ledgerflow::testing::dataco_expected_fraud_customers(2);
  auto alerts = again.client().Get("/api/v1/alerts?rule=dataco_fraud_customer&limit=10000");
  ASSERT_TRUE(alerts);
  std::set<std::string> got_customers;
  const nlohmann::json page = nlohmann::json::parse(alerts->body);
  for (const auto& a : page["alerts"]) {
    got_customers.insert(a["subject"].get<std::string>());
  }
  EXPECT_EQ(got_customers, want_customers) << alerts->status << " " << alerts->body.substr(0, 300);
  // The warehouse the engine kept (SQLite in the data dir): its gold tables hold the same
  // figures, and `verify` finds them equal to their SQL over silver.
  ASSERT_EQ(again.stop(), 0);
  EXPECT_EQ(run_cli({"verify", "--data-dir", dir.sub("data")}, log), 0) << read_file(log);
  auto db = sinks::open_warehouse(
      sinks::WarehouseTarget{sinks::WarehouseTarget::Kind::kSqlite, dir.sub("data/warehouse.db")},
      sinks::BackendMode::kReadOnly);
  ASSERT_TRUE(db) << db.status().to_string();
  EXPECT_EQ(ledgerflow::testing::dataco_gold_lines(**db),
            ledgerflow::testing::dataco_expected_lines());
  // The DataCo patterns are mirrored into finance_alerts under negative seqs (the ledger's
  // count up from 1): the same customers, one row each.
  Result<sinks::QueryResult> mirrored = (*db)->query(
      "SELECT subject, seq FROM finance_alerts WHERE rule_id = 'dataco_fraud_customer'",
      sinks::QueryLimits{});
  ASSERT_TRUE(mirrored) << mirrored.status().to_string();
  std::set<std::string> mirrored_customers;
  for (const auto& row : mirrored->rows) {
    mirrored_customers.insert(*row[0]);
    EXPECT_LT(std::stoll(*row[1]), 0) << *row[0];
  }
  EXPECT_EQ(mirrored_customers, want_customers);
  EXPECT_EQ(mirrored->rows.size(), want_customers.size());
}

TEST(Dataco, FileMissingRequiredColumnsIsRefusedNamingThem) {
  TempDir dir;
  {
    std::ofstream f(dir.sub("partial.csv"));
    f << "Type,Order Id,Sales\nDEBIT,1,2.5\n";
  }
  std::string log = dir.sub("cli.log");
  EXPECT_EQ(run_cli({"ingest", dir.sub("partial.csv"), "--format", "dataco", "--data-dir",
                     dir.sub("data")},
                    log),
            2);
  std::string out = read_file(log);
  EXPECT_NE(out.find("missing required columns"), std::string::npos) << out;
  EXPECT_NE(out.find("\"Order Item Id\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"Shipping Mode\""), std::string::npos) << out;
  EXPECT_EQ(out.find("\"Sales\","), std::string::npos) << out;
}
