#include "sinks/gold_snapshot.h"

#include <limits>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "analytics/dataco_fraud_alerts.h"
#include "core/event_time.h"

namespace ledgerflow::sinks {

namespace {

using OnConflict = TableSpec::OnConflict;

const TableSpec kInventoryLevels{
    "inventory_levels",
    {"store_id", "prod_id", "prod_name", "total_sold", "total_received", "unit_left",
     "reorder_point", "unit_price_micros", "cost_price_micros", "revenue_micros",
     "value_at_cost_micros", "sale_lines", "shipments", "below_reorder"},
    2,
    OnConflict::kUpdate};
const TableSpec kBestSellers{"best_sellers",
                             {"prod_id", "units_sold", "revenue_micros", "sales_rank"},
                             1,
                             OnConflict::kUpdate};
const TableSpec kSalesByMinute{"sales_by_minute",
                               {"window_start_ms", "units_sold", "revenue_micros", "sale_lines",
                                "shipments", "units_received"},
                               1,
                               OnConflict::kUpdate};

}  // namespace

bool GoldSnapshot::build(WarehouseTxn* txn) {
  pending_ = committed_;
  ChangeSet changes = engine_->changes_since(&pending_);
  // The DataCo marts and suspected-fraud patterns (the engine's snapshot, merged only when order
  // lines were applied); the patterns join the ledger's alerts.
  bool dataco = false;
  std::optional<std::vector<LedgerAlert>> patterns;
  const std::shared_ptr<const Engine::DatacoSnapshot> snapshot = engine_->dataco_snapshot();
  if (dataco_.stale(snapshot->lines)) {
    dataco = dataco_.build(snapshot->summary, txn);
    patterns = snapshot->patterns;
  }
  // The ledger is read under its shard's lock once per upsert; the builders keep only what the
  // database already holds, so an idle ledger costs a walk of its standing alerts.
  const bool finance = engine_->read_finance([&](const FinanceLedger& ledger) {
    const bool alerts = alerts_.build(ledger, patterns ? &*patterns : nullptr, txn);
    return finance_.build(ledger, txn) || alerts;
  });
  LazyInventory inventory(engine_);
  const bool reorder = reorder_.build(*engine_, !changes.inventory.empty(), &inventory, txn);
  const bool working_capital =
      working_capital_.build(*engine_, !changes.inventory.empty(), &inventory, txn);
  if (changes.inventory.empty() && changes.window_starts.empty()) {
    return dataco || finance || reorder || working_capital;
  }
  add_inventory(changes.inventory, txn);
  add_windows(changes.window_starts, txn);
  if (!changes.inventory.empty()) add_best_sellers(txn);
  return true;
}

void GoldSnapshot::add_inventory(const std::vector<InventoryRow>& rows, WarehouseTxn* txn) const {
  TableRows t{&kInventoryLevels, {}};
  for (const InventoryRow& r : rows) {
    t.add(int64_t(r.store_id), r.prod_id, r.prod_name, r.total_sold, r.total_received,
          r.unit_left(), r.reorder_point, r.regular_unit_price.micros(), r.cost_price.micros(),
          r.revenue.micros(), r.value_at_cost().micros(), r.sale_lines, r.shipments,
          int64_t(r.below_reorder() ? 1 : 0));
  }
  if (t.rows() > 0) txn->steps.emplace_back(std::move(t));
}

void GoldSnapshot::add_windows(const std::vector<int64_t>& starts, WarehouseTxn* txn) const {
  if (starts.empty()) return;
  const std::set<int64_t> wanted(starts.begin(), starts.end());
  TableRows t{&kSalesByMinute, {}};
  std::set<int64_t> days;
  // One read of the whole span; windows past the engine's retention are not returned and the
  // warehouse keeps the version it already has.
  for (const SalesWindow& w :
       engine_->sales(kWindowMs, starts.front(), starts.back() + kWindowMs)) {
    if (!wanted.count(w.start_ms)) continue;
    t.add(w.start_ms, w.units_sold, w.revenue.micros(), w.sale_lines, w.shipments,
          w.units_received);
    days.insert(floor_to(w.start_ms, kMsPerDay));
  }
  if (t.rows() == 0) return;
  txn->steps.emplace_back(std::move(t));
  std::string list;
  for (int64_t d : days) list += fmt::format("{}{}", list.empty() ? "" : ", ", d);
  const std::string day = fmt::format("window_start_ms - window_start_ms % {}", kMsPerDay);
  txn->steps.emplace_back(fmt::format("DELETE FROM sales_by_day WHERE day_start_ms IN ({})", list));
  txn->steps.emplace_back(
      fmt::format("INSERT INTO sales_by_day (day_start_ms, units_sold, revenue_micros, sale_lines, "
                  "shipments, units_received) "
                  "SELECT {0}, SUM(units_sold), SUM(revenue_micros), SUM(sale_lines), "
                  "SUM(shipments), SUM(units_received) "
                  "FROM sales_by_minute WHERE {0} IN ({1}) GROUP BY {0}",
                  day, list));
}

void GoldSnapshot::add_best_sellers(WarehouseTxn* txn) const {
  TableRows t{&kBestSellers, {}};
  int64_t rank = 0;
  for (const BestSeller& b :
       engine_->best_sellers(std::nullopt, false, std::numeric_limits<size_t>::max())) {
    t.add(b.prod_id, b.units, b.revenue.micros(), ++rank);
  }
  txn->steps.emplace_back(std::string("DELETE FROM best_sellers"));
  if (t.rows() > 0) txn->steps.emplace_back(std::move(t));
}

}  // namespace ledgerflow::sinks
