#include "sinks/reorder_gold.h"

#include <algorithm>
#include <cmath>

#include "analytics/reorder_report.h"
#include "core/event_time.h"
#include "finance/reorder.h"

namespace ledgerflow::sinks {

namespace {

using OnConflict = TableSpec::OnConflict;

const TableSpec kDemand{"reorder_demand",
                        {"store_id", "prod_id", "as_of_day", "demand_days", "units",
                         "units_squared", "on_hand", "supplier_lead_time_days"},
                        2,
                        OnConflict::kUpdate};
const TableSpec kParameters{"reorder_parameters",
                            {"id", "window_days", "service_level_ppm", "z_nano", "lead_time_mdays",
                             "order_cost_micros", "holding_rate_ppm"},
                            1,
                            OnConflict::kUpdate};

int64_t scaled(double v, double unit) {
  return std::llround(v * unit);
}

// The [reorder] config the view derives with, in fixed point: z to 1e-9, rates to the ppm and
// the lead time to the thousandth of a day.
TableRows parameters(const ReorderConfig& c) {
  TableRows t{&kParameters, {}};
  const double z = finance::inverse_normal_cdf(c.service_level).value();  // checked at start-up
  t.add(int64_t(1), int64_t(c.window_days), scaled(c.service_level, 1e6), scaled(z, 1e9),
        scaled(c.lead_time_days, 1e3), c.order_cost.micros(), scaled(c.holding_rate, 1e6));
  return t;
}

}  // namespace

bool ReorderGold::build(const Engine& engine, bool inventory_changed, LazyInventory* inventory,
                        WarehouseTxn* txn) {
  cache_.begin();
  const PipelineStats p = engine.pipeline();
  const int64_t as_of = p.max_event_time_ms == WatermarkTracker::kNone
                            ? INT64_MIN
                            : floor_div(p.max_event_time_ms, kMsPerDay);
  pending_ = {as_of,
              engine.read_finance([](const FinanceLedger& l) { return l.applied_events(); })};
  if (!inventory_changed && pending_ == committed_) return false;
  const size_t steps_before = txn->steps.size();
  const ReorderConfig& c = engine.config().reorder;
  cache_.add_changed(parameters(c), txn);
  TableRows demand{&kDemand, {}};
  if (as_of != INT64_MIN) {
    const ProductLeadTimes lead_times = engine.product_lead_times();
    for (const InventoryRow& row : inventory->rows()) {
      const std::vector<double> window = row.demand.window(as_of, c.window_days);
      if (window.empty()) continue;  // nothing sold by the as-of day: no recommendation
      int64_t units = 0, squared = 0;
      for (double d : window) {
        units += int64_t(d);
        squared += int64_t(d) * int64_t(d);
      }
      auto lead = lead_times.find(row.prod_id);
      demand.add(int64_t(row.store_id), row.prod_id, as_of, int64_t(window.size()), units, squared,
                 std::max<int64_t>(row.unit_left(), 0),
                 lead == lead_times.end() ? int64_t(-1) : int64_t(lead->second.lead_time_days));
    }
  }
  cache_.add_changed(std::move(demand), txn, GoldRowCache::Missing::kDelete);
  return txn->steps.size() > steps_before;
}

}  // namespace ledgerflow::sinks
