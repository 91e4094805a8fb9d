#include "analytics/dataco_marts.h"

#include <algorithm>
#include <chrono>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "analytics/inventory_state.h"
#include "core/event_time.h"

namespace ledgerflow {
namespace {

bool is_fulfilled(std::string_view status) {
  return status == "COMPLETE" || status == "CLOSED";
}

bool is_receivable(std::string_view status) {
  return status == "PENDING_PAYMENT";
}

// saturating_add without its out-of-line call while the sum fits (it always does on real data;
// an overflow still saturates exactly as before). Five sums per line.
Money add_money(Money a, Money b) {
  int64_t sum;
  if (!__builtin_add_overflow(a.micros(), b.micros(), &sum)) [[likely]] {
    return Money::from_micros(sum);
  }
  return saturating_add(a, b);
}

// Grows a by-id vector so that `id` is an index. The growth is out of line: inlined, it made
// this a call that saved registers on every line.
template <typename T>
[[gnu::noinline]] void grow_to(std::vector<T>& v, uint32_t id) {
  v.resize(size_t(id) + 1);
}
template <typename T>
T& at_id(std::vector<T>& v, uint32_t id) {
  if (id >= v.size()) grow_to(v, id);
  return v[id];
}

void add(DelayAgg& a, const DelayAgg& b) {
  a.delay_days_sum += b.delay_days_sum;
  a.lines += b.lines;
}
void add(LateAgg& a, const LateAgg& b) {
  a.late += b.late;
  a.lines += b.lines;
}
void add(CommitmentAgg& a, const CommitmentAgg& b) {
  a.committed = add_money(a.committed, b.committed);
  a.lines += b.lines;
  a.fulfilled += b.fulfilled;
}
void add(MonthAgg& a, const MonthAgg& b) {
  a.sales = add_money(a.sales, b.sales);
  a.profit = add_money(a.profit, b.profit);
  a.order_value = add_money(a.order_value, b.order_value);
  a.lines += b.lines;
  a.days_real_sum += b.days_real_sum;
  a.days_scheduled_sum += b.days_scheduled_sum;
}
void add(DayAgg& a, const DayAgg& b) {
  a.order_value = add_money(a.order_value, b.order_value);
  a.lines += b.lines;
}

template <typename K, typename V>
void merge_map(std::map<K, V>& into, const std::map<K, V>& from) {
  for (const auto& [k, v] : from) add(into[k], v);
}

// Checkpoint encoding: every aggregate as its integer fields (money as micros).
void put(ByteWriter& w, const DelayAgg& a) {
  w.i64(a.delay_days_sum), w.i64(a.lines);
}
void put(ByteWriter& w, const LateAgg& a) {
  w.i64(a.late), w.i64(a.lines);
}
void put(ByteWriter& w, const CommitmentAgg& a) {
  w.i64(a.committed.micros()), w.i64(a.lines), w.i64(a.fulfilled);
}
void put(ByteWriter& w, const MonthAgg& a) {
  for (Money m : {a.sales, a.profit, a.order_value}) w.i64(m.micros());
  for (int64_t v : {a.lines, a.days_real_sum, a.days_scheduled_sum}) w.i64(v);
}
void put(ByteWriter& w, const DayAgg& a) {
  w.i64(a.order_value.micros()), w.i64(a.lines);
}
void put_key(ByteWriter& w, const std::string& k) {
  w.str(k);
}
void put_key(ByteWriter& w, int64_t k) {
  w.i64(k);
}
void put_key(ByteWriter& w, int32_t k) {
  w.i32(k);
}
void put_key(ByteWriter& w, const CommitmentKey& k) {
  w.str(std::get<0>(k)), w.str(std::get<1>(k)), w.str(std::get<2>(k));
}

bool get_money(ByteReader& r, Money* m) {
  int64_t micros;
  if (!r.i64(&micros)) return false;
  *m = Money::from_micros(micros);
  return true;
}
bool get(ByteReader& r, DelayAgg* a) {
  return r.i64(&a->delay_days_sum) && r.i64(&a->lines);
}
bool get(ByteReader& r, LateAgg* a) {
  return r.i64(&a->late) && r.i64(&a->lines);
}
bool get(ByteReader& r, CommitmentAgg* a) {
  return get_money(r, &a->committed) && r.i64(&a->lines) && r.i64(&a->fulfilled);
}
bool get(ByteReader& r, MonthAgg* a) {
  return get_money(r, &a->sales) && get_money(r, &a->profit) && get_money(r, &a->order_value) &&
         r.i64(&a->lines) && r.i64(&a->days_real_sum) && r.i64(&a->days_scheduled_sum);
}
bool get(ByteReader& r, DayAgg* a) {
  return get_money(r, &a->order_value) && r.i64(&a->lines);
}
bool get_key(ByteReader& r, std::string* k) {
  return r.str(k, 1u << 16);
}
bool get_key(ByteReader& r, int64_t* k) {
  return r.i64(k);
}
bool get_key(ByteReader& r, int32_t* k) {
  return r.i32(k);
}
bool get_key(ByteReader& r, CommitmentKey* k) {
  return r.str(&std::get<0>(*k), 1u << 16) && r.str(&std::get<1>(*k), 1u << 16) &&
         r.str(&std::get<2>(*k), 1u << 16);
}

template <typename K, typename V>
void put_map(ByteWriter& w, const std::map<K, V>& m) {
  w.u64(m.size());
  for (const auto& [k, v] : m) {
    put_key(w, k);
    put(w, v);
  }
}

template <typename K, typename V>
bool get_map(ByteReader& r, std::map<K, V>* m) {
  uint64_t n;
  if (!r.u64(&n) || n > r.remaining()) return false;
  m->clear();
  for (uint64_t i = 0; i < n; ++i) {
    K k;
    V v;
    if (!get_key(r, &k) || !get(r, &v)) return false;
    m->emplace(std::move(k), v);
  }
  return true;
}

}  // namespace

int32_t month_index(int64_t ms) {
  using namespace std::chrono;
  year_month_day ymd{sys_days(days(floor_div(ms, kMsPerDay)))};
  return int32_t(int(ymd.year()) * 12 + int(unsigned(ymd.month())) - 1);
}

std::string month_label(int32_t m) {
  return fmt::format("{:04}-{:02}", floor_div(m, 12), m - floor_div(m, 12) * 12 + 1);
}

template <typename A, typename B, size_t... I>
void merge_maps(A into, B from, std::index_sequence<I...>) {
  (merge_map(std::get<I>(into), std::get<I>(from)), ...);
}

void LineAggregates::merge(const LineAggregates& o) {
  merge_maps(maps(), o.maps(), std::make_index_sequence<std::tuple_size_v<decltype(maps())>>());
  lines += o.lines;
  max_order_time_ms = std::max(max_order_time_ms, o.max_order_time_ms);
}

void DatacoMarts::note_status_kind(std::string_view status) {
  status_kinds_.push_back(
      uint8_t((is_fulfilled(status) ? kFulfilled : 0) | (is_receivable(status) ? kReceivable : 0)));
}

bool DatacoMarts::fulfilled(uint32_t order_status) const {
  return (status_kinds_[order_status] & kFulfilled) != 0;
}

int32_t DatacoMarts::month_of(int64_t day, int64_t ms) {
  if (day != last_day_.day) last_day_ = DayMonth{day, month_index(ms)};
  return last_day_.month;
}

void DatacoMarts::note_customer_month(int64_t customer, int32_t month) {
  std::vector<int32_t>& months = customer_months_[customer];
  auto it = std::lower_bound(months.begin(), months.end(), month);
  if (it == months.end() || *it != month) months.insert(it, month);
}

void DatacoMarts::apply(const OrderLine& l) {
  const uint32_t market = markets_.id(l.market());
  const uint32_t status = order_status_id(l.order_status());
  LateAgg late{l.late_delivery_risk ? 1 : 0, 1};
  add(at_id(lines_.delay_by_status, delivery_statuses_.id(l.delivery_status())),
      DelayAgg{l.days_real - l.days_scheduled, 1});
  add(at_id(lines_.late_by_mode, shipping_modes_.id(l.shipping_mode())), late);
  add(at_id(lines_.late_by_market, market), late);
  add(lines_.commitments[CommitmentIds{departments_.id(l.department()), market,
                                       categories_.id(l.category())}],
      CommitmentAgg{l.item_total, 1, fulfilled(status) ? 1 : 0});
  const int64_t day = floor_div(l.order_time_ms, kMsPerDay);
  const int32_t month = month_of(day, l.order_time_ms);
  add(lines_.by_month[month],
      MonthAgg{l.sales, l.profit, l.item_total, 1, l.days_real, l.days_scheduled});
  add(lines_.by_day[day], DayAgg{l.item_total, 1});
  lines_.lines += 1;
  lines_.max_order_time_ms = std::max(lines_.max_order_time_ms, l.order_time_ms);

  // Lines of one order mostly come one after another: the node of the last one is kept
  // (unordered_map nodes do not move on rehash) to skip the hash lookup.
  if (last_order_.agg == nullptr || last_order_.key != l.order_id) {
    last_order_.key = l.order_id;
    last_order_.agg = &orders_[l.order_id];
  }
  OrderAgg& o = *last_order_.agg;
  o.total = add_money(o.total, l.item_total);
  if (l.order_item_id < o.first_item_id) {
    o.first_item_id = l.order_item_id;
    o.customer_id = l.customer_id;
    o.month = month;
    o.payment_type = payment_types_.id(l.payment_type());
    o.market = market;
    o.status = status;
  }
  const CustomerMonth seen{l.customer_id, month, true};
  if (!(last_customer_month_ == seen)) {
    note_customer_month(l.customer_id, month);
    last_customer_month_ = seen;
  }
  if ((status_kinds_[status] & kReceivable) != 0) {
    add(receivables_[CustomerDay{l.customer_id, day}], DayAgg{l.item_total, 1});
  }
}

void DatacoReceivables::merge(const DatacoReceivables& o) {
  for (const auto& [customer, days] : o.by_customer) merge_map(by_customer[customer], days);
  max_order_time_ms = std::max(max_order_time_ms, o.max_order_time_ms);
}

void DatacoMarts::add_receivables_to(DatacoReceivables* out) const {
  receivables_.for_each(
      [&](const CustomerDay& k, const DayAgg& v) { add(out->by_customer[k.customer][k.day], v); });
  out->max_order_time_ms = std::max(out->max_order_time_ms, lines_.max_order_time_ms);
}

// Layout (little-endian): u64 customer count, then per customer: i64 customer id, u64 day
// count, then per day: i64 order day (days since 1970-01-01), i64 open amount in micro-units,
// i64 lines. Customers ascending (deterministic bytes), days ascending.
void DatacoMarts::serialize_receivables(ByteWriter& w) const {
  std::vector<std::pair<CustomerDay, DayAgg>> sorted;
  sorted.reserve(receivables_.size());
  receivables_.for_each([&](const CustomerDay& k, const DayAgg& v) { sorted.emplace_back(k, v); });
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first.customer, a.first.day) < std::tie(b.first.customer, b.first.day);
  });
  size_t customers = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    customers += i == 0 || sorted[i].first.customer != sorted[i - 1].first.customer ? 1 : 0;
  }
  w.u64(customers);
  for (size_t begin = 0, end; begin < sorted.size(); begin = end) {
    end = begin + 1;
    while (end < sorted.size() && sorted[end].first.customer == sorted[begin].first.customer) ++end;
    w.i64(sorted[begin].first.customer);
    w.u64(end - begin);
    for (size_t i = begin; i < end; ++i) {
      put_key(w, sorted[i].first.day);
      put(w, sorted[i].second);
    }
  }
}

