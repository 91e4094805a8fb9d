// `ledgerflow ingest FILE.csv --to kafka://HOST:PORT/TOPIC`: each CSV row becomes a JSON object
// keyed by the header names with every value a string (what the DataCo dataset producer sent),
// one message per row.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "cli/kafka_tool_producer.h"
#include "cli/progress.h"
#include "core/json_escape.h"
#include "ingest/csv_reader.h"

namespace ledgerflow::cli {
namespace {

// Latin-1 (ISO 8859-1) to UTF-8: every byte is the code point of the same value.
std::string latin1_to_utf8(std::string_view in) {
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  for (char ch : in) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += char(c);
    } else {
      out += char(0xC0 | (c >> 6));
      out += char(0x80 | (c & 0x3F));
    }
  }
  return out;
}

}  // namespace

int ingest(const IngestOptions& o) {
  Result<KafkaUrl> url = parse_kafka_url(o.to);
  if (!url) {
    spdlog::error("{}", url.status().to_string());
    return 2;
  }
  if (url->topic.empty()) {
    spdlog::error("--to {}: name the topic, e.g. kafka://localhost:9092/supply_chain_data", o.to);
    return 2;
  }
  std::string data;
  {
    std::ifstream in(o.file, std::ios::binary);
    if (!in) {
      spdlog::error("cannot read {}", o.file);
      return 2;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    data = std::move(ss).str();
  }
  // UTF-8 (with or without BOM) as it is; anything else is taken as Latin-1.
  if (!simdjson::validate_utf8(data.data(), data.size())) {
    spdlog::info("{} is not UTF-8: reading it as Latin-1", o.file);
    data = latin1_to_utf8(data);
  }
  std::map<std::string, std::string> props;
  if (Status s = parse_properties(o.properties, &props); !s) {
    spdlog::error("{}", s.to_string());
    return 2;
  }
  CsvReader csv(data);
  std::vector<std::string> header, fields;
  Status err;
  if (!csv.next(&header, &err) || !err) {
    spdlog::error("{}: no header row{}", o.file, err ? "" : ": " + err.message());
    return 2;
  }
  size_t key_index = header.size();
  if (!o.key_column.empty()) {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == o.key_column) key_index = i;
    }
    if (key_index == header.size()) {
      spdlog::error("{}: no column named \"{}\"", o.file, o.key_column);
      return 2;
    }
  }
  std::vector<std::string> names;
  for (const std::string& h : header) {
    std::string quoted;
    append_json_string(&quoted, h);
    names.push_back(quoted + ":");
  }
  KafkaToolProducer producer;
  if (Status s = producer.start(url->brokers, props); !s) {
    spdlog::error("{}", s.to_string());
    return 2;
  }
  uint64_t lines = uint64_t(std::count(data.begin(), data.end(), '\n'));
  if (!data.empty() && data.back() != '\n') ++lines;
  Progress progress("ingest (lines)", lines);
  auto counts = [&] { return fmt::format("delivered {} failed {}", producer.delivered(), producer.failed()); };
  uint64_t rows = 0, malformed = 0;
  std::string json;
  while (csv.next(&fields, &err)) {
    if (!err) {
      ++malformed;
      if (malformed <= 10) spdlog::warn("{} line {}: {}: not sent", o.file, csv.line(), err.message());
      continue;
    }
    if (fields.size() != header.size()) {
      ++malformed;
      if (malformed <= 10) {
        spdlog::warn("{} line {}: {} fields, the header has {}: not sent", o.file, csv.line(), fields.size(),
                     header.size());
      }
      continue;
    }
    json.clear();
    json += '{';
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i) json += ',';
      json += names[i];
      append_json_string(&json, fields[i]);
    }
    json += '}';
    std::string_view key = key_index < fields.size() ? std::string_view(fields[key_index]) : std::string_view();
    producer.produce(url->topic, key, json);
    if ((++rows & 1023) == 0) {
      producer.poll();
      progress.update(csv.line(), counts());
    }
  }
  while (producer.outstanding() > 0) {
    producer.flush(1000);
    progress.update(lines, counts(), true);
  }
  progress.update(lines, counts(), true);
  progress.finish();
  std::fprintf(stderr, "ingest: %llu rows from %s to %s: delivered %llu, failed %llu, malformed rows %llu\n",
               (unsigned long long)rows, o.file.c_str(), o.to.c_str(), (unsigned long long)producer.delivered(),
               (unsigned long long)producer.failed(), (unsigned long long)malformed);
  if (producer.failed() > 0) {
    spdlog::error("ingest: {} messages were not delivered (last error: {})", producer.failed(), producer.last_error());
  }
  return producer.failed() > 0 || malformed > 0 ? 1 : 0;
}

}  // namespace ledgerflow::cli
