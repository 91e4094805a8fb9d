#include "analytics/inventory_state.h"

#include "core/event_time.h"

#include <limits>

#include <fmt/format.h>

namespace ledgerflow {

Money saturating_add(Money a, Money b) {
  Money out;
  if (Money::checked_add(a, b, &out)) return out;
  return Money::from_micros(b.micros() > 0 ? std::numeric_limits<int64_t>::max()
                                           : std::numeric_limits<int64_t>::min());
}

int64_t saturating_add(int64_t a, int64_t b) {
  int64_t out;
  if (!__builtin_add_overflow(a, b, &out)) return out;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

Money InventoryRow::value_at_cost() const {
  Money out;
  int64_t units = unit_left() > 0 ? unit_left() : 0;
  if (!Money::checked_mul(cost_price, units, &out)) {
    return Money::from_micros(std::numeric_limits<int64_t>::max());
  }
  return out;
}

InventoryRow& InventoryState::row_for(const Event& e) {
  auto [it, inserted] = rows_.try_emplace(inventory_key(e.store_id, e.prod_id));
  InventoryRow& row = it->second;
  if (inserted) {
    row.store_id = e.store_id;
    row.prod_id = e.prod_id;
    if (const Product* p = catalog_->find(e.prod_id)) {
      row.prod_name = p->name;
      row.regular_unit_price = p->price;
      row.cost_price = p->cost_price;
      row.reorder_point = p->reorder_point;
    } else {
      row.unknown_product = true;
      row.prod_name = fmt::format("product {}", e.prod_id);
    }
  }
  return row;
}

void InventoryState::apply(const Event& e, uint64_t version) {
  InventoryRow& row = row_for(e);
  if (e.type == EventType::kSale) {
    row.total_sold = saturating_add(row.total_sold, e.units);
    row.sale_lines += 1;
    row.demand.add(floor_div(e.event_time_ms, kMsPerDay), e.units);
    Money line;
    if (!Money::checked_mul(e.unit_price, e.units, &line)) {
      line = Money::from_micros(std::numeric_limits<int64_t>::max());
    }
    row.revenue = saturating_add(row.revenue, line);
    // The seed format carries price and reorder point on every sale: the latest event wins, so
    // the newest event time decides, not arrival order (results independent of order).
    if (e.event_time_ms >= row.last_sale_ms) {
      row.last_sale_ms = e.event_time_ms;
      row.regular_unit_price = e.unit_price;
      row.reorder_point = e.reorder_point;
      if (row.unknown_product) row.prod_name = e.prod_name;
    }
  } else {
    row.total_received = saturating_add(row.total_received, e.units);
    row.shipments += 1;
  }
  if (e.event_time_ms > row.last_event_ms) row.last_event_ms = e.event_time_ms;
  row.version = version;
}

void InventoryState::serialize(ByteWriter& w) const {
  w.u64(rows_.size());
  for (const auto& [key, r] : rows_) {
    w.i32(r.store_id);
    w.i64(r.prod_id);
    w.str(r.prod_name);
    w.i64(r.total_sold);
    w.i64(r.total_received);
    w.i64(r.reorder_point);
    w.i64(r.regular_unit_price.micros());
    w.i64(r.cost_price.micros());
    w.i64(r.revenue.micros());
    w.i64(r.sale_lines);
    w.i64(r.shipments);
    w.boolean(r.unknown_product);
    w.i64(r.last_event_ms);
    w.i64(r.last_sale_ms);
    w.u64(r.version);
  }
}

void InventoryState::serialize_demand(ByteWriter& w) const {
  w.u64(rows_.size());
  for (const auto& [key, r] : rows_) {
    w.u64(key);
    r.demand.serialize(w);
  }
}

bool InventoryState::deserialize_demand(ByteReader& r) {
  uint64_t n;
  if (!r.u64(&n) || n != rows_.size()) return false;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t key;
    if (!r.u64(&key)) return false;
    auto it = rows_.find(key);
    if (it == rows_.end() || !it->second.demand.deserialize(r)) return false;
  }
  return true;
}

bool InventoryState::deserialize(ByteReader& r) {
  uint64_t n;
  if (!r.u64(&n)) return false;
  rows_.clear();
  for (uint64_t i = 0; i < n; ++i) {
    InventoryRow row;
    int64_t price, cost, revenue;
    if (!r.i32(&row.store_id) || !r.i64(&row.prod_id) || !r.str(&row.prod_name, 4096) ||
        !r.i64(&row.total_sold) || !r.i64(&row.total_received) || !r.i64(&row.reorder_point) ||
        !r.i64(&price) || !r.i64(&cost) || !r.i64(&revenue) || !r.i64(&row.sale_lines) ||
        !r.i64(&row.shipments) || !r.boolean(&row.unknown_product) || !r.i64(&row.last_event_ms) ||
        !r.i64(&row.last_sale_ms) || !r.u64(&row.version)) {
      return false;
    }
    row.regular_unit_price = Money::from_micros(price);
    row.cost_price = Money::from_micros(cost);
    row.revenue = Money::from_micros(revenue);
    rows_[inventory_key(row.store_id, row.prod_id)] = std::move(row);
  }
  return true;
}

}  // namespace ledgerflow
