// `ledgerflow query "SQL"`: one read-only statement against the warehouse, printed as an
// aligned table, CSV or JSON. Exit 0 on success, 1 when the database refuses the statement,
// 2 when the warehouse cannot be opened.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "cli/warehouse_options.h"

namespace ledgerflow::cli {

int query(const QueryOptions& o) {
  auto db = open_readonly_warehouse(o.warehouse);
  if (!db) {
    spdlog::error("{}", db.status().to_string());
    return 2;
  }
  Result<sinks::QueryResult> r = (*db)->query(o.sql, sinks::QueryLimits{o.max_rows, o.timeout_ms});
  if (!r) {
    spdlog::error("{}", r.status().to_string());
    return 1;
  }
  if (o.format == "csv") {
    fmt::print("{}", sinks::format_csv(*r));
  } else if (o.format == "json") {
    fmt::print("{}\n", sinks::format_json(*r));
  } else {
    fmt::print("{}", sinks::format_table(*r));
  }
  return 0;
}

}  // namespace ledgerflow::cli
