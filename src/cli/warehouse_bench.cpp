// `ledgerflow bench --target warehouse-sqlite|warehouse-postgres`: rows per second loaded into a
// warehouse backend the way the writer loads them (silver rows from log records, one
// transaction per batch with the load_state offset). The log records are prepared in memory
// first (parsed from generated events), so the figure is the loader's. Baseline in the same
// run: building the same rows without a database, and loading the same fact rows into copies of
// the fact tables without a key (the database's plain insert or COPY speed, no dedupe).
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "core/event_time.h"
#include "ingest/ndjson_batch.h"
#include "sinks/silver_rows.h"
#include "sinks/warehouse_schema.h"
#include "sources/bench_data.h"

namespace ledgerflow::cli {
namespace fs = std::filesystem;

namespace {

std::vector<LogRecord> generated_records(uint64_t events) {
  Generator gen(&Catalog::builtin(), bench_generator_options(events));
  EventParser parser;
  NdjsonBatch batch;
  GeneratedLine line;
  for (int64_t n = 0; gen.next(&line); ++n) {
    add_line(&batch, line.json, line.type, SourcePosition{SourceKind::kBench, "bench", 0, n},
             size_t(n), parser, 4096);
  }
  std::vector<LogRecord>& records = batch.batch.records;
  for (size_t i = 0; i < records.size(); ++i) {
    records[i].offset = i;
    records[i].ingest_time_ms = now_ms();
  }
  return std::move(records);
}

enum class LoadMode {
  kBuildOnly,  // the rows are built, no database
  kWarehouse,  // what the writer does
  kKeyless,    // the fact rows only, into keyless copies of the fact tables
};

// The fact steps of `txn` aimed at the keyless copies ("keyless_fact_sales", ...).
sinks::WarehouseTxn keyless(sinks::WarehouseTxn txn) {
  static std::map<std::string, sinks::TableSpec> specs;
  sinks::WarehouseTxn out;
  for (auto& step : txn.steps) {
    auto* rows = std::get_if<sinks::TableRows>(&step);
    if (rows == nullptr || rows->spec->name.rfind("fact_", 0) != 0) continue;
    auto [it, added] = specs.try_emplace(rows->spec->name, *rows->spec);
    if (added) {
      it->second.name = "keyless_" + rows->spec->name;
      it->second.key_columns = 0;
    }
    rows->spec = &it->second;
    out.steps.push_back(std::move(step));
  }
  return out;
}

// Loads `records` in batches of `batch_rows`; returns seconds (or the first error).
Result<double> load(const std::vector<LogRecord>& records, size_t batch_rows, LoadMode mode,
                    sinks::WarehouseBackend* db) {
  const int64_t start = monotonic_ns();
  sinks::SeenDimensions dimensions;
  for (size_t from = 0; from < records.size(); from += batch_rows) {
    sinks::SilverRows rows(&dimensions);
    size_t to = std::min(records.size(), from + batch_rows);
    for (size_t i = from; i < to; ++i) {
      if (Status s = rows.add(records[i]); !s) return s;
    }
    sinks::WarehouseTxn txn;
    rows.append_steps(&txn);
    txn.steps.emplace_back(sinks::set_load_offset_sql(to, now_ms()));
    if (mode == LoadMode::kKeyless) txn = keyless(std::move(txn));
    if (mode != LoadMode::kBuildOnly) {
      if (Status s = db->apply(txn); !s) return s;
    }
    dimensions.merge(rows.added());
  }
  return double(monotonic_ns() - start) / 1e9;
}

// A fresh database next to the one named in `url` (dropped afterwards by the caller).
Result<std::string> fresh_postgres(const std::string& url, const std::string& name) {
  auto admin =
      sinks::open_warehouse(sinks::WarehouseTarget{sinks::WarehouseTarget::Kind::kPostgres, url},
                            sinks::BackendMode::kReadOnly);
  if (!admin) return admin.status();
  if (Status s = (*admin)->exec("CREATE DATABASE " + name); !s) return s;
  std::string base = url.substr(0, url.find('/', url.find("://") + 3));
  return base + "/" + name;
}

}  // namespace

int bench_warehouse(const BenchOptions& o) {
  const bool postgres = o.target == "warehouse-postgres";
  if (postgres && o.warehouse.empty()) {
    spdlog::error("--target warehouse-postgres needs --warehouse postgresql://USER@HOST:PORT/DB");
    return 2;
  }
  std::vector<LogRecord> records = generated_records(o.events);
  Result<double> built = load(records, o.batch_lines, LoadMode::kBuildOnly, nullptr);

  std::string dir =
      o.dir.empty() ? (fs::temp_directory_path() / fmt::format("lf-whbench-{}", now_ms())).string()
                    : o.dir;
  fs::create_directories(dir);
  const std::string db_name = fmt::format("lf_bench_{}", now_ms());
  sinks::WarehouseTarget target{sinks::WarehouseTarget::Kind::kSqlite, dir + "/bench.db"};
  if (postgres) {
    Result<std::string> url = fresh_postgres(o.warehouse, db_name);
    if (!url) {
      spdlog::error("{}", url.status().to_string());
      return 2;
    }
    target = sinks::WarehouseTarget{sinks::WarehouseTarget::Kind::kPostgres, *url};
  }
  Result<double> secs = Status::fatal("not_run", "");
  Result<double> keyless_secs = Status::fatal("not_run", "");
  {
    auto db = sinks::open_warehouse(target, sinks::BackendMode::kWriter);
    if (!db) {
      spdlog::error("{}", db.status().to_string());
      return 2;
    }
    secs = load(records, o.batch_lines, LoadMode::kWarehouse, db->get());
    Status made = (*db)->exec(
        "CREATE TABLE keyless_fact_sales AS SELECT * FROM fact_sales WHERE 1 = 0; "
        "CREATE TABLE keyless_fact_shipments AS SELECT * FROM fact_shipments WHERE 1 = 0");
    keyless_secs = made ? load(records, o.batch_lines, LoadMode::kKeyless, db->get()) : made;
  }
  if (postgres) {
    auto admin = sinks::open_warehouse(
        sinks::WarehouseTarget{sinks::WarehouseTarget::Kind::kPostgres, o.warehouse},
        sinks::BackendMode::kReadOnly);
    if (admin) (void)(*admin)->exec("DROP DATABASE " + db_name);
  }
  if (o.dir.empty()) fs::remove_all(dir);
  for (const Result<double>* r : {&secs, &keyless_secs}) {
    if (!*r) {
      spdlog::error("{}", r->status().to_string());
      return 1;
    }
  }
  const double rows = double(records.size());
  if (o.json) {
    fmt::print(
        "{{\"target\":\"{}\",\"rows\":{},\"batch_rows\":{},\"rows_per_s\":{:.0f},"
        "\"baseline_keyless_rows_per_s\":{:.0f},\"baseline_rows_built_per_s\":{:.0f}}}\n",
        o.target, records.size(), o.batch_lines, rows / *secs, rows / *keyless_secs, rows / *built);
  } else {
    fmt::print(
        "{}: {} rows in batches of {}: {:.0f} rows/s loaded. Baselines in this run: the same fact "
        "rows into keyless tables {:.0f}/s; rows built without a database {:.0f}/s\n",
        o.target, records.size(), o.batch_lines, rows / *secs, rows / *keyless_secs, rows / *built);
  }
  return 0;
}

}  // namespace ledgerflow::cli
