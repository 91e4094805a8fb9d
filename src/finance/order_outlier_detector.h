#pragma once
// Order amount outliers per customer (rule order_amount_outlier), judged against the customer's
// own earlier orders with a robust z-score that a few earlier outliers cannot distort:
//   M = 0.6745 x (x - median) / MAD,   MAD = median of |x_i - median|   (Iglewicz and Hoaglin)
// flagged when |M| > threshold (3.5). When more than half the earlier orders share one amount
// the MAD is 0; then the mean absolute deviation stands in, M = (x - median) / (1.253314 x
// MeanAD); when that is 0 too (every earlier order the same amount) an order is flagged when it
// differs from that amount by more than identical_history_ratio of it.
//
// Order and state: an order is compared with the customer's last history_per_customer orders
// by arrival (not counting itself), and only once there are min_history of them; it then joins
// the history. So the result depends on arrival order (the engine feeds a shard in log order,
// which is deterministic). State: up to history_per_customer amounts per customer, about 40
// bytes each plus the id; customers are not forgotten (call forget() for closed accounts).
//
// Owned by one shard (orders are routed by customer); single-threaded.
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "finance/finance_types.h"

namespace ledgerflow::finance {

struct OrderOutlierParams {
  size_t history_per_customer = 200;
  size_t min_history = 50;
  double threshold = 3.5;
  double identical_history_ratio = 0.5;
};

// Median of a non-empty sample (mean of the two middle values for an even count).
double median_of(std::vector<double> values);

class OrderOutlierDetector {
 public:
  explicit OrderOutlierDetector(OrderOutlierParams params = {}) : params_(params) {}

  std::optional<Alert> observe(const CustomerOrder& order);
  void forget(const std::string& customer_id) { history_.erase(customer_id); }
  size_t retained(const std::string& customer_id) const;

 private:
  struct Past {
    std::string id;
    double amount = 0;
  };
  std::optional<Alert> judge(const CustomerOrder& order, const std::deque<Past>& past) const;

  OrderOutlierParams params_;
  std::unordered_map<std::string, std::deque<Past>> history_;
};

}  // namespace ledgerflow::finance
