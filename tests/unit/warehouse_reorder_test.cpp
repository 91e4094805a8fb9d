// Reorder gold on SQLite and PostgreSQL: reorder_demand as the engine upserts it equals its SQL
// over silver (verify) and the demand, stock and supplier lead times worked out here from the
// events themselves; the view's figures equal /api/v1/reorder's (reorder_report).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "analytics/reorder_report.h"
#include "core/event_time.h"
#include "engine/engine.h"
#include "ingest/ndjson_batch.h"
#include "sinks/warehouse_verify.h"
#include "sinks/warehouse_writer.h"
#include "support/generated_events.h"
#include "support/warehouse_fixture.h"
#include "test_util.h"

using namespace ledgerflow;
using namespace ledgerflow::sinks;

namespace {

constexpr int64_t kAsOf = 20'454 + 60;  // 2026-03-02: the day of the newest event
constexpr int kProducts = 6;

// Units product p sells in store s on day d: a fixed pattern with gaps (0: no sale that day).
// Product 6 starts selling 5 days before the as-of day: a short history.
int64_t units(int s, int p, int64_t d) {
  if (p == 6 && d < kAsOf - 4) return 0;
  return (p * 7 + d * 3 + s) % 11;
}

std::string day_text(int64_t day, int hour) {
  return fmt::format("{} {:02d}:{:02d}:00", finance::format_day(day), hour, hour % 60);
}

struct Expected {  // one reorder_demand row, worked out from the pattern
  int64_t demand_days = 0, units = 0, squared = 0, on_hand = 0, lead = -1;
};

class WarehouseReorderTest : public ledgerflow::testing::WarehouseFixture {
 protected:
  void submit(Engine& e, const std::vector<std::string>& lines) {
    NdjsonBatch b = ledgerflow::testing::http_batch(lines, 0, lines.size());
    ASSERT_EQ(b.accepted, lines.size()) << b.rejected.front().message;
    IngestAck ack = e.submit(std::move(b.batch)).get();
    ASSERT_TRUE(ack.status) << ack.status.to_string();
  }

  // 40 days of sales for 6 products in 2 stores (each day's units split over two sales), one
  // shipment each, and a supplier master: product 1 from S1 (5 days), product 2 first from S1
  // then, on a later order, from S2 (a record updated to 12 days), product 3 ordered from S1 and
  // S3 on the same day (the longer lead time, 9, counts), product 4 from a supplier without a
  // record (the config's lead time), products named "P-5" and "06" (not catalog ids).
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    auto supplier = [&](const char* id, int lead) {
      out.push_back(fmt::format(
          R"({{"type":"supplier","id":"{}","name":"{}","bank_account_fingerprint":"fp-{}","terms":"net 30","lead_time_days":{}}})",
          id, id, id, lead));
    };
    auto order = [&](const char* id, const char* supplier_id, int64_t day, const char* product) {
      out.push_back(fmt::format(
          R"({{"type":"purchase_order","id":"{}","supplier_id":"{}","order_date":"{}","lines":[{{"product_id":"{}","quantity":10,"unit_cost":2.00}}]}})",
          id, supplier_id, finance::format_day(day), product));
    };
    supplier("S1", 5);
    supplier("S2", 3);
    supplier("S3", 9);
    order("PO1", "S1", kAsOf - 30, "1");
    order("PO2", "S1", kAsOf - 30, "2");
    order("PO3", "S2", kAsOf - 10, "2");
    order("PO4", "S1", kAsOf - 8, "3");
    order("PO5", "S3", kAsOf - 8, "3");
    order("PO6", "SX", kAsOf - 8, "4");
    order("PO7", "S1", kAsOf - 8, "P-5");
    order("PO8", "S3", kAsOf - 8, "06");
    supplier("S2", 12);
    for (int s = 1; s <= 2; ++s) {
      for (int p = 1; p <= kProducts; ++p) {
        out.push_back(fmt::format(
            R"({{"type":"inventory_shipment","id":"sh-{}-{}","prod_id":{},"unit_received":{},"dt":"{}","store_id":{}}})",
            s, p, p, 150 + 40 * p, day_text(kAsOf - 45, 8), s));
      }
    }
    for (int64_t d = kAsOf - 39; d <= kAsOf; ++d) {
      for (int s = 1; s <= 2; ++s) {
        for (int p = 1; p <= kProducts; ++p) {
          const int64_t u = units(s, p, d);
          const int64_t parts[] = {u / 2, u - u / 2};
          for (int k = 0; k < 2; ++k) {
            if (parts[k] == 0) continue;
            out.push_back(fmt::format(
                R"({{"type":"sale_transaction","id":"s-{}-{}-{}-{}","prod_id":{},"prod_name":"P{}","unit_sold":{},"reorder_point":5,"regular_unit_price":3.50,"dt":"{}","store_id":{}}})",
                s, p, d, k, p, p, parts[k], day_text(d, 9 + 6 * k), s));
          }
        }
      }
    }
    return out;
  }

