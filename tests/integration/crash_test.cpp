// Kill -9 at random moments while a client keeps posting known batches, retrying any batch
// that was not acknowledged. At the end the inventory must equal the expected totals exactly:
// nothing acknowledged is lost, nothing retried is counted twice. Finance events ride in the same
// batches: the ledger's alerts, payables and cash figures must equal those of a bare
// FinanceLedger fed each finance line once.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "analytics/finance_ledger.h"
#include "core/money.h"
#include "engine_process.h"
#include "ingest/catalog.h"
#include "server/finance_json.h"
#include "sources/finance_feed.h"
#include "sources/generator.h"

using namespace ledgerflow;
using ledgerflow::testing::EngineProcess;
using ledgerflow::testing::TempDir;

namespace {

struct Expected {
  int64_t sold = 0, received = 0;
  Money revenue;
};

struct Workload {
  std::vector<std::string> bodies;
  std::map<std::pair<int64_t, int64_t>, Expected> totals;  // (store, prod)
  size_t events = 0;
  FinanceLedger finance;  // the finance lines applied once, in the order they are posted
};

// Finance lines (a generated book of 8 suppliers over 150 days), one after every 8th sales line.
std::vector<std::string> finance_lines() {
  FinanceGeneratorOptions o;
  o.seed = 31;
  o.days = 150;
  o.suppliers = 8;
  o.customers = 15;
  std::vector<std::string> out;
  for (const FinanceRecord& r : finance_records_until(o, 20'600)) {
    out.push_back(finance_record_line(r));
  }
  return out;
}

Workload make_workload(size_t batches, size_t per_batch) {
  Workload w;
  GeneratorOptions g;
  g.seed = 2024;
  g.stores = 3;
  g.count = batches * per_batch;
  g.start_ms = 1714564800000;
  g.clock_rate = 1000;
  Generator gen(&Catalog::builtin(), g);
  GeneratedLine line;
  std::string body;
  size_t in_body = 0;
  const std::vector<std::string> finance = finance_lines();
  size_t next_finance = 0;
  FinanceEventParser parser;
  while (gen.next(&line)) {
    if (gen.emitted() % 8 == 0 && next_finance < finance.size()) {
      FinanceEvent e;
      EXPECT_TRUE(parser.parse(finance[next_finance], std::nullopt, &e));
      w.finance.apply(e, 0, next_finance);
      body += finance[next_finance++] + "\n";
      ++w.events;
    }
    nlohmann::json j = nlohmann::json::parse(line.json);
    int64_t store = j.value("store_id", 1);
    int64_t prod = j["prod_id"];
    Expected& e = w.totals[{store, prod}];
    if (line.type == EventType::kSale) {
      e.sold += j["unit_sold"].get<int64_t>();
      // The price's exact text, as the generator wrote it.
      std::string text = line.json.substr(line.json.find("\"regular_unit_price\":") + 21);
      text = text.substr(0, text.find_first_of(",}"));
      e.revenue += Money::parse(text).value() * j["unit_sold"].get<int64_t>();
    } else {
      e.received += j["unit_received"].get<int64_t>();
    }
    body += "{\"type\":\"" + std::string(event_type_topic(line.type)) + "\"," +
            line.json.substr(1) + "\n";
    ++w.events;
    if (++in_body == per_batch) {
      w.bodies.push_back(std::move(body));
      body.clear();
      in_body = 0;
    }
  }
  if (!body.empty()) w.bodies.push_back(std::move(body));
  return w;
}

void expect_inventory(int port, const Workload& w) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(30, 0);
  auto res = c.Get("/api/v1/inventory");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  nlohmann::json rows = nlohmann::json::parse(res->body);
  ASSERT_EQ(rows.size(), w.totals.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    auto key = std::make_pair(r["store_id"].get<int64_t>(), r["prod_id"].get<int64_t>());
    ASSERT_TRUE(w.totals.count(key)) << r.dump();
    const Expected& e = w.totals.at(key);
    EXPECT_EQ(r["total_sold"].get<int64_t>(), e.sold) << r.dump();
    EXPECT_EQ(r["total_received"].get<int64_t>(), e.received) << r.dump();
    EXPECT_EQ(r["unit_left"].get<int64_t>(), e.received - e.sold) << r.dump();
    // Money compared exactly: nlohmann keeps the number's text round-trippable for 2 decimals.
    EXPECT_EQ(Money::parse(r["revenue"].dump()).value(), e.revenue) << r.dump();
  }
}

nlohmann::json get(int port, const std::string& path) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(30, 0);
  auto res = c.Get(path.c_str());
  if (!res || res->status != 200) return nullptr;
  return nlohmann::json::parse(res->body);
}

