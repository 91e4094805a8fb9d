#include "sinks/silver_rows.h"

#include <chrono>
#include <limits>

#include <fmt/format.h>

#include "core/base64.h"
#include "core/event_time.h"

namespace ledgerflow::sinks {

namespace {

using OnConflict = TableSpec::OnConflict;

const std::vector<std::string> kSourceColumns = {"source_kind",      "source_name",
                                                 "source_partition", "source_position",
                                                 "ingest_time_ms",   "log_offset"};

std::vector<std::string> with_source(std::vector<std::string> cols) {
  cols.insert(cols.end(), kSourceColumns.begin(), kSourceColumns.end());
  return cols;
}

const TableSpec kFactSales{
    "fact_sales",
    with_source({"event_time_ms", "identity_hi", "identity_lo", "store_id", "prod_id", "receipt_id",
                 "date_key", "units", "unit_price_micros", "revenue_micros", "reorder_point",
                 "prod_name"}),
    3, OnConflict::kIgnore};
const TableSpec kFactShipments{
    "fact_shipments",
    with_source({"event_time_ms", "identity_hi", "identity_lo", "store_id", "prod_id",
                 "shipment_id", "date_key", "units"}),
    3, OnConflict::kIgnore};
const TableSpec kDeadLetters{
    "dead_letters",
    {"log_offset", "reason_code", "message", "source_kind", "source_name", "source_partition",
     "source_position", "ingest_time_ms", "raw_size", "raw_base64"},
    1,
    OnConflict::kIgnore};
const TableSpec kDimDate{"dim_date",
                         {"date_key", "day_start_ms", "year", "month", "day", "iso_weekday"},
                         1,
                         OnConflict::kIgnore};
const TableSpec kDimStore{"dim_store", {"store_id"}, 1, OnConflict::kIgnore};
const TableSpec kDimProductSeen{
    "dim_product",
    {"prod_id", "name", "price_micros", "cost_price_micros", "reorder_point", "in_catalog"},
    1,
    OnConflict::kIgnore};
const TableSpec kDimProductCatalog{"dim_product", kDimProductSeen.columns, 1, OnConflict::kUpdate};

void add_source(const LogRecord& rec, TableRows* rows) {
  rows->add(std::string(source_kind_name(rec.source.kind)), rec.source.name,
            int64_t(rec.source.partition), rec.source.position, rec.ingest_time_ms,
            int64_t(rec.offset));
}

CivilDay civil_day(int64_t ms) {
  using namespace std::chrono;
  int64_t days = floor_div(ms, kMsPerDay);
  sys_days sd{std::chrono::days(days)};
  year_month_day ymd{sd};
  return CivilDay{days * kMsPerDay, int(ymd.year()), int(unsigned(ymd.month())),
                  int(unsigned(ymd.day())), int(weekday(sd).iso_encoding())};
}

// units x price as the engine computes it (saturating on overflow).
int64_t line_revenue(const Event& e) {
  Money line;
  if (!Money::checked_mul(e.unit_price, e.units, &line)) return std::numeric_limits<int64_t>::max();
  return line.micros();
}

}  // namespace

void SeenDimensions::merge(const SeenDimensions& o) {
  days.insert(o.days.begin(), o.days.end());
  stores.insert(o.stores.begin(), o.stores.end());
  products.insert(o.products.begin(), o.products.end());
}

SilverRows::SilverRows(const SeenDimensions* committed)
    : sales_{&kFactSales, {}},
      shipments_{&kFactShipments, {}},
      dead_letters_{&kDeadLetters, {}},
      dates_{&kDimDate, {}},
      stores_{&kDimStore, {}},
      products_{&kDimProductSeen, {}},
      committed_(committed) {}

// True the first time this batch sees a key the session has not committed yet.
template <typename T>
bool first_sight(const std::set<T>* committed, std::set<T>* added, T key) {
  if (committed != nullptr && committed->count(key)) return false;
  return added->insert(key).second;
}

void SilverRows::add_dimensions(const Event& e, const CivilDay& d) {
  const SeenDimensions* c = committed_;
  if (first_sight(c ? &c->days : nullptr, &added_.days, d.day_start_ms)) {
    dates_.add(d.date_key(), d.day_start_ms, int64_t(d.year), int64_t(d.month), int64_t(d.day),
               int64_t(d.iso_weekday));
  }
  if (first_sight(c ? &c->stores : nullptr, &added_.stores, e.store_id)) {
    stores_.cells.emplace_back(int64_t(e.store_id));
  }
  // Products not in the catalog get a row when first seen (ignored if one exists).
  if (first_sight(c ? &c->products : nullptr, &added_.products, e.prod_id)) {
    std::string name = e.prod_name.empty() ? fmt::format("product {}", e.prod_id) : e.prod_name;
    products_.add(e.prod_id, std::move(name), int64_t(0), int64_t(0), int64_t(0), int64_t(0));
  }
}

void SilverRows::add(const LogRecord& rec) {
  if (rec.kind == RecordKind::kDeadLetter) {
    dead_letters_.add(int64_t(rec.offset), rec.reason_code, rec.message,
                      std::string(source_kind_name(rec.source.kind)), rec.source.name,
                      int64_t(rec.source.partition), rec.source.position, rec.ingest_time_ms,
                      int64_t(rec.raw_size), base64(rec.raw));
    ++rows_;
    return;
  }
  if (rec.kind != RecordKind::kEvent) return;
  const Event& e = rec.event;
  // DataCo order lines have no silver tables yet (their facts and gold SQL are the next step of
  // the warehouse); they stay in the bronze log and the live marts.
  if (e.type == EventType::kOrderLine) return;
  const CivilDay day = civil_day(e.event_time_ms);
  add_dimensions(e, day);
  const int64_t date_key = day.date_key();
  if (e.type == EventType::kSale) {
    sales_.add(e.event_time_ms, int64_t(e.id_key.hi), int64_t(e.id_key.lo), int64_t(e.store_id),
               e.prod_id, e.id, date_key, e.units, e.unit_price.micros(), line_revenue(e),
               e.reorder_point, e.prod_name);
    add_source(rec, &sales_);
  } else {
    shipments_.add(e.event_time_ms, int64_t(e.id_key.hi), int64_t(e.id_key.lo), int64_t(e.store_id),
                   e.prod_id, e.id, date_key, e.units);
    add_source(rec, &shipments_);
  }
  ++rows_;
}

void SilverRows::append_steps(WarehouseTxn* txn) {
  for (TableRows* t : {&dates_, &stores_, &products_, &sales_, &shipments_, &dead_letters_}) {
    if (t->rows() > 0) txn->steps.emplace_back(std::move(*t));
    t->cells.clear();
  }
}

TableRows SilverRows::catalog_products(const Catalog& catalog) {
  TableRows t{&kDimProductCatalog, {}};
  for (const Product& p : catalog.products()) {
    t.add(p.id, p.name, p.price.micros(), p.cost_price.micros(), p.reorder_point, int64_t(1));
  }
  return t;
}

}  // namespace ledgerflow::sinks
