// `ledgerflow verify`: gold marts recomputed from silver (sql/gold) against the live gold
// tables. Exit 0 when every mart is equal, 1 with the differing rows, 2 when it cannot run.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "cli/warehouse_options.h"
#include "sinks/warehouse_verify.h"

namespace ledgerflow::cli {

int verify(const WarehouseOptions& o) {
  auto db = open_readonly_warehouse(o);
  if (!db) {
    spdlog::error("{}", db.status().to_string());
    return 2;
  }
  Result<sinks::VerifyReport> report = sinks::verify_gold(**db);
  if (!report) {
    spdlog::error("{}", report.status().to_string());
    return 2;
  }
  for (const sinks::MartCheck& m : report->marts) {
    fmt::print(
        "{:<26} gold {:>8} rows, from silver {:>8} rows: {}\n", m.mart, m.gold_rows, m.silver_rows,
        m.differences_total == 0 ? "equal" : fmt::format("{} differences", m.differences_total));
    for (const std::string& d : m.differences) fmt::print("  {}\n", d);
    if (m.differences.size() < m.differences_total) {
      fmt::print("  ... and {} more\n", m.differences_total - m.differences.size());
    }
  }
  return report->equal() ? 0 : 1;
}

}  // namespace ledgerflow::cli
