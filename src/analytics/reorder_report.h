#pragma once
// Reorder recommendations per product x store (issue 7): the demand of each inventory row over a
// trailing window of days, through finance::recommend_reorder (safety stock, reorder point, EOQ,
// days of supply, projected stock-out, reorder now). Pure functions of copied rows; any thread.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analytics/finance_ledger.h"
#include "analytics/inventory_state.h"
#include "finance/reorder.h"

namespace ledgerflow {

// [reorder] in the config (docs/CONFIG.md).
struct ReorderConfig {
  int32_t window_days = 28;     // trailing days of demand (at most DailyDemand::kDays)
  double service_level = 0.95;  // cycle service level: z = 1.645
  // Order to receipt for products no known supplier's purchase order names (ProductLeadTimes).
  double lead_time_days = 7;
  Money order_cost = Money::from_units(50);  // S, per order
  double holding_rate = 0.25;                // H = holding_rate x cost price per unit and year
};

// The supplier lead time of catalog products: FinanceLedger::product_lead_times for the product
// ids that are a catalog prod_id in decimal ("17"); the others name no catalog product.
using ProductLeadTimes = std::map<int64_t, ProductLeadTime>;
ProductLeadTimes catalog_lead_times(const std::map<std::string, ProductLeadTime>& by_product);

struct ReorderLine {
  int32_t store_id = 0;
  int64_t prod_id = 0;
  std::string prod_name;
  int64_t on_hand = 0;
  double lead_time_days = 0;       // the one the recommendation used
  std::string lead_time_supplier;  // whose lead time it is; empty: the config's
  finance::ReorderRecommendation rec;
};

// One line per row that has demand in the window, most urgent first: reorder now, then the
// earliest projected stock-out, then store and product. Rows with bad parameters are skipped
// (the parameters are checked by the caller; see reorder_params_status). A row's lead time is
// its product's supplier's in `lead_times` (when given and listed), else config.lead_time_days.
std::vector<ReorderLine> reorder_report(const std::vector<InventoryRow>& rows,
                                        const ReorderConfig& config, int64_t as_of_day,
                                        const ProductLeadTimes* lead_times = nullptr);
// Bad input when a parameter is out of its documented range.
Status reorder_config_status(const ReorderConfig& config);
// The recommendation for one row (nothing when it has no demand in the window).
std::optional<ReorderLine> recommend_for(const InventoryRow& row, const ReorderConfig& config,
                                         int64_t as_of_day,
                                         const ProductLeadTimes* lead_times = nullptr);

}  // namespace ledgerflow
