#include "server/mart_json.h"

#include <algorithm>

#include <fmt/format.h>

#include "analytics/inventory_state.h"
#include "core/event_time.h"
#include "core/json_writer.h"

namespace ledgerflow::server {
namespace {

double ratio(int64_t a, int64_t b) {
  return b == 0 ? 0.0 : double(a) / double(b);
}

std::string day_label(int64_t day) {
  return format_event_time(day * kMsPerDay).substr(0, 10);
}

void late_rows(JsonWriter& w, std::string_view key, std::string_view label,
               const std::map<std::string, LateAgg>& rows) {
  w.key(key).begin_array();
  for (const auto& [name, a] : rows) {
    w.begin_object().field(label, name).field("lines", a.lines).field("late_lines", a.late);
    w.field("late_rate", ratio(a.late, a.lines)).end_object();
  }
  w.end_array();
}

void payment_delays(JsonWriter& w, const DatacoSummary& s) {
  w.key("by_delivery_status").begin_array();
  for (const auto& [status, a] : s.lines.delay_by_status) {
    w.begin_object().field("delivery_status", status).field("lines", a.lines);
    w.field("delay_days_sum", a.delay_days_sum)
        .field("avg_delay_days", ratio(a.delay_days_sum, a.lines));
    w.end_object();
  }
  w.end_array();
  late_rows(w, "late_rate_by_shipping_mode", "shipping_mode", s.lines.late_by_mode);
  late_rows(w, "late_rate_by_market", "market", s.lines.late_by_market);
}

void financial_commitments(JsonWriter& w, const DatacoSummary& s) {
  w.key("rows").begin_array();
  for (const auto& [key, a] : s.lines.commitments) {
    w.begin_object()
        .field("department", std::get<0>(key))
        .field("market", std::get<1>(key))
        .field("category", std::get<2>(key))
        .field("committed", a.committed)
        .field("lines", a.lines)
        .field("fulfilled_lines", a.fulfilled)
        .field("fulfilment_rate", ratio(a.fulfilled, a.lines))
        .end_object();
  }
  w.end_array();
}

void fraud_rows(JsonWriter& w, std::string_view key, std::string_view label,
                const std::map<std::string, FraudAgg>& rows) {
  w.key(key).begin_array();
  for (const auto& [name, a] : rows) {
    w.begin_object().field(label, name).field("orders", a.orders);
    w.field("suspected_fraud_orders", a.fraud_orders)
        .field("suspected_fraud_share", ratio(a.fraud_orders, a.orders));
    w.end_object();
  }
  w.end_array();
}

void fraud_detection(JsonWriter& w, const DatacoSummary& s, size_t limit) {
  std::vector<std::pair<int64_t, CustomerAgg>> rows(s.customers.begin(), s.customers.end());
  // Most suspected-fraud orders first, then the biggest spenders: the ones to look at.
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.second.fraud_orders != b.second.fraud_orders)
      return a.second.fraud_orders > b.second.fraud_orders;
    if (a.second.order_total != b.second.order_total)
      return a.second.order_total > b.second.order_total;
    return a.first < b.first;
  });
  if (rows.size() > limit) rows.resize(limit);
  w.field("customers_total", int64_t(s.customers.size()));
  w.key("customers").begin_array();
  for (const auto& [id, c] : rows) {
    w.begin_object()
        .field("customer_id", id)
        .field("orders", c.orders)
        .field("order_total", c.order_total);
    w.field("avg_order_total", average_money(c.order_total, c.orders));
    w.field("suspected_fraud_orders", c.fraud_orders)
        .field("suspected_fraud_share", ratio(c.fraud_orders, c.orders));
    w.end_object();
  }
  w.end_array();
  fraud_rows(w, "by_payment_type", "payment_type", s.fraud_by_type);
  fraud_rows(w, "by_market", "market", s.fraud_by_market);
}

