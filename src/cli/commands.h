#pragma once
// Subcommands of the ledgerflow binary. Each returns the process exit code.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/engine_config.h"
#include "sources/generator.h"

namespace ledgerflow::cli {

struct RunOptions {
  EngineConfig engine;
  bool with_generator = false;  // demo
  GeneratorOptions generator;
  bool seed_given = false;
};
int run_engine(RunOptions options);

struct GenerateOptions {
  GeneratorOptions generator;
  std::string catalog_path;
  std::string to;                       // kafka://HOST:PORT[?topics=SALE,SHIPMENT]; empty: stdout
  std::vector<std::string> properties;  // -X key=value for librdkafka
};
int generate(const GenerateOptions& options);

// Sends CSV rows to Kafka as JSON objects keyed by the header names, all values strings.
struct IngestOptions {
  std::string file;
  std::string to;  // kafka://HOST:PORT/TOPIC
  std::string key_column;  // message key from this column (default: no key)
  std::vector<std::string> properties;
};
int ingest(const IngestOptions& options);

struct BenchOptions {
  uint64_t events = 1'000'000;
  int shards = 1;
  FsyncPolicy fsync = FsyncPolicy::kInterval;
  bool json = false;
  size_t batch_lines = 1000;
  int feeders = 2;  // threads parsing and submitting, like concurrent HTTP connections
  std::string dir;  // empty: a temporary directory, removed afterwards
  std::string source = "memory";  // memory | kafka (a mock cluster, topics pre-loaded)
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

}  // namespace ledgerflow::cli
