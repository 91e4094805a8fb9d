#include "server/http_server.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <optional>

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "analytics/dataco_fraud_alerts.h"
#include "analytics/working_capital_sales.h"
#include "core/event_time.h"
#include "core/json_writer.h"
#include "finance/payment_terms.h"
#include "ingest/ndjson_batch.h"
#include "server/api_json.h"
#include "server/embedded_assets.h"
#include "server/finance_json.h"
#include "server/mart_json.h"

namespace ledgerflow::server {
namespace {

// With the charset parameter cpp-httplib does not compress the reply: it compresses exact
// "application/json" with brotli at maximum quality on every request (about 0.7 MB/s here),
// which made a large inventory reply take minutes. Replies go to loopback or a proxy anyway.
constexpr const char* kJson = "application/json; charset=utf-8";

void send_error(httplib::Response& res, int status, std::string_view code,
                std::string_view message) {
  JsonWriter w;
  w.begin_object()
      .key("error")
      .begin_object()
      .field("code", code)
      .field("message", message)
      .end_object()
      .end_object();
  res.status = status;
  res.set_content(w.take(), kJson);
}

// Integer query parameter within [lo, hi]; false (and a 400 sent) when malformed.
bool int_param(const httplib::Request& req, httplib::Response& res, const char* name, int64_t lo,
               int64_t hi, int64_t* out) {
  if (!req.has_param(name)) return true;
  std::string v = req.get_param_value(name);
  int64_t x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size() || x < lo || x > hi) {
    send_error(res, 400, "bad_parameter",
               fmt::format("parameter {} must be an integer between {} and {}", name, lo, hi));
    return false;
  }
  *out = x;
  return true;
}

// A time parameter: milliseconds since the epoch or an ISO 8601 / seed-format time.
bool time_param(const httplib::Request& req, httplib::Response& res, const char* name,
                int64_t* out) {
  if (!req.has_param(name)) return true;
  std::string v = req.get_param_value(name);
  int64_t x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec == std::errc() && p == v.data() + v.size()) {
    *out = x;
    return true;
  }
  Result<int64_t> t = parse_event_time_ms(v);
  if (!t) {
    send_error(res, 400, "bad_parameter",
               fmt::format("parameter {}: {}", name, t.status().message()));
    return false;
  }
  *out = *t;
  return true;
}

// ?as_of=YYYY-MM-DD (or another `name`), else the configured date (validated at load), else
// unset.
bool as_of_param(const httplib::Request& req, httplib::Response& res, const std::string& configured,
                 int64_t* day, const char* name = "as_of") {
  std::string v = req.has_param(name) ? req.get_param_value(name) : configured;
  if (v.empty()) return true;
  Result<int64_t> d = parse_date_days(v);
  if (!d) {
    send_error(res, 400, "bad_parameter", fmt::format("{}: {}", name, d.status().message()));
    return false;
  }
  *day = *d;
  return true;
}

// A money parameter (?budget=50000.00), non-negative.
bool money_param(const httplib::Request& req, httplib::Response& res, const char* name,
                 Money* out) {
  if (!req.has_param(name)) return true;
  Result<Money> m = Money::parse(req.get_param_value(name));
  if (!m || m->micros() < 0) {
    send_error(res, 400, "bad_parameter",
               fmt::format("parameter {} must be a non-negative amount like 50000.00", name));
    return false;
  }
  *out = *m;
  return true;
}

// A ratio parameter (?hurdle=0.1) within [lo, hi].
bool ratio_param(const httplib::Request& req, httplib::Response& res, const char* name, double lo,
                 double hi, double* out) {
  if (!req.has_param(name)) return true;
  std::string v = req.get_param_value(name);
  char* end = nullptr;
  double x = std::strtod(v.c_str(), &end);
  if (v.empty() || end != v.c_str() + v.size() || !(x >= lo && x <= hi)) {
    send_error(res, 400, "bad_parameter",
               fmt::format("parameter {} must be a number between {} and {}", name, lo, hi));
    return false;
  }
  *out = x;
  return true;
}

bool store_param(const httplib::Request& req, httplib::Response& res,
                 std::optional<int32_t>* store) {
  int64_t s = -1;
  if (!int_param(req, res, "store", 1, 1'000'000, &s)) return false;
  if (s > 0) *store = int32_t(s);
  return true;
}

