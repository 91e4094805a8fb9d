#pragma once
// Turns bronze log records into silver rows: a sale line into fact_sales, a shipment into
// fact_shipments, a dead letter into dead_letters, plus the dimension rows they reference
// (dim_date, dim_store, dim_product for products not in the catalog). Batch markers carry no
// fact. Facts are keyed by the engine's idempotency identity (store, product, id) and inserted
// with ON CONFLICT DO NOTHING in log order, so a retried line is loaded once.
//
// Owned by the WarehouseWriter thread (one builder per micro-batch).
#include <cstdint>
#include <set>

#include "ingest/catalog.h"
#include "log/log_record.h"
#include "sinks/warehouse_backend.h"

namespace ledgerflow::sinks {

class SilverRows {
 public:
  SilverRows();
  void add(const LogRecord& rec);
  // Rows added so far (facts and dead letters).
  size_t rows() const { return rows_; }
  // The transaction steps: dimensions first, then facts.
  void append_steps(WarehouseTxn* txn);

  // The catalog as dim_product rows (upserted when the writer starts).
  static TableRows catalog_products(const Catalog& catalog);

 private:
  void add_dimensions(const Event& e);

  TableRows sales_, shipments_, dead_letters_, dates_, stores_, products_;
  std::set<int64_t> days_seen_;
  std::set<int32_t> stores_seen_;
  std::set<int64_t> products_seen_;
  size_t rows_ = 0;
};

}  // namespace ledgerflow::sinks
