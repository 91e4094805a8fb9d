#pragma once
// `ledgerflow verify`: recomputes every gold mart from silver with sql/gold/<mart>.sql and
// compares it row by row (by key, values as the database prints them) with the gold table the
// engine upserted. Meaningful on a quiesced warehouse (the engine stopped cleanly, which loads
// silver to the log end and upserts gold one last time). Runs on the caller's thread over a
// read-only connection.
#include <string>
#include <vector>

#include "sinks/warehouse_backend.h"

namespace ledgerflow::sinks {

struct MartCheck {
  std::string mart;
  size_t gold_rows = 0;
  size_t silver_rows = 0;
  std::vector<std::string>
      differences;  // "inventory_levels store_id=1 prod_id=4: total_sold gold 3, silver 5"
  size_t differences_total = 0;  // differences may list only the first 100
};

struct VerifyReport {
  std::vector<MartCheck> marts;
  bool equal() const;
};

Result<VerifyReport> verify_gold(WarehouseBackend& db);

}  // namespace ledgerflow::sinks
