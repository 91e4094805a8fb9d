#include <chrono>
#include <csignal>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "core/event_time.h"
#include "engine/engine.h"
#include "server/http_server.h"
#include "sinks/kafka_upsert_sink.h"
#include "sinks/warehouse_writer.h"
#include "sources/finance_feed.h"
#include "sources/generator_source.h"
#include "sources/kafka_source.h"

namespace ledgerflow::cli {
namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) {
  g_stop = 1;
}

// Kafka in and out (off unless kafka.brokers is set); a pipeline reporter (*reporter) adds
// their figures.
Status start_kafka(Engine* engine, const KafkaConfig& k, std::unique_ptr<KafkaSource>* in,
                   std::unique_ptr<KafkaUpsertSink>* out, std::optional<uint64_t>* reporter) {
  if (!k.enabled()) return Status::ok();
  *in = std::make_unique<KafkaSource>(engine, k);
  if (Status s = (*in)->start(); !s) return s;
  if (!k.inventory_topic.empty() || !k.alerts_topic.empty()) {
    *out = std::make_unique<KafkaUpsertSink>(engine, k);
    if (Status s = (*out)->start(); !s) return s;
  }
  *reporter = engine->add_reporter([src = in->get(), sink = out->get()](PipelineStats* p) {
    src->fill_stats(&p->kafka);
    if (sink) sink->fill_stats(&p->kafka);
  });
  return Status::ok();
}

}  // namespace

int run_engine(RunOptions o) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  Result<sinks::WarehouseTarget> warehouse =
      sinks::parse_warehouse_url(o.engine.warehouse.url, o.engine.data_dir);
  if (!warehouse) {
    spdlog::error("{}", warehouse.status().to_string());
    return 2;
  }
  Engine engine(o.engine);
  if (Status s = engine.start(); !s) {
    spdlog::error("cannot start: {}", s.to_string());
    return 2;
  }
  std::unique_ptr<sinks::WarehouseWriter> writer;
  if (o.engine.warehouse.enabled) {
    const WarehouseConfig& w = o.engine.warehouse;
    writer = std::make_unique<sinks::WarehouseWriter>(
        &engine, sinks::WarehouseWriterOptions{*warehouse, o.engine.data_dir + "/log", w.batch_rows,
                                               w.batch_interval_ms, w.gold_interval_ms});
    writer->start();
  }
  std::unique_ptr<KafkaSource> kafka_in;
  std::unique_ptr<KafkaUpsertSink> kafka_out;
  std::optional<uint64_t> kafka_reporter;
  server::HttpServer http(&engine);
  // One shutdown order for every path. The consumer first (it logs, commits and leaves the
  // group), then the Kafka sink publishes the last changes; after the engine, the warehouse
  // writer drains silver to the final log end and upserts gold once more.
  auto stop_all = [&] {
    if (kafka_in) kafka_in->stop();
    http.stop();
    if (kafka_out) kafka_out->stop();
    if (kafka_reporter) engine.remove_reporter(*kafka_reporter);
    engine.stop();
    if (writer) writer->stop();
  };
  if (Status s = start_kafka(&engine, o.engine.kafka, &kafka_in, &kafka_out, &kafka_reporter); !s) {
    spdlog::error("cannot start Kafka: {}", s.to_string());
    stop_all();
    return 2;
  }
  http.enable_sql(*warehouse);
  if (Status s = http.start(o.engine.http_bind, o.engine.http_port); !s) {
    spdlog::error("cannot serve HTTP: {}", s.to_string());
    stop_all();
    return 2;
  }
  std::string url = fmt::format("http://{}:{}/", o.engine.http_bind, http.port());
  // Machine-readable line first (tests read the port from it), then the human one.
  fmt::print("listening on {}\n", url);
  std::fflush(stdout);
  std::unique_ptr<GeneratorSource> gen;
  std::unique_ptr<FinanceFeed> finance;
  if (o.with_generator) {
    if (!o.seed_given)
      o.generator.seed = uint64_t(std::chrono::system_clock::now().time_since_epoch().count());
    // A demo restarted on its data directory continues with new receipts: the same seed again
    // would replay ids the engine already holds, and every event would be a duplicate for as
    // long as the first run lasted. A fresh directory keeps --seed reproducible.
    if (uint64_t logged = engine.log_end_offset(); logged > 0) {
      o.generator.seed ^= (logged + 1) * 0x9E3779B97F4A7C15ull;
    }
    gen = std::make_unique<GeneratorSource>(&engine, o.generator);
    gen->start();
    if (o.finance_rate > 0) {
      FinanceGeneratorOptions fo;
      fo.seed = o.finance_seed;
      for (const Product& p : engine.catalog().products()) fo.catalog_product_ids.push_back(p.id);
      finance = std::make_unique<FinanceFeed>(&engine, fo, floor_div(now_ms(), kMsPerDay),
                                              o.finance_rate);
      finance->start();
    }
    fmt::print("ledgerflow demo: dashboard at {}  (Ctrl-C to stop)\n", url);
    std::fflush(stdout);
  }
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  spdlog::info("stopping");
  if (gen) gen->stop();
  if (finance) finance->stop();
  stop_all();
  return 0;
}

}  // namespace ledgerflow::cli
