#include <csignal>
#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "engine/engine.h"
#include "server/http_server.h"
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
  server::HttpServer http(&engine);
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
  return 0;
}

}  // namespace ledgerflow::cli
