#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "cli/kafka_tool_producer.h"
#include "cli/progress.h"
#include "core/event_time.h"
#include "sources/finance_feed.h"

namespace ledgerflow::cli {
namespace {

// "{store_id}:{prod_id}" of a generated line: the message key, so that every event of one
// product x store lands in the same partition of both topics (docs/KAFKA.md).
std::string key_of(const std::string& json) {
  auto number_after = [&](std::string_view field) -> std::string {
    size_t p = json.find(field);
    if (p == std::string::npos) return "";
    p += field.size();
    size_t end = json.find_first_of(",}", p);
    return json.substr(p, end - p);
  };
  std::string store = number_after("\"store_id\":");
  return (store.empty() ? std::to_string(kDefaultStoreId) : store) + ":" +
         number_after("\"prod_id\":");
}

// The tool's producer for --to, with the -X properties.
Status start_producer(const GenerateOptions& o, const KafkaUrl& url, KafkaToolProducer* producer) {
  std::map<std::string, std::string> props;
  if (Status s = parse_properties(o.properties, &props); !s) return s;
  return producer->start(url.brokers, props);
}

int generate_to_kafka(const GenerateOptions& o, Generator& gen) {
  Result<KafkaUrl> url = parse_kafka_url(o.to);
  if (!url) {
    spdlog::error("{}", url.status().to_string());
    return 2;
  }
  if (!url->topic.empty()) {
    spdlog::error(
        "--to {}: name the topics with ?topics=SALE,SHIPMENT (or one topic for typed events)",
        o.to);
    return 2;
  }
  // Two topics: sales and shipments in the seed format. One topic: native events, each with
  // its "type" field.
  std::vector<std::string> topics = url->topics;
  if (topics.empty())
    topics = {std::string(event_type_topic(EventType::kSale)),
              std::string(event_type_topic(EventType::kShipment))};
  if (topics.size() > 2) {
    spdlog::error("--to {}: at most two topics (sales, shipments)", o.to);
    return 2;
  }
  KafkaToolProducer producer;
  if (Status s = start_producer(o, *url, &producer); !s) {
    spdlog::error("{}", s.to_string());
    return 2;
  }
  Progress progress("generate", o.generator.count);
  auto counts = [&] {
    return fmt::format("delivered {} failed {}", producer.delivered(), producer.failed());
  };
  GeneratedLine line;
  std::string typed;
  while (gen.next(&line)) {
    int64_t due = gen.due_ms();
    while (due > now_ms()) {
      producer.poll();
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(due - now_ms(), 20)));
    }
    std::string key = key_of(line.json);
    if (topics.size() == 1) {
      typed = "{\"type\":\"";
      typed += event_type_topic(line.type);
      typed += "\",";
      typed.append(line.json, 1);
      producer.produce(topics[0], key, typed);
    } else {
      producer.produce(line.type == EventType::kSale ? topics[0] : topics[1], key, line.json);
    }
    if ((gen.emitted() & 1023) == 0) {
      producer.poll();
      progress.update(gen.emitted(), counts());
    }
  }
  while (producer.outstanding() > 0) {
    producer.flush(1000);
    progress.update(gen.emitted(), counts(), true);
    if (producer.outstanding() > 0)
      spdlog::info("generate: waiting for {} deliveries", producer.outstanding());
  }
  progress.update(gen.emitted(), counts(), true);
  progress.finish();
  std::fprintf(stderr, "generate: %llu events to %s: delivered %llu, failed %llu\n",
               (unsigned long long)gen.emitted(), o.to.c_str(),
               (unsigned long long)producer.delivered(), (unsigned long long)producer.failed());
  if (producer.failed() > 0) {
    spdlog::error("generate: {} messages were not delivered (last error: {})", producer.failed(),
                  producer.last_error());
    return 1;
  }
  return 0;
}

// NDJSON to stdout in 64 KB writes; flushed when waiting (flush()) and at the end.
class StdoutLines {
 public:
  ~StdoutLines() { flush(); }
  // False once stdout is gone (the reader closed the pipe).
  bool add(std::string_view line) {
    out_.append(line);
    out_ += '\n';
    return out_.size() <= (1 << 16) || flush();
  }
  bool flush() {
    bool ok = std::fwrite(out_.data(), 1, out_.size(), stdout) == out_.size();
    std::fflush(stdout);
    out_.clear();
    return ok;
  }

 private:
  std::string out_;
};

// The finance data set, in arrival order, as typed JSON lines: to stdout, or to one Kafka topic
// (the ledger is one per engine, so the topic should have one partition; every message has the
// key "finance" so a topic with more keeps them in order in one partition, docs/KAFKA.md).
int generate_finance(const GenerateOptions& o) {
  FinanceGeneratorOptions fo = o.finance_options;
  fo.seed = o.generator.seed;
  std::vector<FinanceRecord> records = finance_records_until(fo, floor_div(now_ms(), kMsPerDay));
  if (o.to.empty()) {
    StdoutLines out;
    for (const FinanceRecord& r : records) {
      if (!out.add(finance_record_line(r))) return 0;  // reader gone
    }
    return 0;
  }
  Result<KafkaUrl> url = parse_kafka_url(o.to);
  if (!url) {
    spdlog::error("{}", url.status().to_string());
    return 2;
  }
  std::string topic = !url->topic.empty()    ? url->topic
                      : !url->topics.empty() ? url->topics[0]
                                             : std::string("finance_events");
  KafkaToolProducer producer;
  if (Status s = start_producer(o, *url, &producer); !s) {
    spdlog::error("{}", s.to_string());
    return 2;
  }
  for (const FinanceRecord& r : records) {
    producer.produce(topic, "finance", finance_record_line(r));
    producer.poll();
  }
  while (producer.outstanding() > 0) producer.flush(1000);
  std::fprintf(stderr, "generate: %zu finance records to %s: delivered %llu, failed %llu\n",
               records.size(), o.to.c_str(), (unsigned long long)producer.delivered(),
               (unsigned long long)producer.failed());
  return producer.failed() > 0 ? 1 : 0;
}

}  // namespace

// NDJSON to stdout, one event per line with a "type" field so that the stream can be posted
// to /api/v1/events as it is.
int generate(const GenerateOptions& o) {
  if (o.finance) return generate_finance(o);
  Catalog catalog;
  if (!o.catalog_path.empty()) {
    Result<Catalog> c = Catalog::load_file(o.catalog_path);
    if (!c) {
      spdlog::error("{}", c.status().to_string());
      return 2;
    }
    catalog = std::move(c.value());
  } else {
    catalog = Catalog::builtin();
  }
  Generator gen(&catalog, o.generator);
  if (!o.to.empty()) return generate_to_kafka(o, gen);
  GeneratedLine line;
  StdoutLines out;
  std::string typed;
  while (gen.next(&line)) {
    int64_t due = gen.due_ms();
    if (due > now_ms()) {
      if (!out.flush()) return 0;  // reader gone
      std::this_thread::sleep_for(std::chrono::milliseconds(due - now_ms()));
    }
    // Insert the type after the opening brace.
    typed = "{\"type\":\"";
    typed += event_type_topic(line.type);
    typed += "\",";
    typed.append(line.json, 1);
    if (!out.add(typed)) return 0;  // reader gone
  }
  return 0;
}

}  // namespace ledgerflow::cli
