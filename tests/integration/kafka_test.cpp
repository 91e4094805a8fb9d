// Kafka end to end against librdkafka's mock cluster (3 brokers in a helper process,
// kafka_mock_cluster): the engine runs as `ledgerflow run` with a [kafka] config; the test
// produces keyed events with librdkafka, computes the expected inventory on its own and
// compares exactly. Crashes (SIGKILL), a broker going down, two instances in one consumer
// group, the sale_info upsert topic, kcat as an outside client, and the generate / ingest tools.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "analytics/finance_ledger.h"
#include "core/event_time.h"
#include "core/money.h"
#include "engine_process.h"
#include "ingest/catalog.h"
#include "sources/finance_feed.h"
#include "sources/generator.h"
#include "sources/kafka_client.h"
#include "support/dataco_expected.h"
#include "support/run_command.h"

using namespace ledgerflow;
using ledgerflow::testing::EngineProcess;
using ledgerflow::testing::run_command;
using ledgerflow::testing::TempDir;
using nlohmann::json;

namespace {

constexpr int kPartitions = 8;
// supply_chain_data (DataCo order lines) has 2 partitions and is subscribed by default too.
constexpr int kAllPartitions = 2 * kPartitions + 2;
const char* kSale = "sale_transaction";
const char* kShipment = "inventory_shipment";

// ---------------------------------------------------------------------------------------------
// The mock cluster process.

class MockCluster {
 public:
  MockCluster() {
    int in[2], out[2];
    if (::pipe(in) != 0 || ::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::close(in[0]);
      ::close(in[1]);
      ::close(out[0]);
      ::close(out[1]);
      std::string bin = LEDGERFLOW_KAFKA_MOCK;
      std::vector<std::string> args = {
          bin,
          "--brokers",
          "3",
          "--topic",
          std::string(kSale) + ":" + std::to_string(kPartitions),
          "--topic",
          std::string(kShipment) + ":" + std::to_string(kPartitions),
          "--topic",
          "sale_info:4",
          "--topic",
          "alerts:1",
          "--topic",
          "supply_chain_data:" + std::to_string(kAllPartitions - 2 * kPartitions)};
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(bin.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    in_ = in[1];
    out_ = ::fdopen(out[0], "r");
    std::string line = read_line();
    if (line.rfind("bootstrap=", 0) == 0) bootstrap_ = line.substr(10);
  }
  ~MockCluster() {
    if (in_ >= 0) ::close(in_);  // the helper exits when its stdin closes
    if (out_) std::fclose(out_);
    if (pid_ > 0) {
      for (int i = 0; i < 500; ++i) {
        if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  const std::string& bootstrap() const { return bootstrap_; }
  // "down 1", "up 1": answers "ok" on success.
  std::string command(const std::string& cmd) {
    std::string c = cmd + "\n";
    if (::write(in_, c.data(), c.size()) != ssize_t(c.size())) return "write failed";
    return read_line();
  }

 private:
  std::string read_line() {
    char buf[4096];
    if (!out_ || !std::fgets(buf, sizeof buf, out_)) return "";
    std::string s(buf);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
  }
  pid_t pid_ = -1;
  int in_ = -1;
  FILE* out_ = nullptr;
  std::string bootstrap_;
};

// ---------------------------------------------------------------------------------------------
// librdkafka clients of the test itself.

struct Delivery {
  std::atomic<uint64_t> ok{0}, failed{0};
};

void delivery_cb(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* d = static_cast<Delivery*>(opaque);
  if (m->err)
    d->failed++;
  else
    d->ok++;
}

class Producer {
 public:
  explicit Producer(const std::string& bootstrap) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char err[256];
    auto set = [&](const char* k, const char* v) {
      rd_kafka_conf_set(conf, k, v, err, sizeof err);
    };
    set("bootstrap.servers", bootstrap.c_str());
    set("enable.idempotence", "true");  // the producer's retries must not duplicate either
    set("acks", "all");
    set("linger.ms", "5");
    set("partitioner", "murmur2_random");
    set("log_level", "3");
    rd_kafka_conf_set_opaque(conf, &delivery_);
    rd_kafka_conf_set_dr_msg_cb(conf, delivery_cb);
    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  }
  ~Producer() {
    if (rk_) {
      rd_kafka_flush(rk_, 10000);
      rd_kafka_destroy(rk_);
    }
  }
  void send(const std::string& topic, const std::string& key, const std::string& value) {
    for (;;) {
      rd_kafka_resp_err_t e = produce_copy(rk_, topic, key, value);
      if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        rd_kafka_poll(rk_, 10);
        continue;
      }
      ASSERT_EQ(e, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_err2str(e);
      ++sent_;
      break;
    }
    rd_kafka_poll(rk_, 0);
  }
  // Waits for every delivery report; true when all were delivered.
  bool flush(int timeout_ms = 60000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (delivery_.ok + delivery_.failed < sent_ && std::chrono::steady_clock::now() < deadline) {
      rd_kafka_flush(rk_, 100);
    }
    return delivery_.ok == sent_ && delivery_.failed == 0;
  }

 private:
  rd_kafka_t* rk_ = nullptr;
  Delivery delivery_;
  uint64_t sent_ = 0;
};

struct Message {
  std::string key, value;
  int32_t partition;
  int64_t offset;
};

// Every message of `topic` from the beginning to the current end (no consumer group).
std::vector<Message> read_topic(const std::string& bootstrap, const std::string& topic) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[256];
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "group.id", "ledgerflow-test-reader", err, sizeof err);
  rd_kafka_conf_set(conf, "enable.auto.commit", "false", err, sizeof err);
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  rd_kafka_poll_set_consumer(rk);
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  std::vector<Message> out;
  if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR &&
      md->topic_cnt == 1) {
    int n = md->topics[0].partition_cnt;
    std::map<int32_t, int64_t> end;
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(n);
    for (int p = 0; p < n; ++p) {
      int64_t lo = 0, hi = 0;
      rd_kafka_query_watermark_offsets(rk, topic.c_str(), p, &lo, &hi, 10000);
      if (hi > lo) end[p] = hi;
      rd_kafka_topic_partition_list_add(list, topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    }
    rd_kafka_assign(rk, list);
    rd_kafka_topic_partition_list_destroy(list);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!end.empty() && std::chrono::steady_clock::now() < deadline) {
      rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 100);
      if (!m) continue;
      if (!m->err) {
        out.push_back(Message{std::string(static_cast<const char*>(m->key), m->key_len),
                              std::string(static_cast<const char*>(m->payload), m->len),
                              m->partition, m->offset});
        auto it = end.find(m->partition);
        if (it != end.end() && m->offset + 1 >= it->second) end.erase(it);
      }
      rd_kafka_message_destroy(m);
    }
  }
  if (md) rd_kafka_metadata_destroy(md);
  rd_kafka_topic_destroy(rkt);
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  return out;
}

// Latest value per key (what a compacted topic converges to).
std::map<std::string, json> latest_by_key(const std::vector<Message>& msgs) {
  std::map<std::string, json> out;
  for (const Message& m : msgs) out[m.key] = json::parse(m.value);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Workloads and expected totals, computed independently of the engine.

using Key = std::pair<int64_t, int64_t>;  // (store, prod)
struct Expected {
  int64_t sold = 0, received = 0;
  Money revenue;
};
using Totals = std::map<Key, Expected>;

struct KEvent {
  std::string topic, key, value;
};

Money price_text(const std::string& json_line) {
  std::string text = json_line.substr(json_line.find("\"regular_unit_price\":") + 21);
  return Money::parse(text.substr(0, text.find_first_of(",}"))).value();
}

void add_expected(Totals* t, const std::string& value, bool sale) {
  json j = json::parse(value);
  Expected& e = (*t)[{j.value("store_id", 1), j["prod_id"].get<int64_t>()}];
  if (sale) {
    e.sold += j["unit_sold"].get<int64_t>();
    e.revenue += price_text(value) * j["unit_sold"].get<int64_t>();
  } else {
    e.received += j["unit_received"].get<int64_t>();
  }
}

GeneratorOptions workload_options(uint64_t seed, size_t n, uint64_t skip = 0) {
  GeneratorOptions g;
  g.seed = seed;
  g.stores = 3;
  g.count = n + skip;
  g.start_ms = 1714564800000;
  g.clock_rate = 1000;
  return g;
}

// Events [skip, skip + n) of a generated stream, keyed "store:prod" like `generate --to kafka`.
std::vector<KEvent> make_events(uint64_t seed, size_t n, Totals* totals, uint64_t skip = 0) {
  Generator gen(&Catalog::builtin(), workload_options(seed, n, skip));
  GeneratedLine line;
  std::vector<KEvent> out;
  while (gen.next(&line)) {
    if (gen.emitted() <= skip) continue;
    json j = json::parse(line.json);
    bool sale = line.type == EventType::kSale;
    std::string key =
        std::to_string(j.value("store_id", 1)) + ":" + std::to_string(j["prod_id"].get<int64_t>());
    out.push_back(KEvent{sale ? kSale : kShipment, key, line.json});
    add_expected(totals, line.json, sale);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The engine under test.

std::string write_config(const TempDir& dir, const std::string& name, const std::string& bootstrap,
                         const std::string& group, const std::string& extra = "") {
  std::string path = dir.sub(name);
  std::ofstream f(path);
  f << "[engine]\ncheckpoint_interval_ms = 500\nshards = 2\n"
    << "[kafka]\nbrokers = \"" << bootstrap << "\"\ngroup_id = \"" << group << "\"\n"
    << "[kafka.sink]\ninterval_ms = 200\n"
    << "[kafka.properties]\n\"session.timeout.ms\" = 6000\n\"heartbeat.interval.ms\" = 500\n"
    << "\"topic.metadata.refresh.interval.ms\" = 2000\n"
    << extra;
  return path;
}

std::vector<std::string> run_args(const std::string& config, const std::string& data) {
  return {"run", "--config", config, "--data-dir", data, "--port", "0"};
}

json get_json(int port, const std::string& path) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(2, 0);
  c.set_read_timeout(30, 0);
  auto res = c.Get(path.c_str());
  if (!res || res->status != 200) return nullptr;
  return json::parse(res->body);
}

json pipeline(int port) {
  return get_json(port, "/api/v1/pipeline");
}

// Inventory rows as totals, for comparison with the expected ones.
Totals inventory_totals(int port) {
  Totals out;
  json rows = get_json(port, "/api/v1/inventory");
  for (const json& r : rows) {
    Expected& e = out[{r["store_id"].get<int64_t>(), r["prod_id"].get<int64_t>()}];
    e.sold = r["total_sold"].get<int64_t>();
    e.received = r["total_received"].get<int64_t>();
    e.revenue = Money::parse(r["revenue"].dump()).value();
    EXPECT_EQ(r["unit_left"].get<int64_t>(), e.received - e.sold) << r.dump();
  }
  return out;
}

void add_totals(Totals* into, const Totals& part) {
  for (const auto& [k, e] : part) {
    Expected& t = (*into)[k];
    t.sold += e.sold;
    t.received += e.received;
    t.revenue += e.revenue;
  }
}

void expect_totals(const Totals& got, const Totals& want) {
  ASSERT_EQ(got.size(), want.size());
  for (const auto& [k, w] : want) {
    auto it = got.find(k);
    ASSERT_NE(it, got.end()) << "store " << k.first << " prod " << k.second << " missing";
    EXPECT_EQ(it->second.sold, w.sold) << "store " << k.first << " prod " << k.second;
    EXPECT_EQ(it->second.received, w.received) << "store " << k.first << " prod " << k.second;
    EXPECT_EQ(it->second.revenue, w.revenue) << "store " << k.first << " prod " << k.second;
  }
}

template <typename F>
bool wait_for(F pred, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

uint64_t accepted(int port) {
  json p = pipeline(port);
  return p.is_null() ? 0 : p["events_accepted"].get<uint64_t>() + p["dead_letters"].get<uint64_t>();
}

// Waits until `n` records are in the log and applied to state.
bool wait_consumed(int port, uint64_t n, int timeout_ms = 60000) {
  return wait_for(
      [&] {
        json p = pipeline(port);
        if (p.is_null()) return false;
        return p["events_accepted"].get<uint64_t>() + p["dead_letters"].get<uint64_t>() >= n &&
               p["applied_offset"] == p["log_end_offset"];
      },
      timeout_ms);
}

size_t assigned_partitions(int port) {
  json p = pipeline(port);
  if (p.is_null() || p["kafka"].is_null()) return 0;
  return p["kafka"]["partitions"].size();
}

// sale_info, read back (latest per key), against /api/v1/inventory.
void expect_sale_info_matches_inventory(const std::string& bootstrap, int port) {
  json rows = get_json(port, "/api/v1/inventory");
  ASSERT_FALSE(rows.empty());
  std::map<std::string, json> latest;
  // The sink publishes every 200 ms; give it a few intervals to catch up.
  bool same = wait_for(
      [&] {
        latest = latest_by_key(read_topic(bootstrap, "sale_info"));
        if (latest.size() != rows.size()) return false;
        for (const json& r : rows) {
          json key = {{"prod_id", r["prod_id"]}};
          if (r["store_id"] != 1) key["store_id"] = r["store_id"];
          auto it = latest.find(key.dump());
          if (it == latest.end()) return false;
          if (it->second["total_sold"] != r["total_sold"] ||
              it->second["unit_left"] != r["unit_left"])
            return false;
        }
        return true;
      },
      20000);
  ASSERT_TRUE(same) << "sale_info has " << latest.size() << " keys, inventory " << rows.size()
                    << " rows";
  for (const json& r : rows) {
    json key = {{"prod_id", r["prod_id"]}};
    if (r["store_id"] != 1) key["store_id"] = r["store_id"];
    const json& v = latest.at(key.dump());
    EXPECT_EQ(v["prod_id"], r["prod_id"]);
    EXPECT_EQ(v["prod_name"], r["prod_name"]);
    EXPECT_EQ(Money::parse(v["regular_unit_price"].dump()).value(),
              Money::parse(r["regular_unit_price"].dump()).value());
    EXPECT_EQ(v["reorder_point"], r["reorder_point"]);
    EXPECT_EQ(v["total_sold"], r["total_sold"]);
    EXPECT_EQ(v["unit_left"], r["unit_left"]);
  }
}

}  // namespace

// Produce N keyed events, run the engine, compare inventory with the expected values.
TEST(Kafka, ConsumesKeyedEventsIntoExactInventory) {
  TempDir dir;
  MockCluster mock;
  ASSERT_FALSE(mock.bootstrap().empty());
  Totals want;
  std::vector<KEvent> events = make_events(11, 20000, &want);
  {
    Producer p(mock.bootstrap());
    for (const KEvent& e : events) p.send(e.topic, e.key, e.value);
    p.send(kSale, "1:1", "{\"id\":\"broken\"");  // refused: a dead letter, and still consumed once
    ASSERT_TRUE(p.flush());
  }
  EngineProcess engine(
      run_args(write_config(dir, "c.toml", mock.bootstrap(), "g1"), dir.sub("data")),
      dir.sub("engine.log"));
  ASSERT_TRUE(engine.start()) << dir.sub("engine.log");
  ASSERT_TRUE(wait_consumed(engine.port(), events.size() + 1)) << pipeline(engine.port()).dump();
  expect_totals(inventory_totals(engine.port()), want);
  json p = pipeline(engine.port());
  EXPECT_EQ(p["events_accepted"].get<uint64_t>(), events.size());
  EXPECT_EQ(p["dead_letters"].get<uint64_t>(), 1u);
  EXPECT_EQ(p["duplicates"].get<uint64_t>(), 0u);
  // Lag per partition: all 16 partitions assigned, caught up.
  ASSERT_TRUE(wait_for(
      [&] {
        json k = pipeline(engine.port())["kafka"];
        if (k["partitions"].size() != kAllPartitions) return false;
        for (const json& part : k["partitions"]) {
          if (part["lag"] != 0) return false;
        }
        return k["lag"] == 0;
      },
      10000))
      << pipeline(engine.port())["kafka"].dump();
  for (const json& part : pipeline(engine.port())["kafka"]["partitions"]) {
    EXPECT_EQ(part["high_watermark"].get<int64_t>(), part["logged_offset"].get<int64_t>() + 1)
        << part.dump();
  }
  httplib::Client c("127.0.0.1", engine.port());
  auto metrics = c.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find(
                "ledgerflow_kafka_consumer_lag{topic=\"sale_transaction\",partition=\"0\"} 0"),
            std::string::npos);
  // Restarted, the engine reads nothing again: everything is at or below its logged offsets.
  ASSERT_EQ(engine.stop(), 0);
  EngineProcess again(run_args(dir.sub("c.toml"), dir.sub("data")), dir.sub("engine.log"));
  ASSERT_TRUE(again.start());
  ASSERT_TRUE(wait_for([&] { return assigned_partitions(again.port()) == kAllPartitions; }, 30000));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  expect_totals(inventory_totals(again.port()), want);
  EXPECT_EQ(pipeline(again.port())["events_accepted"].get<uint64_t>(), events.size());
  if (HasFailure()) std::printf("engine log: %s\n", dir.sub("engine.log").c_str());
}

// SIGKILL the engine mid-stream several times and restart: exact totals, nothing logged twice.
TEST(Kafka, SigkillMidStreamSeveralTimesExactTotals) {
  TempDir dir;
  MockCluster mock;
  ASSERT_FALSE(mock.bootstrap().empty());
  Totals want;
  std::vector<KEvent> events = make_events(12, 24000, &want);
  std::string config = write_config(dir, "c.toml", mock.bootstrap(), "g-crash");
  std::atomic<size_t> produced{0};
  std::thread producer([&] {
    Producer p(mock.bootstrap());
    // Paced over ~40 s so that the kills land while the engine is consuming (a restarted
    // instance rejoins the group once the killed one's session has expired, ~6 s).
    for (size_t i = 0; i < events.size(); ++i) {
      p.send(events[i].topic, events[i].key, events[i].value);
      produced = i + 1;
      if (i % 100 == 99) std::this_thread::sleep_for(std::chrono::milliseconds(160));
    }
    EXPECT_TRUE(p.flush());
  });
  std::mt19937 rng(7);
  const int kills = 4;
  uint64_t skipped = 0;
  for (int k = 0; k <= kills; ++k) {
    EngineProcess engine(run_args(config, dir.sub("data")), dir.sub("engine.log"));
    ASSERT_TRUE(engine.start()) << "start " << k << " failed; see " << dir.sub("engine.log");
    if (k == kills) {
      producer.join();
      ASSERT_TRUE(wait_consumed(engine.port(), events.size(), 90000))
          << pipeline(engine.port()).dump() << "\nsee " << dir.sub("engine.log");
      json p = pipeline(engine.port());
      // Every record exactly once in the log, whatever was redelivered.
      EXPECT_EQ(p["events_accepted"].get<uint64_t>(), events.size());
      EXPECT_EQ(p["duplicates"].get<uint64_t>(), 0u);
      expect_totals(inventory_totals(engine.port()), want);
      skipped += p["kafka"]["skipped_redeliveries"].get<uint64_t>();
      std::printf("%d kills; the last run skipped %llu redelivered messages\n", kills,
                  (unsigned long long)skipped);
      engine.stop();
      break;
    }
    // Kill once this run has consumed a few hundred new messages, at a random moment after.
    uint64_t target = accepted(engine.port()) + 300 + rng() % 300;
    bool progressed = wait_for([&] { return accepted(engine.port()) >= target; }, 60000);
    EXPECT_TRUE(progressed) << "run " << k << " made no progress; see " << dir.sub("engine.log");
    if (!progressed) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 200));
    engine.kill_hard();
  }
  if (producer.joinable()) producer.join();
  if (HasFailure()) std::printf("engine log: %s\n", dir.sub("engine.log").c_str());
}