bool is_loopback(const std::string& bind) {
  return bind == "127.0.0.1" || bind == "localhost" || bind == "::1" || bind.rfind("127.", 0) == 0;
}

const EmbeddedAsset* find_asset(std::string_view path) {
  for (const EmbeddedAsset& a : embedded_assets()) {
    if (a.path == path) return &a;
  }
  return nullptr;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

HttpServer::HttpServer(Engine* engine)
    : engine_(engine), server_(std::make_unique<httplib::Server>()) {}

HttpServer::~HttpServer() {
  stop();
}

bool HttpServer::authorized(const httplib::Request& req, httplib::Response& res) const {
  if (!require_token_) return true;
  std::string auth = req.get_header_value("Authorization");
  const std::string& token = engine_->config().http_token;
  if (auth.rfind("Bearer ", 0) == 0 &&
      constant_time_equal(std::string_view(auth).substr(7), token)) {
    return true;
  }
  res.set_header("WWW-Authenticate", "Bearer");
  send_error(res, 401, "unauthorized",
             "a bearer token is required when the server listens beyond loopback");
  return false;
}

Status HttpServer::start(const std::string& bind, int port) {
  const EngineConfig& c = engine_->config();
  require_token_ = !is_loopback(bind);
  if (require_token_ && c.http_token.empty()) {
    return Status::bad_input("token_required",
                             "binding beyond loopback needs a token: set LEDGERFLOW_TOKEN");
  }
  int threads = c.http_threads + 48;  // each live stream holds a worker
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(size_t(threads)); };
  // The ingest handlers enforce http.max_body_bytes exactly while reading (chunked bodies too);
  // httplib's own check, against Content-Length only, is a backstop for every other route.
  server_->set_payload_max_length(c.http_max_body_bytes * 2);
  server_->set_read_timeout(30, 0);
  server_->set_write_timeout(30, 0);
  server_->set_keep_alive_max_count(1000);
  routes();
  if (port == 0) {
    port_ = server_->bind_to_any_port(bind);
    if (port_ <= 0) return Status::fatal("bind_failed", "cannot bind " + bind);
  } else {
    if (!server_->bind_to_port(bind, port)) {
      return Status::fatal("bind_failed",
                           fmt::format("cannot listen on {}:{} (in use?)", bind, port));
    }
    port_ = port;
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return Status::ok();
}

void HttpServer::stop() {
  stopping_ = true;
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

// The body is read here, after the cheap checks, through httplib's content reader: the limit
// then holds for chunked bodies too (httplib itself enforces it only against Content-Length,
// after buffering a chunked body whole), so memory per request stays bounded.
void HttpServer::handle_ingest(const httplib::Request& req, httplib::Response& res,
                               const httplib::ContentReader& reader,
                               std::optional<EventType> type) {
  if (!authorized(req, res)) return;
  std::string ct = req.get_header_value("Content-Type");
  // The media type without its parameters; type and subtype are case-insensitive (RFC 9110).
  std::string base = ct.substr(0, ct.find(';'));
  base.erase(base.find_last_not_of(" \t") + 1);
  base.erase(0, base.find_first_not_of(" \t"));
  std::transform(base.begin(), base.end(), base.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  if (base != "application/x-ndjson" && base != "application/json" && base != "application/jsonl" &&
      base != "text/plain") {
    send_error(res, 415, "unsupported_media_type",
               "send NDJSON with Content-Type: application/x-ndjson (or application/json)");
    return;
  }
  std::string key = req.get_header_value("Idempotency-Key");
  if (key.size() > 256) {
    send_error(res, 400, "bad_idempotency_key", "Idempotency-Key is longer than 256 bytes");
    return;
  }
  if (!key.empty()) {
    if (auto summary = engine_->idempotent_summary(key)) {
      res.status = 200;
      res.set_header("Idempotent-Replayed", "true");
      res.set_content(summary->substr(0, summary->size() - 1) + ",\"replayed\":true}", kJson);
      return;
    }
  }
  const size_t limit = engine_->config().http_max_body_bytes;
  std::string body;
  bool too_large = false;
  // Past the limit the rest is read and dropped, so that the client, still sending, gets its
  // answer instead of a reset; memory stays at the limit.
  bool complete = reader([&](const char* data, size_t n) {
    if (too_large || body.size() + n > limit) {
      too_large = true;
      return true;
    }
    body.append(data, n);
    return true;
  });
  // httplib refuses to read at all when Content-Length is past its own backstop limit.
  const std::string declared = req.get_header_value("Content-Length");
  if (!complete && !declared.empty() && std::strtoull(declared.c_str(), nullptr, 10) > limit)
    too_large = true;
  if (too_large) {
    send_error(res, 413, "payload_too_large",
               fmt::format("the body exceeds the limit of {} bytes", limit));
    return;
  }
  if (!complete) {
    send_error(res, 400, "incomplete_body", "the request body ended before its declared length");
    return;
  }
  thread_local EventParser parser(engine_->config().limits);
  SourcePosition source{SourceKind::kHttp, "http", 0, 0};
  NdjsonBatch batch =
      build_ndjson_batch(body, type, source, 0, parser, engine_->config().dead_letter_raw_bytes);
  if (batch.lines == 0) {
    send_error(res, 400, "empty_body", "the body has no lines; send one JSON event per line");
    return;
  }
  if (batch.lines > engine_->config().http_max_lines) {
    send_error(res, 413, "too_many_lines",
               fmt::format("{} lines exceed the limit of {} per request", batch.lines,
                           engine_->config().http_max_lines));
    return;
  }
  std::string summary = summary_json(batch);
  batch.batch.idempotency_key = key;
  batch.batch.summary_json = summary;
  IngestAck ack = engine_->submit(std::move(batch.batch)).get();
  if (!ack.status) {
    res.set_header("Retry-After", "1");
    send_error(res, 503, ack.status.code(), ack.status.message());
    return;
  }
  res.status = 202;
  res.set_content(
      fmt::format("{},\"first_offset\":{},\"next_offset\":{}}}",
                  summary.substr(0, summary.size() - 1), ack.first_offset, ack.next_offset),
      kJson);
}

// Each query opens its own read-only connection: the database enforces read-only, the writer's
// connection stays with the writer thread, and handlers run concurrently.
void HttpServer::handle_query(const httplib::Request& req, httplib::Response& res) const {
  if (!authorized(req, res)) return;
  if (!sql_target_) {
    send_error(res, 404, "no_warehouse", "this server has no warehouse");
    return;
  }
  std::string sql = req.body;
  if (req.get_header_value("Content-Type").rfind("application/json", 0) == 0) {
    nlohmann::json body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object() || !body.contains("sql") || !body["sql"].is_string()) {
      send_error(res, 400, "bad_request", "send {\"sql\": \"SELECT ...\"} or the SQL text itself");
      return;
    }
    sql = body["sql"].get<std::string>();
  }
  auto db = sinks::open_warehouse(*sql_target_, sinks::BackendMode::kReadOnly);
  if (!db) {
    res.set_header("Retry-After", "1");
    send_error(res, 503, db.status().code(), db.status().message());
    return;
  }
  Result<sinks::QueryResult> r = (*db)->query(sql, sinks::QueryLimits{10'000, 10'000});
  if (!r) {
    bool retry = r.status().error_class() == ErrorClass::kRetriable;
    send_error(res, retry ? 503 : 400, r.status().code(), r.status().message());
    return;
  }
  res.set_content(sinks::format_json(*r), kJson);
}

// Reads of the finance ledger (docs/FINANCE_API.md). Parameters are checked before the ledger's
// lock is taken; `as_of` defaults to the configured finance.as_of, else the ledger's latest day.
bool HttpServer::finance_query(const httplib::Request& req, httplib::Response& res,
                               FinanceQuery* q) const {
  const FinanceConfig& fc = engine_->config().shard.finance;
  q->budget = fc.early_payment_budget;
  q->hurdle = fc.hurdle_rate;
  int64_t limit = int64_t(q->limit);
  int64_t as_of = INT64_MIN;
  if (!as_of_param(req, res, engine_->config().finance_as_of, &as_of) ||
      !money_param(req, res, "budget", &q->budget) ||
      !ratio_param(req, res, "hurdle", 0, 100, &q->hurdle) ||
      !int_param(req, res, "limit", 0, 10'000, &limit)) {
    return false;
  }
  q->limit = size_t(limit);
  if (as_of == INT64_MIN) {
    as_of = engine_->read_finance([](const FinanceLedger& l) { return l.latest_day(); })
                .value_or(finance::day_of_ms(now_ms()));
  }
  q->as_of_day = as_of;
  q->supplier = req.get_param_value("supplier");
  q->side = req.has_param("side") ? req.get_param_value("side") : "payables";
  if (q->side != "payables" && q->side != "receivables") {
    send_error(res, 400, "bad_parameter", "side must be payables or receivables");
    return false;
  }
  q->alerts.rule = req.get_param_value("rule");
  q->alerts.subject = req.get_param_value("subject");
  q->alerts.limit = req.has_param("limit") ? q->limit : 200;
  if (req.has_param("severity")) {
    std::string sev = req.get_param_value("severity");
    for (finance::Severity s :
         {finance::Severity::kInfo, finance::Severity::kWarning, finance::Severity::kCritical}) {
      if (sev == finance::severity_name(s)) q->alerts.severity = s;
    }
    if (!q->alerts.severity) {
      send_error(res, 400, "bad_parameter", "severity must be info, warning or critical");
      return false;
    }
  }
  return true;
}

// GET /api/v1/reorder: recommendations per product x store (docs/API.md). The demand window
// ends on the day of the newest event time, so a replayed history reads as it did live.
void HttpServer::handle_reorder(const httplib::Request& req, httplib::Response& res) const {
  ReorderConfig c = engine_->config().reorder;
  std::optional<int32_t> store;
  int64_t limit = 200, window = c.window_days;
  int64_t as_of = INT64_MIN;
  if (!store_param(req, res, &store) || !int_param(req, res, "limit", 1, 100'000, &limit) ||
      !int_param(req, res, "window_days", 1, DailyDemand::kDays, &window) ||
      !ratio_param(req, res, "service_level", 0.5, 0.9999, &c.service_level) ||
      !ratio_param(req, res, "lead_time_days", 0, 3650, &c.lead_time_days) ||
      !as_of_param(req, res, "", &as_of)) {
    return;
  }
  c.window_days = int32_t(window);
  if (as_of == INT64_MIN) {
    PipelineStats p = engine_->pipeline();
    as_of = floor_div(
        p.max_event_time_ms == WatermarkTracker::kNone ? now_ms() : p.max_event_time_ms, kMsPerDay);
  }
  // An explicit lead time is a what-if for every product; otherwise each product's supplier's.
  const bool what_if = req.has_param("lead_time_days");
  const ProductLeadTimes lead_times = what_if ? ProductLeadTimes{} : engine_->product_lead_times();
  std::vector<ReorderLine> lines =
      reorder_report(engine_->inventory(store, false), c, as_of, &lead_times);
  JsonWriter w;
  w.begin_object().field("as_of", finance::format_day(as_of));
  w.field("window_days", int64_t(c.window_days))
      .field("service_level", c.service_level)
      .field("lead_time_days", c.lead_time_days)
      .field("reorder_now",
             int64_t(std::count_if(lines.begin(), lines.end(),
                                   [](const ReorderLine& l) { return l.rec.reorder_now; })))
      .key("products")
      .begin_array();
  for (size_t i = 0; i < lines.size() && i < size_t(limit); ++i) write_reorder_line(w, lines[i]);
  w.end_array().end_object();
  res.set_content(w.take(), kJson);
}

// DSO / DIO / DPO / CCC over a trailing window (docs/FINANCE_API.md): receivables, payables,
// revenue and purchases from the finance ledger; COGS (units sold per day x cost price) and
// inventory at cost from the sales side. The engine keeps no history of inventory balances, so
// the average inventory is today's value at cost (documented).
void HttpServer::handle_working_capital(const httplib::Request& req, httplib::Response& res) const {
  FinanceQuery q;
  int64_t window = 30;
  if (!finance_query(req, res, &q) ||
      !int_param(req, res, "window_days", 1, DailyDemand::kDays, &window)) {
    return;
  }
  std::string basis = req.has_param("dpo_basis") ? req.get_param_value("dpo_basis") : "purchases";
  if (basis != "purchases" && basis != "cogs") {
    send_error(res, 400, "bad_parameter", "dpo_basis must be purchases or cogs");
    return;
  }
  finance::WorkingCapitalInputs in = engine_->read_finance([&](const FinanceLedger& l) {
    return l.working_capital_inputs(q.as_of_day, int32_t(window));
  });
  in.dpo_basis = basis == "cogs" ? finance::DpoBasis::kCogs : finance::DpoBasis::kPurchases;
  add_sales_working_capital(engine_->inventory(std::nullopt, false), q.as_of_day, &in);
  res.set_content(working_capital_json(in, q.as_of_day), kJson);
}

// The DataCo patterns change only when order lines are applied: the engine's shared snapshot
// recomputes them then, not on every poll of the Fraud view.
std::vector<LedgerAlert> HttpServer::dataco_alerts() const {
  return engine_->dataco_snapshot()->patterns;
}

// Receivables are the ledger's customers plus the DataCo PENDING_PAYMENT lines, the latter aged
// on the DataCo clock (?dataco_as_of, else marts.as_of, else the newest order date) and read
// from the shards before the finance shard's lock is taken.
void HttpServer::handle_aging(const httplib::Request& req, httplib::Response& res) const {
  FinanceQuery q;
  if (!finance_query(req, res, &q)) return;
  std::optional<DatacoReceivablesAging> dataco;
  if (q.side == "receivables") {
    int64_t day = INT64_MIN;
    if (!as_of_param(req, res, engine_->config().marts_as_of, &day, "dataco_as_of")) return;
    Result<DatacoReceivablesAging> a = age_dataco_receivables(
        engine_->dataco_receivables(), day, engine_->config().dataco_receivable_terms_days);
    if (!a) {
      send_error(res, 400, a.status().code(), a.status().message());
      return;
    }
    dataco = std::move(a.value());
  }
  res.set_content(engine_->read_finance([&](const FinanceLedger& l) {
    return aging_json(l, q, dataco ? &*dataco : nullptr);
  }),
                  kJson);
}

void HttpServer::finance_routes() {
  using Render = std::string (*)(const FinanceLedger&, const FinanceQuery&);
  auto read = [this](Render render) {
    return [this, render](const httplib::Request& req, httplib::Response& res) {
      FinanceQuery q;
      if (!finance_query(req, res, &q)) return;
      res.set_content(engine_->read_finance([&](const FinanceLedger& l) { return render(l, q); }),
                      kJson);
    };
  };
  httplib::Server& s = *server_;
  s.Get("/api/v1/reorder",
        [this](const httplib::Request& req, httplib::Response& res) { handle_reorder(req, res); });
  s.Get("/api/v1/finance/summary", read(finance_summary_json));
  s.Get("/api/v1/finance/aging",
        [this](const httplib::Request& req, httplib::Response& res) { handle_aging(req, res); });
  s.Get("/api/v1/finance/working-capital",
        [this](const httplib::Request& req, httplib::Response& res) {
          handle_working_capital(req, res);
        });
  s.Get("/api/v1/finance/cash", read(cash_json));
  s.Get("/api/v1/early-payments", read(early_payments_json));
  // Ledger alerts plus the DataCo suspected-fraud patterns, derived from the marts at read time
  // (outside the finance shard's lock: the summary takes every shard's lock in turn).
  s.Get("/api/v1/alerts", [this](const httplib::Request& req, httplib::Response& res) {
    FinanceQuery q;
    if (!finance_query(req, res, &q)) return;
    std::vector<LedgerAlert> derived = dataco_alerts();
    res.set_content(
        engine_->read_finance([&](const FinanceLedger& l) { return alerts_json(l, q, derived); }),
        kJson);
  });
  s.Get("/api/v1/finance/payment-delays",
        read([](const FinanceLedger& l, const FinanceQuery&) { return payment_delays_json(l); }));
  s.Get("/api/v1/finance/benford", [this](const httplib::Request& req, httplib::Response& res) {
    FinanceQuery q;
    if (!finance_query(req, res, &q)) return;
    Result<std::string> body =
        engine_->read_finance([&](const FinanceLedger& l) { return benford_json(l, q); });
    if (!body) {
      send_error(res, 404, body.status().code(), body.status().message());
      return;
    }
    res.set_content(std::move(body.value()), kJson);
  });
}

void HttpServer::routes() {
  httplib::Server& s = *server_;
  s.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"ok\"}", kJson);
  });
  s.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    bool ok = engine_->ready();
    res.status = ok ? 200 : 503;
    JsonWriter w;
    w.begin_object().field("ready", ok);
    if (!ok && !engine_->failure().empty()) w.field("reason", engine_->failure());
    // A degraded sink does not make the engine unready: ingest goes on into the log.
    std::vector<std::string> degraded;
    for (const SinkStatus& sink : engine_->pipeline().sinks) {
      if (sink.degraded()) degraded.push_back(sink.name);
    }
    if (!degraded.empty()) {
      w.key("degraded").begin_array();
      for (const std::string& name : degraded) w.value(name);
      w.end_array();
    }
    w.end_object();
    res.set_content(w.take(), kJson);
  });
  s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(prometheus_metrics(engine_->pipeline(), engine_->kpis()),
                    "text/plain; version=0.0.4; charset=utf-8");
  });
  s.Get("/api/v1/inventory", [this](const httplib::Request& req, httplib::Response& res) {
    std::optional<int32_t> store;
    if (!store_param(req, res, &store)) return;
    std::string below = req.get_param_value("below_reorder");
    if (!below.empty() && below != "true" && below != "false") {
      send_error(res, 400, "bad_parameter", "below_reorder must be true or false");
      return;
    }
    JsonWriter w;
    w.begin_array();
    for (const InventoryRow& r : engine_->inventory(store, below == "true"))
      write_inventory_row(w, r);
    w.end_array();
    res.set_content(w.take(), kJson);
  });
  s.Get("/api/v1/best-sellers", [this](const httplib::Request& req, httplib::Response& res) {
    std::optional<int32_t> store;
    int64_t limit = 10;
    if (!store_param(req, res, &store) || !int_param(req, res, "limit", 1, 10'000, &limit)) return;
    JsonWriter w;
    w.begin_object().key("by_units").begin_array();
    for (const auto& b : engine_->best_sellers(store, false, size_t(limit)))
      write_best_seller(w, b);
    w.end_array().key("by_revenue").begin_array();
    for (const auto& b : engine_->best_sellers(store, true, size_t(limit))) write_best_seller(w, b);
    w.end_array().end_object();
    res.set_content(w.take(), kJson);
  });
  s.Get("/api/v1/sales", [this](const httplib::Request& req, httplib::Response& res) {
    std::string window = req.has_param("window") ? req.get_param_value("window") : "1m";
    int64_t window_ms = window == "1m"   ? kMsPerMinute
                        : window == "1h" ? kMsPerHour
                        : window == "1d" ? kMsPerDay
                                         : 0;
    if (window_ms == 0) {
      send_error(res, 400, "bad_parameter", "window must be 1m, 1h or 1d");
      return;
    }
    PipelineStats p = engine_->pipeline();
    int64_t newest =
        p.max_event_time_ms == WatermarkTracker::kNone ? now_ms() : p.max_event_time_ms;
    int64_t to = floor_to(newest, window_ms) + window_ms;
    int64_t from = to - 60 * window_ms;
    if (!time_param(req, res, "from", &from) || !time_param(req, res, "to", &to)) return;
    JsonWriter w;
    w.begin_array();
    for (const SalesWindow& sw : engine_->sales(window_ms, from, to)) {
      write_sales_window(w, sw, window_ms, p.watermark_ms);
    }
    w.end_array();
    res.set_content(w.take(), kJson);
  });
  s.Get("/api/v1/shipments", [this](const httplib::Request& req, httplib::Response& res) {
    std::optional<int32_t> store;
    int64_t limit = 50;
    if (!store_param(req, res, &store) || !int_param(req, res, "limit", 1, 10'000, &limit)) return;
    JsonWriter w;
    w.begin_array();
    for (const Event& e : engine_->recent_shipments(store, size_t(limit))) write_shipment(w, e);
    w.end_array();
    res.set_content(w.take(), kJson);
  });
  s.Get("/api/v1/marts", [](const httplib::Request&, httplib::Response& res) {
    JsonWriter w;
    w.begin_array();
    for (std::string_view name : dataco_mart_names()) w.value(name);
    w.end_array();
    res.set_content(w.take(), kJson);
  });
  s.Get(R"(/api/v1/marts/([a-z_]+))", [this](const httplib::Request& req, httplib::Response& res) {
    MartQuery q;
    int64_t limit = int64_t(q.limit);
    if (!int_param(req, res, "limit", 1, 10'000'000, &limit) ||
        !as_of_param(req, res, engine_->config().marts_as_of, &q.as_of_day))
      return;
    q.limit = size_t(limit);
    Result<std::string> body =
        dataco_mart_json(engine_->dataco_snapshot()->summary, req.matches[1].str(), q);
    if (!body) {
      send_error(res, 404, body.status().code(), body.status().message());
      return;
    }
    res.set_content(std::move(body.value()), kJson);
  });
  finance_routes();
  s.Get("/api/v1/pipeline", [this](const httplib::Request&, httplib::Response& res) {
    JsonWriter w;
    write_pipeline(w, engine_->pipeline());
    res.set_content(w.take(), kJson);
  });
  s.Get("/api/v1/kpis", [this](const httplib::Request&, httplib::Response& res) {
    JsonWriter w;
    write_kpis(w, engine_->kpis());
    res.set_content(w.take(), kJson);
  });
  s.Get("/api/v1/stores", [this](const httplib::Request&, httplib::Response& res) {
    JsonWriter w;
    w.begin_array();
    for (int32_t id : engine_->stores()) w.value(int64_t(id));
    w.end_array();
    res.set_content(w.take(), kJson);
  });
  s.Get("/api/v1/catalog", [this](const httplib::Request&, httplib::Response& res) {
    JsonWriter w;
    w.begin_array();
    for (const Product& p : engine_->catalog().products()) {
      w.begin_object()
          .field("id", p.id)
          .field("item_name", p.name)
          .field("price", p.price)
          .field("cost_price", p.cost_price)
          .field("reorder_point", p.reorder_point)
          .field("description", p.description)
          .end_object();
    }
    w.end_array();
    res.set_content(w.take(), kJson);
  });
  s.Get("/api/v1/dead-letters", [this](const httplib::Request& req, httplib::Response& res) {
    int64_t limit = 100;
    if (!int_param(req, res, "limit", 1, 100'000, &limit)) return;
    JsonWriter w;
    w.begin_array();
    auto dls = engine_->dead_letters(size_t(limit));
    for (auto it = dls.rbegin(); it != dls.rend(); ++it) write_dead_letter(w, *it);  // newest first
    w.end_array();
    res.set_content(w.take(), kJson);
  });
  s.Get("/api/v1/late-events", [this](const httplib::Request& req, httplib::Response& res) {
    int64_t limit = 100;
    if (!int_param(req, res, "limit", 1, 100'000, &limit)) return;
    JsonWriter w;
    w.begin_array();
    for (const LateEvent& l : engine_->late_events(size_t(limit))) {
      w.begin_object()
          .field("offset", l.offset)
          .field("type", event_type_topic(l.type))
          .field("store_id", int64_t(l.store_id))
          .field("prod_id", l.prod_id)
          .field("units", l.units)
          .field("event_time", format_iso8601(l.event_time_ms))
          .field("watermark", format_iso8601(l.watermark_ms))
          .end_object();
    }
    w.end_array();
    res.set_content(w.take(), kJson);
  });
  auto ingest = [this](std::optional<EventType> type) {
    return [this, type](const httplib::Request& req, httplib::Response& res,
                        const httplib::ContentReader& reader) {
      handle_ingest(req, res, reader, type);
    };
  };
  s.Post("/api/v1/events/sale_transaction", ingest(EventType::kSale));
  s.Post("/api/v1/events/inventory_shipment", ingest(EventType::kShipment));
  s.Post("/api/v1/events/order_line", ingest(EventType::kOrderLine));
  s.Post("/api/v1/events/supply_chain_data", ingest(EventType::kOrderLine));
  for (int t = int(EventType::kSupplier); t <= int(EventType::kCustomerPayment); ++t) {
    s.Post("/api/v1/events/" + std::string(event_type_topic(EventType(t))), ingest(EventType(t)));
  }
  s.Post("/api/v1/events", ingest(std::nullopt));
  s.Post("/api/v1/query",
         [this](const httplib::Request& req, httplib::Response& res) { handle_query(req, res); });
  s.Post("/api/v1/checkpoint", [this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    Status st = engine_->checkpoint_now();
    if (!st) {
      send_error(res, 503, st.code(), st.message());
      return;
    }
    res.set_content(
        fmt::format("{{\"checkpoint_offset\":{}}}", engine_->pipeline().checkpoint_offset), kJson);
  });
  // Optional ?store=N keeps inventory rows and shipments of that store only (a dashboard shows
  // one store at a time, so a large catalog x many stores does not flood the first frame).
  s.Get("/api/v1/stream", [this](const httplib::Request& req, httplib::Response& res) {
    std::optional<int32_t> store;
    if (!store_param(req, res, &store)) return;
    auto cursor = std::make_shared<ChangeCursor>();
    auto seq = std::make_shared<uint64_t>(0);
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider("text/event-stream", [this, cursor, seq, store](
                                                              size_t, httplib::DataSink& sink) {
      if (*seq > 0) {
        // Wait for the next tick in slices so that stop() is never held up.
        for (int i = 0; i < 10 && !stopping_; ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (stopping_) {
        sink.done();
        return false;
      }
      ChangeSet changes = engine_->changes_since(cursor.get());
      PipelineStats p = engine_->pipeline();
      JsonWriter w;
      w.begin_object().field("seq", ++*seq).field("server_time_ms", now_ms());
      w.key("pipeline");
      write_pipeline(w, p);
      w.key("kpis");
      write_kpis(w, engine_->kpis());
      w.key("inventory").begin_array();
      for (const InventoryRow& r : changes.inventory) {
        if (!store || r.store_id == *store) write_inventory_row(w, r);
      }
      w.end_array().key("sales").begin_array();
      for (int64_t start : changes.window_starts) {
        for (const SalesWindow& sw : engine_->sales(kMsPerMinute, start, start + kMsPerMinute)) {
          write_sales_window(w, sw, kMsPerMinute, p.watermark_ms);
        }
      }
      w.end_array().key("shipments").begin_array();
      for (const Event& e : changes.shipments) {
        if (!store || e.store_id == *store) write_shipment(w, e);
      }
      w.end_array().key("dead_letters").begin_array();
      for (const DeadLetter& d : changes.dead_letters) write_dead_letter(w, d);
      w.end_array().end_object();
      std::string frame = (*seq == 1 ? std::string("retry: 1000\n") : std::string()) +
                          "event: update\ndata: " + w.take() + "\n\n";
      return sink.write(frame.data(), frame.size());
    });
  });
  s.Get(R"(/(.*))", [](const httplib::Request& req, httplib::Response& res) {
    std::string path = req.path == "/" ? "/index.html" : req.path;
    const EmbeddedAsset* asset = find_asset(path);
    if (!asset) {
      send_error(res, 404, "not_found", "no such resource: " + req.path);
      return;
    }
    // The web build writes compressed copies next to large files (app.js.br, app.js.gz); they
    // are sent as they are. A body is never compressed per request: cpp-httplib's on-the-fly
    // brotli takes about a second for the 560 KB script.
    std::string accept = req.get_header_value("Accept-Encoding");
    const EmbeddedAsset* body = asset;
    if (const EmbeddedAsset* br = find_asset(path + ".br");
        br && accept.find("br") != std::string::npos) {
      body = br;
      res.set_header("Content-Encoding", "br");
    } else if (const EmbeddedAsset* gz = find_asset(path + ".gz");
               gz && accept.find("gzip") != std::string::npos) {
      body = gz;
      res.set_header("Content-Encoding", "gzip");
    }
    res.set_header("Vary", "Accept-Encoding");
    // index.html is always revalidated; the files it names carry a content hash in their names.
    res.set_header("Cache-Control",
                   path == "/index.html" ? "no-cache" : "public, max-age=31536000, immutable");
    std::string_view data = body->data;
    if (data.empty()) {
      res.set_content("", std::string(asset->content_type));
      return;
    }
    // A fixed-length content provider: served from the embedded bytes without a copy, and
    // cpp-httplib does not compress it.
    res.set_content_provider(data.size(), std::string(asset->content_type),
                             [data](size_t offset, size_t length, httplib::DataSink& sink) {
                               return sink.write(data.data() + offset,
                                                 std::min(length, data.size() - offset));
                             });
  });
  // Answers httplib gives by itself (413 over the body limit, 404 for a method or path without
  // a handler, 400 for a malformed request) get the API's JSON error shape too.
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // a handler's own error
    switch (res.status) {
      case 400:
        send_error(res, 400, "bad_request", "the request is malformed");
        break;
      case 404:
        send_error(res, 404, "not_found",
                   fmt::format("no such resource: {} {}", req.method, req.path));
        break;
      case 413:
        send_error(res, 413, "payload_too_large",
                   "the body exceeds the configured limit (http.max_body_bytes)");
        break;
      case 414:
        send_error(res, 414, "uri_too_long", "the request target is too long");
        break;
      default:
        send_error(res, res.status, fmt::format("http_{}", res.status),
                   "the request cannot be served");
    }
  });
  s.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "internal error";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("http handler failed: {}", what);
        send_error(res, 500, "internal_error", what);
      });
}

}  // namespace ledgerflow::server
