#pragma once
// Live inventory per product x store: running totals that update on every event whatever its
// lateness. Owned by one ShardState (single-threaded); readers copy rows under the shard lock.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "analytics/daily_demand.h"
#include "core/bytes.h"
#include "core/event.h"
#include "core/money.h"
#include "ingest/catalog.h"

namespace ledgerflow {

struct InventoryRow {
  int32_t store_id = 0;
  int64_t prod_id = 0;
  std::string prod_name;
  int64_t total_sold = 0;
  int64_t total_received = 0;
  int64_t reorder_point = 0;
  Money regular_unit_price;  // latest seen on a sale, else the catalog price
  Money cost_price;          // from the catalog; zero for unknown products
  Money revenue;             // sum of unit_sold x regular_unit_price
  int64_t sale_lines = 0;
  int64_t shipments = 0;
  bool unknown_product = false;  // sold or received but not in the catalog
  int64_t last_event_ms = 0;
  int64_t last_sale_ms = -1;  // event time of the sale that set price and reorder point
  uint64_t version = 0;       // shard change sequence at the last update (for change streams)
  DailyDemand demand;         // units sold per day, for reorder recommendations

  int64_t unit_left() const { return total_received - total_sold; }
  bool below_reorder() const { return unit_left() <= reorder_point; }
  Money value_at_cost() const;
};

inline uint64_t inventory_key(int32_t store_id, int64_t prod_id) {
  return (uint64_t(uint32_t(store_id)) << 32) ^ uint64_t(prod_id);
}

class InventoryState {
 public:
  explicit InventoryState(const Catalog* catalog) : catalog_(catalog) {}

  void apply(const Event& e, uint64_t version);

  const std::unordered_map<uint64_t, InventoryRow>& rows() const { return rows_; }

  void serialize(ByteWriter& w) const;
  bool deserialize(ByteReader& r);
  // The daily demand of every row (checkpoint version 3 and later, after the finance ledger):
  // u64 count, then per row u64 inventory key and DailyDemand::serialize.
  void serialize_demand(ByteWriter& w) const;
  bool deserialize_demand(ByteReader& r);

 private:
  InventoryRow& row_for(const Event& e);

  const Catalog* catalog_;
  std::unordered_map<uint64_t, InventoryRow> rows_;
};

// Saturating addition for aggregates: a sum can never wrap around into a wrong sign.
Money saturating_add(Money a, Money b);
int64_t saturating_add(int64_t a, int64_t b);

}  // namespace ledgerflow