// Take a broker down mid-stream and bring it back: no loss, no duplicates, and the sink's
// sale_info topic ends equal to the inventory.
TEST(Kafka, BrokerDownAndBackMidStreamNoLossNoDuplicates) {
  TempDir dir;
  MockCluster mock;
  ASSERT_FALSE(mock.bootstrap().empty());
  Totals want;
  std::vector<KEvent> events = make_events(13, 16000, &want);
  EngineProcess engine(
      run_args(write_config(dir, "c.toml", mock.bootstrap(), "g-broker"), dir.sub("data")),
      dir.sub("engine.log"));
  ASSERT_TRUE(engine.start());
  ASSERT_TRUE(
      wait_for([&] { return assigned_partitions(engine.port()) == kAllPartitions; }, 30000));
  Producer p(mock.bootstrap());
  size_t half = events.size() / 2;
  for (size_t i = 0; i < half; ++i) p.send(events[i].topic, events[i].key, events[i].value);
  ASSERT_TRUE(p.flush());
  ASSERT_TRUE(wait_for([&] { return accepted(engine.port()) >= half / 2; }, 30000));
  ASSERT_EQ(mock.command("down 2"), "ok");
  // The second half is produced while broker 2 is down: its partitions wait for it.
  for (size_t i = half; i < events.size(); ++i)
    p.send(events[i].topic, events[i].key, events[i].value);
  std::this_thread::sleep_for(std::chrono::seconds(3));
  ASSERT_EQ(mock.command("up 2"), "ok");
  ASSERT_TRUE(p.flush());
  ASSERT_TRUE(wait_consumed(engine.port(), events.size(), 90000)) << pipeline(engine.port()).dump();
  json pl = pipeline(engine.port());
  EXPECT_EQ(pl["events_accepted"].get<uint64_t>(), events.size());
  EXPECT_EQ(pl["duplicates"].get<uint64_t>(), 0u);
  expect_totals(inventory_totals(engine.port()), want);
  expect_sale_info_matches_inventory(mock.bootstrap(), engine.port());
  // Every sink message is delivered in the end (a last coalesced flush may still be in flight
  // when sale_info is read back).
  EXPECT_TRUE(wait_for(
      [&] { return pipeline(engine.port())["kafka"]["sink"]["in_flight"].get<uint64_t>() == 0; },
      30000))
      << pipeline(engine.port()).dump();
  if (HasFailure()) std::printf("engine log: %s\n", dir.sub("engine.log").c_str());
}

