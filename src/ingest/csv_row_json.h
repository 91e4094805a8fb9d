#pragma once
// A CSV row as a JSON object keyed by the header names, every value a string: the shape the
// DataCo dataset's Kafka producers send on topic supply_chain_data, and what
// /api/v1/events/order_line accepts. Built once per header; not thread-safe (use one per
// thread).
#include <string>
#include <string_view>
#include <vector>

namespace ledgerflow {

class CsvRowJson {
 public:
  explicit CsvRowJson(const std::vector<std::string>& header);
  // Appends {"<name>":"<value>",...} to *out. `fields` has as many values as the header.
  void append(const std::vector<std::string_view>& fields, std::string* out) const;

 private:
  std::vector<std::string> keys_;  // "\"name\":" pre-escaped
};

}  // namespace ledgerflow
