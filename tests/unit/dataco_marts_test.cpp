// DatacoMarts' line aggregates against a std::map model computed here from the same lines:
// lines built directly (no parser), in runs of one order date, across month and year ends and
// before 1970, with department and category values that change from line to line.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>

#include "analytics/dataco_marts.h"

using namespace ledgerflow;

namespace {

constexpr int64_t kMsPerDayHere = 86'400'000;

struct ModelMonth {
  int64_t lines = 0, sales = 0, days_real = 0;
};

// The month index (year * 12 + month - 1) of a time, by the civil calendar.
int32_t model_month(int64_t ms) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(ms)));
  const year_month_day ymd(day);
  return int32_t(int(ymd.year()) * 12 + int(unsigned(ymd.month())) - 1);
}

int64_t model_day(int64_t ms) {
  return ms >= 0 ? ms / kMsPerDayHere : -((-ms + kMsPerDayHere - 1) / kMsPerDayHere);
}

OrderLine line(std::mt19937_64& rng, int64_t order_id, int64_t time_ms) {
  static const char* departments[] = {"Fitness", "Apparel", "Golf", "Fan Shop", "Outdoors"};
  static const char* categories[] = {"Cleats",          "Men's Footwear",   "Women's Apparel",
                                     "Water Sports",    "Camping & Hiking", "Indoor/Outdoor Games",
                                     "Cardio Equipment"};
  static const char* markets[] = {"Africa", "Europe", "LATAM", "Pacific Asia", "USCA"};
  OrderLine l;
  l.order_id = order_id;
  l.order_item_id = int64_t(rng() % 1'000'000);
  l.customer_id = 1 + int64_t(rng() % 50);
  l.order_time_ms = time_ms;
  l.days_real = int32_t(rng() % 7);
  l.days_scheduled = int32_t(rng() % 5);
  l.sales = Money::from_micros(int64_t(rng() % 1'000'000'000));
  l.item_total = Money::from_micros(int64_t(rng() % 1'000'000'000));
  OrderTexts t;
  t[size_t(OrderText::kPaymentType)] = "DEBIT";
  t[size_t(OrderText::kDeliveryStatus)] = "Late delivery";
  t[size_t(OrderText::kOrderStatus)] = rng() % 2 ? "COMPLETE" : "PENDING_PAYMENT";
  t[size_t(OrderText::kShippingMode)] = "Standard Class";
  t[size_t(OrderText::kMarket)] = markets[rng() % 5];
  t[size_t(OrderText::kDepartment)] = departments[rng() % 5];
  t[size_t(OrderText::kCategory)] = categories[rng() % 7];
  l.set_texts(t);
  return l;
}

}  // namespace

TEST(DatacoMarts, MonthDayAndCommitmentSumsMatchAModel) {
  std::mt19937_64 rng(2024);
  // Days around month and year ends (and before 1970), each in a run of 1-4 lines of one
  // order, sometimes revisited later.
  const int64_t days[] = {-1,     0,      16'070, 16'071, 16'101, 16'102, 17'166,
                          17'167, 17'531, 17'532, 17'590, -366,   10'956, 10'957};
  DatacoMarts marts;
  std::map<int32_t, ModelMonth> months;
  std::map<int64_t, std::pair<int64_t, int64_t>> by_day;  // lines, item total micros
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> commitments;
  for (int64_t order = 1; order <= 3000; ++order) {
    const int64_t day = days[rng() % std::size(days)];
    const int64_t ms = day * kMsPerDayHere + int64_t(rng() % kMsPerDayHere);
    for (uint64_t n = 1 + rng() % 4; n > 0; --n) {
      const OrderLine l = line(rng, order, ms);
      marts.apply(l);
      ModelMonth& m = months[model_month(l.order_time_ms)];
      m.lines += 1;
      m.sales += l.sales.micros();
      m.days_real += l.days_real;
      auto& [day_lines, day_total] = by_day[model_day(l.order_time_ms)];
      day_lines += 1;
      day_total += l.item_total.micros();
      commitments[{std::string(l.department()), std::string(l.market()),
                   std::string(l.category())}] += l.item_total.micros();
    }
  }
  DatacoSummary s;
  marts.summarize(&s);
  ASSERT_EQ(s.lines.by_month.size(), months.size());
  for (const auto& [month, want] : months) {
    const MonthAgg& got = s.lines.by_month.at(month);
    EXPECT_EQ(got.lines, want.lines) << month;
    EXPECT_EQ(got.sales.micros(), want.sales) << month;
    EXPECT_EQ(got.days_real_sum, want.days_real) << month;
  }
  ASSERT_EQ(s.lines.by_day.size(), by_day.size());
  for (const auto& [day, want] : by_day) {
    EXPECT_EQ(s.lines.by_day.at(day).lines, want.first) << day;
    EXPECT_EQ(s.lines.by_day.at(day).order_value.micros(), want.second) << day;
  }
  ASSERT_EQ(s.lines.commitments.size(), commitments.size());
  for (const auto& [key, micros] : commitments) {
    EXPECT_EQ(s.lines.commitments.at(key).committed.micros(), micros);
  }
}

namespace {

struct ModelOrder {
  int64_t first_item = INT64_MAX, customer = 0, total = 0;
  int32_t month = 0;
  std::string market, status;
};

}  // namespace

// Order-level figures come from each order's line with the smallest Order Item Id, and each
// customer's months (retention) from every line, whatever order the lines arrive in (here
// mostly an order's lines one after another, the case the marts' memos serve, sometimes far
// apart); a checkpoint reload gives the same figures.
TEST(DatacoMarts, OrderAndRetentionFiguresMatchAModelAndSurviveAReload) {
  std::mt19937_64 rng(77);
  std::vector<OrderLine> lines;
  for (int64_t order = 500; order < 2500; ++order) {
    const int64_t ms = int64_t(16'000 + rng() % 1'500) * kMsPerDayHere;
    for (uint64_t n = 1 + rng() % 4; n > 0; --n) lines.push_back(line(rng, order, ms));
  }
  for (size_t i = 0; i + 1 < lines.size(); i += 7) {  // some lines of an order come later
    std::swap(lines[i], lines[i + rng() % (lines.size() - i)]);
  }
  DatacoMarts marts;
  std::map<int64_t, ModelOrder> orders;
  std::map<int64_t, std::set<int32_t>> customer_months;
  for (const OrderLine& l : lines) {
    marts.apply(l);
    customer_months[l.customer_id].insert(model_month(l.order_time_ms));
    ModelOrder& o = orders[l.order_id];
    o.total += l.item_total.micros();
    if (l.order_item_id < o.first_item) {
      o.first_item = l.order_item_id;
      o.customer = l.customer_id;
      o.month = model_month(l.order_time_ms);
      o.market = std::string(l.market());
      o.status = std::string(l.order_status());
    }
  }
  std::map<int64_t, std::pair<int64_t, int64_t>> customers;  // orders, total micros
  std::map<std::string, int64_t> by_market;
  std::map<int32_t, int64_t> by_month;
  for (const auto& [id, o] : orders) {
    customers[o.customer].first += 1;
    customers[o.customer].second += o.total;
    by_market[o.market] += 1;
    by_month[o.month] += 1;
  }
  std::map<int32_t, std::pair<int64_t, int64_t>> retention;  // customers, returning
  for (const auto& [customer, months] : customer_months) {
    for (int32_t m : months) {
      retention[m].first += 1;
      retention[m].second += m != *months.begin() ? 1 : 0;
    }
  }
  std::string blob;
  ByteWriter w(&blob);
  marts.serialize(w);
  DatacoMarts reloaded;
  ByteReader r(blob);
  ASSERT_TRUE(reloaded.deserialize(r));
  EXPECT_EQ(r.remaining(), 0u);
  for (const DatacoMarts* m : {&marts, &reloaded}) {
    DatacoSummary s;
    m->summarize(&s);
    ASSERT_EQ(s.customers.size(), customers.size());
    for (const auto& [id, want] : customers) {
      EXPECT_EQ(s.customers.at(id).orders, want.first) << id;
      EXPECT_EQ(s.customers.at(id).order_total.micros(), want.second) << id;
    }
    ASSERT_EQ(s.fraud_by_market.size(), by_market.size());
    for (const auto& [market, n] : by_market) EXPECT_EQ(s.fraud_by_market.at(market).orders, n);
    EXPECT_EQ(s.orders_by_month, by_month);
    ASSERT_EQ(s.retention.size(), retention.size());
    for (const auto& [month, want] : retention) {
      EXPECT_EQ(s.retention.at(month).customers, want.first) << month;
      EXPECT_EQ(s.retention.at(month).returning, want.second) << month;
    }
  }
}
