#pragma once
// The answer to a read-only SQL query and its three renderings (aligned table, CSV, JSON),
// shared by `ledgerflow query` and POST /api/v1/query. Plain values; any thread.
#include <optional>
#include <string>
#include <vector>

namespace ledgerflow::sinks {

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<bool> numeric;  // per column: the database typed it as a number (JSON number)
  std::vector<std::vector<std::optional<std::string>>> rows;  // nullopt = SQL NULL
  bool truncated = false;  // more rows existed than the row limit allowed
};

struct QueryLimits {
  size_t max_rows = 10'000;
  int64_t timeout_ms = 10'000;
};

std::string format_table(const QueryResult& r);
std::string format_csv(const QueryResult& r);
// {"columns": [...], "rows": [[...], ...], "truncated": false}
std::string format_json(const QueryResult& r);

}  // namespace ledgerflow::sinks
