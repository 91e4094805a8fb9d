#include "sinks/warehouse_schema.h"

#include <cstdlib>

#include <fmt/format.h>

#include "core/event_time.h"
#include "sinks/embedded_sql.h"

namespace ledgerflow::sinks {

namespace {

constexpr std::string_view kMigrationDir = "/migrations/";

// "/migrations/001_silver.sql" -> 1; 0 when the name has no number.
int migration_number(std::string_view path) {
  std::string_view file = path.substr(kMigrationDir.size());
  return std::atoi(std::string(file.substr(0, file.find('_'))).c_str());
}

// "/*sqlite: X*/" -> "X" on SQLite; other databases read the comment as a comment.
std::string for_dialect(std::string sql, std::string_view kind) {
  if (kind != "sqlite") return sql;
  constexpr std::string_view kOpen = "/*sqlite:";
  for (size_t at = sql.find(kOpen); at != std::string::npos; at = sql.find(kOpen, at)) {
    size_t end = sql.find("*/", at);
    if (end == std::string::npos) break;
    sql.replace(at, end + 2 - at, sql.substr(at + kOpen.size(), end - at - kOpen.size()));
  }
  return sql;
}

}  // namespace

size_t WarehouseTxn::rows() const {
  size_t n = 0;
  for (const auto& step : steps) {
    if (const TableRows* t = std::get_if<TableRows>(&step)) n += t->rows();
  }
  return n;
}

const std::vector<GoldMart>& gold_marts() {
  static const std::vector<GoldMart> kMarts = {{"inventory_levels", 2},
                                               {"best_sellers", 1},
                                               {"sales_by_minute", 1},
                                               {"sales_by_day", 1},
                                               {"payment_delays", 1},
                                               {"late_deliveries_by_mode", 1},
                                               {"late_deliveries_by_market", 1},
                                               {"financial_commitments", 3},
                                               {"fraud_by_customer", 1},
                                               {"fraud_by_payment_type", 1},
                                               {"fraud_by_market", 1},
                                               {"overall_performance", 1},
                                               {"customer_retention", 1},
                                               {"order_value_by_month", 1},
                                               {"order_value_by_day", 1},
                                               {"dataco_receivables_by_day", 2},
                                               {"finance_payables_aging", 1},
                                               {"finance_receivables_aging", 1},
                                               {"finance_payment_delays", 1},
                                               {"finance_cash_required", 1},
                                               {"finance_early_payments", 1},
                                               {"finance_working_capital", 1},
                                               {"reorder_demand", 2}};
  return kMarts;
}

std::string gold_sql(std::string_view mart) {
  std::string path = fmt::format("/gold/{}.sql", mart);
  for (const auto& f : embedded_sql()) {
    if (f.path == path) return std::string(f.data);
  }
  return "";
}

Status migrate(WarehouseBackend& db) {
  Status s = db.exec(
      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
      "name TEXT NOT NULL, applied_ms BIGINT NOT NULL)");
  if (!s) return s;
  // Every migration not applied yet, not only those above the highest applied: numbers are
  // reserved by work on parallel branches, which may land out of order, so a database may hold
  // a later one before an earlier one exists.
  // embedded_sql() is sorted by path, so migrations come in number order.
  for (const auto& f : embedded_sql()) {
    if (f.path.substr(0, kMigrationDir.size()) != kMigrationDir) continue;
    int number = migration_number(f.path);
    Result<int64_t> applied =
        db.query_int(fmt::format("SELECT COUNT(*) FROM schema_version WHERE version = {}", number));
    if (!applied) return applied.status();
    if (*applied > 0) continue;
    std::string script = fmt::format(
        "BEGIN;\n{}\n;INSERT INTO schema_version (version, name, applied_ms) VALUES ({}, '{}', "
        "{});\nCOMMIT;",
        for_dialect(std::string(f.data), db.kind()), number, f.path.substr(kMigrationDir.size()),
        now_ms());
    if (Status m = db.exec(script); !m) {
      (void)db.exec("ROLLBACK");
      if (m.error_class() == ErrorClass::kRetriable) return m;  // the database went away
      return Status::fatal("migration_failed", fmt::format("{}: {}", f.path, m.message()));
    }
  }
  return Status::ok();
}

Result<uint64_t> load_offset(WarehouseBackend& db) {
  Result<int64_t> v = db.query_int("SELECT next_offset FROM load_state WHERE id = 1");
  if (!v) return v.status();
  return uint64_t(*v);
}

std::string set_load_offset_sql(uint64_t next_offset, int64_t now) {
  return fmt::format("UPDATE load_state SET next_offset = {}, updated_ms = {} WHERE id = 1",
                     next_offset, now);
}

}  // namespace ledgerflow::sinks