bool DatacoMarts::deserialize_receivables(ByteReader& r) {
  receivables_ = {};
  uint64_t n;
  if (!r.u64(&n) || n > r.remaining()) return false;
  for (uint64_t i = 0; i < n; ++i) {
    int64_t customer;
    std::map<int64_t, DayAgg> days;
    if (!r.i64(&customer) || !get_map(r, &days)) return false;
    for (const auto& [day, agg] : days) receivables_[CustomerDay{customer, day}] = agg;
  }
  return true;
}

// A by-id entry with no lines was never applied (an id can be taken by another map first):
// the string-keyed maps never held such an entry.
void DatacoMarts::add_lines_to(LineAggregates* out) const {
  for (uint32_t i = 0; i < lines_.delay_by_status.size(); ++i) {
    const DelayAgg& a = lines_.delay_by_status[i];
    if (a.lines != 0) add(out->delay_by_status[delivery_statuses_.name(i)], a);
  }
  for (uint32_t i = 0; i < lines_.late_by_mode.size(); ++i) {
    const LateAgg& a = lines_.late_by_mode[i];
    if (a.lines != 0) add(out->late_by_mode[shipping_modes_.name(i)], a);
  }
  for (uint32_t i = 0; i < lines_.late_by_market.size(); ++i) {
    const LateAgg& a = lines_.late_by_market[i];
    if (a.lines != 0) add(out->late_by_market[markets_.name(i)], a);
  }
  lines_.commitments.for_each([&](const CommitmentIds& k, const CommitmentAgg& v) {
    add(out->commitments[CommitmentKey{departments_.name(k.department), markets_.name(k.market),
                                       categories_.name(k.category)}],
        v);
  });
  lines_.by_month.for_each([&](int32_t k, const MonthAgg& v) { add(out->by_month[k], v); });
  lines_.by_day.for_each([&](int64_t k, const DayAgg& v) { add(out->by_day[k], v); });
  out->lines += lines_.lines;
  out->max_order_time_ms = std::max(out->max_order_time_ms, lines_.max_order_time_ms);
}

