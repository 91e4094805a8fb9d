// Micro-benchmarks (Google Benchmark) of the per-event hot path pieces, to profile against:
//   ./build/bench/micro_bench
#include <benchmark/benchmark.h>

#include "analytics/finance_ledger.h"
#include "analytics/inventory_state.h"
#include "ingest/catalog.h"
#include "server/finance_json.h"
#include "sources/bench_data.h"
#include "sources/finance_feed.h"
#include "sources/generator.h"

#include "core/money.h"
#include "engine/dedupe_window.h"
#include "engine/shard_worker.h"
#include "ingest/event_parser.h"
#include "ingest/ndjson_batch.h"
#include "log/log_format.h"

using namespace ledgerflow;

namespace {
const std::string kSale =
    R"({"type":"sale_transaction","id":"2245bd5f-bb68-4f68-a2eb-92502318fa4e","prod_id":4,)"
    R"("prod_name":"Whole Milk 1L","unit_sold":3,"reorder_point":150,"regular_unit_price":1.89,)"
    R"("dt":"2024-05-01 12:00:00.123","store_id":2})";
}  // namespace

static void BM_ParseSale(benchmark::State& state) {
  EventParser p;
  Event e;
  for (auto _ : state) benchmark::DoNotOptimize(p.parse(kSale, std::nullopt, &e));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseSale);

static void BM_MoneyParse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Money::parse("1234.56"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MoneyParse);

