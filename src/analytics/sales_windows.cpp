#include "analytics/sales_windows.h"

#include "analytics/inventory_state.h"
#include "core/event_time.h"

namespace ledgerflow {

void SalesWindow::merge(const SalesWindow& o) {
  units_sold = saturating_add(units_sold, o.units_sold);
  revenue = saturating_add(revenue, o.revenue);
  sale_lines += o.sale_lines;
  shipments += o.shipments;
  units_received = saturating_add(units_received, o.units_received);
  if (o.version > version) version = o.version;
  late_updates += o.late_updates;
}

bool SalesWindows::add(const Event& e, int64_t watermark_ms, uint64_t version) {
  int64_t start = floor_to(e.event_time_ms, kWindowMs);
  SalesWindow& w = windows_[start];
  w.start_ms = start;
  if (e.type == EventType::kSale) {
    w.units_sold = saturating_add(w.units_sold, e.units);
    Money line;
    if (!Money::checked_mul(e.unit_price, e.units, &line)) line = Money::from_micros(INT64_MAX);
    w.revenue = saturating_add(w.revenue, line);
    w.sale_lines += 1;
  } else {
    w.shipments += 1;
    w.units_received = saturating_add(w.units_received, e.units);
  }
  w.version = version;
  bool late = start + kWindowMs <= watermark_ms;
  if (late) w.late_updates += 1;
  return late;
}

void SalesWindows::evict_before(int64_t cutoff_ms) {
  while (!windows_.empty() && windows_.begin()->first + kWindowMs <= cutoff_ms) {
    windows_.erase(windows_.begin());
  }
}

void SalesWindows::serialize(ByteWriter& w) const {
  w.u64(windows_.size());
  for (const auto& [start, s] : windows_) {
    w.i64(s.start_ms);
    w.i64(s.units_sold);
    w.i64(s.revenue.micros());
    w.i64(s.sale_lines);
    w.i64(s.shipments);
    w.i64(s.units_received);
    w.u64(s.version);
    w.i64(s.late_updates);
  }
}

bool SalesWindows::deserialize(ByteReader& r) {
  uint64_t n;
  if (!r.u64(&n)) return false;
  windows_.clear();
  for (uint64_t i = 0; i < n; ++i) {
    SalesWindow s;
    int64_t revenue;
    if (!r.i64(&s.start_ms) || !r.i64(&s.units_sold) || !r.i64(&revenue) || !r.i64(&s.sale_lines) ||
        !r.i64(&s.shipments) || !r.i64(&s.units_received) || !r.u64(&s.version) ||
        !r.i64(&s.late_updates)) {
      return false;
    }
    s.revenue = Money::from_micros(revenue);
    windows_[s.start_ms] = s;
  }
  return true;
}

}  // namespace ledgerflow
