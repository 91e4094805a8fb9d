// Reorder recommendations per product x store: the daily demand ring (order, gaps, reach), the
// report's figures worked out by hand, and the engine keeping the demand across a restart.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <numeric>

#include "analytics/reorder_report.h"
#include "engine/engine.h"
#include "ingest/ndjson_batch.h"
#include "support/generated_events.h"
#include "test_util.h"

using namespace ledgerflow;
using ledgerflow::testing::TempDir;

namespace {
constexpr int64_t D = 20'454;  // 2026-01-01
}

TEST(DailyDemand, WindowIsOrderFreeZeroFillsGapsAndStartsAtTheFirstSale) {
  DailyDemand a, b;
  const std::vector<std::pair<int64_t, int64_t>> sales = {{D, 3}, {D + 2, 5}, {D, 1}, {D + 5, 2}};
  for (auto [day, units] : sales) a.add(day, units);
  for (auto it = sales.rbegin(); it != sales.rend(); ++it) b.add(it->first, it->second);
  std::vector<double> want = {4, 0, 5, 0, 0, 2, 0};  // D .. D+6
  EXPECT_EQ(a.window(D + 6, 28), want);              // starts at the first sale, not 28 days back
  EXPECT_EQ(b.window(D + 6, 28), want);
  EXPECT_EQ(a.window(D + 6, 3), (std::vector<double>{0, 2, 0}));
  EXPECT_TRUE(a.window(D - 1, 28).empty());  // nothing sold by then
  // Past the ring's reach: slots are reused, old days drop out, a too-old sale is left out.
  a.add(D + 100, 7);
  a.add(D + 10, 9);
  std::vector<double> late = a.window(D + 100, 56);
  ASSERT_EQ(late.size(), 56u);
  EXPECT_EQ(late.back(), 7);
  EXPECT_EQ(std::accumulate(late.begin(), late.end(), 0.0), 7);
}

TEST(ReorderReport, FiguresByHand) {
  InventoryRow row;
  row.store_id = 1;
  row.prod_id = 4;
  row.cost_price = Money::from_units(2);
  for (int64_t d = 0; d < 28; ++d) row.demand.add(D + d, 10);
  row.total_received = 80;
  ReorderConfig c;  // 28 days, 95 %, 7 days lead, S = 50, H = 0.25 x 2.00 = 0.50
  std::optional<ReorderLine> line = recommend_for(row, c, D + 27);
  ASSERT_TRUE(line);
  EXPECT_EQ(line->lead_time_days, 7);
  EXPECT_EQ(line->lead_time_supplier, "");
  const finance::ReorderRecommendation* r = &line->rec;
  EXPECT_EQ(r->demand.days, 28u);
  EXPECT_DOUBLE_EQ(r->demand.mean, 10);
  EXPECT_DOUBLE_EQ(r->demand.stddev, 0);
  EXPECT_NEAR(r->z, 1.6449, 1e-4);
  EXPECT_DOUBLE_EQ(r->reorder_point, 70);                        // 10 x 7 + 0 safety stock
  EXPECT_NEAR(*r->eoq, std::sqrt(2.0 * 3650 * 50 / 0.5), 1e-6);  // 854.4
  EXPECT_DOUBLE_EQ(*r->days_of_supply, 8);
  EXPECT_EQ(*r->stockout_day, D + 27 + 8);
  EXPECT_FALSE(r->reorder_now);  // 80 on hand > 70
  row.total_sold = 10;           // 70 left: exactly a lead time of stock
  EXPECT_TRUE(recommend_for(row, c, D + 27)->rec.reorder_now);
  // Varying demand: 5 and 15 alternating: sigma = sqrt(28/27 x 25), safety = z x sigma x sqrt(7).
  InventoryRow v = row;
  v.demand = DailyDemand();
  for (int64_t d = 0; d < 28; ++d) v.demand.add(D + d, d % 2 ? 15 : 5);
  line = recommend_for(v, c, D + 27);
  r = &line->rec;
  double sigma = std::sqrt(25.0 * 28 / 27);
  EXPECT_NEAR(r->safety_stock, 1.6448536 * sigma * std::sqrt(7.0), 1e-4);
  EXPECT_NEAR(r->reorder_point, 70 + r->safety_stock, 1e-9);
  // A row with no demand in the window is left out; the report puts "reorder now" first.
  InventoryRow idle;
  idle.prod_id = 9;
  std::vector<ReorderLine> lines = reorder_report({idle, v, row}, c, D + 27);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].rec.reorder_now);
  EXPECT_FALSE(reorder_config_status(ReorderConfig{.window_days = 57}));
  EXPECT_FALSE(reorder_config_status(ReorderConfig{.service_level = 1.0}));
}