  // The reorder_demand rows, from the pattern: window = the 28 days ending on the as-of day,
  // from the first sale at the earliest.
  static std::vector<std::string> expected_rows(const ReorderConfig& c) {
    const std::map<int, int64_t> lead = {{1, 5}, {2, 12}, {3, 9}};
    std::vector<std::string> out;
    for (int s = 1; s <= 2; ++s) {
      for (int p = 1; p <= kProducts; ++p) {
        Expected e;
        int64_t first = kAsOf - 39, sold = 0;
        while (units(s, p, first) == 0) ++first;
        for (int64_t d = kAsOf - 39; d <= kAsOf; ++d) sold += units(s, p, d);
        const int64_t from = std::max(first, kAsOf - c.window_days + 1);
        e.demand_days = kAsOf - from + 1;
        for (int64_t d = from; d <= kAsOf; ++d) {
          e.units += units(s, p, d);
          e.squared += units(s, p, d) * units(s, p, d);
        }
        e.on_hand = std::max<int64_t>(150 + 40 * p - sold, 0);
        if (lead.count(p)) e.lead = lead.at(p);
        out.push_back(fmt::format("{}|{}|{}|{}|{}|{}|{}|{}", s, p, kAsOf, e.demand_days, e.units,
                                  e.squared, e.on_hand, e.lead));
      }
    }
    return out;
  }
};

