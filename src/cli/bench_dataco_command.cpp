// `ledgerflow bench --source dataco --file FILE.csv`: rows/s from a DataCo CSV file to the live
// marts. One thread splits the CSV, parses rows into order-line events and submits batches (as
// `ingest --data-dir` does); the log writer and the shards run on their own threads. The
// baseline in the same run is CSV split + row parse alone on one thread, nothing logged.
#include <sys/resource.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <future>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "cli/thread_cpu.h"
#include "core/event_time.h"
#include "engine/engine.h"
#include "ingest/dataco_csv.h"
#include "ingest/text_file.h"

namespace ledgerflow::cli {
namespace fs = std::filesystem;
namespace {

// CPU time of the whole process (every thread), user + system, in seconds. Rows per CPU-second
// is what one core would do with the whole pipeline on it, whatever else the machine runs.
double process_cpu_s() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

// Page faults that needed no disk: new memory touched for the first time (the kernel zeroes
// and charges each page), a cost that shows in CPU time but not in user-space profiles.
int64_t minor_faults() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

// CSV split + row parse of the whole file; returns the rows parsed into events.
uint64_t parse_only(std::string_view data) {
  DatacoCsvReader reader(data);
  if (!reader.open()) return 0;
  OrderLineParser parser;
  DatacoCsvRecord rec;
  Event e;
  uint64_t ok = 0;
  while (reader.next_row(&rec)) ok += rec.error && parser.parse_row(rec.row, &e).is_ok();
  return ok;
}

// Feeds the file into the engine in batches; returns the offset after the last record.
Result<uint64_t> feed(Engine& engine, const std::shared_ptr<const std::string>& data,
                      const std::string& name, size_t batch_rows) {
  DatacoCsvReader reader(data);
  if (Status s = reader.open(); !s) return s;
  OrderLineParser parser;
  SourcePosition source{SourceKind::kFile, name, 0, 0};
  std::deque<std::future<IngestAck>> in_flight;
  uint64_t next = 0;
  DatacoCsvRecord rec;
  auto settle = [&]() -> Status {
    IngestAck a = in_flight.front().get();
    in_flight.pop_front();
    next = std::max(next, a.next_offset);
    return a.status;
  };
  for (bool more = true; more;) {
    NdjsonBatch b;
    b.batch.records.reserve(batch_rows);
    while (b.lines < batch_rows && (more = reader.next_row(&rec))) {
      add_dataco_record(&b, rec, reader, source, parser, engine.config().dead_letter_raw_bytes);
    }
    if (b.lines > 0) in_flight.push_back(engine.submit(std::move(b.batch)));
    while (in_flight.size() > 4) {
      if (Status s = settle(); !s) return s;
    }
  }
  while (!in_flight.empty()) {
    if (Status s = settle(); !s) return s;
  }
  return next;
}

}  // namespace

int bench_dataco(const BenchOptions& o) {
  Result<TextFile> f = read_text_file_utf8(o.file);
  if (!f) {
    spdlog::error("bench: {}", f.status().message());
    return 2;
  }
  // Shared: the records borrow their raw bytes from it, as `ingest --data-dir` does.
  const auto data = std::make_shared<const std::string>(std::move(f->data));
  double c0 = process_cpu_s();
  uint64_t rows = parse_only(*data);
  double baseline_rps = double(rows) / (process_cpu_s() - c0);
  if (rows == 0) {
    spdlog::error("bench: {} has no valid DataCo rows", o.file);
    return 2;
  }
  std::string dir =
      o.dir.empty()
          ? (fs::temp_directory_path() / fmt::format("ledgerflow-bench-{}", now_ms())).string()
          : o.dir;
  EngineConfig c;
  c.data_dir = dir;
  c.shards = o.shards;
  c.fsync = o.fsync;
  c.checkpoint_interval_ms = 3'600'000;  // measure the pipeline, not checkpoints
  double elapsed_s = 0, cpu_s = 0;
  int64_t faults = 0;
  std::map<std::string, double> groups;
  int64_t lines = 0;
  {
    Engine engine(c);
    if (Status s = engine.start(); !s) {
      spdlog::error("bench: {}", s.to_string());
      return 2;
    }
    int64_t t0 = monotonic_ns();
    double c1 = process_cpu_s();
    const int64_t faults0 = minor_faults();
    const std::map<int, ThreadCpu> threads0 = thread_cpu();
    Result<uint64_t> next = feed(engine, data, o.file, o.batch_lines);
    if (!next) {
      spdlog::error("bench: {}", next.status().to_string());
      return 2;
    }
    engine.wait_applied(*next, 600'000);
    elapsed_s = double(monotonic_ns() - t0) / 1e9;
    cpu_s = process_cpu_s() - c1;
    faults = minor_faults() - faults0;
    // This thread splits and parses the file (told by its id: its name is the program's, which
    // may be anything); the engine's threads are named lf-*.
    const int feeder_tid = int(::gettid());
    groups = cpu_by_group(threads0, thread_cpu(), [&](int tid, const std::string& name) {
      return tid == feeder_tid                ? std::string("feeder")
             : name.rfind("lf-log", 0) == 0   ? std::string("log_writer")
             : name.rfind("lf-shard", 0) == 0 ? std::string("shards")
                                              : std::string("other");
    });
    lines = engine.dataco_summary().lines.lines;
    engine.stop();
  }
  if (o.dir.empty()) fs::remove_all(dir);
  double rps = double(rows) / elapsed_s;
  double rows_per_cpu_s = double(rows) / cpu_s;
  double mb = double(data->size()) / 1e6;
  if (o.json) {
    fmt::print(
        "{{\"rows\":{},\"lines_in_marts\":{},\"rows_per_s\":{:.0f},\"mb_per_s\":{:.1f},\"shards\":{"
        "},\"fsync\":\"{}\","
        "\"seconds\":{:.3f},\"cpu_seconds\":{:.3f},\"rows_per_cpu_s\":{:.0f},"
        "\"cpu_seconds_by_thread\":{},\"minor_faults_per_row\":{:.2f},"
        "\"baseline_parse_only_rows_per_cpu_s\":{:.0f}}}\n",
        rows, lines, rps, mb / elapsed_s, o.shards, fsync_policy_name(o.fsync), elapsed_s, cpu_s,
        rows_per_cpu_s, cpu_groups_json(groups), double(faults) / double(rows), baseline_rps);
  } else {
    fmt::print(
        "file: {} ({:.1f} MB, {} valid rows, {} distinct lines in the marts)  shards: {}  fsync: "
        "{}\n",
        o.file, mb, rows, lines, o.shards, fsync_policy_name(o.fsync));
    fmt::print("throughput, CSV file -> log -> marts: {:.0f} rows/s, {:.1f} MB/s ({:.3f} s)\n", rps,
               mb / elapsed_s, elapsed_s);
    fmt::print(
        "CPU: {:.3f} s in all threads = {:.0f} rows per CPU-second (the whole pipeline on one "
        "core)\n",
        cpu_s, rows_per_cpu_s);
    fmt::print("CPU by thread group (s): {}\n", cpu_groups_json(groups));
    fmt::print("baseline, CSV split + row parse only on one thread: {:.0f} rows per CPU-second\n",
               baseline_rps);
  }
  return 0;
}

}  // namespace ledgerflow::cli
