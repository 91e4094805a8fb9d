-- Gold marts, upserted from the engine's live state (sinks/gold_snapshot.cpp). sql/gold/*.sql
-- computes the same rows from silver; `ledgerflow verify` compares the two.

CREATE TABLE inventory_levels (
  store_id BIGINT NOT NULL,
  prod_id BIGINT NOT NULL,
  prod_name TEXT NOT NULL,
  total_sold BIGINT NOT NULL,
  total_received BIGINT NOT NULL,
  unit_left BIGINT NOT NULL,
  reorder_point BIGINT NOT NULL,
  unit_price_micros BIGINT NOT NULL,
  cost_price_micros BIGINT NOT NULL,
  revenue_micros BIGINT NOT NULL,
  value_at_cost_micros BIGINT NOT NULL,
  sale_lines BIGINT NOT NULL,
  shipments BIGINT NOT NULL,
  below_reorder BIGINT NOT NULL,
  PRIMARY KEY (store_id, prod_id)
);

CREATE TABLE best_sellers (
  prod_id BIGINT PRIMARY KEY,
  units_sold BIGINT NOT NULL,
  revenue_micros BIGINT NOT NULL,
  sales_rank BIGINT NOT NULL             -- 1 = most units (ties: revenue, then prod_id)
);

CREATE TABLE sales_by_minute (
  window_start_ms BIGINT PRIMARY KEY,
  units_sold BIGINT NOT NULL,
  revenue_micros BIGINT NOT NULL,
  sale_lines BIGINT NOT NULL,
  shipments BIGINT NOT NULL,
  units_received BIGINT NOT NULL
);

CREATE TABLE sales_by_day (
  day_start_ms BIGINT PRIMARY KEY,
  units_sold BIGINT NOT NULL,
  revenue_micros BIGINT NOT NULL,
  sale_lines BIGINT NOT NULL,
  shipments BIGINT NOT NULL,
  units_received BIGINT NOT NULL
);
