#pragma once
// Subcommands of the ledgerflow binary. Each returns the process exit code.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/engine_config.h"
#include "sources/finance_generator.h"
#include "sources/generator.h"

namespace ledgerflow::cli {

struct RunOptions {
  EngineConfig engine;
  bool with_generator = false;  // demo
  GeneratorOptions generator;
  bool seed_given = false;
  // demo: generated finance records per second (0: none), from this seed (fixed by default, so
  // a restarted demo feeds the same records again and they count as duplicates).
  double finance_rate = 200;
  uint64_t finance_seed = 42;
};
int run_engine(RunOptions options);

struct GenerateOptions {
  GeneratorOptions generator;
  std::string catalog_path;
  std::string to;                       // kafka://HOST:PORT[?topics=SALE,SHIPMENT]; empty: stdout
  std::vector<std::string> properties;  // -X key=value for librdkafka
  // --finance: the finance data set (docs/FINANCE.md "Generated data") instead of sales, its
  // simulated days ending today; to Kafka as typed events on one topic (default finance_events).
  bool finance = false;
  FinanceGeneratorOptions finance_options;
};
int generate(const GenerateOptions& options);

// Sends CSV rows to Kafka as JSON objects keyed by the header names, all values strings; or
// (--format dataco) loads DataCo order lines into a running engine over HTTP or into an
// embedded engine in a data directory.
struct IngestOptions {
  std::string file;
  std::string format = "csv";  // csv (any header) | dataco (order lines, header checked)
  std::string to;              // kafka://HOST:PORT/TOPIC or http://HOST:PORT; empty with data_dir
  std::string data_dir;        // embedded engine (no server)
  int shards = 2;              // embedded engine
  size_t batch_rows = 5000;    // rows per HTTP request / engine batch
  std::string key_column;      // message key from this column (default: no key)
  std::vector<std::string> properties;
};
int ingest(const IngestOptions& options);
// --format dataco --to http://... or --data-dir DIR (dataco_ingest.cpp).
int ingest_dataco(const IngestOptions& options);
// Lines in a text (a last line without a line end counts).
uint64_t count_lines(std::string_view data);

struct BenchOptions {
  uint64_t events = 1'000'000;
  int shards = 1;
  FsyncPolicy fsync = FsyncPolicy::kInterval;
  bool json = false;
  size_t batch_lines = 1000;
  int feeders = 2;  // threads parsing and submitting, like concurrent HTTP connections
  std::string dir;  // empty: a temporary directory, removed afterwards
  std::string source = "memory";  // memory | kafka (a mock cluster, topics pre-loaded) | dataco
  std::string file;               // dataco: the CSV file
  int partitions = 8;             // kafka: partitions per topic
  std::string target = "engine";  // engine, warehouse-sqlite, warehouse-postgres
  std::string warehouse;          // warehouse-postgres: a server URL (a fresh database is made)
};
// The Kafka variant of bench (source = kafka).
int bench_kafka(const BenchOptions& options);
int bench(const BenchOptions& options);
// Rows/s loaded into a warehouse backend (warehouse_bench.cpp).
int bench_warehouse(const BenchOptions& options);

// Where `query` and `verify` find the warehouse: --warehouse, else the config file's
// warehouse.url, else DATA/warehouse.db (--data-dir, else the config's data_dir).
struct WarehouseOptions {
  std::string url;
  std::string data_dir;
  std::string config_path;
};

struct QueryOptions {
  WarehouseOptions warehouse;
  std::string sql;
  std::string format = "table";  // table, csv, json
  size_t max_rows = 10'000;
  int64_t timeout_ms = 30'000;
};
int query(const QueryOptions& options);
int verify(const WarehouseOptions& options);
// The DataCo variant (source = dataco): rows/s from a CSV file to the marts.
int bench_dataco(const BenchOptions& options);

}  // namespace ledgerflow::cli
