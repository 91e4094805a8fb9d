#include <csignal>
#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "engine/engine.h"
#include "server/http_server.h"
#include "sinks/warehouse_writer.h"
#include "sources/generator_source.h"

namespace ledgerflow::cli {
namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

}  // namespace

int run_engine(RunOptions o) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  Engine engine(o.engine);
  if (Status s = engine.start(); !s) {
    spdlog::error("cannot start: {}", s.to_string());
    return 2;
  }
  Result<sinks::WarehouseTarget> warehouse = sinks::parse_warehouse_url(o.engine.warehouse.url, o.engine.data_dir);
  if (!warehouse) {
    spdlog::error("{}", warehouse.status().to_string());
    engine.stop();
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
  server::HttpServer http(&engine);
  http.enable_sql(*warehouse);
  if (Status s = http.start(o.engine.http_bind, o.engine.http_port); !s) {
    spdlog::error("cannot serve HTTP: {}", s.to_string());
    engine.stop();
    return 2;
  }
  std::string url = fmt::format("http://{}:{}/", o.engine.http_bind, http.port());
  // Machine-readable line first (tests read the port from it), then the human one.
  fmt::print("listening on {}\n", url);
  std::fflush(stdout);
  std::unique_ptr<GeneratorSource> gen;
  if (o.with_generator) {
    if (!o.seed_given) o.generator.seed = uint64_t(std::chrono::system_clock::now().time_since_epoch().count());
    gen = std::make_unique<GeneratorSource>(&engine, o.generator);
    gen->start();
    fmt::print("ledgerflow demo: dashboard at {}  (Ctrl-C to stop)\n", url);
    std::fflush(stdout);
  }
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  spdlog::info("stopping");
  if (gen) gen->stop();
  http.stop();
  engine.stop();
  // After the engine: the writer drains silver to the final log end and upserts gold once more.
  if (writer) writer->stop();
  return 0;
}

}  // namespace ledgerflow::cli
