// `ledgerflow ingest FILE.csv --to kafka://HOST:PORT/TOPIC`: each CSV row becomes a JSON object
// keyed by the header names with every value a string (what the DataCo dataset producer sent),
// one message per row. With --format dataco the header must hold the DataCo columns, and
// --to http://HOST:PORT or --data-dir DIR load the rows into an engine (dataco_ingest.cpp).
#include <algorithm>
#include <cstdio>
#include <map>

#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "cli/kafka_tool_producer.h"
#include "cli/progress.h"
#include "ingest/csv_reader.h"
#include "ingest/csv_row_json.h"
#include "ingest/order_line_parser.h"
#include "ingest/text_file.h"

namespace ledgerflow::cli {

uint64_t count_lines(std::string_view data) {
  uint64_t lines = uint64_t(std::count(data.begin(), data.end(), '\n'));
  if (!data.empty() && data.back() != '\n') ++lines;
  return lines;
}

int ingest(const IngestOptions& o) {
  if (o.format != "csv" && o.format != "dataco") {
    spdlog::error("--format must be csv or dataco");
    return 2;
  }
  if (o.to.rfind("kafka://", 0) != 0) {
    if (o.format != "dataco") {
      spdlog::error("--to http:// and --data-dir take --format dataco");
      return 2;
    }
    return ingest_dataco(o);
  }
  Result<KafkaUrl> url = parse_kafka_url(o.to);
  if (!url) {
    spdlog::error("{}", url.status().to_string());
    return 2;
  }
  if (url->topic.empty()) {
    spdlog::error("--to {}: name the topic, e.g. kafka://localhost:9092/supply_chain_data", o.to);
    return 2;
  }
  Result<TextFile> file = read_text_file_utf8(o.file);
  if (!file) {
    spdlog::error("{}", file.status().message());
    return 2;
  }
  if (file->encoding == TextEncoding::kLatin1)
    spdlog::info("{} is not UTF-8: reading it as Latin-1", o.file);
  const std::string& data = file->data;
  std::map<std::string, std::string> props;
  if (Status s = parse_properties(o.properties, &props); !s) {
    spdlog::error("{}", s.to_string());
    return 2;
  }
  CsvReader csv(data);
  std::vector<std::string> header;
  std::vector<std::string_view> fields;
  Status err;
  if (!csv.next(&header, &err) || !err) {
    spdlog::error("{}: no header row{}", o.file, err ? "" : ": " + err.message());
    return 2;
  }
  if (o.format == "dataco") {
    if (Result<DatacoHeader> h = OrderLineParser::map_header(header); !h) {
      spdlog::error("{}: refused: {}", o.file, h.status().message());
      return 2;
    }
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
  CsvRowJson to_json(header);
  KafkaToolProducer producer;
  if (Status s = producer.start(url->brokers, props); !s) {
    spdlog::error("{}", s.to_string());
    return 2;
  }
  uint64_t lines = count_lines(data);
  Progress progress("ingest (lines)", lines);
  auto counts = [&] {
    return fmt::format("delivered {} failed {}", producer.delivered(), producer.failed());
  };
  uint64_t rows = 0, malformed = 0;
  std::string json;
  while (csv.next(&fields, &err)) {
    if (!err) {
      ++malformed;
      if (malformed <= 10)
        spdlog::warn("{} line {}: {}: not sent", o.file, csv.line(), err.message());
      continue;
    }
    if (fields.size() != header.size()) {
      ++malformed;
      if (malformed <= 10) {
        spdlog::warn("{} line {}: {} fields, the header has {}: not sent", o.file, csv.line(),
                     fields.size(), header.size());
      }
      continue;
    }
    json.clear();
    to_json.append(fields, &json);
    std::string_view key =
        key_index < fields.size() ? std::string_view(fields[key_index]) : std::string_view();
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
  std::fprintf(
      stderr, "ingest: %llu rows from %s to %s: delivered %llu, failed %llu, malformed rows %llu\n",
      (unsigned long long)rows, o.file.c_str(), o.to.c_str(),
      (unsigned long long)producer.delivered(), (unsigned long long)producer.failed(),
      (unsigned long long)malformed);
  if (producer.failed() > 0) {
    spdlog::error("ingest: {} messages were not delivered (last error: {})", producer.failed(),
                  producer.last_error());
  }
  return producer.failed() > 0 || malformed > 0 ? 1 : 0;
}

}  // namespace ledgerflow::cli
