#pragma once
// Order velocity per customer (rule order_velocity, warning): more than max_orders orders from
// one customer within any window of window_ms (by order time). A burst of orders is a common
// sign of a stolen account or card testing.
//
// When an order arrives, every window of window_ms that contains it and ends at one of the
// customer's order times is checked; the alert fires when this order lifts such a window from
// max_orders to max_orders + 1. So a burst is reported once, by the order that first takes it
// over the limit, and in-order and out-of-order arrival report the same bursts (the triggering
// order can differ).
//
// State: per customer the order times no older than window_ms before the latest time seen for
// that customer, at most max_retained_per_customer of them (oldest dropped first); an order
// later than that is judged without the dropped ones. prune(now_ms) forgets customers with no
// order in the last window_ms, so the number of customers kept is bounded by recent activity.
//
// Owned by one shard (orders are routed by customer); single-threaded.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/event_time.h"
#include "finance/finance_types.h"

namespace ledgerflow::finance {

struct OrderVelocityParams {
  size_t max_orders = 5;
  int64_t window_ms = kMsPerHour;
  size_t max_retained_per_customer = 1000;
};

class OrderVelocityDetector {
 public:
  explicit OrderVelocityDetector(OrderVelocityParams params = {}) : params_(params) {}

  std::optional<Alert> observe(const CustomerOrder& order);
  void prune(int64_t now_ms);
  size_t customers() const { return customers_.size(); }
  size_t retained(const std::string& customer_id) const;

 private:
  struct CustomerState {
    std::multimap<int64_t, std::string> orders;  // time -> order id
    int64_t latest_ms = INT64_MIN;
  };
  using Orders = std::multimap<int64_t, std::string>;
  Alert make_alert(const CustomerOrder& order, Orders::const_iterator first,
                   Orders::const_iterator last, size_t count) const;

  OrderVelocityParams params_;
  std::unordered_map<std::string, CustomerState> customers_;
};

}  // namespace ledgerflow::finance
