#pragma once
// Turns bronze log records into silver rows: a sale line into fact_sales, a shipment into
// fact_shipments, a DataCo order line into fact_order_lines and fact_deliveries, a finance event
// into its finance facts (FinanceSilverRows), a dead letter into dead_letters, plus the dimension
// rows they reference (dim_date, dim_store, dim_product for products not in the catalog;
// dim_customer, dim_order_product, dim_location, dim_shipping_mode for order lines) unless the
// session has already committed them. Batch markers carry no fact. Facts are keyed by event time
// and the engine's idempotency identity (store, product, id) and inserted with ON CONFLICT DO
// NOTHING in log order, so a retried line (the same line sent again) is loaded once.
//
// Owned by the WarehouseWriter thread (one builder per micro-batch).
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "ingest/catalog.h"
#include "ingest/finance_event_parser.h"
#include "ingest/order_line_parser.h"
#include "log/log_record.h"
#include "sinks/finance_silver_rows.h"
#include "sinks/warehouse_backend.h"

namespace ledgerflow::sinks {

// A UTC day as dim_date describes it.
struct CivilDay {
  int64_t day_start_ms;
  int year, month, day, iso_weekday;  // ISO weekday: 1 = Monday
  int64_t date_key() const { return int64_t(year) * 10000 + month * 100 + day; }
};

// Dimension keys already in the warehouse (committed in this writer session).
struct SeenDimensions {
  std::set<int64_t> days;  // day start, ms
  std::set<int32_t> stores;
  std::set<int64_t> products;
  std::set<int64_t> customers;       // order lines: Order Customer Id
  std::set<int64_t> order_products;  // dim_order_product.product_key
  std::set<int64_t> locations;       // dim_location.location_key
  std::set<std::string> shipping_modes;
  void merge(const SeenDimensions& o);
};

class SilverRows {
 public:
  // `finance_parser` re-reads finance records (the writer's, with the engine's limits); null: a
  // parser with the default limits, made when the first finance record comes.
  explicit SilverRows(const SeenDimensions* committed = nullptr,
                      FinanceEventParser* finance_parser = nullptr);
  // Fails only on a finance record whose bytes no longer parse (FinanceSilverRows::add).
  Status add(const LogRecord& rec);
  // Rows added so far (facts and dead letters).
  size_t rows() const { return rows_; }
  // The transaction steps: dimensions first, then facts.
  void append_steps(WarehouseTxn* txn);
  // The dimension keys this batch adds (merge them into the session's once committed).
  const SeenDimensions& added() const { return added_; }

  // The catalog as dim_product rows (upserted when the writer starts).
  static TableRows catalog_products(const Catalog& catalog);

  // The surrogate keys of dim_order_product and dim_location: XXH3-64 of the attributes, each
  // prefixed by its length (so no two attribute lists share an encoding), as a signed BIGINT.
  static int64_t order_product_key(const OrderLine& line);
  static int64_t location_key(const OrderLine& line);

  // The source columns every fact ends with (kind, name, partition, position, ingest time, log
  // offset) appended to `columns`, and their values for a record.
  static std::vector<std::string> with_source(std::vector<std::string> columns);
  static void add_source(const LogRecord& rec, TableRows* rows);

 private:
  template <typename T>
  bool first_sight(std::set<T> SeenDimensions::*dimension, const T& key);
  void add_dimensions(const Event& e, const CivilDay& day);
  void add_date(const CivilDay& day);
  void add_order_line(const LogRecord& rec, const OrderLine& line);
  int64_t finance_date_key(int64_t day);

  TableRows sales_, shipments_, dead_letters_, dates_, stores_, products_;
  TableRows order_lines_, deliveries_, customers_, order_products_, locations_, shipping_modes_;
  FinanceSilverRows finance_;
  const SeenDimensions* committed_;
  FinanceEventParser* finance_parser_;
  std::unique_ptr<FinanceEventParser> own_parser_;
  std::unique_ptr<OrderLineParser> order_line_parser_;  // order lines logged raw only
  SeenDimensions added_;
  size_t rows_ = 0;
};

}  // namespace ledgerflow::sinks
