#include "analytics/reorder_report.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <tuple>

namespace ledgerflow {

Status reorder_config_status(const ReorderConfig& c) {
  if (c.window_days < 1 || c.window_days > DailyDemand::kDays) {
    return Status::bad_input("bad_parameter", "window_days must be between 1 and 56");
  }
  if (!(c.service_level >= 0.5 && c.service_level < 1)) {
    return Status::bad_input("bad_parameter", "service_level must be in [0.5, 1)");
  }
  if (!(c.lead_time_days >= 0 && c.lead_time_days <= 3650)) {
    return Status::bad_input("bad_parameter", "lead_time_days must be between 0 and 3650");
  }
  if (!(c.holding_rate >= 0 && c.holding_rate <= 10) || c.order_cost < Money()) {
    return Status::bad_input("bad_parameter",
                             "holding_rate must be in [0, 10] and order_cost not negative");
  }
  return Status::ok();
}

ProductLeadTimes catalog_lead_times(const std::map<std::string, ProductLeadTime>& by_product) {
  ProductLeadTimes out;
  for (const auto& [id, lead] : by_product) {
    int64_t prod_id = 0;
    const char* end = id.data() + id.size();
    auto [ptr, ec] = std::from_chars(id.data(), end, prod_id);
    // Only the canonical decimal: "017" or "+17" would name a product the catalog spells "17".
    if (ec != std::errc() || ptr != end || std::to_string(prod_id) != id) continue;
    out.emplace(prod_id, lead);
  }
  return out;
}

std::optional<ReorderLine> recommend_for(const InventoryRow& row, const ReorderConfig& c,
                                         int64_t as_of_day, const ProductLeadTimes* lead_times) {
  std::vector<double> demand = row.demand.window(as_of_day, c.window_days);
  if (demand.empty()) return std::nullopt;
  ReorderLine line{row.store_id, row.prod_id, row.prod_name, row.unit_left(), c.lead_time_days,
                   "",           {}};
  if (lead_times != nullptr) {
    if (auto it = lead_times->find(row.prod_id); it != lead_times->end()) {
      line.lead_time_days = it->second.lead_time_days;
      line.lead_time_supplier = it->second.supplier_id;
    }
  }
  finance::ReorderParams p;
  p.service_level = c.service_level;
  p.lead_time_days = line.lead_time_days;
  p.order_cost = c.order_cost;
  // H in micro-units: cost x rate, rounded to the micro (only the S/H ratio is a double).
  p.holding_cost_per_unit_year =
      Money::from_micros(int64_t(double(row.cost_price.micros()) * c.holding_rate + 0.5));
  finance::StockPosition pos;
  pos.on_hand = double(std::max<int64_t>(row.unit_left(), 0));
  pos.as_of_day = as_of_day;
  Result<finance::ReorderRecommendation> r = finance::recommend_reorder(demand, p, pos);
  if (!r) return std::nullopt;
  line.rec = std::move(r.value());
  return line;
}

std::vector<ReorderLine> reorder_report(const std::vector<InventoryRow>& rows,
                                        const ReorderConfig& c, int64_t as_of_day,
                                        const ProductLeadTimes* lead_times) {
  std::vector<ReorderLine> out;
  for (const InventoryRow& row : rows) {
    if (std::optional<ReorderLine> line = recommend_for(row, c, as_of_day, lead_times)) {
      out.push_back(std::move(*line));
    }
  }
  auto urgency = [](const ReorderLine& l) {
    return std::make_tuple(!l.rec.reorder_now, l.rec.stockout_day.value_or(INT64_MAX), l.store_id,
                           l.prod_id);
  };
  std::sort(out.begin(), out.end(),
            [&](const ReorderLine& a, const ReorderLine& b) { return urgency(a) < urgency(b); });
  return out;
}

}  // namespace ledgerflow