void DatacoMarts::load_lines(const LineAggregates& in) {
  lines_ = Lines{};
  for (const auto& [k, v] : in.delay_by_status) {
    at_id(lines_.delay_by_status, delivery_statuses_.id(k)) = v;
  }
  for (const auto& [k, v] : in.late_by_mode) at_id(lines_.late_by_mode, shipping_modes_.id(k)) = v;
  for (const auto& [k, v] : in.late_by_market) at_id(lines_.late_by_market, markets_.id(k)) = v;
  for (const auto& [k, v] : in.commitments) {
    lines_.commitments[CommitmentIds{departments_.id(std::get<0>(k)), markets_.id(std::get<1>(k)),
                                     categories_.id(std::get<2>(k))}] = v;
  }
  for (const auto& [k, v] : in.by_month) lines_.by_month[k] = v;
  for (const auto& [k, v] : in.by_day) lines_.by_day[k] = v;
  lines_.lines = in.lines;
  lines_.max_order_time_ms = in.max_order_time_ms;
}

void DatacoMarts::summarize(DatacoSummary* out) const {
  add_lines_to(&out->lines);
  summarize_orders(out);
  summarize_retention(out);
  add_receivables_to(&out->receivables);
}

void DatacoMarts::summarize_orders(DatacoSummary* out) const {
  for (const auto& [id, o] : orders_) {
    const int64_t fraud = order_statuses_.name(o.status) == "SUSPECTED_FRAUD" ? 1 : 0;
    CustomerAgg& c = out->customers[o.customer_id];
    c.orders += 1;
    c.fraud_orders += fraud;
    c.order_total = saturating_add(c.order_total, o.total);
    for (FraudAgg* f : {&out->fraud_by_type[payment_types_.name(o.payment_type)],
                        &out->fraud_by_market[markets_.name(o.market)]}) {
      f->orders += 1;
      f->fraud_orders += fraud;
    }
    out->orders_by_month[o.month] += 1;
  }
}