void overall_performance(JsonWriter& w, const DatacoSummary& s) {
  w.key("months").begin_array();
  for (const auto& [month, a] : s.lines.by_month) {
    w.begin_object().field("month", month_label(month)).field("lines", a.lines);
    w.field("sales", a.sales)
        .field("profit", a.profit)
        .field("avg_profit_per_line", average_money(a.profit, a.lines));
    w.field("days_real_sum", a.days_real_sum).field("days_scheduled_sum", a.days_scheduled_sum);
    w.field("avg_days_real", ratio(a.days_real_sum, a.lines));
    w.field("avg_days_scheduled", ratio(a.days_scheduled_sum, a.lines)).end_object();
  }
  w.end_array();
}

void customer_retention(JsonWriter& w, const DatacoSummary& s) {
  w.key("months").begin_array();
  for (const auto& [month, r] : s.retention) {
    w.begin_object().field("month", month_label(month)).field("customers", r.customers);
    w.field("returning_customers", r.returning)
        .field("retention_rate", ratio(r.returning, r.customers));
    w.end_object();
  }
  w.end_array();
}

// Age buckets by whole days between the order date and the as-of date.
size_t bucket_of(int64_t age_days) {
  return age_days <= 30 ? 0 : age_days <= 60 ? 1 : age_days <= 90 ? 2 : 3;
}

void order_value_by_month(JsonWriter& w, const DatacoSummary& s, int64_t as_of_day) {
  if (as_of_day == INT64_MIN && s.lines.lines > 0)
    as_of_day = floor_div(s.lines.max_order_time_ms, kMsPerDay);
  w.key("as_of");
  if (as_of_day == INT64_MIN)
    w.null();
  else
    w.value(day_label(as_of_day));
  w.key("months").begin_array();
  for (const auto& [month, a] : s.lines.by_month) {
    auto orders = s.orders_by_month.find(month);
    w.begin_object()
        .field("month", month_label(month))
        .field("order_value", a.order_value)
        .field("lines", a.lines);
    w.field("orders", orders == s.orders_by_month.end() ? int64_t(0) : orders->second).end_object();
  }
  w.end_array();
  DayAgg buckets[4], after;
  for (const auto& [day, a] : s.lines.by_day) {
    DayAgg& b = day > as_of_day ? after : buckets[bucket_of(as_of_day - day)];
    b.order_value = saturating_add(b.order_value, a.order_value);
    b.lines += a.lines;
  }
  static constexpr std::string_view kLabels[4] = {"0-30", "31-60", "61-90", "90+"};
  w.key("aging").begin_array();
  for (size_t i = 0; i < 4; ++i) {
    w.begin_object().field("bucket", kLabels[i]).field("order_value", buckets[i].order_value);
    w.field("lines", buckets[i].lines).end_object();
  }
  w.end_array();
  w.key("after_as_of")
      .begin_object()
      .field("order_value", after.order_value)
      .field("lines", after.lines)
      .end_object();
}

}  // namespace

Money average_money(Money total, int64_t count) {
  if (count == 0) return Money();
  int64_t q = total.micros() / count, r = total.micros() % count;
  // Half away from zero: |2r| >= count moves one more micro-unit away from zero.
  if (2 * (r < 0 ? -r : r) >= count) q += total.micros() < 0 ? -1 : 1;
  return Money::from_micros(q);
}

const std::vector<std::string_view>& dataco_mart_names() {
  static const std::vector<std::string_view> kNames = {
      "payment_delays",      "financial_commitments", "fraud_detection",
      "overall_performance", "customer_retention",    "order_value_by_month"};
  return kNames;
}

Result<std::string> dataco_mart_json(const DatacoSummary& s, std::string_view mart,
                                     const MartQuery& q) {
  JsonWriter w;
  w.begin_object().field("mart", mart).field("lines", s.lines.lines);
  if (mart == "payment_delays") {
    payment_delays(w, s);
  } else if (mart == "financial_commitments") {
    financial_commitments(w, s);
  } else if (mart == "fraud_detection") {
    fraud_detection(w, s, q.limit);
  } else if (mart == "overall_performance") {
    overall_performance(w, s);
  } else if (mart == "customer_retention") {
    customer_retention(w, s);
  } else if (mart == "order_value_by_month") {
    order_value_by_month(w, s, q.as_of_day);
  } else {
    return Status::bad_input("unknown_mart",
                             fmt::format("no mart named \"{}\"", mart.substr(0, 64)));
  }
  w.end_object();
  return w.take();
}

}  // namespace ledgerflow::server
