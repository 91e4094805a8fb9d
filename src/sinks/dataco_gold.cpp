#include "sinks/dataco_gold.h"

#include "core/event_time.h"

namespace ledgerflow::sinks {

namespace {

using OnConflict = TableSpec::OnConflict;

const TableSpec kPaymentDelays{
    "payment_delays", {"delivery_status", "lines", "delay_days_sum"}, 1, OnConflict::kUpdate};
const TableSpec kLateByMode{
    "late_deliveries_by_mode", {"shipping_mode", "lines", "late_lines"}, 1, OnConflict::kUpdate};
const TableSpec kLateByMarket{
    "late_deliveries_by_market", {"market", "lines", "late_lines"}, 1, OnConflict::kUpdate};
const TableSpec kCommitments{
    "financial_commitments",
    {"department", "market", "category", "committed_micros", "lines", "fulfilled_lines"},
    3,
    OnConflict::kUpdate};
const TableSpec kFraudByCustomer{
    "fraud_by_customer",
    {"customer_id", "orders", "order_total_micros", "suspected_fraud_orders"},
    1,
    OnConflict::kUpdate};
const TableSpec kFraudByType{"fraud_by_payment_type",
                             {"payment_type", "orders", "suspected_fraud_orders"},
                             1,
                             OnConflict::kUpdate};
const TableSpec kFraudByMarket{
    "fraud_by_market", {"market", "orders", "suspected_fraud_orders"}, 1, OnConflict::kUpdate};
const TableSpec kPerformance{
    "overall_performance",
    {"month_key", "lines", "sales_micros", "profit_micros", "days_real_sum", "days_scheduled_sum"},
    1,
    OnConflict::kUpdate};
const TableSpec kRetention{"customer_retention",
                           {"month_key", "customers", "returning_customers"},
                           1,
                           OnConflict::kUpdate};
const TableSpec kValueByMonth{"order_value_by_month",
                              {"month_key", "order_value_micros", "lines", "orders"},
                              1,
                              OnConflict::kUpdate};
const TableSpec kValueByDay{
    "order_value_by_day", {"day_start_ms", "order_value_micros", "lines"}, 1, OnConflict::kUpdate};
const TableSpec kReceivablesByDay{"dataco_receivables_by_day",
                                  {"customer_id", "day_start_ms", "open_micros", "lines"},
                                  2,
                                  OnConflict::kUpdate};

// Rows of a {key -> lines, late} map.
TableRows late_rows(const TableSpec& spec, const std::map<std::string, LateAgg>& by) {
  TableRows t{&spec, {}};
  for (const auto& [key, a] : by) t.add(key, a.lines, a.late);
  return t;
}

// Rows of a {key -> orders, suspected-fraud orders} map.
TableRows fraud_rows(const TableSpec& spec, const std::map<std::string, FraudAgg>& by) {
  TableRows t{&spec, {}};
  for (const auto& [key, a] : by) t.add(key, a.orders, a.fraud_orders);
  return t;
}

}  // namespace

int64_t month_key(int32_t month_index) {
  const int64_t year = floor_div(int64_t(month_index), 12);
  return year * 100 + (month_index - year * 12) + 1;
}

bool DatacoGold::build(const DatacoSummary& s, WarehouseTxn* txn) {
  pending_lines_ = s.lines.lines;
  cache_.begin();
  const size_t steps_before = txn->steps.size();

  TableRows delays{&kPaymentDelays, {}};
  for (const auto& [status, a] : s.lines.delay_by_status)
    delays.add(status, a.lines, a.delay_days_sum);
  cache_.add_changed(std::move(delays), txn);
  cache_.add_changed(late_rows(kLateByMode, s.lines.late_by_mode), txn);
  cache_.add_changed(late_rows(kLateByMarket, s.lines.late_by_market), txn);

  TableRows commitments{&kCommitments, {}};
  for (const auto& [k, a] : s.lines.commitments) {
    commitments.add(std::get<0>(k), std::get<1>(k), std::get<2>(k), a.committed.micros(), a.lines,
                    a.fulfilled);
  }
  cache_.add_changed(std::move(commitments), txn);

  TableRows customers{&kFraudByCustomer, {}};
  for (const auto& [id, c] : s.customers) {
    customers.add(id, c.orders, c.order_total.micros(), c.fraud_orders);
  }
  cache_.add_changed(std::move(customers), txn);
  cache_.add_changed(fraud_rows(kFraudByType, s.fraud_by_type), txn);
  cache_.add_changed(fraud_rows(kFraudByMarket, s.fraud_by_market), txn);

  TableRows performance{&kPerformance, {}};
  TableRows value{&kValueByMonth, {}};
  for (const auto& [month, m] : s.lines.by_month) {
    performance.add(month_key(month), m.lines, m.sales.micros(), m.profit.micros(), m.days_real_sum,
                    m.days_scheduled_sum);
    auto orders = s.orders_by_month.find(month);
    value.add(month_key(month), m.order_value.micros(), m.lines,
              orders == s.orders_by_month.end() ? int64_t(0) : orders->second);
  }
  cache_.add_changed(std::move(performance), txn);
  cache_.add_changed(std::move(value), txn);

  TableRows retention{&kRetention, {}};
  for (const auto& [month, r] : s.retention)
    retention.add(month_key(month), r.customers, r.returning);
  cache_.add_changed(std::move(retention), txn);

  TableRows days{&kValueByDay, {}};
  for (const auto& [day, d] : s.lines.by_day)
    days.add(day * kMsPerDay, d.order_value.micros(), d.lines);
  cache_.add_changed(std::move(days), txn);

  TableRows receivables{&kReceivablesByDay, {}};
  for (const auto& [customer, by_day] : s.receivables.by_customer) {
    for (const auto& [day, d] : by_day)
      receivables.add(customer, day * kMsPerDay, d.order_value.micros(), d.lines);
  }
  cache_.add_changed(std::move(receivables), txn);
  return txn->steps.size() > steps_before;
}

void DatacoGold::commit() {
  cache_.commit();
  committed_lines_ = pending_lines_;
}

void DatacoGold::reset() {
  cache_.reset();
  committed_lines_ = -1;
}

}  // namespace ledgerflow::sinks
