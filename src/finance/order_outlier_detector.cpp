#include "finance/order_outlier_detector.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/assert.h"

namespace ledgerflow::finance {

namespace {

constexpr double kMadScale = 0.6745;       // MAD of a normal distribution / its sigma
constexpr double kMeanAdScale = 1.253314;  // sigma / mean absolute deviation = sqrt(pi / 2)

double units_of(Money m) {
  return double(m.micros()) / double(Money::kScale);
}

}  // namespace

double median_of(std::vector<double> values) {
  LF_ASSERT(!values.empty());
  size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + ptrdiff_t(mid), values.end());
  double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  double lower = *std::max_element(values.begin(), values.begin() + ptrdiff_t(mid));
  return (lower + upper) / 2;
}

std::optional<Alert> OrderOutlierDetector::judge(const CustomerOrder& order,
                                                 const std::deque<Past>& past) const {
  std::vector<double> amounts;
  for (const Past& p : past) amounts.push_back(p.amount);
  const double x = units_of(order.amount);
  const double med = median_of(amounts);
  std::vector<double> deviations;
  double deviation_sum = 0;
  for (double a : amounts) {
    deviations.push_back(std::abs(a - med));
    deviation_sum += std::abs(a - med);
  }
  const double mad = median_of(deviations);
  const double mean_ad = deviation_sum / double(amounts.size());
  double m;  // robust z-score; infinite when the history has no spread at all
  if (mad > 0) {
    m = kMadScale * (x - med) / mad;
  } else if (mean_ad > 0) {
    m = (x - med) / (kMeanAdScale * mean_ad);
  } else {
    bool differs = std::abs(x - med) > params_.identical_history_ratio * std::abs(med);
    m = differs ? std::copysign(INFINITY, x - med) : 0.0;
  }
  if (!(std::abs(m) > params_.threshold)) return std::nullopt;
  Alert a;
  a.rule_id = "order_amount_outlier";
  a.severity = Severity::kWarning;
  a.score = std::min(1.0, std::abs(m) / (2 * params_.threshold));
  a.evidence_ids = {order.id};
  char z[64];
  if (std::isinf(m)) {
    std::snprintf(z, sizeof z, "all earlier orders were the same amount");
  } else {
    std::snprintf(z, sizeof z, "robust z-score %.1f", m);
  }
  a.message = "Order " + order.id + " from customer " + order.customer_id + " for " +
              format_amount(order.amount) + " is far " + (m > 0 ? "above" : "below") +
              " this customer's usual orders: median " +
              format_amount(Money::from_micros(std::llround(med * Money::kScale))) + ", " + z +
              " over the last " + std::to_string(amounts.size()) + " orders.";
  return a;
}

std::optional<Alert> OrderOutlierDetector::observe(const CustomerOrder& order) {
  std::deque<Past>& past = history_[order.customer_id];
  for (const Past& p : past) {
    if (p.id == order.id) return std::nullopt;  // replayed
  }
  std::optional<Alert> alert;
  if (past.size() >= params_.min_history && !past.empty()) alert = judge(order, past);
  past.push_back(Past{order.id, units_of(order.amount)});
  while (past.size() > params_.history_per_customer) past.pop_front();
  return alert;
}

size_t OrderOutlierDetector::retained(const std::string& customer_id) const {
  auto it = history_.find(customer_id);
  return it == history_.end() ? 0 : it->second.size();
}

}  // namespace ledgerflow::finance
