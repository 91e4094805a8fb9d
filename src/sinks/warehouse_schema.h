#pragma once
// The warehouse schema as the code sees it: numbered migrations (sql/migrations, embedded)
// applied in order and recorded in `schema_version`, the load_state row, and the gold marts
// with their SQL over silver (sql/gold). Stateless functions; the caller's thread.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sinks/warehouse_backend.h"

namespace ledgerflow::sinks {

struct GoldMart {
  std::string_view name;   // the gold table, and sql/gold/<name>.sql
  size_t key_columns = 1;  // the first columns of both form the row key
};
const std::vector<GoldMart>& gold_marts();
// The SELECT in sql/gold/<mart>.sql (empty if there is none).
std::string gold_sql(std::string_view mart);

// Applies the migrations newer than the recorded schema version, each in its own transaction.
Status migrate(WarehouseBackend& db);
// The log offset the warehouse has applied up to (exclusive).
Result<uint64_t> load_offset(WarehouseBackend& db);
// The statement that records `next_offset` (a step of the same transaction as the rows).
std::string set_load_offset_sql(uint64_t next_offset, int64_t now_ms);

}  // namespace ledgerflow::sinks