// Retention is computed here, at read time, from each customer's set of months: "returning"
// means an order in an earlier month, whatever order the lines arrived in.
void DatacoMarts::summarize_retention(DatacoSummary* out) const {
  for (const auto& [customer, months] : customer_months_) {
    for (size_t i = 0; i < months.size(); ++i) {
      RetentionAgg& r = out->retention[months[i]];
      r.customers += 1;
      r.returning += i > 0 ? 1 : 0;
    }
  }
}

void DatacoMarts::serialize(ByteWriter& w) const {
  // The same bytes as when the maps were string-keyed (checkpoint format unchanged).
  LineAggregates lines;
  add_lines_to(&lines);
  std::apply([&](const auto&... m) { (put_map(w, m), ...); }, lines.maps());
  w.i64(lines.lines);
  w.i64(lines.max_order_time_ms);
  w.u64(orders_.size());
  for (const auto& [id, o] : orders_) {
    w.i64(id), w.i64(o.customer_id), w.i64(o.first_item_id), w.i32(o.month),
        w.i64(o.total.micros());
    w.str(payment_types_.name(o.payment_type)), w.str(markets_.name(o.market)),
        w.str(order_statuses_.name(o.status));
  }
  w.u64(customer_months_.size());
  for (const auto& [customer, months] : customer_months_) {
    w.i64(customer);
    w.u32(uint32_t(months.size()));
    for (int32_t m : months) w.i32(m);
  }
}

bool DatacoMarts::deserialize(ByteReader& r) {
  *this = DatacoMarts{};
  LineAggregates lines;
  bool maps_ok = std::apply([&](auto&... m) { return (get_map(r, &m) && ...); }, lines.maps());
  if (!maps_ok || !r.i64(&lines.lines) || !r.i64(&lines.max_order_time_ms)) {
    return false;
  }
  load_lines(lines);
  uint64_t n;
  if (!r.u64(&n) || n > r.remaining()) return false;
  orders_.clear();
  for (uint64_t i = 0; i < n; ++i) {
    int64_t id;
    OrderAgg o;
    std::string payment_type, market, status;
    if (!r.i64(&id) || !r.i64(&o.customer_id) || !r.i64(&o.first_item_id) || !r.i32(&o.month) ||
        !get_money(r, &o.total) || !r.str(&payment_type, 1u << 16) || !r.str(&market, 1u << 16) ||
        !r.str(&status, 1u << 16)) {
      return false;
    }
    o.payment_type = payment_types_.id(payment_type);
    o.market = markets_.id(market);
    o.status = order_status_id(status);
    orders_.emplace(id, o);
  }
  if (!r.u64(&n) || n > r.remaining()) return false;
  customer_months_.clear();
  for (uint64_t i = 0; i < n; ++i) {
    int64_t customer;
    uint32_t count;
    if (!r.i64(&customer) || !r.u32(&count) || count > r.remaining()) return false;
    std::vector<int32_t>& months = customer_months_[customer];
    months.resize(count);
    for (int32_t& m : months) {
      if (!r.i32(&m)) return false;
    }
  }
  return true;
}

}  // namespace ledgerflow
