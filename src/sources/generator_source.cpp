#include "sources/generator_source.h"

#include <pthread.h>

#include <chrono>

#include <spdlog/spdlog.h>

#include "core/event_time.h"
#include "ingest/ndjson_batch.h"

namespace ledgerflow {

GeneratorSource::GeneratorSource(Engine* engine, GeneratorOptions options)
    : engine_(engine), options_(options) {}

GeneratorSource::~GeneratorSource() {
  stop();
}

void GeneratorSource::start() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "lf-generator");
    run();
  });
}

void GeneratorSource::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void GeneratorSource::run() {
  Generator gen(&engine_->catalog(), options_);
  // Resume against existing stock so a restarted demo does not ship the opening stock twice.
  for (const InventoryRow& row : engine_->inventory(std::nullopt, false)) {
    gen.set_on_hand(row.store_id, row.prod_id, row.unit_left());
  }
  EventParser parser(engine_->config().limits);
  SourcePosition source{SourceKind::kGenerator, "generator", 0, 0};
  GeneratedLine line;
  bool more = true;
  while (more && !stop_) {
    NdjsonBatch batch;
    int64_t batch_deadline = now_ms() + 100;
    while (batch.lines < 1000 && now_ms() < batch_deadline && !stop_) {
      int64_t due = gen.due_ms();
      if (due > now_ms()) {
        if (batch.lines > 0) break;
        std::this_thread::sleep_for(
            std::chrono::milliseconds(std::min<int64_t>(due - now_ms(), 50)));
        continue;
      }
      if (!gen.next(&line)) {
        more = false;
        break;
      }
      source.position = int64_t(gen.emitted());
      add_line(&batch, line.json, line.type, source, size_t(gen.emitted()), parser,
               engine_->config().dead_letter_raw_bytes);
    }
    if (batch.batch.records.empty()) continue;
    IngestAck ack = engine_->submit(std::move(batch.batch)).get();
    if (!ack.status) {
      spdlog::warn("generator: batch not accepted: {}", ack.status.to_string());
      if (ack.status.error_class() != ErrorClass::kRetriable) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    emitted_ = gen.emitted();
  }
}

}  // namespace ledgerflow
