#include "finance/reorder.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace ledgerflow::finance {

namespace {

// Acklam's coefficients: central region |p - 0.5| <= 0.47575, tails below / above it.
constexpr double kA[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                         1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
constexpr double kB[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                         6.680131188771972e+01, -1.328068155288572e+01};
constexpr double kC[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                         -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
constexpr double kD[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                         3.754408661907416e+00};
constexpr double kTail = 0.02425;

// The lower-tail formula; the upper tail is its mirror image.
double lower_tail(double p) {
  double q = std::sqrt(-2 * std::log(p));
  return (((((kC[0] * q + kC[1]) * q + kC[2]) * q + kC[3]) * q + kC[4]) * q + kC[5]) /
         ((((kD[0] * q + kD[1]) * q + kD[2]) * q + kD[3]) * q + 1);
}

}  // namespace

Result<double> inverse_normal_cdf(double p) {
  if (!(p > 0 && p < 1)) {
    return Status::bad_input("out_of_range", "probability must be in (0, 1): " + std::to_string(p));
  }
  if (p < kTail) return lower_tail(p);
  if (p > 1 - kTail) return -lower_tail(1 - p);
  double q = p - 0.5;
  double r = q * q;
  return (((((kA[0] * r + kA[1]) * r + kA[2]) * r + kA[3]) * r + kA[4]) * r + kA[5]) * q /
         (((((kB[0] * r + kB[1]) * r + kB[2]) * r + kB[3]) * r + kB[4]) * r + 1);
}

Result<DemandStats> demand_stats(const std::vector<double>& daily_units) {
  if (daily_units.empty()) return Status::bad_input("no_demand", "no daily demand samples");
  if (daily_units.size() > kMaxDemandSamples) {
    return Status::bad_input("too_many_samples", "more than " + std::to_string(kMaxDemandSamples) +
                                                     " daily demand samples");
  }
  double sum = 0;
  for (double x : daily_units) {
    if (!std::isfinite(x) || x < 0) {
      return Status::bad_input("invalid_demand", "daily demand must be finite and >= 0");
    }
    sum += x;
  }
  DemandStats s;
  s.days = daily_units.size();
  s.mean = sum / double(s.days);
  if (s.days > 1) {
    double squares = 0;  // two-pass: no cancellation from sum-of-squares minus square-of-sum
    for (double x : daily_units) squares += (x - s.mean) * (x - s.mean);
    s.stddev = std::sqrt(squares / double(s.days - 1));
  }
  return s;
}

Result<ReorderRecommendation> recommend_reorder(const std::vector<double>& daily_units,
                                                const ReorderParams& params,
                                                const StockPosition& position) {
  if (!(params.lead_time_days >= 0 && params.lead_time_days <= 3650)) {
    return Status::bad_input("out_of_range", "lead time must be in [0, 3650] days");
  }
  // Below 0.5 the safety stock would turn negative and the alert could come after the
  // stock-out.
  if (!(params.service_level >= 0.5 && params.service_level < 1)) {
    return Status::bad_input("out_of_range", "service level must be in [0.5, 1)");
  }
  if (!std::isfinite(position.on_hand) || !std::isfinite(position.on_order)) {
    return Status::bad_input("invalid_stock", "stock on hand and on order must be finite");
  }
  auto z = inverse_normal_cdf(params.service_level);
  if (!z) return z.status();
  auto demand = demand_stats(daily_units);
  if (!demand) return demand.status();

  ReorderRecommendation r;
  r.demand = demand.value();
  r.z = z.value();
  const double mean = r.demand.mean;
  r.safety_stock = r.z * r.demand.stddev * std::sqrt(params.lead_time_days);
  r.reorder_point = mean * params.lead_time_days + r.safety_stock;
  if (params.holding_cost_per_unit_year.micros() > 0) {
    double annual_demand = mean * 365;
    double s_over_h =
        double(params.order_cost.micros()) / double(params.holding_cost_per_unit_year.micros());
    r.eoq = std::sqrt(2 * annual_demand * s_over_h);
  }
  if (mean > 0) {
    double on_hand = std::max(position.on_hand, 0.0);
    r.days_of_supply = on_hand / mean;
    r.stockout_day = position.as_of_day + int64_t(std::floor(*r.days_of_supply));
  }
  r.reorder_now = position.on_hand + position.on_order <= r.reorder_point;
  return r;
}

}  // namespace ledgerflow::finance
