// `ledgerflow ingest FILE.csv --format dataco (--to http://HOST:PORT | --data-dir DIR)`:
// DataCo order lines into a running engine (NDJSON of header-keyed objects, POST
// /api/v1/events/order_line, one Idempotency-Key per batch so a retried request is not logged
// twice) or into an embedded engine (no server; rows parsed straight from the CSV). A progress
// line while it runs, then a summary: rows read, accepted, rejected by reason.
//
// Exit code: 0 every row accepted, 1 some rows rejected (they are dead letters), 2 refused or
// failed (bad file, missing columns, engine unreachable).
#include <cstdio>
#include <deque>
#include <future>
#include <map>
#include <memory>

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/progress.h"
#include "core/checksum.h"
#include "engine/engine.h"
#include "ingest/csv_row_json.h"
#include "ingest/dataco_csv.h"
#include "ingest/text_file.h"

namespace ledgerflow::cli {
namespace {

struct Tally {
  uint64_t read = 0;
  uint64_t accepted = 0;
  std::map<std::string, uint64_t> rejected;  // by reason code
  std::map<std::string, size_t> first_line;  // first file line per reason

  void reject(const std::string& code, size_t line) {
    rejected[code] += 1;
    first_line.try_emplace(code, line);
  }
  uint64_t rejected_total() const {
    uint64_t n = 0;
    for (const auto& [code, c] : rejected) n += c;
    return n;
  }
  std::string counts() const {
    return fmt::format("accepted {} rejected {}", accepted, rejected_total());
  }
};

void print_summary(const IngestOptions& o, TextEncoding encoding, const Tally& t,
                   const std::string& extra) {
  std::fprintf(stderr, "ingest: %llu rows read from %s (%s): %llu accepted, %llu rejected%s\n",
               (unsigned long long)t.read, o.file.c_str(),
               std::string(text_encoding_name(encoding)).c_str(), (unsigned long long)t.accepted,
               (unsigned long long)t.rejected_total(), extra.c_str());
  for (const auto& [code, n] : t.rejected) {
    std::fprintf(stderr, "  rejected %-20s %llu (first at line %zu)\n", code.c_str(),
                 (unsigned long long)n, t.first_line.at(code));
  }
}

int exit_code(const Tally& t) {
  return t.rejected_total() > 0 ? 1 : 0;
}

// Embedded engine: rows become log records directly (no JSON on the way).
int ingest_embedded(const IngestOptions& o, TextEncoding encoding, std::string_view data,
                    DatacoCsvReader& reader) {
  EngineConfig config;
  config.data_dir = o.data_dir;
  config.shards = o.shards;
  Engine engine(config);
  if (Status s = engine.start(); !s) {
    spdlog::error("engine: {}", s.to_string());
    return 2;
  }
  const uint64_t duplicates_before = engine.pipeline().duplicates;
  OrderLineParser parser;
  SourcePosition source{SourceKind::kFile, o.file, 0, 0};
  Progress progress("ingest (lines)", count_lines(data));
  Tally t;
  std::deque<std::future<IngestAck>> in_flight;
  uint64_t next_offset = 0;
  auto settle_one = [&]() -> bool {
    IngestAck ack = in_flight.front().get();
    in_flight.pop_front();
    if (!ack.status) spdlog::error("engine refused a batch: {}", ack.status.to_string());
    next_offset = std::max(next_offset, ack.next_offset);
    return bool(ack.status);
  };
  bool ok = true;
  DatacoCsvRecord rec;
  for (bool more = true; more && ok;) {
    NdjsonBatch batch;
    while (batch.lines < o.batch_rows && (more = reader.next_row(&rec))) {
      add_dataco_record(&batch, rec, reader, source, parser, config.dead_letter_raw_bytes);
    }
    t.read += batch.lines;
    t.accepted += batch.accepted;
    for (const LineRejection& r : batch.rejected) t.reject(r.code, r.line);
    if (batch.lines > 0) in_flight.push_back(engine.submit(std::move(batch.batch)));
    while (ok && in_flight.size() > 8) ok = settle_one();
    progress.update(rec.line, t.counts());
  }
  while (!in_flight.empty()) ok = settle_one() && ok;
  progress.update(count_lines(data), t.counts(), true);
  progress.finish();
  if (ok && !engine.wait_applied(next_offset, 600'000))
    spdlog::warn("shards did not catch up within 10 minutes");
  uint64_t duplicates = engine.pipeline().duplicates - duplicates_before;
  engine.stop();
  print_summary(o, encoding, t,
                fmt::format(" ({} repeat lines already logged: counted once)", duplicates));
  return ok ? exit_code(t) : 2;
}

struct HttpTarget {
  std::string host;
  int port = 80;
};

Result<HttpTarget> parse_http_url(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0)
    return Status::bad_input("bad_url", "--to must be http://HOST:PORT or kafka://...");
  std::string rest = url.substr(kScheme.size());
  rest = rest.substr(0, rest.find('/'));
  HttpTarget t;
  size_t colon = rest.rfind(':');
  t.host = rest.substr(0, colon);
  if (colon != std::string::npos) t.port = std::atoi(rest.c_str() + colon + 1);
  if (t.host.empty() || t.port <= 0 || t.port > 65535)
    return Status::bad_input("bad_url", "bad --to URL " + url);
  return t;
}

// Posts one batch, retrying transient failures (the Idempotency-Key makes a retry safe).
// Adds the engine's answer to the tally; false when the engine could not take it.
bool post_batch(httplib::Client& client, const std::string& body, const std::string& key,
                const std::vector<size_t>& file_lines, Tally* t) {
  httplib::Headers headers = {{"Idempotency-Key", key}};
  if (const char* token = std::getenv("LEDGERFLOW_TOKEN"))
    headers.emplace("Authorization", std::string("Bearer ") + token);
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::seconds(attempt));
    httplib::Result res =
        client.Post("/api/v1/events/order_line", headers, body, "application/x-ndjson");
    if (!res || res->status == 503) continue;
    if (res->status != 200 && res->status != 202) {
      spdlog::error("engine answered {}: {}", res->status, res->body.substr(0, 500));
      return false;
    }
    nlohmann::json reply = nlohmann::json::parse(res->body, nullptr, false);
    if (reply.is_discarded()) return false;
    t->accepted += reply.value("accepted", uint64_t(0));
    uint64_t listed = 0;
    for (const auto& r : reply["rejected"]) {
      size_t line = r.value("line", size_t(0));
      t->reject(r.value("code", std::string("unknown")),
                line >= 1 && line <= file_lines.size() ? file_lines[line - 1] : 0);
      ++listed;
    }
    uint64_t total = reply.value("rejected_count", listed);
    if (total > listed)
      t->rejected["unlisted"] += total - listed, t->first_line.try_emplace("unlisted", 0);
    return true;
  }
  spdlog::error("the engine did not answer after 5 attempts");
  return false;
}

int ingest_http(const IngestOptions& o, TextEncoding encoding, std::string_view data,
                DatacoCsvReader& reader) {
  Result<HttpTarget> target = parse_http_url(o.to);
  if (!target) {
    spdlog::error("{}", target.status().message());
    return 2;
  }
  httplib::Client client(target->host, target->port);
  client.set_read_timeout(120, 0);
  client.set_write_timeout(120, 0);
  CsvRowJson to_json(reader.header());
  // Batches of this file are named by its content and their first line, so that a rerun after
  // a failure does not log the batches that already went through twice.
  const std::string file_id = fmt::format("{:016x}", hash64(data));
  Progress progress("ingest (lines)", count_lines(data));
  Tally t;
  DatacoCsvRecord rec;
  bool ok = true;
  for (bool more = true; more && ok;) {
    std::string body;
    std::vector<size_t> file_lines;
    while (file_lines.size() < o.batch_rows && (more = reader.next(&rec))) {
      ++t.read;
      if (!rec.error) {  // not a row: there is nothing to send as an object
        t.reject(rec.error.code(), rec.line);
        continue;
      }
      to_json.append(rec.fields, &body);
      body += '\n';
      file_lines.push_back(rec.line);
    }
    if (!file_lines.empty()) {
      ok = post_batch(client, body, fmt::format("dataco:{}:{}", file_id, file_lines.front()),
                      file_lines, &t);
    }
    progress.update(rec.line, t.counts());
  }
  progress.update(count_lines(data), t.counts(), true);
  progress.finish();
  print_summary(o, encoding, t, "");
  return ok ? exit_code(t) : 2;
}

}  // namespace

int ingest_dataco(const IngestOptions& o) {
  if (o.to.empty() == o.data_dir.empty()) {
    spdlog::error("give either --to http://HOST:PORT or --data-dir DIR");
    return 2;
  }
  Result<TextFile> f = read_text_file_utf8(o.file);
  if (!f) {
    spdlog::error("{}", f.status().message());
    return 2;
  }
  // Shared: the embedded engine's records borrow their raw bytes from it (RawBytes::borrow).
  const auto data = std::make_shared<const std::string>(std::move(f->data));
  DatacoCsvReader reader(data);
  if (Status s = reader.open(); !s) {
    spdlog::error("{}: refused: {}", o.file, s.message());
    return 2;
  }
  return o.data_dir.empty() ? ingest_http(o, f->encoding, *data, reader)
                            : ingest_embedded(o, f->encoding, *data, reader);
}

}  // namespace ledgerflow::cli