// The engine's ledger against the bare one: the same alerts in the same order, the same
// payables, cash and early-payment figures (alert offsets differ: the log interleaves sales).
void expect_finance(int port, const Workload& w) {
  server::FinanceQuery q;
  q.as_of_day = *w.finance.latest_day();
  q.budget = Money::from_units(100'000);
  q.hurdle = 0.1;
  q.alerts.limit = 10'000;
  nlohmann::json want = nlohmann::json::parse(server::alerts_json(w.finance, q));
  nlohmann::json got = get(port, "/api/v1/alerts?limit=10000");
  ASSERT_FALSE(got.is_null());
  EXPECT_EQ(got["total"], want["total"]);
  EXPECT_EQ(got["by_rule"], want["by_rule"]);
  ASSERT_EQ(got["alerts"].size(), want["alerts"].size());
  for (size_t i = 0; i < want["alerts"].size(); ++i) {
    EXPECT_EQ(got["alerts"][i]["message"], want["alerts"][i]["message"]);
    EXPECT_EQ(got["alerts"][i]["seq"], want["alerts"][i]["seq"]);
  }
  EXPECT_EQ(get(port, "/api/v1/finance/cash"),
            nlohmann::json::parse(server::cash_json(w.finance, q)));
  EXPECT_EQ(get(port, "/api/v1/finance/aging"),
            nlohmann::json::parse(server::aging_json(w.finance, q)));
  server::FinanceQuery r = q;
  r.side = "receivables";
  // No order line was posted: the DataCo block is empty, on the default terms.
  DatacoReceivablesAging no_order_lines;
  no_order_lines.terms_days = 30;
  EXPECT_EQ(get(port, "/api/v1/finance/aging?side=receivables"),
            nlohmann::json::parse(server::aging_json(w.finance, r, &no_order_lines)));
  // The finance side of working capital (COGS and inventory come from the sales side).
  finance::WorkingCapitalInputs in = w.finance.working_capital_inputs(q.as_of_day, 30);
  nlohmann::json wc = get(port, "/api/v1/finance/working-capital?window_days=30");
  ASSERT_FALSE(wc.is_null());
  EXPECT_EQ(Money::parse(wc["average_receivables"].dump()).value(), in.average_receivables);
  EXPECT_EQ(Money::parse(wc["revenue"].dump()).value(), in.revenue);
  EXPECT_EQ(Money::parse(wc["average_payables"].dump()).value(), in.average_payables);
  EXPECT_EQ(Money::parse(wc["purchases"].dump()).value(), in.purchases);
  EXPECT_GT(in.revenue, Money());
  EXPECT_EQ(get(port, "/api/v1/early-payments?budget=100000&hurdle=0.1&limit=500"),
            nlohmann::json::parse(server::early_payments_json(w.finance, q)));
}

nlohmann::json pipeline(int port) {
  httplib::Client c("127.0.0.1", port);
  auto res = c.Get("/api/v1/pipeline");
  if (!res || res->status != 200) return nullptr;
  return nlohmann::json::parse(res->body);
}

bool wait_applied(int port, uint64_t offset) {
  for (int i = 0; i < 3000; ++i) {
    auto p = pipeline(port);
    if (!p.is_null() && p["applied_offset"].get<uint64_t>() >= offset) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

TEST(Crash, Sigkill20TimesWhilePostingLosesNothingAndCountsNothingTwice) {
  TempDir dir;
  const Workload w = make_workload(400, 50);  // 20,000 events
  std::vector<std::string> args = {"run",    "--data-dir", dir.sub("data"),
                                   "--port", "0",          "--checkpoint-interval-ms",
                                   "300",    "--shards",   "2"};
  std::mutex mu;
  auto engine = std::make_unique<EngineProcess>(args, dir.sub("engine.log"));
  ASSERT_TRUE(engine->start());
  int port = engine->port();
  int kills = 0;
  std::atomic<bool> done{false};
  std::atomic<bool> in_flight{false};
  std::atomic<size_t> acked{0};

  // Each kill lands while a request is in flight, at a random point within it (parse, log
  // append, fsync, ack), after the client has made some progress since the previous kill.
  std::thread killer([&] {
    std::mt19937 rng(99);
    while (!done && kills < 20) {
      size_t progress = acked.load() + 3 + rng() % 10;
      while (!done && (acked.load() < progress || !in_flight.load())) {
        std::this_thread::sleep_for(std::chrono::microseconds(100));
      }
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 3000));
      if (done) break;
      std::lock_guard lock(mu);
      engine->kill_hard();  // SIGKILL, no chance to clean up
      ++kills;
      engine = std::make_unique<EngineProcess>(args, dir.sub("engine.log"));
      ASSERT_TRUE(engine->start())
          << "restart " << kills << " failed; see " << dir.sub("engine.log");
      port = engine->port();
    }
  });

  uint64_t max_next_offset = 0;
  size_t retries = 0;
  for (size_t i = 0; i < w.bodies.size(); ++i) {
    for (;;) {
      int p;
      {
        std::lock_guard lock(mu);
        p = port;
      }
      httplib::Client c("127.0.0.1", p);
      c.set_connection_timeout(2, 0);
      c.set_read_timeout(10, 0);
      httplib::Headers headers;
      if (i % 2 == 0) headers.emplace("Idempotency-Key", "batch-" + std::to_string(i));
      in_flight = true;
      auto res = c.Post("/api/v1/events", headers, w.bodies[i], "application/x-ndjson");
      in_flight = false;
      if (res && (res->status == 202 || res->status == 200)) {
        auto j = nlohmann::json::parse(res->body);
        ASSERT_EQ(j["accepted"].get<size_t>() + 0,
                  std::count(w.bodies[i].begin(), w.bodies[i].end(), '\n'))
            << res->body;
        if (j.contains("next_offset"))
          max_next_offset = std::max(max_next_offset, j["next_offset"].get<uint64_t>());
        ++acked;
        break;
      }
      ++retries;  // not acknowledged: the engine died under us; send the same batch again
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  // Should the batches run out first, keep re-posting old ones (all duplicates by now).
  while (kills < 20) {
    int p;
    {
      std::lock_guard lock(mu);
      p = port;
    }
    httplib::Client c("127.0.0.1", p);
    c.set_connection_timeout(1, 0);
    in_flight = true;
    ++acked;
    c.Post("/api/v1/events", w.bodies[size_t(kills) % w.bodies.size()], "application/x-ndjson");
    in_flight = false;
  }
  done = true;
  killer.join();
  ASSERT_EQ(kills, 20);
  std::printf("posted %zu batches (%zu events) with %zu retries across %d kills\n", w.bodies.size(),
              w.events, retries, kills);

  auto p = pipeline(port);
  ASSERT_FALSE(p.is_null());
  ASSERT_TRUE(wait_applied(port, p["log_end_offset"].get<uint64_t>()));
  expect_inventory(port, w);
  expect_finance(port, w);
  p = pipeline(port);
  // Every generated event applied exactly once; retried copies were recognised as duplicates.
  EXPECT_EQ(p["events_applied"].get<size_t>(), w.events);
  std::printf("log holds %llu events, %llu recognised as duplicates\n",
              (unsigned long long)p["events_accepted"].get<uint64_t>(),
              (unsigned long long)p["duplicates"].get<uint64_t>());
  if (HasFailure()) std::printf("engine log: %s\n", dir.sub("engine.log").c_str());

  // A clean restart reproduces the same numbers from checkpoint + log.
  ASSERT_EQ(engine->stop(), 0);
  EngineProcess again(args, dir.sub("engine.log"));
  ASSERT_TRUE(again.start());
  auto p2 = pipeline(again.port());
  ASSERT_TRUE(wait_applied(again.port(), p2["log_end_offset"].get<uint64_t>()));
  expect_inventory(again.port(), w);
  expect_finance(again.port(), w);
  EXPECT_EQ(pipeline(again.port())["dead_letters"].get<uint64_t>(), 0u);
  again.stop();
  (void)max_next_offset;
}
