#pragma once
// A warehouse test on each backend: SQLite in the test's directory, or a fresh database in a
// real PostgreSQL 15 cluster started once per suite (skipped when PostgreSQL is not
// installed); an engine configuration and writer options on the same directory, and a
// read-only connection to query what was loaded.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "sinks/warehouse_backend.h"
#include "sinks/warehouse_writer.h"
#include "support/backend_kind.h"
#include "support/postgres_cluster.h"
#include "support/temp_dir.h"

namespace ledgerflow::testing {

class WarehouseFixture : public ::testing::TestWithParam<BackendKind> {
 protected:
  static void TearDownTestSuite() { cluster_.reset(); }

  void SetUp() override {
    using sinks::WarehouseTarget;
    if (GetParam() == BackendKind::kSqlite) {
      target_ = WarehouseTarget{WarehouseTarget::Kind::kSqlite, dir_.sub("warehouse.db")};
      return;
    }
    if (std::string why = PostgresCluster::unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
    if (!cluster_) cluster_ = std::make_unique<PostgresCluster>();
    ASSERT_TRUE(cluster_->ok()) << "see " << cluster_->log_path();
    // A fresh database per test in the suite's cluster.
    static int n = 0;
    std::string db = "lf_test_" + std::to_string(++n);
    auto admin = open_warehouse(WarehouseTarget{WarehouseTarget::Kind::kPostgres, cluster_->url()},
                                sinks::BackendMode::kReadOnly);
    ASSERT_TRUE(admin) << admin.status().to_string();
    ASSERT_TRUE((*admin)->exec("CREATE DATABASE " + db));
    std::string url = cluster_->url();
    target_ =
        WarehouseTarget{WarehouseTarget::Kind::kPostgres, url.substr(0, url.rfind('/') + 1) + db};
  }

  EngineConfig engine_config() const {
    EngineConfig c;
    c.data_dir = dir_.sub("data");
    c.checkpoint_interval_ms = 3'600'000;
    c.segment_bytes = 1 << 16;  // small segments: the writer's reader crosses many of them
    return c;
  }

  sinks::WarehouseWriterOptions writer_options() const {
    return sinks::WarehouseWriterOptions{target_, dir_.sub("data") + "/log", 500, 100, 100, 400};
  }

  std::unique_ptr<sinks::WarehouseBackend> reader() const {
    auto db = open_warehouse(target_, sinks::BackendMode::kReadOnly);
    EXPECT_TRUE(db) << db.status().to_string();
    return db ? std::move(db.value()) : nullptr;
  }

  // The first column of the first row as text ("NULL" when there is none).
  std::string one(sinks::WarehouseBackend& db, const std::string& sql) const {
    Result<sinks::QueryResult> r = db.query(sql, sinks::QueryLimits{});
    EXPECT_TRUE(r) << sql << ": " << r.status().to_string();
    if (!r || r->rows.empty() || !r->rows[0][0]) return "NULL";
    return *r->rows[0][0];
  }

  // Every row, its cells joined with '|' ("NULL" for a null).
  std::vector<std::string> rows_of(sinks::WarehouseBackend& db, const std::string& sql) const {
    Result<sinks::QueryResult> r = db.query(sql, sinks::QueryLimits{});
    EXPECT_TRUE(r) << sql << ": " << r.status().to_string();
    std::vector<std::string> out;
    if (!r) return out;
    for (const auto& cells : r->rows) {
      std::string line;
      for (const auto& c : cells) line += (line.empty() ? "" : "|") + c.value_or("NULL");
      out.push_back(line);
    }
    return out;
  }

  TempDir dir_;
  sinks::WarehouseTarget target_;
  inline static std::unique_ptr<PostgresCluster> cluster_;
};

}  // namespace ledgerflow::testing
