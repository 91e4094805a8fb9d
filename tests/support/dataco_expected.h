#pragma once
// The DataCo fixture (tests/data/dataco, made by make_fixture.py) and its expected marts: SQL in
// the sqlite3 shell over the raw CSV (expected_marts.sql) gives one '|'-separated line per
// figure; mart_lines() turns the engine's /api/v1/marts answers into the same lines, so a test
// compares two sorted lists of text exactly (money in integer micro-units).
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "sinks/warehouse_backend.h"

namespace ledgerflow::testing {

inline std::string dataco_fixture(const std::string& name) {
  return std::string(LEDGERFLOW_SOURCE_DIR) + "/tests/data/dataco/" + name;
}

inline std::vector<std::string> split_sorted_lines(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    if (nl > pos) out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The expected figures, computed by SQLite from fixture.csv.
inline std::vector<std::string> dataco_expected_lines() {
  std::string cmd = "sqlite3 -batch :memory: -cmd '.import --csv " + dataco_fixture("fixture.csv") +
                    " raw' < " + dataco_fixture("expected_marts.sql") + " 2>/dev/null";
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
  }
  return split_sorted_lines(out);
}

// Customers the SQL finds with at least `min_fraud_orders` SUSPECTED_FRAUD orders ('U' lines:
// customer, orders, total, average, fraud orders).
inline std::set<std::string> dataco_expected_fraud_customers(int64_t min_fraud_orders) {
  std::set<std::string> out;
  for (const std::string& line : dataco_expected_lines()) {
    if (line.rfind("U|", 0) != 0) continue;
    const size_t id_end = line.find('|', 2);
    if (std::stoll(line.substr(line.rfind('|') + 1)) >= min_fraud_orders) {
      out.insert(line.substr(2, id_end - 2));
    }
  }
  return out;
}

// Money arrives as an exact decimal JSON number; the fixture's figures are far below 2^53
// micro-units, so the nearest double times 10^6 rounds back to the exact count.
inline std::string micros(const nlohmann::json& v) {
  return std::to_string(std::llround(v.get<double>() * 1e6));
}

inline nlohmann::json get_api_json(int port, const std::string& path) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(30, 0);
  auto res = c.Get(path.c_str());
  if (!res || res->status != 200) return nlohmann::json();
  return nlohmann::json::parse(res->body);
}

inline nlohmann::json get_mart(int port, const std::string& path) {
  return get_api_json(port, "/api/v1/marts/" + path);
}

// The engine's marts as the same lines as expected_marts.sql (aging as of 2017-06-30).
inline std::vector<std::string> dataco_mart_lines(int port) {
  using nlohmann::json;
  std::string out;
  auto line = [&](std::initializer_list<std::string> parts) {
    std::string l;
    for (const std::string& p : parts) l += (l.empty() ? "" : "|") + p;
    out += l + "\n";
  };
  auto s = [](const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
  json pd = get_mart(port, "payment_delays");
  if (pd.is_null()) return {};
  line({"N", s(pd["lines"])});
  for (const json& r : pd["by_delivery_status"])
    line({"D", s(r["delivery_status"]), s(r["lines"]), s(r["delay_days_sum"])});
  for (const json& r : pd["late_rate_by_shipping_mode"])
    line({"M", s(r["shipping_mode"]), s(r["lines"]), s(r["late_lines"])});
  for (const json& r : pd["late_rate_by_market"])
    line({"K", s(r["market"]), s(r["lines"]), s(r["late_lines"])});
  // Each answer is kept in a variable: a range-for over a member of a temporary would dangle.
  json fc = get_mart(port, "financial_commitments");
  for (const json& r : fc["rows"]) {
    line({"C", s(r["department"]), s(r["market"]), s(r["category"]), micros(r["committed"]),
          s(r["lines"]), s(r["fulfilled_lines"])});
  }
  json fd = get_mart(port, "fraud_detection?limit=10000000");
  for (const json& r : fd["customers"]) {
    line({"U", s(r["customer_id"]), s(r["orders"]), micros(r["order_total"]),
          micros(r["avg_order_total"]), s(r["suspected_fraud_orders"])});
  }
  for (const json& r : fd["by_payment_type"])
    line({"T", s(r["payment_type"]), s(r["orders"]), s(r["suspected_fraud_orders"])});
  for (const json& r : fd["by_market"])
    line({"F", s(r["market"]), s(r["orders"]), s(r["suspected_fraud_orders"])});
  json op = get_mart(port, "overall_performance");
  for (const json& r : op["months"]) {
    line({"P", s(r["month"]), s(r["lines"]), micros(r["sales"]), micros(r["profit"]),
          micros(r["avg_profit_per_line"]), s(r["days_real_sum"]), s(r["days_scheduled_sum"])});
  }
  json cr = get_mart(port, "customer_retention");
  for (const json& r : cr["months"]) {
    line({"R", s(r["month"]), s(r["customers"]), s(r["returning_customers"])});
  }
  json ov = get_mart(port, "order_value_by_month?as_of=2017-06-30");
  for (const json& r : ov["months"])
    line({"V", s(r["month"]), micros(r["order_value"]), s(r["lines"]), s(r["orders"])});
  for (const json& r : ov["aging"]) {
    if (r["lines"] != 0) line({"A", s(r["bucket"]), micros(r["order_value"]), s(r["lines"])});
  }
  line({"X", "after_as_of", micros(ov["after_as_of"]["order_value"]),
        s(ov["after_as_of"]["lines"])});
  json ar = get_api_json(port, "/api/v1/finance/aging?side=receivables&dataco_as_of=2017-06-30");
  const json& buckets = ar["buckets"];
  for (const json& c : ar["dataco"]["by_counterparty"]) {
    for (size_t b = 0; b < buckets.size(); ++b) {
      if (c["count"][b] != 0) {
        line({"AR", s(c["id"]), s(buckets[b]), micros(c["amount"][b]), s(c["count"][b])});
      }
    }
  }
  return split_sorted_lines(out);
}

// The warehouse's DataCo gold tables as the same lines (tests/data/dataco/gold_lines.sql);
// empty when the query fails.
inline std::vector<std::string> dataco_gold_lines(sinks::WarehouseBackend& db) {
  std::ifstream f(dataco_fixture("gold_lines.sql"));
  std::string sql((std::istreambuf_iterator<char>(f)), {});
  Result<sinks::QueryResult> r = db.query(sql, sinks::QueryLimits{});
  if (!r) return {r.status().to_string()};
  std::string out;
  for (const auto& row : r->rows) out += (row[0] ? *row[0] : "NULL") + "\n";
  return split_sorted_lines(out);
}

// Polls until the engine's marts hold `lines` order lines (or about 30 s pass).
inline bool wait_mart_lines(int port, int64_t lines) {
  for (int i = 0; i < 300; ++i) {
    nlohmann::json pd = get_mart(port, "payment_delays");
    if (!pd.is_null() && pd["lines"] == lines) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace ledgerflow::testing
