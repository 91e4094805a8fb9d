// Micro-benchmarks (Google Benchmark) of the per-event hot path pieces, to profile against:
//   ./build/bench/micro_bench
#include <benchmark/benchmark.h>

#include "core/money.h"
#include "engine/dedupe_window.h"
#include "ingest/event_parser.h"
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

BENCHMARK_MAIN();