// Sales through the engine build the demand; it survives a checkpoint and a replay.
TEST(ReorderReport, EngineKeepsDemandAcrossRestart) {
  TempDir tmp;
  std::vector<std::string> lines;
  for (int d = 0; d < 20; ++d) {
    for (int k = 0; k < 3; ++k) {
      lines.push_back(fmt::format(
          R"({{"type":"sale_transaction","id":"r{}-{}","prod_id":4,"prod_name":"Milk","unit_sold":{},"reorder_point":5,"regular_unit_price":1.89,"dt":"2026-01-{:02d} 1{}:00:00"}})",
          d, k, d % 3 + 1, d + 1, k));
    }
  }
  EngineConfig cfg;
  cfg.data_dir = tmp.sub("data");
  cfg.checkpoint_interval_ms = 3'600'000;
  std::vector<double> live;
  {
    Engine e(cfg);
    ASSERT_TRUE(e.start());
    NdjsonBatch b = ledgerflow::testing::http_batch(lines, 0, 30);
    IngestAck ack = e.submit(std::move(b.batch)).get();
    ASSERT_TRUE(e.checkpoint_now());
    b = ledgerflow::testing::http_batch(lines, 30, lines.size());
    ack = e.submit(std::move(b.batch)).get();
    ASSERT_TRUE(e.wait_applied(ack.next_offset, 10'000));
    auto rows = e.inventory(std::nullopt, false);
    ASSERT_EQ(rows.size(), 1u);
    live = rows[0].demand.window(D + 19, 28);
    ASSERT_EQ(live.size(), 20u);
    for (int d = 0; d < 20; ++d) EXPECT_EQ(live[size_t(d)], 3 * (d % 3 + 1)) << d;
    std::filesystem::copy(tmp.sub("data"), tmp.sub("copy"),
                          std::filesystem::copy_options::recursive);
    e.stop();
  }
  for (const char* dir : {"data", "copy"}) {
    cfg.data_dir = tmp.sub(dir);
    Engine e(cfg);
    ASSERT_TRUE(e.start());
    EXPECT_EQ(e.inventory(std::nullopt, false)[0].demand.window(D + 19, 28), live) << dir;
    e.stop();
  }
}

// Lead times from the supplier master: the supplier of the product's latest purchase order,
// the longest lead time among that day's orders, suppliers without a record passed over; only
// product ids that are a catalog prod_id in decimal reach the report.
TEST(ReorderReport, SupplierLeadTimes) {
  using finance::PurchaseOrder;
  using finance::Supplier;
  FinanceLedger ledger;
  auto supplier = [&](const char* id, int32_t days) {
    Supplier s;
    s.id = id;
    s.name = id;
    s.lead_time_days = days;
    ledger.apply(FinanceEvent(s), 0, 0);
  };
  auto order = [&](const char* id, const char* supplier_id, int64_t day,
                   std::vector<std::string> products) {
    PurchaseOrder po;
    po.id = id;
    po.supplier_id = supplier_id;
    po.order_day = day;
    for (auto& p : products) po.lines.push_back({p, 1, Money::from_units(1), std::nullopt});
    ledger.apply(FinanceEvent(po), 0, 0);
  };
  supplier("A", 3);
  supplier("B", 12);
  supplier("C", 5);
  order("PO1", "B", D, {"4", "5", "6"});
  order("PO2", "A", D + 1, {"4"});       // later: product 4 now comes from A
  order("PO3", "C", D + 1, {"4", "5"});  // same day as PO2: C's 5 days beat A's 3
  order("PO4", "X", D + 2, {"5"});       // supplier X has no record: passed over, the day too
  order("PO5", "A", D + 3, {"P-7", "08", "9"});
  order("PO1", "A", D + 9, {"6"});  // a replayed order id: the first one stays
  supplier("B", 20);                // the current record's lead time counts

  std::map<std::string, ProductLeadTime> by_product = ledger.product_lead_times();
  EXPECT_EQ(by_product.at("4").supplier_id, "C");
  EXPECT_EQ(by_product.at("4").lead_time_days, 5);
  EXPECT_EQ(by_product.count("5"), 0u);  // its latest day's only supplier is unknown
  EXPECT_EQ(by_product.at("6").supplier_id, "B");
  EXPECT_EQ(by_product.at("6").lead_time_days, 20);
  EXPECT_EQ(by_product.at("P-7").lead_time_days, 3);
  ProductLeadTimes catalog = catalog_lead_times(by_product);
  EXPECT_EQ(catalog.size(), 3u);  // 4, 6, 9: not "P-7", not "08"
  EXPECT_EQ(catalog.at(9).supplier_id, "A");

  // Product 6 at 10 a day with no variation: reorder point 10 x 20 days, not 10 x 7.
  InventoryRow row;
  row.prod_id = 6;
  row.cost_price = Money::from_units(2);
  for (int64_t d = 0; d < 28; ++d) row.demand.add(D + d, 10);
  row.total_received = 150;
  std::optional<ReorderLine> line = recommend_for(row, ReorderConfig{}, D + 27, &catalog);
  ASSERT_TRUE(line);
  EXPECT_EQ(line->lead_time_supplier, "B");
  EXPECT_DOUBLE_EQ(line->rec.reorder_point, 200);
  EXPECT_TRUE(line->rec.reorder_now);  // 150 on hand: under a 20-day lead time of demand
  EXPECT_FALSE(recommend_for(row, ReorderConfig{}, D + 27)->rec.reorder_now);  // 7 days: 70
}
