#include "sinks/warehouse_verify.h"

#include <map>

#include <fmt/format.h>

#include "sinks/warehouse_schema.h"

namespace ledgerflow::sinks {

namespace {

constexpr size_t kListed = 100;
using Row = std::vector<std::optional<std::string>>;

std::string text(const std::optional<std::string>& v) {
  return v ? *v : "NULL";
}

// Rows keyed by their first `key_columns` values.
std::map<std::vector<std::string>, Row> by_key(const QueryResult& r, size_t key_columns) {
  std::map<std::vector<std::string>, Row> out;
  for (const Row& row : r.rows) {
    std::vector<std::string> key;
    for (size_t c = 0; c < key_columns; ++c) key.push_back(text(row[c]));
    out.emplace(std::move(key), row);
  }
  return out;
}

std::string describe_key(const GoldMart& mart, const std::vector<std::string>& columns,
                         const std::vector<std::string>& key) {
  std::string out(mart.name);
  for (size_t c = 0; c < mart.key_columns; ++c) out += fmt::format(" {}={}", columns[c], key[c]);
  return out;
}

void note(MartCheck* check, std::string line) {
  if (check->differences.size() < kListed) check->differences.push_back(std::move(line));
  ++check->differences_total;
}

void compare(const GoldMart& mart, const QueryResult& gold, const QueryResult& silver,
             MartCheck* check) {
  auto g = by_key(gold, mart.key_columns);
  auto s = by_key(silver, mart.key_columns);
  for (const auto& [key, row] : g) {
    auto it = s.find(key);
    if (it == s.end()) {
      note(check, describe_key(mart, silver.columns, key) + ": in gold, not in silver");
      continue;
    }
    for (size_t c = mart.key_columns; c < row.size(); ++c) {
      if (row[c] != it->second[c]) {
        note(check,
             fmt::format("{}: {} gold {}, silver {}", describe_key(mart, silver.columns, key),
                         silver.columns[c], text(row[c]), text(it->second[c])));
      }
    }
  }
  for (const auto& [key, row] : s) {
    if (!g.count(key))
      note(check, describe_key(mart, silver.columns, key) + ": in silver, not in gold");
  }
}

}  // namespace

bool VerifyReport::equal() const {
  for (const MartCheck& m : marts) {
    if (m.differences_total > 0) return false;
  }
  return true;
}

Result<VerifyReport> verify_gold(WarehouseBackend& db) {
  VerifyReport report;
  const QueryLimits limits{size_t(1) << 40, 600'000};
  for (const GoldMart& mart : gold_marts()) {
    Result<QueryResult> silver = db.query(gold_sql(mart.name), limits);
    if (!silver)
      return Status::bad_input(silver.status().code(), fmt::format("sql/gold/{}.sql: {}", mart.name,
                                                                   silver.status().message()));
    std::string cols;
    for (const std::string& c : silver->columns) cols += (cols.empty() ? "" : ", ") + c;
    Result<QueryResult> gold = db.query(fmt::format("SELECT {} FROM {}", cols, mart.name), limits);
    if (!gold) return gold.status();
    MartCheck check{std::string(mart.name), gold->rows.size(), silver->rows.size(), {}, 0};
    compare(mart, *gold, *silver, &check);
    report.marts.push_back(std::move(check));
  }
  return report;
}

}  // namespace ledgerflow::sinks
