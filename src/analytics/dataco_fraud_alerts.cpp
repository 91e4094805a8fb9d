#include "analytics/dataco_fraud_alerts.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "core/checksum.h"
#include "core/event_time.h"

namespace ledgerflow {

namespace {

std::string percent(double share) {
  return fmt::format("{:.1f} %", share * 100.0);
}

LedgerAlert standing(std::string rule, finance::Severity severity, double score,
                     std::string subject, std::string message, int64_t day) {
  LedgerAlert a;
  a.day = day;
  a.subject = subject;
  a.standing = true;
  a.alert.rule_id = std::move(rule);
  a.alert.severity = severity;
  a.alert.score = std::clamp(score, 0.0, 1.0);
  a.alert.evidence_ids = {std::move(subject)};
  a.alert.message = std::move(message);
  return a;
}

void group_alerts(const std::map<std::string, FraudAgg>& groups, const char* rule,
                  const char* orders_of, double overall, const DatacoFraudParams& p, int64_t day,
                  std::vector<LedgerAlert>* out) {
  for (const auto& [name, g] : groups) {
    if (g.orders < p.min_orders || g.orders == 0) continue;
    double share = double(g.fraud_orders) / double(g.orders);
    if (share < p.concentration * overall || share < overall + p.min_excess) continue;
    out->push_back(standing(
        rule, finance::Severity::kWarning,
        overall > 0 ? share / (2 * p.concentration * overall) : 1, name,
        fmt::format("{} of {} orders {} {} ({}) are marked SUSPECTED_FRAUD, against {} over all "
                    "orders.",
                    g.fraud_orders, g.orders, orders_of, name, percent(share), percent(overall)),
        day));
  }
}

}  // namespace

std::vector<LedgerAlert> dataco_fraud_alerts(const DatacoSummary& s, const DatacoFraudParams& p) {
  std::vector<LedgerAlert> out;
  int64_t orders = 0, fraud = 0;
  for (const auto& [type, g] : s.fraud_by_type) {
    orders += g.orders;
    fraud += g.fraud_orders;
  }
  if (orders == 0) return out;
  const double overall = double(fraud) / double(orders);
  const int64_t day =
      s.lines.max_order_time_ms == INT64_MIN ? 0 : floor_div(s.lines.max_order_time_ms, kMsPerDay);
  group_alerts(s.fraud_by_type, "dataco_fraud_payment_type", "paid by", overall, p, day, &out);
  group_alerts(s.fraud_by_market, "dataco_fraud_market", "in market", overall, p, day, &out);
  std::vector<std::pair<int64_t, const CustomerAgg*>> flagged;
  for (const auto& [id, c] : s.customers) {
    if (c.fraud_orders >= p.min_customer_fraud_orders) flagged.emplace_back(id, &c);
  }
  std::sort(flagged.begin(), flagged.end(), [](const auto& a, const auto& b) {
    return std::tie(b.second->fraud_orders, a.first) < std::tie(a.second->fraud_orders, b.first);
  });
  if (flagged.size() > p.max_customer_alerts) flagged.resize(p.max_customer_alerts);
  for (const auto& [id, c] : flagged) {
    double share = double(c->fraud_orders) / double(c->orders);
    out.push_back(standing(
        "dataco_fraud_customer",
        share >= p.critical_share ? finance::Severity::kCritical : finance::Severity::kWarning,
        share, std::to_string(id),
        fmt::format("Customer {} has {} of {} orders marked SUSPECTED_FRAUD ({}).", id,
                    c->fraud_orders, c->orders, percent(share)),
        day));
  }
  return out;
}

std::string dataco_alert_key(const LedgerAlert& a) {
  return "dataco-" + a.alert.rule_id + "-" + a.subject;
}

int64_t dataco_alert_seq(const LedgerAlert& a) {
  return -1 - int64_t(hash64(dataco_alert_key(a)) >> 1);
}

}  // namespace ledgerflow
