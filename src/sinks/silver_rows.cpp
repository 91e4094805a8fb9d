#include "sinks/silver_rows.h"

#include <chrono>
#include <limits>

#include <fmt/format.h>

#include "core/assert.h"
#include "core/base64.h"
#include "core/checksum.h"
#include "core/event_time.h"
#include "ingest/logged_order_line.h"

namespace ledgerflow::sinks {

namespace {

using OnConflict = TableSpec::OnConflict;

const TableSpec kFactSales{
    "fact_sales",
    SilverRows::with_source({"event_time_ms", "identity_hi", "identity_lo", "store_id", "prod_id",
                             "receipt_id", "date_key", "units", "unit_price_micros",
                             "revenue_micros", "reorder_point", "prod_name"}),
    3, OnConflict::kIgnore};
const TableSpec kFactShipments{
    "fact_shipments",
    SilverRows::with_source({"event_time_ms", "identity_hi", "identity_lo", "store_id", "prod_id",
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
const TableSpec kFactOrderLines{
    "fact_order_lines",
    SilverRows::with_source({"order_item_id", "order_id", "customer_id", "product_key",
                             "location_key", "order_date_key", "order_time_ms", "payment_type",
                             "order_status", "quantity", "product_price_micros", "discount_micros",
                             "sales_micros", "item_total_micros", "profit_micros",
                             "benefit_micros"}),
    1, OnConflict::kIgnore};
const TableSpec kFactDeliveries{
    "fact_deliveries",
    {"order_item_id", "order_id", "shipping_mode", "shipping_date_key", "shipping_time_ms",
     "days_scheduled", "days_real", "delivery_status", "late_delivery_risk", "log_offset"},
    1,
    OnConflict::kIgnore};
const TableSpec kDimCustomer{"dim_customer", {"customer_id", "segment"}, 1, OnConflict::kIgnore};
const TableSpec kDimOrderProduct{"dim_order_product",
                                 {"product_key", "product_id", "name", "category", "department"},
                                 1,
                                 OnConflict::kIgnore};
const TableSpec kDimLocation{"dim_location",
                             {"location_key", "market", "region", "country", "state", "city"},
                             1,
                             OnConflict::kIgnore};
const TableSpec kDimShippingMode{"dim_shipping_mode", {"shipping_mode"}, 1, OnConflict::kIgnore};

CivilDay civil_day(int64_t ms) {
  using namespace std::chrono;
  int64_t days = floor_div(ms, kMsPerDay);
  sys_days sd{std::chrono::days(days)};
  year_month_day ymd{sd};
  return CivilDay{days * kMsPerDay, int(ymd.year()), int(unsigned(ymd.month())),
                  int(unsigned(ymd.day())), int(weekday(sd).iso_encoding())};
}

// XXH3-64 of the values, each prefixed by its length, as a BIGINT.
int64_t attribute_key(std::initializer_list<std::string_view> values) {
  std::string encoded;
  for (std::string_view v : values) {
    encoded += std::to_string(v.size());
    encoded += ':';
    encoded += v;
  }
  return int64_t(hash64(encoded));
}

// units x price as the engine computes it (saturating on overflow).
int64_t line_revenue(const Event& e) {
  Money line;
  if (!Money::checked_mul(e.unit_price, e.units, &line)) return std::numeric_limits<int64_t>::max();
  return line.micros();
}

}  // namespace

// No global list of the names: other translation units build their TableSpecs with this during
// static initialisation, when a global of this one may not exist yet.
std::vector<std::string> SilverRows::with_source(std::vector<std::string> cols) {
  for (const char* c : {"source_kind", "source_name", "source_partition", "source_position",
                        "ingest_time_ms", "log_offset"}) {
    cols.emplace_back(c);
  }
  return cols;
}

void SilverRows::add_source(const LogRecord& rec, TableRows* rows) {
  rows->add(std::string(source_kind_name(rec.source.kind)), rec.source.name.str(),
            int64_t(rec.source.partition), rec.source.position, rec.ingest_time_ms,
            int64_t(rec.offset));
}

void SeenDimensions::merge(const SeenDimensions& o) {
  days.insert(o.days.begin(), o.days.end());
  stores.insert(o.stores.begin(), o.stores.end());
  products.insert(o.products.begin(), o.products.end());
  customers.insert(o.customers.begin(), o.customers.end());
  order_products.insert(o.order_products.begin(), o.order_products.end());
  locations.insert(o.locations.begin(), o.locations.end());
  shipping_modes.insert(o.shipping_modes.begin(), o.shipping_modes.end());
}

SilverRows::SilverRows(const SeenDimensions* committed, FinanceEventParser* finance_parser)
    : sales_{&kFactSales, {}},
      shipments_{&kFactShipments, {}},
      dead_letters_{&kDeadLetters, {}},
      dates_{&kDimDate, {}},
      stores_{&kDimStore, {}},
      products_{&kDimProductSeen, {}},
      order_lines_{&kFactOrderLines, {}},
      deliveries_{&kFactDeliveries, {}},
      customers_{&kDimCustomer, {}},
      order_products_{&kDimOrderProduct, {}},
      locations_{&kDimLocation, {}},
      shipping_modes_{&kDimShippingMode, {}},
      committed_(committed),
      finance_parser_(finance_parser) {}

// True the first time this batch sees a key of one dimension (a SeenDimensions member) that
// the session has not committed yet.
template <typename T>
bool SilverRows::first_sight(std::set<T> SeenDimensions::*dimension, const T& key) {
  if (committed_ != nullptr && (committed_->*dimension).count(key)) return false;
  return (added_.*dimension).insert(key).second;
}

void SilverRows::add_date(const CivilDay& d) {
  if (first_sight(&SeenDimensions::days, d.day_start_ms)) {
    dates_.add(d.date_key(), d.day_start_ms, int64_t(d.year), int64_t(d.month), int64_t(d.day),
               int64_t(d.iso_weekday));
  }
}

void SilverRows::add_dimensions(const Event& e, const CivilDay& d) {
  add_date(d);
  if (first_sight(&SeenDimensions::stores, e.store_id)) {
    stores_.cells.emplace_back(int64_t(e.store_id));
  }
  // Products not in the catalog get a row when first seen (ignored if one exists).
  if (first_sight(&SeenDimensions::products, e.prod_id)) {
    std::string name = e.prod_name.empty() ? fmt::format("product {}", e.prod_id) : e.prod_name;
    products_.add(e.prod_id, std::move(name), int64_t(0), int64_t(0), int64_t(0), int64_t(0));
  }
}

int64_t SilverRows::finance_date_key(int64_t day) {
  const CivilDay d = civil_day(day * kMsPerDay);
  add_date(d);
  return d.date_key();
}

Status SilverRows::add(const LogRecord& rec) {
  if (rec.kind == RecordKind::kDeadLetter) {
    dead_letters_.add(int64_t(rec.offset), rec.reason_code, rec.message,
                      std::string(source_kind_name(rec.source.kind)), rec.source.name.str(),
                      int64_t(rec.source.partition), rec.source.position, rec.ingest_time_ms,
                      int64_t(rec.raw_size), base64(rec.raw));
    ++rows_;
    return Status::ok();
  }
  if (rec.kind != RecordKind::kEvent) return Status::ok();
  const Event& e = rec.event;
  if (e.type == EventType::kOrderLine) {
    if (e.order_line != nullptr) {
      add_order_line(rec, *e.order_line);
    } else {
      if (order_line_parser_ == nullptr) order_line_parser_ = std::make_unique<OrderLineParser>();
      Event parsed;
      if (Status s = parse_logged_order_line(rec, *order_line_parser_, &parsed); !s) return s;
      add_order_line(rec, *parsed.order_line);
    }
    ++rows_;
    return Status::ok();
  }
  if (is_finance_event(e.type)) {
    if (finance_parser_ == nullptr) {
      own_parser_ = std::make_unique<FinanceEventParser>();
      finance_parser_ = own_parser_.get();
    }
    Status s =
        finance_.add(rec, *finance_parser_, [this](int64_t day) { return finance_date_key(day); });
    if (s) ++rows_;
    return s;
  }
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
  return Status::ok();
}

int64_t SilverRows::order_product_key(const OrderLine& l) {
  return attribute_key(
      {std::to_string(l.product_id), l.product_name(), l.category(), l.department()});
}

int64_t SilverRows::location_key(const OrderLine& l) {
  return attribute_key(
      {l.market(), l.order_region(), l.order_country(), l.order_state(), l.order_city()});
}

void SilverRows::add_order_line(const LogRecord& rec, const OrderLine& l) {
  const CivilDay ordered = civil_day(l.order_time_ms);
  const CivilDay shipped = civil_day(l.shipping_time_ms);
  add_date(ordered);
  add_date(shipped);
  if (first_sight(&SeenDimensions::customers, l.customer_id)) {
    customers_.add(l.customer_id, std::string(l.customer_segment()));
  }
  const int64_t product = order_product_key(l);
  if (first_sight(&SeenDimensions::order_products, product)) {
    order_products_.add(product, l.product_id, std::string(l.product_name()),
                        std::string(l.category()), std::string(l.department()));
  }
  const int64_t location = location_key(l);
  if (first_sight(&SeenDimensions::locations, location)) {
    locations_.add(location, std::string(l.market()), std::string(l.order_region()),
                   std::string(l.order_country()), std::string(l.order_state()),
                   std::string(l.order_city()));
  }
  const std::string shipping_mode(l.shipping_mode());
  if (first_sight(&SeenDimensions::shipping_modes, shipping_mode)) {
    shipping_modes_.add(shipping_mode);
  }
  order_lines_.add(l.order_item_id, l.order_id, l.customer_id, product, location,
                   ordered.date_key(), l.order_time_ms, std::string(l.payment_type()),
                   std::string(l.order_status()), int64_t(l.quantity), l.product_price.micros(),
                   l.discount.micros(), l.sales.micros(), l.item_total.micros(), l.profit.micros(),
                   l.benefit.micros());
  add_source(rec, &order_lines_);
  deliveries_.add(l.order_item_id, l.order_id, shipping_mode, shipped.date_key(),
                  l.shipping_time_ms, int64_t(l.days_scheduled), int64_t(l.days_real),
                  std::string(l.delivery_status()), int64_t(l.late_delivery_risk ? 1 : 0),
                  int64_t(rec.offset));
}

void SilverRows::append_steps(WarehouseTxn* txn) {
  for (TableRows* t :
       {&dates_, &stores_, &products_, &customers_, &order_products_, &locations_, &shipping_modes_,
        &sales_, &shipments_, &order_lines_, &deliveries_, &dead_letters_}) {
    if (t->rows() > 0) txn->steps.emplace_back(std::move(*t));
    t->cells.clear();
  }
  finance_.append_steps(txn);
}

TableRows SilverRows::catalog_products(const Catalog& catalog) {
  TableRows t{&kDimProductCatalog, {}};
  for (const Product& p : catalog.products()) {
    t.add(p.id, p.name, p.price.micros(), p.cost_price.micros(), p.reorder_point, int64_t(1));
  }
  return t;
}

}  // namespace ledgerflow::sinks
