// Micro-benchmarks (Google Benchmark) of the per-event hot path pieces, to profile against:
//   ./build/bench/micro_bench
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <array>

#include "analytics/dataco_marts.h"
#include "analytics/finance_ledger.h"
#include "analytics/inventory_state.h"
#include "ingest/catalog.h"
#include "ingest/csv_reader.h"
#include "ingest/dataco_csv.h"
#include "ingest/order_line_parser.h"
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

// Generated DataCo rows (the columns the engine reads, shaped like the real file: a few values
// per dimension, many customers and orders, dates over three years) as the CSV reader hands
// them to the parser: one string per column, untrimmed where the file is.
namespace {
std::vector<std::array<std::string, kDatacoColumns>> dataco_rows(size_t n) {
  const char* types[] = {"DEBIT", "TRANSFER", "CASH", "PAYMENT"};
  const char* deliveries[] = {"Advance shipping", "Late delivery", "Shipping on time",
                              "Shipping canceled"};
  const char* statuses[] = {"COMPLETE",        "PENDING",  "CLOSED",
                            "PENDING_PAYMENT", "CANCELED", "PROCESSING",
                            "SUSPECTED_FRAUD", "ON_HOLD",  "PAYMENT_REVIEW"};
  const char* modes[] = {"Standard Class", "First Class", "Second Class", "Same Day"};
  const char* markets[] = {"Africa", "Europe", "LATAM", "Pacific Asia", "USCA"};
  const char* departments[] = {"Fitness", "Apparel", "Golf", "Footwear", "Outdoors", "Fan Shop"};
  const char* categories[] = {
      "Cleats",  "Men's Footwear", "Women's Apparel",  "Indoor/Outdoor Games",
      "Fishing", "Water Sports",   "Camping & Hiking", "Cardio Equipment"};
  std::vector<std::array<std::string, kDatacoColumns>> rows(n);
  uint64_t x = 88172645463325252ull;
  auto rnd = [&x](uint64_t k) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x % k;
  };
  for (size_t i = 0; i < n; ++i) {
    auto& r = rows[i];
    auto set = [&r](DatacoColumn c, std::string v) { r[size_t(c)] = std::move(v); };
    const uint64_t day = rnd(1000), order = i / 3 + 1;
    set(DatacoColumn::kType, types[rnd(4)]);
    set(DatacoColumn::kDaysReal, std::to_string(rnd(7)));
    set(DatacoColumn::kDaysScheduled, std::to_string(rnd(5)));
    set(DatacoColumn::kBenefit, fmt::format("{}.{:08}", int(rnd(400)) - 200, rnd(100'000'000)));
    set(DatacoColumn::kDeliveryStatus, deliveries[rnd(4)]);
    set(DatacoColumn::kLateRisk, std::to_string(rnd(2)));
    set(DatacoColumn::kCategoryName, categories[rnd(8)]);
    set(DatacoColumn::kCustomerSegment, rnd(2) ? "Consumer" : "Corporate");
    set(DatacoColumn::kDepartmentName, departments[rnd(6)]);
    set(DatacoColumn::kMarket, markets[rnd(5)]);
    set(DatacoColumn::kOrderCity, fmt::format("City {}", rnd(3000)));
    set(DatacoColumn::kOrderCountry, fmt::format("Country {}", rnd(150)));
    set(DatacoColumn::kOrderCustomerId, std::to_string(order % 20'000 + 1));
    set(DatacoColumn::kOrderDate, fmt::format("{}/{}/{} {}:{:02}", day % 12 + 1, day % 28 + 1,
                                              2015 + day / 365, rnd(24), rnd(60)));
    set(DatacoColumn::kOrderId, std::to_string(order));
    set(DatacoColumn::kDiscount, fmt::format("{}.{:07}", rnd(50), rnd(10'000'000)));
    set(DatacoColumn::kOrderItemId, std::to_string(i + 1));
    set(DatacoColumn::kProductPrice, fmt::format("{}.{:02}", rnd(500), rnd(100)));
    set(DatacoColumn::kQuantity, std::to_string(rnd(5) + 1));
    set(DatacoColumn::kSales, fmt::format("{}.{:02}", rnd(500), rnd(100)));
    set(DatacoColumn::kItemTotal, fmt::format("{}.{:07}", rnd(500), rnd(10'000'000)));
    set(DatacoColumn::kProfit, fmt::format("{}.{:07}", int(rnd(400)) - 200, rnd(10'000'000)));
    set(DatacoColumn::kOrderRegion, fmt::format("Region {}", rnd(23)));
    set(DatacoColumn::kOrderState, fmt::format("State {}", rnd(1000)));
    set(DatacoColumn::kOrderStatus, statuses[rnd(9)]);
    set(DatacoColumn::kProductCardId, std::to_string(rnd(1300)));
    set(DatacoColumn::kProductName, fmt::format("Product number {} of the catalog", rnd(118)));
    set(DatacoColumn::kShippingDate, fmt::format("{}/{}/{} {}:{:02}", day % 12 + 1, day % 28 + 1,
                                                 2015 + day / 365, rnd(24), rnd(60)));
    set(DatacoColumn::kShippingMode, modes[rnd(4)]);
  }
  return rows;
}

DatacoRow row_view(const std::array<std::string, kDatacoColumns>& r) {
  DatacoRow row;
  for (size_t c = 0; c < kDatacoColumns; ++c) row[c] = r[c];
  return row;
}

const std::vector<Event>& dataco_events() {
  static const std::vector<Event> events = [] {
    std::vector<Event> out;
    OrderLineParser parser;
    for (const auto& r : dataco_rows(200'000)) {
      Event e;
      if (parser.parse_row(row_view(r), &e)) out.push_back(std::move(e));
    }
    return out;
  }();
  return events;
}
}  // namespace

// One row's validation and conversion into an order-line event (the feeding thread's share per
// row after the CSV split), over 10 K generated rows.
static void BM_OrderLineParseRow(benchmark::State& state) {
  const auto rows = dataco_rows(10'000);
  std::vector<DatacoRow> views;
  for (const auto& r : rows) views.push_back(row_view(r));
  OrderLineParser parser;
  Event e;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(parser.parse_row(views[i], &e));
    i = i + 1 == views.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OrderLineParseRow);

// 200 K generated order lines (about 67 K orders, 20 K customers, 1000 days) applied to one
// shard's DataCo marts: the shard thread's cost per line, without dedupe or queues.
static void BM_DatacoMartsApply(benchmark::State& state) {
  const std::vector<Event>& events = dataco_events();
  for (auto _ : state) {
    DatacoMarts marts;
    for (const Event& e : events) marts.apply(*e.order_line);
    benchmark::DoNotOptimize(marts.line_count());
  }
  state.SetItemsProcessed(int64_t(state.iterations() * events.size()));
}
BENCHMARK(BM_DatacoMartsApply)->Unit(benchmark::kMillisecond);

// The CSV split of DataCo-shaped records (the feeding thread's share before the row parse):
// 10 K records of 53 fields, about 400 bytes each, every third with a quoted field holding a
// comma as the real file's "Washington, D.C." and product names.
static void BM_DatacoCsvSplit(benchmark::State& state) {
  const auto rows = dataco_rows(10'000);
  std::string csv;
  for (size_t i = 0; i < rows.size(); ++i) {
    for (const std::string& v : rows[i]) csv += v + ',';
    for (int k = 0; k < 23; ++k)
      csv += k == 5 && i % 3 == 0 ? "\"Washington, D.C.\"," : "XXXXXXXXX,";
    csv += "http://images.acmesports.sports/502\n";
  }
  std::vector<std::string_view> fields;
  Status err;
  for (auto _ : state) {
    CsvReader reader(csv);
    size_t n = 0;
    while (reader.next(&fields, &err)) n += fields.size();
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(int64_t(state.iterations() * rows.size()));
}
BENCHMARK(BM_DatacoCsvSplit)->Unit(benchmark::kMicrosecond);

// The feeding thread's whole work per DataCo row, from CSV bytes to a batch of log records:
// DatacoCsvReader::next_row (the split, only the 29 columns read made into views) and
// add_dataco_record (the row parse and the record), in batches of 5,000 as the bench feeds them;
// the same 10 K records as BM_DatacoCsvSplit behind a header. The batches are freed on this
// thread (in the pipeline the shards free them).
static void BM_DatacoFeedRow(benchmark::State& state) {
  const auto rows = dataco_rows(10'000);
  std::string csv;
  for (size_t c = 0; c < kDatacoColumns; ++c)
    csv += std::string(dataco_column_name(DatacoColumn(c))) + ',';
  for (int k = 0; k < 23; ++k) csv += fmt::format("Filler {},", k);
  csv += "Product Image\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    for (const std::string& v : rows[i]) csv += v + ',';
    for (int k = 0; k < 23; ++k)
      csv += k == 5 && i % 3 == 0 ? "\"Washington, D.C.\"," : "XXXXXXXXX,";
    csv += "http://images.acmesports.sports/502\n";
  }
  const SourcePosition at{SourceKind::kFile, "/tmp/perf_big.csv", 0, 0};
  OrderLineParser parser;
  DatacoCsvRecord rec;
  for (auto _ : state) {
    DatacoCsvReader reader(csv);
    if (!reader.open()) state.SkipWithError("bad header");
    NdjsonBatch b;
    while (reader.next_row(&rec)) {
      add_dataco_record(&b, rec, reader, at, parser, 4096);
      if (b.lines == 5'000) b = NdjsonBatch();
    }
    benchmark::DoNotOptimize(b.accepted);
  }
  state.SetItemsProcessed(int64_t(state.iterations() * rows.size()));
}
BENCHMARK(BM_DatacoFeedRow)->Unit(benchmark::kMicrosecond);

// Parsed order lines freed (the last reference to each event goes on the shard thread).
static void BM_OrderLineFree(benchmark::State& state) {
  OrderLineParser parser;
  const auto rows = dataco_rows(10'000);
  std::vector<Event> events(rows.size());
  for (auto _ : state) {
    state.PauseTiming();
    for (size_t i = 0; i < rows.size(); ++i) (void)parser.parse_row(row_view(rows[i]), &events[i]);
    state.ResumeTiming();
    for (Event& e : events) e.order_line.reset();
  }
  state.SetItemsProcessed(int64_t(state.iterations() * rows.size()));
}
BENCHMARK(BM_OrderLineFree);
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
  std::vector<Event> events;  // what the batches point into (sized once: pointers stay valid)
  events.reserve(lines.size());
  {
    EventParser parser;
    uint64_t offset = 0;
    int64_t max_ms = 0;
    for (const auto& [json, type] : lines) {
      if (batches.empty() || batches.back().events.size() == 10'000) batches.emplace_back();
      Event& e = events.emplace_back();
      if (!parser.parse(json, type, &e)) {
        events.pop_back();
        continue;
      }
      e.offset = offset++;
      max_ms = std::max(max_ms, e.event_time_ms);
      batches.back().events.push_back(RoutedEvent{&e, max_ms - 5'000});
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
