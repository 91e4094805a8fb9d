// `ledgerflow bench --source kafka`: events per second from Kafka to state. A librdkafka mock
// cluster (3 brokers, in this process) is pre-loaded with generated sales and shipments; then an
// Engine with the Kafka source consumes them (consume -> parse -> log -> state) and the time from
// the first message consumed to the last event applied is measured. Baselines in the same run:
// a bare librdkafka consumer reading the same messages (the client's ceiling here) and parsing
// alone on one thread.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "cli/kafka_tool_producer.h"
#include "cli/thread_cpu.h"
#include "core/event_time.h"
#include "engine/engine.h"
#include "sources/bench_data.h"
#include "sources/kafka_source.h"

namespace ledgerflow::cli {
namespace fs = std::filesystem;

namespace {

struct MockCluster {
  KafkaHandle rk;
  rd_kafka_mock_cluster_t* cluster = nullptr;
  std::string bootstrap;
  ~MockCluster() {
    if (cluster) rd_kafka_mock_cluster_destroy(cluster);
  }
};

Status start_mock(int brokers, MockCluster* m) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[256];
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) return Status::fatal("kafka_mock", err);
  m->rk.reset(rk);
  m->cluster = rd_kafka_mock_cluster_new(rk, brokers);
  if (!m->cluster) return Status::fatal("kafka_mock", "cannot create the mock cluster");
  m->bootstrap = rd_kafka_mock_cluster_bootstraps(m->cluster);
  return Status::ok();
}

