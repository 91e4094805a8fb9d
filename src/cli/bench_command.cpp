#include <algorithm>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "core/event_time.h"
#include "engine/engine.h"
#include "ingest/ndjson_batch.h"
#include "sources/bench_data.h"

namespace ledgerflow::cli {
namespace fs = std::filesystem;

namespace {

double percentile_us(std::vector<LatencySample> samples, double q) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end(), [](const LatencySample& a, const LatencySample& b) {
    return a.latency_ns < b.latency_ns;
  });
  uint64_t total = 0;
  for (const auto& s : samples) total += s.events;
  uint64_t target = uint64_t(q * double(total));
  uint64_t seen = 0;
  for (const auto& s : samples) {
    seen += s.events;
    if (seen > target) return double(s.latency_ns) / 1000.0;
  }
  return double(samples.back().latency_ns) / 1000.0;
}

}  // namespace

// Times parse -> validate -> log append -> shard state for events generated in memory first.
// Latency is per event: from the start of parsing its batch to its shard applying it.
int bench(const BenchOptions& o) {
  std::vector<std::string> lines;
  lines.reserve(o.events);
  {
    Generator gen(&Catalog::builtin(), bench_generator_options(o.events));
    GeneratedLine line;
    while (gen.next(&line)) {
      std::string typed = "{\"type\":\"";
      typed += event_type_topic(line.type);
      typed += "\",";
      typed.append(line.json, 1);
      lines.push_back(std::move(typed));
    }
  }
  // Baseline in the same run: parse + validate alone on one thread, nothing logged or applied.
  double baseline_eps = 0;
  {
    EventParser parser;
    Event e;
    size_t ok = 0;
    int64_t b0 = monotonic_ns();
    for (const std::string& l : lines) ok += parser.parse(l, std::nullopt, &e).is_ok();
    baseline_eps = double(lines.size()) / (double(monotonic_ns() - b0) / 1e9);
    if (ok != lines.size()) {
      spdlog::error("bench: {} generated lines failed validation", lines.size() - ok);
      return 2;
    }
  }
  std::string dir = o.dir;
  bool temp = dir.empty();
  if (temp)
    dir = (fs::temp_directory_path() / fmt::format("ledgerflow-bench-{}", now_ms())).string();
  EngineConfig c;
  c.data_dir = dir;
  c.shards = o.shards;
  c.fsync = o.fsync;
  c.checkpoint_interval_ms = 3'600'000;  // measure the pipeline, not checkpoints
  c.shard_queue_batches = 16;
  c.ingest_queue_batches = 16;
  uint64_t next_offset = 0;
  double elapsed_s = 0;
  std::vector<LatencySample> samples;
  {
    Engine engine(c);
    if (Status s = engine.start(); !s) {
      spdlog::error("bench: {}", s.to_string());
      return 2;
    }
    engine.record_latency(true);
    // Feeders stand for concurrent ingest connections: each parses and submits its share of
    // the batches, keeping a few in flight so that parsing overlaps logging.
    std::atomic<size_t> next_batch{0};
    std::atomic<bool> failed{false};
    std::mutex offset_mu;
    int64_t t0 = monotonic_ns();
    auto feed = [&] {
      EventParser parser(c.limits);
      SourcePosition source{SourceKind::kBench, "bench", 0, 0};
      std::deque<std::future<IngestAck>> in_flight;
      uint64_t local_next = 0;
      auto settle = [&](std::future<IngestAck>& f) {
        IngestAck a = f.get();
        if (!a.status) {
          spdlog::error("bench: {}", a.status.to_string());
          failed = true;
        }
        local_next = std::max(local_next, a.next_offset);
      };
      for (;;) {
        size_t i = next_batch.fetch_add(1) * o.batch_lines;
        if (i >= lines.size()) break;
        NdjsonBatch b;
        b.batch.submit_ns = monotonic_ns();
        b.batch.records.reserve(o.batch_lines);
        size_t end = std::min(lines.size(), i + o.batch_lines);
        for (size_t k = i; k < end; ++k) {
          source.position = int64_t(k);
          add_line(&b, lines[k], std::nullopt, source, k, parser, c.dead_letter_raw_bytes);
        }
        in_flight.push_back(engine.submit(std::move(b.batch)));
        while (in_flight.size() > 4) {
          settle(in_flight.front());
          in_flight.pop_front();
        }
      }
      for (auto& f : in_flight) settle(f);
      std::lock_guard lock(offset_mu);
      next_offset = std::max(next_offset, local_next);
    };
    std::vector<std::thread> feeders;
    for (int f = 1; f < o.feeders; ++f) feeders.emplace_back(feed);
    feed();
    for (auto& t : feeders) t.join();
    if (failed) return 2;
    engine.wait_applied(next_offset, 600'000);
    elapsed_s = double(monotonic_ns() - t0) / 1e9;
    samples = engine.take_latency_samples();
    PipelineStats p = engine.pipeline();
    if (p.events_accepted != o.events) {
      spdlog::error("bench: {} events logged, expected {}", p.events_accepted, o.events);
      return 2;
    }
    engine.stop();
  }
  if (temp) fs::remove_all(dir);
  double eps = double(o.events) / elapsed_s;
  double p50 = percentile_us(samples, 0.50), p99 = percentile_us(samples, 0.99);
  if (o.json) {
    fmt::print(
        "{{\"events\":{},\"events_per_s\":{:.0f},\"p50_us\":{:.1f},\"p99_us\":{:.1f},\"shards\":{},"
        "\"fsync\":\"{}\",\"feeders\":{},\"seconds\":{:.3f},\"baseline_parse_only_events_per_s\":{:"
        ".0f}}}\n",
        o.events, eps, p50, p99, o.shards, fsync_policy_name(o.fsync), o.feeders, elapsed_s,
        baseline_eps);
  } else {
    fmt::print("events: {}  shards: {}  fsync: {}  feeders: {}\n", o.events, o.shards,
               fsync_policy_name(o.fsync), o.feeders);
    fmt::print("throughput: {:.0f} events/s ({:.3f} s)\n", eps, elapsed_s);
    fmt::print("latency per event: p50 {:.1f} us, p99 {:.1f} us\n", p50, p99);
    fmt::print("baseline, parse + validate only on one thread: {:.0f} events/s\n", baseline_eps);
  }
  return 0;
}

}  // namespace ledgerflow::cli
