#include "finance/order_velocity_detector.h"

#include <algorithm>
#include <iterator>

namespace ledgerflow::finance {

namespace {

// "1 hour", "90 minutes", "2 days".
std::string describe_window(int64_t ms) {
  auto plural = [](int64_t n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
  };
  if (ms % kMsPerDay == 0) return plural(ms / kMsPerDay, "day");
  if (ms % kMsPerHour == 0) return plural(ms / kMsPerHour, "hour");
  if (ms % kMsPerMinute == 0) return plural(ms / kMsPerMinute, "minute");
  return plural(ms / kMsPerSecond, "second");
}

}  // namespace

std::optional<Alert> OrderVelocityDetector::observe(const CustomerOrder& order) {
  CustomerState& s = customers_[order.customer_id];
  for (auto [it, end] = s.orders.equal_range(order.time_ms); it != end; ++it) {
    if (it->second == order.id) return std::nullopt;  // replayed
  }
  auto self = s.orders.emplace(order.time_ms, order.id);
  const int64_t w = params_.window_ms;
  std::optional<Alert> alert;
  // Windows (end - w, end] for every order time `end` in [t, t + w): those contain this order.
  for (auto end = self; end != s.orders.end() && end->first < order.time_ms + w; ++end) {
    auto first = s.orders.upper_bound(end->first - w);
    auto last = std::next(end);
    while (last != s.orders.end() && last->first == end->first) ++last;  // ties at the end
    size_t count = size_t(std::distance(first, last));
    if (count == params_.max_orders + 1) {
      alert = make_alert(order, first, std::prev(last), count);
      break;
    }
  }
  s.latest_ms = std::max(s.latest_ms, order.time_ms);
  s.orders.erase(s.orders.begin(), s.orders.lower_bound(s.latest_ms - w));
  while (s.orders.size() > params_.max_retained_per_customer) s.orders.erase(s.orders.begin());
  return alert;
}

Alert OrderVelocityDetector::make_alert(const CustomerOrder& order, Orders::const_iterator first,
                                        Orders::const_iterator last, size_t count) const {
  Alert a;
  a.rule_id = "order_velocity";
  a.severity = Severity::kWarning;
  a.score = std::min(1.0, 0.5 + double(count) / double(4 * (params_.max_orders + 1)));
  a.evidence_ids.push_back(order.id);
  for (auto it = first;; ++it) {
    if (it->second != order.id) a.evidence_ids.push_back(it->second);
    if (it == last) break;
  }
  a.message = "Customer " + order.customer_id + " placed " + std::to_string(count) +
              " orders within " + describe_window(params_.window_ms) + " (" +
              format_event_time(first->first) + " to " + format_event_time(last->first) +
              "), more than the " + std::to_string(params_.max_orders) + " allowed.";
  return a;
}

void OrderVelocityDetector::prune(int64_t now_ms) {
  for (auto it = customers_.begin(); it != customers_.end();) {
    it = it->second.latest_ms <= now_ms - params_.window_ms ? customers_.erase(it) : std::next(it);
  }
}

size_t OrderVelocityDetector::retained(const std::string& customer_id) const {
  auto it = customers_.find(customer_id);
  return it == customers_.end() ? 0 : it->second.orders.size();
}

}  // namespace ledgerflow::finance