// Reads `n` messages from the start of every partition with a bare consumer (no group).
double raw_consume_eps(const std::string& bootstrap, const std::vector<std::string>& topics,
                       int partitions, uint64_t n) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[256];
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "group.id", "ledgerflow-bench-raw", err, sizeof err);
  rd_kafka_conf_set(conf, "enable.auto.commit", "false", err, sizeof err);
  rd_kafka_conf_set(conf, "check.crcs", "false", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (!rk) return 0;
  KafkaHandle h(rk);
  rd_kafka_poll_set_consumer(rk);
  rd_kafka_topic_partition_list_t* list =
      rd_kafka_topic_partition_list_new(int(topics.size()) * partitions);
  for (const std::string& t : topics) {
    for (int p = 0; p < partitions; ++p)
      rd_kafka_topic_partition_list_add(list, t.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_assign(rk, list);
  rd_kafka_topic_partition_list_destroy(list);
  uint64_t got = 0;
  int64_t t0 = 0;
  int64_t last_ns = monotonic_ns();
  // Ten idle seconds end it: the messages are all there before it starts.
  while (got < n && monotonic_ns() - last_ns < 10'000'000'000) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 100);
    if (!m) continue;
    if (!m->err) {
      if (got == 0) t0 = monotonic_ns();
      ++got;
      last_ns = monotonic_ns();
    }
    rd_kafka_message_destroy(m);
  }
  if (got != n) spdlog::error("bench: the bare consumer read {} of {} messages", got, n);
  double secs = double(monotonic_ns() - t0) / 1e9;
  rd_kafka_consumer_close(rk);
  return got == n && secs > 0 ? double(n) / secs : 0;
}

// Threads named rdk:* that existed before the source started belong to the mock cluster (the
// broker side, another machine in production); the rest is ledgerflow's side: the engine's lf-*
// threads and the consumer's own librdkafka threads.
std::string kafka_thread_group(const std::set<int>& broker_side, int tid, const std::string& name) {
  return broker_side.count(tid)           ? "mock_broker"
         : name.rfind("lf-kafka", 0) == 0 ? "consumer"
         : name.rfind("lf-log", 0) == 0   ? "log_writer"
         : name.rfind("lf-shard", 0) == 0 ? "shards"
         : name.rfind("rdk", 0) == 0      ? "librdkafka_client"
                                          : "other";
}

}  // namespace

int bench_kafka(const BenchOptions& o) {
  const std::vector<std::string> topics = {"sale_transaction", "inventory_shipment"};
  struct Msg {
    std::string key, value;
    bool sale;
  };
  std::vector<Msg> msgs;
  msgs.reserve(o.events);
  size_t topic_bytes[2] = {0, 0};
  {
    Generator gen(&Catalog::builtin(), bench_generator_options(o.events));
    GeneratedLine line;
    while (gen.next(&line)) {
      auto field = [&](std::string_view name) {
        size_t p = line.json.find(name);
        if (p == std::string::npos) return std::string("1");
        p += name.size();
        return line.json.substr(p, line.json.find_first_of(",}", p) - p);
      };
      // The key carries the sequence number too: it only spreads messages evenly over the
      // partitions (a real topic keys by store:prod, which the engine does not depend on).
      msgs.push_back(
          Msg{fmt::format("{}:{}:{}", field("\"store_id\":"), field("\"prod_id\":"), msgs.size()),
              line.json, line.type == EventType::kSale});
      topic_bytes[line.type == EventType::kSale ? 0 : 1] += line.json.size() + 64;
    }
  }
  // librdkafka's mock broker keeps at most 5 MiB (and 100,000 message sets) per partition and
  // drops the oldest beyond that: enough partitions that every message stays readable.
  const int partitions =
      std::max<int>(o.partitions, int(std::max(topic_bytes[0], topic_bytes[1]) / (12u << 20)) + 1);
  double parse_eps = 0;
  {
    EventParser parser;
    Event e;
    int64_t t0 = monotonic_ns();
    for (const Msg& m : msgs)
      (void)parser.parse(m.value, m.sale ? EventType::kSale : EventType::kShipment, &e);
    parse_eps = double(msgs.size()) / (double(monotonic_ns() - t0) / 1e9);
  }

  MockCluster mock;
  if (Status s = start_mock(3, &mock); !s) {
    spdlog::error("bench: {}", s.to_string());
    return 2;
  }
  for (const std::string& t : topics)
    rd_kafka_mock_topic_create(mock.cluster, t.c_str(), partitions, 1);
  double preload_eps = 0;
  {
    KafkaToolProducer producer;
    if (Status s = producer.start(mock.bootstrap, {{"log_level", "3"},
                                                   {"compression.codec", "lz4"},
                                                   {"linger.ms", "200"},
                                                   {"batch.num.messages", "10000"}});
        !s) {
      spdlog::error("bench: {}", s.to_string());
      return 2;
    }
    int64_t t0 = monotonic_ns();
    for (size_t i = 0; i < msgs.size(); ++i) {
      producer.produce(msgs[i].sale ? topics[0] : topics[1], msgs[i].key, msgs[i].value);
      if ((i & 4095) == 0) producer.poll();
    }
    while (producer.outstanding() > 0) producer.flush(1000);
    preload_eps = double(msgs.size()) / (double(monotonic_ns() - t0) / 1e9);
    if (producer.failed() > 0) {
      spdlog::error("bench: {} messages not delivered to the mock cluster: {}", producer.failed(),
                    producer.last_error());
      return 2;
    }
  }
  msgs.clear();
  msgs.shrink_to_fit();
  double raw_eps = raw_consume_eps(mock.bootstrap, topics, partitions, o.events);

  std::string dir = o.dir;
  bool temp = dir.empty();
  if (temp)
    dir = (fs::temp_directory_path() / fmt::format("ledgerflow-bench-kafka-{}", now_ms())).string();
  EngineConfig c;
  c.data_dir = dir;
  c.shards = o.shards;
  c.fsync = o.fsync;
  c.checkpoint_interval_ms = 3'600'000;
  c.kafka.brokers = mock.bootstrap;
  c.kafka.group_id = "ledgerflow-bench";
  c.kafka.properties = {{"session.timeout.ms", "6000"}, {"log_level", "3"}};
  double eps = 0, with_join_s = 0, steady_s = 0;
  uint64_t logged = 0;
  std::map<std::string, double> cpu;
  {
    Engine engine(c);
    if (Status s = engine.start(); !s) {
      spdlog::error("bench: {}", s.to_string());
      return 2;
    }
    KafkaSource source(&engine, c.kafka);
    std::set<int> broker_side;
    for (const auto& [tid, t] : thread_cpu()) {
      if (t.name.rfind("rdk", 0) == 0) broker_side.insert(tid);
    }
    std::map<int, ThreadCpu> cpu_first;
    int64_t t_start = monotonic_ns();
    if (Status s = source.start(); !s) {
      spdlog::error("bench: {}", s.to_string());
      return 2;
    }
    int64_t t_first = 0;
    int64_t deadline = monotonic_ns() + 600'000'000'000;
    while (monotonic_ns() < deadline) {
      if (t_first == 0 && source.consumed() > 0) {
        t_first = monotonic_ns();
        cpu_first = thread_cpu();
      }
      if (source.consumed() >= o.events) break;
      std::this_thread::sleep_for(std::chrono::microseconds(t_first ? 1000 : 100));
    }
    // Everything consumed; it counts once it is in the log and applied to state.
    for (;;) {
      PipelineStats p = engine.pipeline();
      if (p.events_accepted >= o.events || monotonic_ns() > deadline) {
        logged = p.events_accepted;
        engine.wait_applied(p.log_end_offset, 600'000);
        break;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    int64_t t_end = monotonic_ns();
    cpu = cpu_by_group(cpu_first, thread_cpu(), [&](int tid, const std::string& name) {
      return kafka_thread_group(broker_side, tid, name);
    });
    steady_s = double(t_end - t_first) / 1e9;
    with_join_s = double(t_end - t_start) / 1e9;
    eps = double(o.events) / steady_s;
    source.stop();
    engine.stop();
  }
  if (temp) fs::remove_all(dir);
  if (logged != o.events) {
    spdlog::error("bench: {} events logged, expected {}", logged, o.events);
    return 2;
  }
  double side_cpu_s = 0;
  for (const auto& [group, secs] : cpu) {
    if (group != "mock_broker") side_cpu_s += secs;
  }
  const std::string cpu_json = cpu_groups_json(cpu);
  const double per_cpu_s = side_cpu_s > 0 ? double(o.events) / side_cpu_s : 0;
  if (o.json) {
    fmt::print("{{\"source\":\"kafka\",\"events_per_cpu_s\":{:.0f},\"cpu_seconds\":{},", per_cpu_s,
               cpu_json);
    fmt::print(
        "\"events\":{},\"events_per_s\":{:.0f},\"seconds\":{:.3f},"
        "\"seconds_with_group_join\":{:.3f},\"shards\":{},\"partitions\":{},\"fsync\":\"{}\","
        "\"baseline_raw_consume_events_per_s\":{:.0f},\"baseline_parse_only_events_per_s\":{:.0f},"
        "\"preload_events_per_s\":{:.0f}}}\n",
        o.events, eps, steady_s, with_join_s, o.shards, partitions, fsync_policy_name(o.fsync),
        raw_eps, parse_eps, preload_eps);
  } else {
    fmt::print(
        "source: kafka (mock cluster, 3 brokers, 2 topics x {} partitions)  events: {}  shards: {} "
        " fsync: {}\n",
        partitions, o.events, o.shards, fsync_policy_name(o.fsync));
    fmt::print(
        "throughput, consume -> log -> state: {:.0f} events/s ({:.3f} s from the first message; "
        "{:.3f} s with the group join)\n",
        eps, steady_s, with_join_s);
    fmt::print(
        "CPU of ledgerflow's side (engine threads + the consumer's librdkafka threads, not the "
        "mock brokers): {:.3f} s = {:.0f} events per CPU-second; by thread group (s): {}\n",
        side_cpu_s, per_cpu_s, cpu_json);
    fmt::print("baseline, bare librdkafka consumer, same messages: {:.0f} events/s\n", raw_eps);
    fmt::print("baseline, parse + validate only on one thread: {:.0f} events/s\n", parse_eps);
    fmt::print("pre-load (idempotent producer, acks=all): {:.0f} events/s\n", preload_eps);
  }
  return 0;
}

}  // namespace ledgerflow::cli
