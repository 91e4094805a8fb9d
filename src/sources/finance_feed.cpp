#include "sources/finance_feed.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>

#include <spdlog/spdlog.h>

#include "core/event_time.h"
#include "ingest/finance_event_writer.h"
#include "ingest/ndjson_batch.h"

namespace ledgerflow {

std::string finance_record_line(const FinanceRecord& r) {
  if (const auto* s = std::get_if<finance::Supplier>(&r.event); s && !s->changed_day) {
    finance::Supplier dated = *s;
    dated.changed_day = floor_div(r.arrival_ms, kMsPerDay);
    return finance_event_json(FinanceEvent(std::move(dated)));
  }
  return finance_event_json(r.event);
}

std::vector<FinanceRecord> finance_records_until(FinanceGeneratorOptions options, int64_t end_day) {
  options.start_day = end_day - options.days + 1;
  std::vector<FinanceRecord> records = FinanceGenerator(options).generate().records;
  const int64_t end_ms = (end_day + 1) * kMsPerDay;
  // Records come in arrival order, so the ones after the end are a suffix.
  auto past = std::find_if(records.begin(), records.end(),
                           [&](const FinanceRecord& r) { return r.arrival_ms >= end_ms; });
  records.erase(past, records.end());
  return records;
}

FinanceFeed::FinanceFeed(Engine* engine, FinanceGeneratorOptions options, int64_t end_day,
                         double records_per_s)
    : engine_(engine),
      options_(options),
      end_day_(end_day),
      records_per_s_(std::max(records_per_s, 0.1)) {}

FinanceFeed::~FinanceFeed() {
  stop();
}

void FinanceFeed::start() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "lf-finance-feed");
    run();
  });
}

void FinanceFeed::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void FinanceFeed::run() {
  std::vector<FinanceRecord> records = finance_records_until(options_, end_day_);
  EventParser parser(engine_->config().limits);
  SourcePosition source{SourceKind::kGenerator, "finance-generator", 0, 0};
  const int64_t started_ms = now_ms();
  size_t next = 0;
  while (next < records.size() && !stop_) {
    // Records due by now at the configured rate, at most 1,000 per batch.
    size_t due = size_t(double(now_ms() - started_ms) / 1000.0 * records_per_s_) + 1;
    size_t end = std::min({records.size(), due, next + 1000});
    if (end <= next) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    NdjsonBatch batch;
    for (; next < end; ++next) {
      source.position = int64_t(next);
      add_line(&batch, finance_record_line(records[next]), std::nullopt, source, next, parser,
               engine_->config().dead_letter_raw_bytes);
    }
    IngestAck ack = engine_->submit(std::move(batch.batch)).get();
    if (!ack.status) {
      spdlog::warn("finance feed: batch not accepted: {}", ack.status.to_string());
      return;
    }
    fed_ = next;
  }
  spdlog::info("finance feed: {} records fed", fed_.load());
}

}  // namespace ledgerflow