// Two instances in one group split the 8 partitions of each topic; summed per key their
// inventories equal the expected totals, also after one stops and the other takes over.
TEST(Kafka, TwoInstancesSplitPartitionsAndTakeOver) {
  TempDir dir;
  MockCluster mock;
  ASSERT_FALSE(mock.bootstrap().empty());
  std::string config = write_config(dir, "c.toml", mock.bootstrap(), "g-pair");
  auto a = std::make_unique<EngineProcess>(run_args(config, dir.sub("a")), dir.sub("a.log"));
  auto b = std::make_unique<EngineProcess>(run_args(config, dir.sub("b")), dir.sub("b.log"));
  ASSERT_TRUE(a->start());
  ASSERT_TRUE(b->start());
  ASSERT_TRUE(wait_for(
      [&] {
        return assigned_partitions(a->port()) == kAllPartitions / 2 &&
               assigned_partitions(b->port()) == kAllPartitions / 2;
      },
      40000))
      << "assignments: " << assigned_partitions(a->port()) << " and "
      << assigned_partitions(b->port());

  Totals want;
  std::vector<KEvent> first = make_events(14, 12000, &want);
  Producer p(mock.bootstrap());
  for (const KEvent& e : first) p.send(e.topic, e.key, e.value);
  ASSERT_TRUE(p.flush());
  ASSERT_TRUE(
      wait_for([&] { return accepted(a->port()) + accepted(b->port()) >= first.size(); }, 60000));
  ASSERT_TRUE(wait_consumed(a->port(), accepted(a->port())));
  ASSERT_TRUE(wait_consumed(b->port(), accepted(b->port())));
  EXPECT_EQ(accepted(a->port()) + accepted(b->port()), first.size());
  EXPECT_GT(accepted(a->port()), 0u);
  EXPECT_GT(accepted(b->port()), 0u);
  Totals ta = inventory_totals(a->port()), tb = inventory_totals(b->port());
  // Keys follow partitions: with co-partitioned topics and range assignment no key is split.
  for (const auto& [k, e] : ta)
    EXPECT_EQ(tb.count(k), 0u) << "key in both instances: " << k.first << "/" << k.second;
  Totals both;
  add_totals(&both, ta);
  add_totals(&both, tb);
  expect_totals(both, want);

  // B leaves cleanly (it commits what it logged before leaving); A takes its partitions over.
  ASSERT_EQ(b->stop(), 0);
  ASSERT_TRUE(wait_for([&] { return assigned_partitions(a->port()) == kAllPartitions; }, 40000));
  std::vector<KEvent> second = make_events(14, 6000, &want, first.size());
  for (const KEvent& e : second) p.send(e.topic, e.key, e.value);
  ASSERT_TRUE(p.flush());
  uint64_t a_before = accepted(a->port());
  ASSERT_TRUE(wait_for([&] { return accepted(a->port()) >= a_before + second.size(); }, 60000));
  ASSERT_TRUE(wait_consumed(a->port(), a_before + second.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(accepted(a->port()), a_before + second.size()) << "A read some of B's records again";
  Totals all;
  add_totals(&all, inventory_totals(a->port()));
  add_totals(&all, tb);  // B's state as it stopped (its data dir holds exactly that)
  expect_totals(all, want);

  // B's data dir, restarted alone in another group (reading nothing new), still holds its part.
  ASSERT_EQ(a->stop(), 0);
  std::string solo = write_config(dir, "solo.toml", mock.bootstrap(), "g-pair",
                                  "");  // same group: B gets every partition, and A's commits
  EngineProcess b2(run_args(solo, dir.sub("b")), dir.sub("b.log"));
  ASSERT_TRUE(b2.start());
  ASSERT_TRUE(wait_for([&] { return assigned_partitions(b2.port()) == kAllPartitions; }, 40000));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  // Everything after B left was consumed and committed by A: B reads none of it.
  Totals tb2 = inventory_totals(b2.port());
  EXPECT_EQ(tb2.size(), tb.size());
  for (const auto& [k, e] : tb) {
    EXPECT_EQ(tb2[k].sold, e.sold);
    EXPECT_EQ(tb2[k].received, e.received);
  }
  if (HasFailure())
    std::printf("logs: %s %s\n", dir.sub("a.log").c_str(), dir.sub("b.log").c_str());
}

// `ledgerflow generate --to kafka://` as the data generator; sale_info read back (latest value
// per key) equals /api/v1/inventory.
TEST(Kafka, GenerateToolAndSaleInfoMatchesInventory) {
  TempDir dir;
  MockCluster mock;
  ASSERT_FALSE(mock.bootstrap().empty());
  std::string out;
  int rc =
      run_command({LEDGERFLOW_BINARY, "generate", "--to", "kafka://" + mock.bootstrap(), "--count",
                   "15000", "--stores", "3", "--seed", "21", "--start-ms", "1714564800000"},
                  &out);
  ASSERT_EQ(rc, 0);
  // What the tool generated, independently: the same generator with the same options.
  Totals want;
  {
    GeneratorOptions g;
    g.seed = 21;
    g.stores = 3;
    g.count = 15000;
    g.start_ms = 1714564800000;
    Generator gen(&Catalog::builtin(), g);
    GeneratedLine line;
    while (gen.next(&line)) add_expected(&want, line.json, line.type == EventType::kSale);
  }
  // Keyed by store:prod, so one key is always in one partition of its topic.
  std::map<std::string, int32_t> partition_of;
  for (const Message& m : read_topic(mock.bootstrap(), kSale)) {
    auto [it, inserted] = partition_of.emplace(m.key, m.partition);
    ASSERT_EQ(it->second, m.partition) << "key " << m.key << " in two partitions";
  }
  EngineProcess engine(
      run_args(write_config(dir, "c.toml", mock.bootstrap(), "g-gen"), dir.sub("data")),
      dir.sub("engine.log"));
  ASSERT_TRUE(engine.start());
  ASSERT_TRUE(wait_consumed(engine.port(), 15000)) << pipeline(engine.port()).dump();
  expect_totals(inventory_totals(engine.port()), want);
  expect_sale_info_matches_inventory(mock.bootstrap(), engine.port());
  json sink = pipeline(engine.port())["kafka"]["sink"];
  EXPECT_EQ(sink["failed"].get<uint64_t>(), 0u) << sink.dump();
  EXPECT_GT(sink["delivered"].get<uint64_t>(), 0u) << sink.dump();
}

// Finance events from `generate --finance` on a typed events topic: the engine's ledger holds
// what the same generator yields in-process, its alerts are the ones a bare FinanceLedger
// raises over those records, and every alert reaches the `alerts` topic under its seq.
TEST(Kafka, FinanceEventsInAlertsOut) {
  TempDir dir;
  MockCluster mock;
  ASSERT_FALSE(mock.bootstrap().empty());
  std::string out;
  ASSERT_EQ(run_command({LEDGERFLOW_BINARY, "generate", "--finance", "--to",
                         "kafka://" + mock.bootstrap() + "?topics=finance_events", "--seed", "5",
                         "--finance-days", "200", "--suppliers", "10", "--customers", "20"},
                        &out),
            0)
      << out;
  // The same data set, independently of the engine: generator, parser and a bare ledger.
  FinanceGeneratorOptions o;
  o.seed = 5;
  o.days = 200;
  o.suppliers = 10;
  o.customers = 20;
  std::vector<FinanceRecord> records = finance_records_until(o, floor_div(now_ms(), kMsPerDay));
  FinanceLedger bare;
  FinanceEventParser parser;
  uint64_t offset = 0;
  for (const FinanceRecord& r : records) {
    FinanceEvent e;
    ASSERT_TRUE(parser.parse(finance_record_line(r), std::nullopt, &e));
    bare.apply(e, 0, offset++);
  }
  AlertPage want = bare.alerts(AlertFilter{.limit = 100'000});
  ASSERT_GT(want.total, 5u);
  EngineProcess engine(run_args(write_config(dir, "c.toml", mock.bootstrap(), "g-fin",
                                             "[kafka.topics]\nevents = [\"finance_events\"]\n"),
                                dir.sub("data")),
                       dir.sub("engine.log"));
  ASSERT_TRUE(engine.start()) << dir.sub("engine.log");
  ASSERT_TRUE(wait_consumed(engine.port(), records.size())) << pipeline(engine.port()).dump();
  json alerts = get_json(engine.port(), "/api/v1/alerts?limit=10000");
  EXPECT_EQ(alerts["total"].get<uint64_t>(), want.total);
  for (const auto& [rule, n] : want.by_rule) EXPECT_EQ(alerts["by_rule"][rule], n) << rule;
  json summary = get_json(engine.port(), "/api/v1/finance/summary");
  EXPECT_EQ(summary["invoices"].get<uint64_t>(), bare.counts(*bare.latest_day()).invoices);
  EXPECT_EQ(pipeline(engine.port())["dead_letters"].get<uint64_t>(), 0u);
  std::set<std::string> want_keys;
  for (const json& a : alerts["alerts"])
    want_keys.insert("finance-" + std::to_string(a["seq"].get<uint64_t>()));
  std::set<std::string> got_keys;
  ASSERT_TRUE(wait_for(
      [&] {
        got_keys.clear();
        for (const Message& m : read_topic(mock.bootstrap(), "alerts")) {
          json v = json::parse(m.value);
          if (v["kind"] == "finance") {
            got_keys.insert(m.key);
            EXPECT_EQ(m.key, "finance-" + std::to_string(v["seq"].get<uint64_t>()));
          }
        }
        return got_keys == want_keys;
      },
      20000))
      << got_keys.size() << " of " << want_keys.size() << " finance alerts on the topic";
}

// kcat, an outside Kafka client: it produces sales and shipments the engine consumes, and reads
// the sale_info and alerts topics the engine writes.
TEST(Kafka, KcatProducesAndReadsAgainstTheEngine) {
  std::string kcat = LEDGERFLOW_KCAT;
  if (kcat.empty() || kcat.find("NOTFOUND") != std::string::npos) {
    FAIL() << "kcat not found: run scripts/setup.sh (Debian package kcat)";
  }
  TempDir dir;
  MockCluster mock;
  ASSERT_FALSE(mock.bootstrap().empty());
  EngineProcess engine(
      run_args(write_config(dir, "c.toml", mock.bootstrap(), "g-kcat"), dir.sub("data")),
      dir.sub("engine.log"));
  ASSERT_TRUE(engine.start());
  ASSERT_TRUE(
      wait_for([&] { return assigned_partitions(engine.port()) == kAllPartitions; }, 30000));
  // Product 17 at store 1 gets 100 units (its catalog reorder point is 50), then sells 60 of
  // them: 40 left, below the reorder point, so an alert follows. Product 7 at store 2 stays
  // above.
  {
    std::ofstream f(dir.sub("shipments.txt"));
    f << "1:17|{\"id\":\"s-1\",\"prod_id\":17,\"unit_received\":100,\"dt\":\"2024-05-01 "
         "12:00:00.000\"}\n"
      << "2:7|{\"id\":\"s-2\",\"prod_id\":7,\"unit_received\":500,\"dt\":\"2024-05-01 "
         "12:00:00.000\",\"store_id\":2}\n";
  }
  {
    std::ofstream f(dir.sub("sales.txt"));
    for (int i = 0; i < 6; ++i) {
      f << "1:17|{\"id\":\"r-" << i
        << "\",\"prod_id\":17,\"prod_name\":\"Tea\",\"unit_sold\":10,\"reorder_point\":50,"
        << "\"regular_unit_price\":2.75,\"dt\":\"2024-05-01 12:0" << i << ":00.000\"}\n";
    }
    f << "2:7|{\"id\":\"r-9\",\"prod_id\":7,\"prod_name\":\"Soap\",\"unit_sold\":3,\"reorder_"
         "point\":20,"
      << "\"regular_unit_price\":1.10,\"dt\":\"2024-05-01 12:09:00.000\",\"store_id\":2}\n";
  }
  ASSERT_EQ(run_command({kcat, "-b", mock.bootstrap(), "-t", kShipment, "-P", "-K", "|", "-l",
                         dir.sub("shipments.txt")},
                        nullptr),
            0);
  // Topics are not ordered with each other: let the shipments land first so that no sale
  // drives a row below zero on the way.
  ASSERT_TRUE(wait_consumed(engine.port(), 2)) << pipeline(engine.port()).dump();
  ASSERT_EQ(run_command({kcat, "-b", mock.bootstrap(), "-t", kSale, "-P", "-K", "|", "-l",
                         dir.sub("sales.txt")},
                        nullptr),
            0);
  ASSERT_TRUE(wait_consumed(engine.port(), 9)) << pipeline(engine.port()).dump();
  // sale_info as kcat sees it (-J: one JSON envelope per message), latest per key.
  std::map<std::string, json> latest;
  ASSERT_TRUE(wait_for(
      [&] {
        std::string out;
        run_command({kcat, "-b", mock.bootstrap(), "-t", "sale_info", "-C", "-e", "-q", "-J"},
                    &out);
        latest.clear();
        size_t pos = 0;
        while (pos < out.size()) {
          size_t nl = out.find('\n', pos);
          std::string line =
              out.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
          pos = nl == std::string::npos ? out.size() : nl + 1;
          if (line.empty()) continue;
          json env = json::parse(line);
          latest[env["key"].get<std::string>()] = json::parse(env["payload"].get<std::string>());
        }
        // Both keys at their final values: sale_info carries every coalesced change, so an
        // earlier value of a key can be the latest one read while the last pass is in flight.
        return latest.count("{\"prod_id\":17}") && latest["{\"prod_id\":17}"]["total_sold"] == 60 &&
               latest.count("{\"prod_id\":7,\"store_id\":2}") &&
               latest["{\"prod_id\":7,\"store_id\":2}"]["unit_left"] == 497;
      },
      20000))
      << "sale_info keys: " << latest.size();
  EXPECT_EQ(latest["{\"prod_id\":17}"],
            json::parse("{\"prod_id\":17,\"prod_name\":\"Toilet Paper 9 "
                        "Rolls\",\"regular_unit_price\":2.75,\"reorder_point\":50,"
                        "\"total_sold\":60,\"unit_left\":40}"));
  EXPECT_EQ(latest["{\"prod_id\":7,\"store_id\":2}"]["unit_left"], 497);
  // The low-stock alert for product 17, and none for product 7.
  std::string alerts;
  ASSERT_TRUE(wait_for(
      [&] {
        alerts.clear();
        run_command(
            {kcat, "-b", mock.bootstrap(), "-t", "alerts", "-C", "-e", "-q", "-f", "%k\\t%s\\n"},
            &alerts);
        return alerts.find("low_stock") != std::string::npos;
      },
      20000))
      << alerts;
  json alert =
      json::parse(alerts.substr(alerts.find('\t') + 1, alerts.find('\n') - alerts.find('\t') - 1));
  EXPECT_EQ(alert["kind"], "low_stock");
  EXPECT_EQ(alert["prod_id"], 17);
  EXPECT_EQ(alert["store_id"], 1);
  EXPECT_EQ(alert["unit_left"], 40);
  EXPECT_EQ(alert["reorder_point"], 50);
  EXPECT_EQ(alerts.find("\"prod_id\":7"), std::string::npos) << alerts;
}

// `ledgerflow ingest FILE.csv --to kafka://HOST:PORT/TOPIC`: rows as JSON objects keyed by the
// header, all values strings; malformed rows are counted and make the exit status non-zero.
TEST(Kafka, IngestCsvRowsAsJsonObjects) {
  TempDir dir;
  MockCluster mock;
  ASSERT_FALSE(mock.bootstrap().empty());
  {
    std::ofstream f(dir.sub("orders.csv"), std::ios::binary);
    f << "\xEF\xBB\xBF"
      << "Type,Order Id,Customer City,Sales,order date (DateOrders)\r\n"
      << "DEBIT,1001,\"Caguas, PR\",327.75 ,1/31/2018 22:56\r\n"
      << "TRANSFER,1002,\"He said \"\"hi\"\"\",11.5,2/1/2018 1:02\r\n";
  }
  std::string out;
  ASSERT_EQ(run_command(
                {LEDGERFLOW_BINARY, "ingest", dir.sub("orders.csv"), "--to",
                 "kafka://" + mock.bootstrap() + "/supply_chain_data", "--key-column", "Order Id"},
                &out),
            0);
  std::vector<Message> msgs = read_topic(mock.bootstrap(), "supply_chain_data");
  ASSERT_EQ(msgs.size(), 2u);
  std::map<std::string, json> by_key;
  for (const Message& m : msgs) by_key[m.key] = json::parse(m.value);
  EXPECT_EQ(
      by_key["1001"],
      json::parse("{\"Type\":\"DEBIT\",\"Order Id\":\"1001\",\"Customer City\":\"Caguas, PR\","
                  "\"Sales\":\"327.75 \",\"order date (DateOrders)\":\"1/31/2018 22:56\"}"));
  EXPECT_EQ(by_key["1002"]["Customer City"], "He said \"hi\"");
  // Latin-1 input is converted; a row with too few fields is not sent and fails the command.
  {
    std::ofstream f(dir.sub("latin1.csv"), std::ios::binary);
    f << "Order Id,Customer City\n2001,S\xE3o Paulo\n2002\n";
  }
  EXPECT_EQ(run_command({LEDGERFLOW_BINARY, "ingest", dir.sub("latin1.csv"), "--to",
                         "kafka://" + mock.bootstrap() + "/supply_chain_data"},
                        &out),
            1);
  msgs = read_topic(mock.bootstrap(), "supply_chain_data");
  ASSERT_EQ(msgs.size(), 3u);
  bool found = false;
  for (const Message& m : msgs) {
    if (m.value.find("2001") != std::string::npos) {
      EXPECT_EQ(json::parse(m.value)["Customer City"], "S\xC3\xA3o Paulo");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

// DataCo rows on topic supply_chain_data (header-keyed JSON objects, values all strings), here
// from the BOM copy of the fixture (columns reordered, an unknown column, rows shuffled) sent by
// `ingest --to kafka://`: the engine's marts equal the SQL over the raw CSV exactly.
TEST(Kafka, DatacoRowsOnSupplyChainDataMatchSql) {
  TempDir dir;
  MockCluster mock;
  ASSERT_FALSE(mock.bootstrap().empty());
  std::string out;
  // The short row is not sent (exit status 1); the other bad rows go and become dead letters.
  ASSERT_EQ(run_command({LEDGERFLOW_BINARY, "ingest",
                         ledgerflow::testing::dataco_fixture("fixture_bom.csv"), "--format",
                         "dataco", "--to", "kafka://" + mock.bootstrap() + "/supply_chain_data",
                         "--key-column", "Order Customer Id"},
                        &out),
            1);
  EngineProcess engine(
      run_args(write_config(dir, "c.toml", mock.bootstrap(), "g-dataco"), dir.sub("data")),
      dir.sub("engine.log"));
  ASSERT_TRUE(engine.start()) << dir.sub("engine.log");
  ASSERT_TRUE(ledgerflow::testing::wait_mart_lines(engine.port(), 378));
  EXPECT_EQ(ledgerflow::testing::dataco_mart_lines(engine.port()),
            ledgerflow::testing::dataco_expected_lines());
  json p;
  for (int i = 0; i < 100 && (p = pipeline(engine.port()))["dead_letters"] != 11; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(p["dead_letters"], 11) << p.dump();
  // The DataCo suspected-fraud customers (two or more such orders, by the SQL) reach the alerts
  // topic once each, keyed "dataco-<rule>-<customer>".
  std::set<std::string> want_keys;
  for (const std::string& c : ledgerflow::testing::dataco_expected_fraud_customers(2))
    want_keys.insert("dataco-dataco_fraud_customer-" + c);
  ASSERT_FALSE(want_keys.empty());
  std::multiset<std::string> got_keys;
  ASSERT_TRUE(wait_for(
      [&] {
        got_keys.clear();
        for (const Message& m : read_topic(mock.bootstrap(), "alerts")) {
          json v = json::parse(m.value);
          if (v["kind"] == "dataco" && v["rule_id"] == "dataco_fraud_customer") {
            EXPECT_EQ(m.key, "dataco-dataco_fraud_customer-" + v["subject"].get<std::string>());
            got_keys.insert(m.key);
          }
        }
        return std::set<std::string>(got_keys.begin(), got_keys.end()) == want_keys;
      },
      20000))
      << got_keys.size() << " of " << want_keys.size() << " DataCo alerts on the topic";
  EXPECT_EQ(got_keys.size(), want_keys.size()) << "a pattern was sent more than once";
}