TEST_P(WarehouseReorderTest, ReorderGoldEqualsItsSqlOverSilverTheEventsAndTheApi) {
  Engine engine(engine_config());
  ASSERT_TRUE(engine.start());
  const std::vector<std::string> all = lines();
  const size_t half = all.size() / 2;
  {  // two writer sessions: the second one's first upsert rewrites the tables whole
    WarehouseWriter writer(&engine, writer_options());
    writer.start();
    submit(engine, std::vector<std::string>(all.begin(), all.begin() + long(half)));
    writer.stop();
  }
  WarehouseWriter writer(&engine, writer_options());
  writer.start();
  submit(engine, std::vector<std::string>(all.begin() + long(half), all.end()));
  engine.stop();
  writer.stop();

  auto db = reader();
  ASSERT_TRUE(db);
  Result<VerifyReport> report = verify_gold(*db);
  ASSERT_TRUE(report) << report.status().to_string();
  bool checked = false;
  for (const MartCheck& m : report->marts) {
    // Minute windows of days long past leave the engine before an upsert (its retention), so
    // a backfill of 40 days is not a case the minute and day marts cover.
    if (m.mart == "sales_by_minute" || m.mart == "sales_by_day") continue;
    EXPECT_EQ(m.differences_total, 0u)
        << m.mart << ": " << (m.differences.empty() ? "" : m.differences[0]);
    if (m.mart == "reorder_demand") {
      checked = true;
      EXPECT_EQ(m.gold_rows, size_t(2 * kProducts));
    }
  }
  EXPECT_TRUE(checked);
  const ReorderConfig c = engine.config().reorder;
  EXPECT_EQ(rows_of(*db, "SELECT * FROM reorder_demand ORDER BY store_id, prod_id"),
            expected_rows(c));
  EXPECT_EQ(one(*db,
                "SELECT window_days || '|' || service_level_ppm || '|' || lead_time_mdays "
                "FROM reorder_parameters"),
            fmt::format("{}|950000|7000", c.window_days));

  // The view's figures equal the API's report (reorder_report with the supplier lead times).
  const ProductLeadTimes lead_times = engine.product_lead_times();
  std::map<std::pair<int64_t, int64_t>, ReorderLine> api;
  for (ReorderLine& l :
       reorder_report(engine.inventory(std::nullopt, false), c, kAsOf, &lead_times)) {
    api.emplace(std::make_pair(int64_t(l.store_id), l.prod_id), std::move(l));
  }
  Result<QueryResult> view = db->query(
      "SELECT store_id, prod_id, demand_mean, demand_stddev, lead_time_days, safety_stock, "
      "reorder_point, eoq, stockout_day, reorder_now FROM v_reorder_recommendations",
      QueryLimits{});
  ASSERT_TRUE(view) << view.status().to_string();
  ASSERT_EQ(view->rows.size(), api.size());
  int reorder_now = 0;
  for (const auto& r : view->rows) {
    auto num = [&](size_t i) { return std::stod(r[i].value()); };
    const ReorderLine& l = api.at({std::stoll(*r[0]), std::stoll(*r[1])});
    const std::string at = fmt::format("store {} product {}", l.store_id, l.prod_id);
    EXPECT_NEAR(num(2), l.rec.demand.mean, 1e-9) << at;
    EXPECT_NEAR(num(3), l.rec.demand.stddev, 1e-9) << at;
    EXPECT_NEAR(num(4), l.lead_time_days, 1e-9) << at;
    EXPECT_NEAR(num(5), l.rec.safety_stock, 1e-6) << at;
    EXPECT_NEAR(num(6), l.rec.reorder_point, 1e-6) << at;
    EXPECT_NEAR(num(7), l.rec.eoq.value(), 1e-6) << at;
    EXPECT_EQ(std::llround(num(8)), l.rec.stockout_day.value()) << at;
    EXPECT_EQ(*r[9], l.rec.reorder_now ? "1" : "0") << at;
    reorder_now += l.rec.reorder_now;
  }
  EXPECT_GT(reorder_now, 0);  // both outcomes are exercised
  EXPECT_LT(reorder_now, int(api.size()));
  EXPECT_EQ(api.at({1, 2}).lead_time_supplier, "S2");
  EXPECT_EQ(api.at({1, 4}).lead_time_days, c.lead_time_days);

  // A corrupted gold row is caught, by mart, key and column.
  auto writer_db = open_warehouse(target_, BackendMode::kWriter);
  ASSERT_TRUE(writer_db);
  ASSERT_TRUE(
      (*writer_db)
          ->exec(
              "UPDATE reorder_demand SET units_squared = units_squared + 1 WHERE store_id = 2 AND "
              "prod_id = 3"));
  report = verify_gold(*db);
  ASSERT_TRUE(report);
  for (const MartCheck& m : report->marts) {
    if (m.mart != "reorder_demand") continue;
    ASSERT_EQ(m.differences_total, 1u);
    EXPECT_EQ(m.differences[0].rfind("reorder_demand store_id=2 prod_id=3: units_squared gold ", 0),
              0u)
        << m.differences[0];
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, WarehouseReorderTest,
                         ::testing::Values(ledgerflow::testing::BackendKind::kSqlite,
                                           ledgerflow::testing::BackendKind::kPostgres),
                         [](const auto& info) {
                           return ledgerflow::testing::backend_name(info.param);
                         });

}  // namespace
