#pragma once
// Reorder recommendation for one product x store from its daily demand over a trailing window.
//   mean, sigma   mean and SAMPLE standard deviation (divisor n - 1; 0 when n = 1) of the
//                 daily demand samples (one per day, days without sales included as 0)
//   z             inverse standard normal CDF at the service level (cycle service level: the
//                 probability of not running out during a lead time)
//   safety stock  z x sigma x sqrt(lead_time_days)
//   reorder point mean x lead_time_days + safety stock
//   EOQ           sqrt(2 D S / H), D = mean x 365 units a year, S = cost per order, H = holding
//                 cost per unit and year (not defined when H <= 0)
//   days of supply on_hand / mean (not defined when mean = 0)
//   stock-out day  as_of_day + floor(on_hand / mean): the first day the stock is projected to
//                 be gone at the mean rate (not defined when mean = 0)
//   reorder now   on_hand + on_order <= reorder point. With sigma = 0 this fires when exactly a
//                 lead time of stock is left, so the order arrives as the last unit is sold;
//                 the safety stock moves it earlier. It therefore fires before the projected
//                 stock-out, never after.
// Demand is in units (double: some products sell by weight); money inputs are Money, and only
// the EOQ ratio S/H is taken as a double.
//
// Pure functions, no state, no thread.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/money.h"
#include "core/status.h"

namespace ledgerflow::finance {

// Inverse of the standard normal CDF for p in (0, 1), by Acklam's rational approximation
// (relative error below 1.15e-9 over the whole range). Bad input outside (0, 1).
Result<double> inverse_normal_cdf(double p);

struct DemandStats {
  size_t days = 0;
  double mean = 0;
  double stddev = 0;  // sample standard deviation, n - 1
};

inline constexpr size_t kMaxDemandSamples = 3660;  // ten years of days

// Bad input for no samples, more than kMaxDemandSamples, or a negative or non-finite sample.
Result<DemandStats> demand_stats(const std::vector<double>& daily_units);

struct ReorderParams {
  double service_level = 0.95;                              // in [0.5, 1)
  double lead_time_days = 7;                                // in [0, 3650]
  Money order_cost = Money::from_units(50);                 // S, per order
  Money holding_cost_per_unit_year = Money::from_units(2);  // H
};

struct StockPosition {
  double on_hand = 0;
  double on_order = 0;  // ordered, not yet received
  int64_t as_of_day = 0;
};

struct ReorderRecommendation {
  DemandStats demand;
  double z = 0;
  double safety_stock = 0;
  double reorder_point = 0;
  std::optional<double> eoq;
  std::optional<double> days_of_supply;
  std::optional<int64_t> stockout_day;
  bool reorder_now = false;
};

Result<ReorderRecommendation> recommend_reorder(const std::vector<double>& daily_units,
                                                const ReorderParams& params,
                                                const StockPosition& position);

}  // namespace ledgerflow::finance
