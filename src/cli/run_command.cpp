#include <csignal>
#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "engine/engine.h"
#include "server/http_server.h"
#include "sinks/kafka_upsert_sink.h"
#include "sources/generator_source.h"
#include "sources/kafka_source.h"

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
  // Kafka in and out (off unless kafka.brokers is set).
  std::unique_ptr<KafkaSource> kafka_in;
  std::unique_ptr<KafkaUpsertSink> kafka_out;
  if (o.engine.kafka.enabled()) {
    kafka_in = std::make_unique<KafkaSource>(&engine, o.engine.kafka);
    if (Status s = kafka_in->start(); !s) {
      spdlog::error("cannot consume from Kafka: {}", s.to_string());
      engine.stop();
      return 2;
    }
    if (!o.engine.kafka.inventory_topic.empty() || !o.engine.kafka.alerts_topic.empty()) {
      kafka_out = std::make_unique<KafkaUpsertSink>(&engine, o.engine.kafka);
      if (Status s = kafka_out->start(); !s) {
        spdlog::error("cannot produce to Kafka: {}", s.to_string());
        kafka_in->stop();
        engine.stop();
        return 2;
      }
    }
    engine.set_pipeline_hook([in = kafka_in.get(), out = kafka_out.get()](PipelineStats* p) {
      in->fill_stats(&p->kafka);
      if (out) out->fill_stats(&p->kafka);
    });
  }
  server::HttpServer http(&engine);
  if (Status s = http.start(o.engine.http_bind, o.engine.http_port); !s) {
    spdlog::error("cannot serve HTTP: {}", s.to_string());
    if (kafka_in) kafka_in->stop();
    if (kafka_out) kafka_out->stop();
    engine.set_pipeline_hook(nullptr);
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
  // The consumer first (it logs, commits and leaves the group), then the sink publishes the
  // last changes.
  if (kafka_in) kafka_in->stop();
  http.stop();
  if (kafka_out) kafka_out->stop();
  engine.set_pipeline_hook(nullptr);
  engine.stop();
  return 0;
}

}  // namespace ledgerflow::cli
