// ledgerflow: real-time supply-chain finance analytics in one binary.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "cli/commands.h"

using namespace ledgerflow;

// jemalloc's options for this binary: it reads this weak symbol of its own once, at start-up,
// and MALLOC_CONF in the environment still overrides it. Unused where the binary links another
// allocator (the sanitizer builds).
//
// thp:always: jemalloc marks its memory MADV_HUGEPAGE, which Debian's default THP mode
// ("madvise") honours, so the heap is backed by 2 MiB pages. Why: inside a virtual machine every
// TLB miss walks two page tables, and the pipeline streams hundreds of MB (the file or the
// batches' raw bytes, the order lines, the log buffer) through 4 KiB pages; with huge pages the
// DataCo bench's median rose from 456 K to 682 K rows per CPU-second in eleven alternating pairs
// on a 2-core EPYC VM, and its minor page faults fell from 0.04 a row to none (docs/BENCHMARKS.md,
// 2026-11-29 "huge pages"). Where THP is off the advice is ignored and nothing else changes.
extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): jemalloc's name and type
const char* malloc_conf = "thp:always";
}

namespace {

void add_engine_options(CLI::App* cmd, cli::RunOptions* o, std::string* config_path,
                        std::string* fsync) {
  cmd->add_option("--config", *config_path, "TOML config file (see ledgerflow.example.toml)");
  cmd->add_option("--data-dir", o->engine.data_dir, "where the log and checkpoints live");
  cmd->add_option("--port", o->engine.http_port, "HTTP port (0 picks a free one)");
  cmd->add_option("--bind", o->engine.http_bind, "HTTP bind address");
  cmd->add_option("--catalog", o->engine.catalog_path, "product catalog CSV (default: built-in)");
  cmd->add_option("--shards", o->engine.shards, "processing shards")->check(CLI::Range(1, 256));
  cmd->add_option("--fsync", *fsync, "log fsync policy: batch, interval or none");
  cmd->add_option("--checkpoint-interval-ms", o->engine.checkpoint_interval_ms,
                  "checkpoint period");
  cmd->add_option(
      "--kafka", o->engine.kafka.brokers,
      "consume from (and publish to) Kafka at these brokers (kafka.brokers; docs/KAFKA.md)");
  cmd->add_option("--kafka-group", o->engine.kafka.group_id,
                  "Kafka consumer group id (kafka.group_id)");
  cmd->add_option(
      "--warehouse", o->engine.warehouse.url,
      "warehouse: sqlite:PATH or postgresql://USER@HOST:PORT/DB (default: DATA/warehouse.db)");
}

void add_warehouse_options(CLI::App* cmd, cli::WarehouseOptions* o) {
  cmd->add_option("--warehouse", o->url, "sqlite:PATH or postgresql://USER@HOST:PORT/DB");
  cmd->add_option("--data-dir", o->data_dir,
                  "data directory holding warehouse.db (the default warehouse)");
  cmd->add_option("--config", o->config_path, "TOML config file (its data_dir and warehouse.url)");
}

int finish_engine_options(cli::RunOptions* o, const std::string& config_path,
                          const std::string& fsync, CLI::App* cmd) {
  if (!config_path.empty()) {
    // Command-line flags override the file: load it over defaults, then re-apply flags.
    cli::RunOptions flags = *o;
    o->engine = EngineConfig{};
    if (Status s = load_config_file(config_path, &o->engine); !s) {
      spdlog::error("{}", s.to_string());
      return 2;
    }
    for (const char* name :
         {"--data-dir", "--port", "--bind", "--catalog", "--shards", "--checkpoint-interval-ms",
          "--kafka", "--kafka-group", "--warehouse"}) {
      if (cmd->count(name) == 0) continue;
      std::string n(name);
      if (n == "--data-dir") o->engine.data_dir = flags.engine.data_dir;
      if (n == "--port") o->engine.http_port = flags.engine.http_port;
      if (n == "--bind") o->engine.http_bind = flags.engine.http_bind;
      if (n == "--catalog") o->engine.catalog_path = flags.engine.catalog_path;
      if (n == "--shards") o->engine.shards = flags.engine.shards;
      if (n == "--checkpoint-interval-ms")
        o->engine.checkpoint_interval_ms = flags.engine.checkpoint_interval_ms;
      if (n == "--kafka") o->engine.kafka.brokers = flags.engine.kafka.brokers;
      if (n == "--kafka-group") o->engine.kafka.group_id = flags.engine.kafka.group_id;
      if (n == "--warehouse") o->engine.warehouse.url = flags.engine.warehouse.url;
    }
  } else if (const char* token = std::getenv("LEDGERFLOW_TOKEN")) {
    o->engine.http_token = token;
  }
  if (!fsync.empty() && !fsync_policy_from_name(fsync, &o->engine.fsync)) {
    spdlog::error("--fsync must be batch, interval or none");
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ledgerflow: real-time supply-chain finance analytics in one binary"};
  app.require_subcommand(1);
  // Logs go to stderr: stdout carries data (generate's NDJSON, the "listening on" line), and a
  // parent that reads only the first stdout line must not block the engine once the pipe fills.
  spdlog::set_default_logger(spdlog::stderr_color_mt("ledgerflow"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  cli::RunOptions run_opts;
  std::string run_config, run_fsync;
  CLI::App* run = app.add_subcommand("run", "run the engine and the HTTP API (no generator)");
  add_engine_options(run, &run_opts, &run_config, &run_fsync);

  cli::RunOptions demo_opts;
  demo_opts.with_generator = true;
  demo_opts.generator.rate = 200;
  demo_opts.generator.stores = 3;
  std::string demo_config, demo_fsync;
  CLI::App* demo =
      app.add_subcommand("demo", "run the engine, the API and the dashboard with generated data");
  add_engine_options(demo, &demo_opts, &demo_config, &demo_fsync);
  demo->add_option("--rate", demo_opts.generator.rate, "generated events per second")
      ->check(CLI::Range(0.1, 1e7));
  demo->add_option("--stores", demo_opts.generator.stores, "stores")->check(CLI::Range(1, 1000));
  demo->add_option("--finance-rate", demo_opts.finance_rate,
                   "generated finance records per second (0: none)")
      ->check(CLI::Range(0.0, 1e6));
  demo->add_option("--finance-seed", demo_opts.finance_seed, "seed of the finance data set");
  auto* demo_seed = demo->add_option("--seed", demo_opts.generator.seed,
                                     "random seed (default: time; restarted on a non-empty data "
                                     "dir it continues with new events)");

  cli::GenerateOptions gen_opts;
  CLI::App* gen = app.add_subcommand(
      "generate", "write generated events as NDJSON to stdout, or produce them to Kafka");
  gen->add_option("--seed", gen_opts.generator.seed, "random seed");
  gen->add_option("--stores", gen_opts.generator.stores, "stores")->check(CLI::Range(1, 1000));
  gen->add_option("--rate", gen_opts.generator.rate,
                  "events per second (default: as fast as possible)");
  gen->add_option("--count", gen_opts.generator.count, "stop after this many events");
  gen->add_option("--lot", gen_opts.generator.shipment_lot, "units per replenishment shipment");
  gen->add_option("--start-ms", gen_opts.generator.start_ms,
                  "event time of the first event (default: now)");
  gen->add_option("--catalog", gen_opts.catalog_path, "product catalog CSV");
  gen->add_flag("--finance", gen_opts.finance,
                "the finance data set (suppliers, orders, receipts, invoices, payments, customer "
                "orders with labelled anomalies; docs/FINANCE.md) instead of sales");
  gen->add_option("--finance-days", gen_opts.finance_options.days, "finance: simulated days")
      ->check(CLI::Range(30, 3650));
  gen->add_option("--suppliers", gen_opts.finance_options.suppliers, "finance: suppliers")
      ->check(CLI::Range(1, 100000));
  gen->add_option("--customers", gen_opts.finance_options.customers, "finance: customers")
      ->check(CLI::Range(1, 1000000));
  gen->add_flag("!--no-initial-stock", gen_opts.generator.initial_stock,
                "skip the opening stock shipments");
  gen->add_option("--to", gen_opts.to,
                  "kafka://HOST:PORT[?topics=SALE,SHIPMENT]: produce to Kafka (default topics "
                  "sale_transaction, "
                  "inventory_shipment; one topic: typed events), keyed by store_id:prod_id");
  gen->add_option("-X", gen_opts.properties,
                  "librdkafka property key=value (repeatable; ${ENV} expanded)");

  cli::IngestOptions ingest_opts;
  CLI::App* ingest = app.add_subcommand(
      "ingest",
      "send a CSV file's rows to Kafka as JSON objects keyed by the header names, or load DataCo "
      "order "
      "lines into an engine (--format dataco --to http://HOST:PORT | --data-dir DIR)");
  ingest->add_option("file", ingest_opts.file, "CSV file (UTF-8 with or without BOM, or Latin-1)")
      ->required();
  ingest
      ->add_option("--format", ingest_opts.format,
                   "csv (any header; Kafka only) or dataco (DataCo order lines)")
      ->check(CLI::IsMember({"csv", "dataco"}));
  ingest->add_option("--to", ingest_opts.to,
                     "kafka://HOST:PORT/TOPIC or (dataco) http://HOST:PORT of a running engine");
  ingest->add_option("--data-dir", ingest_opts.data_dir,
                     "(dataco) load into an embedded engine in this directory");
  ingest->add_option("--shards", ingest_opts.shards, "(dataco, --data-dir) processing shards")
      ->check(CLI::Range(1, 256));
  ingest->add_option("--batch", ingest_opts.batch_rows, "(dataco) rows per request or batch")
      ->check(CLI::Range(1, 1'000'000));
  ingest->add_option("--key-column", ingest_opts.key_column,
                     "message key from this column (default: no key)");
  ingest->add_option("-X", ingest_opts.properties,
                     "librdkafka property key=value (repeatable; ${ENV} expanded)");

  cli::BenchOptions bench_opts;
  std::string bench_fsync = "interval";
  CLI::App* bench =
      app.add_subcommand("bench", "measure parse -> log -> state throughput and latency");
  bench->add_option("--events", bench_opts.events, "events to generate and process")
      ->check(CLI::Range(1, 1'000'000'000));
  bench->add_option("--shards", bench_opts.shards, "processing shards")->check(CLI::Range(1, 256));
  bench->add_option("--fsync", bench_fsync, "batch, interval or none");
  bench->add_option("--batch", bench_opts.batch_lines, "lines per ingest batch")
      ->check(CLI::Range(1, 1'000'000));
  bench
      ->add_option("--feeders", bench_opts.feeders,
                   "parsing threads (concurrent ingest connections)")
      ->check(CLI::Range(1, 64));
  bench->add_option("--dir", bench_opts.dir, "data directory (default: a temporary one)");
  bench->add_flag("--json", bench_opts.json, "print one JSON object");
  bench
      ->add_option("--source", bench_opts.source,
                   "memory (parse -> log -> state), kafka (a mock cluster, topics pre-loaded, "
                   "consume -> log -> state) "
                   "or dataco (a DataCo CSV file -> log -> marts; --file)")
      ->check(CLI::IsMember({"memory", "kafka", "dataco"}));
  bench->add_option("--file", bench_opts.file,
                    "dataco: the CSV file (e.g. from tests/data/dataco/make_fixture.py --big)");
  bench->add_option("--partitions", bench_opts.partitions, "kafka: partitions per topic")
      ->check(CLI::Range(1, 1024));
  bench->add_option("--target", bench_opts.target, "engine, warehouse-sqlite or warehouse-postgres")
      ->check(CLI::IsMember({"engine", "warehouse-sqlite", "warehouse-postgres"}));
  bench->add_option("--warehouse", bench_opts.warehouse,
                    "warehouse-postgres: postgresql://USER@HOST:PORT/DB (a fresh database is "
                    "created and dropped)");

  cli::QueryOptions query_opts;
  CLI::App* query =
      app.add_subcommand("query", "run one read-only SQL statement against the warehouse");
  query->add_option("sql", query_opts.sql, "the SQL statement")->required();
  query->add_option("--format", query_opts.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  query->add_option("--max-rows", query_opts.max_rows, "rows printed at most");
  query->add_option("--timeout-ms", query_opts.timeout_ms, "statement time limit");
  add_warehouse_options(query, &query_opts.warehouse);

  cli::WarehouseOptions verify_opts;
  CLI::App* verify = app.add_subcommand(
      "verify",
      "recompute the gold marts from silver (sql/gold) and compare with the live gold tables");
  add_warehouse_options(verify, &verify_opts);

  CLI11_PARSE(app, argc, argv);

  if (*run) {
    if (int rc = finish_engine_options(&run_opts, run_config, run_fsync, run)) return rc;
    return cli::run_engine(run_opts);
  }
  if (*demo) {
    if (int rc = finish_engine_options(&demo_opts, demo_config, demo_fsync, demo)) return rc;
    demo_opts.seed_given = demo_seed->count() > 0;
    return cli::run_engine(demo_opts);
  }
  if (*gen) return cli::generate(gen_opts);
  if (*ingest) {
    if (ingest_opts.to.empty() && ingest_opts.data_dir.empty()) {
      spdlog::error("ingest: give --to (kafka:// or http://) or --data-dir");
      return 2;
    }
    return cli::ingest(ingest_opts);
  }
  if (*query) return cli::query(query_opts);
  if (*verify) return cli::verify(verify_opts);
  if (*bench) {
    if (!fsync_policy_from_name(bench_fsync, &bench_opts.fsync)) {
      spdlog::error("--fsync must be batch, interval or none");
      return 2;
    }
    if (bench_opts.source == "dataco") {
      if (bench_opts.file.empty()) {
        spdlog::error("bench --source dataco needs --file FILE.csv");
        return 2;
      }
      if (bench->count("--batch") == 0) bench_opts.batch_lines = 5000;
      return cli::bench_dataco(bench_opts);
    }
    if (bench_opts.source == "kafka") return cli::bench_kafka(bench_opts);
    return bench_opts.target == "engine" ? cli::bench(bench_opts)
                                         : cli::bench_warehouse(bench_opts);
  }
  return 0;
}