static void BM_EncodeRecord(benchmark::State& state) {
  EventParser p;
  LogRecord r;
  (void)p.parse(kSale, std::nullopt, &r.event);
  r.raw = kSale;
  r.source.name = "http";
  std::string buf;
  for (auto _ : state) {
    buf.clear();
    logfmt::encode_record(r, &buf);
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(int64_t(state.iterations() * buf.size()));
}
BENCHMARK(BM_EncodeRecord);

static void BM_DedupeInsert(benchmark::State& state) {
  DedupeWindow w(size_t(state.range(0)));
  uint64_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(w.insert(IdKey{++i * 0x9E3779B97F4A7C15ull, i}));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DedupeInsert)->Arg(10'000)->Arg(1'000'000);

// The finance ledger (the finance shard's work per event) over the default generated data set
// (30 suppliers, 540 days, about 18,000 records), against parsing the same lines: the baseline
// every finance event pays at ingest anyway.
static const std::vector<ledgerflow::FinanceRecord>& finance_records() {
  static const std::vector<ledgerflow::FinanceRecord> records =
      ledgerflow::FinanceGenerator(ledgerflow::FinanceGeneratorOptions{}).generate().records;
  return records;
}

static void BM_FinanceParse(benchmark::State& state) {
  std::vector<std::string> lines;
  for (const auto& r : finance_records()) lines.push_back(ledgerflow::finance_record_line(r));
  ledgerflow::FinanceEventParser parser;
  ledgerflow::FinanceEvent e;
  for (auto _ : state) {
    for (const std::string& l : lines) benchmark::DoNotOptimize(parser.parse(l, std::nullopt, &e));
  }
  state.SetItemsProcessed(int64_t(state.iterations() * lines.size()));
}
BENCHMARK(BM_FinanceParse)->Unit(benchmark::kMillisecond);

static void BM_FinanceLedgerApply(benchmark::State& state) {
  const auto& records = finance_records();
  for (auto _ : state) {
    ledgerflow::FinanceLedger ledger;
    uint64_t offset = 0;
    for (const auto& r : records) ledger.apply(r.event, r.arrival_ms, offset++);
    benchmark::DoNotOptimize(ledger.last_alert_seq());
  }
  state.SetItemsProcessed(int64_t(state.iterations() * records.size()));
}
BENCHMARK(BM_FinanceLedgerApply)->Unit(benchmark::kMillisecond);

// One dashboard refresh: summary, aging, cash, early payments with the plan, 200 alerts.
static void BM_FinanceReads(benchmark::State& state) {
  ledgerflow::FinanceLedger ledger;
  uint64_t offset = 0;
  for (const auto& r : finance_records()) ledger.apply(r.event, r.arrival_ms, offset++);
  ledgerflow::server::FinanceQuery q;
  q.as_of_day = *ledger.latest_day() - 30;
  q.budget = ledgerflow::Money::from_units(100'000);
  q.hurdle = 0.1;
  for (auto _ : state) {
    size_t bytes = ledgerflow::server::finance_summary_json(ledger, q).size() +
                   ledgerflow::server::aging_json(ledger, q).size() +
                   ledgerflow::server::cash_json(ledger, q).size() +
                   ledgerflow::server::early_payments_json(ledger, q).size() +
                   ledgerflow::server::alerts_json(ledger, q).size();
    benchmark::DoNotOptimize(bytes);
  }
}
BENCHMARK(BM_FinanceReads)->Unit(benchmark::kMillisecond);

// Generated sales and shipments applied to one shard's inventory: the state cost per event,
// which includes each row's daily demand ring (reorder). 200 K events over 60 simulated days in
// 3 stores, so rows move to new days as they do live.
static void BM_InventoryApply(benchmark::State& state) {
  GeneratorOptions o;
  o.seed = 7;
  o.stores = 3;
  o.start_ms = 1'767'225'600'000;  // 2026-01-01
  o.clock_rate = 200'000.0 / (60 * 86'400.0);
  o.count = 200'000;
  Generator generator(&Catalog::builtin(), o);
  EventParser parser;
  std::vector<Event> events;
  GeneratedLine line;
  while (generator.next(&line)) {
    Event e;
    if (parser.parse(line.json, line.type, &e)) events.push_back(std::move(e));
  }
  for (auto _ : state) {
    InventoryState inventory(&Catalog::builtin());
    uint64_t version = 0;
    for (const Event& e : events) inventory.apply(e, ++version);
    benchmark::DoNotOptimize(inventory.rows().size());
  }
  state.SetItemsProcessed(int64_t(state.iterations() * events.size()));
}
BENCHMARK(BM_InventoryApply)->Unit(benchmark::kMillisecond);

// The generated lines `ledgerflow bench --source kafka` pre-loads (seed 7, 4 stores), with the
// event type their topic implies.
static const std::vector<std::pair<std::string, EventType>>& kafka_bench_lines(size_t n) {
  static std::vector<std::pair<std::string, EventType>> lines;
  if (lines.size() < n) {
    lines.clear();
    Generator gen(&Catalog::builtin(), bench_generator_options(n));
    GeneratedLine line;
    while (gen.next(&line)) lines.emplace_back(line.json, line.type);
  }
  return lines;
}

// The consumer thread's work per Kafka message without librdkafka (KafkaSource::on_message):
// one add_line into a batch of 10,000 reserved records with its source position. Handing the
// batch over (and freeing its records, which the engine's threads do) is not timed.
static void BM_KafkaAddLine(benchmark::State& state) {
  const auto& lines = kafka_bench_lines(100'000);
  const std::string topics[2] = {"sale_transaction", "inventory_shipment"};
  constexpr size_t kBatch = 10'000;
  EventParser parser;
  NdjsonBatch batch;
  batch.batch.records.reserve(kBatch);
  size_t i = 0;
  for (auto _ : state) {
    const auto& [json, type] = lines[i % lines.size()];
    add_line(
        &batch, json, type,
        SourcePosition{SourceKind::kKafka, topics[type == EventType::kSale ? 0 : 1], 3, int64_t(i)},
        i, parser, 4096);
    ++i;
    if (batch.batch.records.size() == kBatch) {
      state.PauseTiming();
      batch = NdjsonBatch{};
      batch.batch.records.reserve(kBatch);
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KafkaAddLine);

// One shard applying the bench's 1 M sales and shipments from empty, in batches of 10,000 as
// the router sends them: dedupe window (1 M identities), inventory and sales windows.
static void BM_ShardApply(benchmark::State& state) {
  const auto& lines = kafka_bench_lines(1'000'000);
  std::vector<ShardBatch> batches;
  {
    EventParser parser;
    uint64_t offset = 0;
    int64_t max_ms = 0;
    for (const auto& [json, type] : lines) {
      if (batches.empty() || batches.back().events.size() == 10'000) batches.emplace_back();
      RoutedEvent re;
      if (!parser.parse(json, type, &re.event)) continue;
      re.event.offset = offset++;
      max_ms = std::max(max_ms, re.event.event_time_ms);
      re.watermark_ms = max_ms - 5'000;
      batches.back().events.push_back(std::move(re));
      batches.back().next_offset = offset;
    }
  }
  for (auto _ : state) {
    ShardWorker worker(0, &Catalog::builtin(), ShardOptions{}, 16);
    for (const ShardBatch& b : batches) worker.apply_now(b);
    benchmark::DoNotOptimize(worker.state_unlocked().counters().applied);
  }
  state.SetItemsProcessed(int64_t(state.iterations() * lines.size()));
}
BENCHMARK(BM_ShardApply)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
