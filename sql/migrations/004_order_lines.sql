-- DataCo customer order lines (docs/DATACO.md, docs/MARTS.md): silver facts and dimensions,
-- gold marts and their views. Same conventions as 001-003: BIGINT and TEXT only, money as
-- BIGINT micro-units, the same SQL on SQLite and PostgreSQL.

-- Silver dimensions. Products and locations are keyed by a 64-bit hash of all their
-- attributes (sinks/silver_rows.cpp: XXH3 of the length-prefixed values), so a product whose
-- name, category or department changes in the input gets a new row and every line keeps the
-- attributes it came with: the star schema gives the same figures as the lines themselves.
CREATE TABLE dim_customer (
  customer_id BIGINT PRIMARY KEY,       -- Order Customer Id
  segment TEXT NOT NULL                 -- Customer Segment of the first line loaded
);

CREATE TABLE dim_order_product (
  product_key BIGINT PRIMARY KEY,
  product_id BIGINT NOT NULL,           -- Product Card Id
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  department TEXT NOT NULL
);

CREATE TABLE dim_location (
  location_key BIGINT PRIMARY KEY,      -- the order's destination
  market TEXT NOT NULL,
  region TEXT NOT NULL,
  country TEXT NOT NULL,
  state TEXT NOT NULL,
  city TEXT NOT NULL
);

CREATE TABLE dim_shipping_mode (
  shipping_mode TEXT PRIMARY KEY        -- Standard Class, Second Class, First Class, Same Day
);

-- One row per order line (Order Item Id): what was ordered, paid and earned. A replayed line
-- (the same Order Item Id logged again) is loaded once: the first one in log order stays, as
-- in the engine. Payment type and order status are degenerate dimensions (a few values).
CREATE TABLE fact_order_lines (
  order_item_id BIGINT PRIMARY KEY,
  order_id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,          -- dim_customer
  product_key BIGINT NOT NULL,          -- dim_order_product
  location_key BIGINT NOT NULL,         -- dim_location
  order_date_key BIGINT NOT NULL,       -- dim_date (UTC day of the order date)
  order_time_ms BIGINT NOT NULL,
  payment_type TEXT NOT NULL,           -- Type: DEBIT, TRANSFER, CASH, PAYMENT
  order_status TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  product_price_micros BIGINT NOT NULL,
  discount_micros BIGINT NOT NULL,
  sales_micros BIGINT NOT NULL,         -- Sales
  item_total_micros BIGINT NOT NULL,    -- Order Item Total
  profit_micros BIGINT NOT NULL,        -- Order Profit Per Order (the line's profit)
  benefit_micros BIGINT NOT NULL,       -- Benefit per order
  source_kind TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_partition BIGINT NOT NULL,
  source_position BIGINT NOT NULL,      -- file line, Kafka offset or line in an HTTP body
  ingest_time_ms BIGINT NOT NULL,
  log_offset BIGINT NOT NULL
);

-- The delivery of each order line (same key): shipping mode and date, scheduled and real days.
CREATE TABLE fact_deliveries (
  order_item_id BIGINT PRIMARY KEY,
  order_id BIGINT NOT NULL,
  shipping_mode TEXT NOT NULL,          -- dim_shipping_mode
  shipping_date_key BIGINT NOT NULL,    -- dim_date
  shipping_time_ms BIGINT NOT NULL,
  days_scheduled BIGINT NOT NULL,
  days_real BIGINT NOT NULL,
  delivery_status TEXT NOT NULL,
  late_delivery_risk BIGINT NOT NULL,   -- 1: real days > scheduled days (the file's flag)
  log_offset BIGINT NOT NULL
);

-- Every line with its delivery and dimensions, flat (what the gold SQL and BI tools read).
CREATE VIEW v_order_lines AS
SELECT f.order_item_id, f.order_id, f.customer_id, c.segment AS customer_segment,
       p.product_id, p.name AS product_name, p.category, p.department,
       l.market, l.region, l.country, l.state, l.city,
       dd.year * 100 + dd.month AS month_key, dd.day_start_ms AS order_day_start_ms,
       f.order_time_ms, f.payment_type, f.order_status, f.quantity, f.product_price_micros,
       f.discount_micros, f.sales_micros, f.item_total_micros, f.profit_micros,
       f.benefit_micros, d.shipping_mode, d.shipping_time_ms, d.days_scheduled, d.days_real,
       d.delivery_status, d.late_delivery_risk, f.log_offset
FROM fact_order_lines f
JOIN fact_deliveries d ON d.order_item_id = f.order_item_id
JOIN dim_customer c ON c.customer_id = f.customer_id
JOIN dim_order_product p ON p.product_key = f.product_key
JOIN dim_location l ON l.location_key = f.location_key
JOIN dim_date dd ON dd.date_key = f.order_date_key;

-- One row per order: its customer, payment type, market, status and month are those of its
-- line with the smallest Order Item Id (as in the engine, docs/MARTS.md); total and lines over
-- all its lines.
CREATE VIEW v_orders AS
SELECT order_id, customer_id, payment_type, market, order_status, month_key, total_micros, lines
FROM (SELECT order_id, customer_id, payment_type, market, order_status, month_key,
             ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY order_item_id) AS pick,
             SUM(item_total_micros) OVER (PARTITION BY order_id) AS total_micros,
             COUNT(*) OVER (PARTITION BY order_id) AS lines
      FROM v_order_lines) ranked
WHERE pick = 1;

-- Gold, upserted from the engine's live marts (sinks/dataco_gold.cpp); sql/gold/<table>.sql
-- computes each from silver and `ledgerflow verify` compares them. Only sums and counts are
-- stored (exact); the v_* views below derive averages and rates. Months are yyyymm (UTC).
CREATE TABLE payment_delays (
  delivery_status TEXT PRIMARY KEY,
  lines BIGINT NOT NULL,
  delay_days_sum BIGINT NOT NULL        -- sum of (real - scheduled) shipping days
);

CREATE TABLE late_deliveries_by_mode (
  shipping_mode TEXT PRIMARY KEY,
  lines BIGINT NOT NULL,
  late_lines BIGINT NOT NULL
);

CREATE TABLE late_deliveries_by_market (
  market TEXT PRIMARY KEY,
  lines BIGINT NOT NULL,
  late_lines BIGINT NOT NULL
);

CREATE TABLE financial_commitments (
  department TEXT NOT NULL,
  market TEXT NOT NULL,
  category TEXT NOT NULL,
  committed_micros BIGINT NOT NULL,     -- sum of Order Item Total
  lines BIGINT NOT NULL,
  fulfilled_lines BIGINT NOT NULL,      -- Order Status COMPLETE or CLOSED
  PRIMARY KEY (department, market, category)
);

CREATE TABLE fraud_by_customer (
  customer_id BIGINT PRIMARY KEY,
  orders BIGINT NOT NULL,
  order_total_micros BIGINT NOT NULL,
  suspected_fraud_orders BIGINT NOT NULL
);

CREATE TABLE fraud_by_payment_type (
  payment_type TEXT PRIMARY KEY,
  orders BIGINT NOT NULL,
  suspected_fraud_orders BIGINT NOT NULL
);

CREATE TABLE fraud_by_market (
  market TEXT PRIMARY KEY,
  orders BIGINT NOT NULL,
  suspected_fraud_orders BIGINT NOT NULL
);

CREATE TABLE overall_performance (
  month_key BIGINT PRIMARY KEY,
  lines BIGINT NOT NULL,
  sales_micros BIGINT NOT NULL,
  profit_micros BIGINT NOT NULL,
  days_real_sum BIGINT NOT NULL,
  days_scheduled_sum BIGINT NOT NULL
);

CREATE TABLE customer_retention (
  month_key BIGINT PRIMARY KEY,
  customers BIGINT NOT NULL,            -- distinct customers with an order in the month
  returning_customers BIGINT NOT NULL   -- of those, with an order in an earlier month
);

CREATE TABLE order_value_by_month (
  month_key BIGINT PRIMARY KEY,
  order_value_micros BIGINT NOT NULL,
  lines BIGINT NOT NULL,
  orders BIGINT NOT NULL
);

-- Per UTC day of the order date: what the aging view buckets.
CREATE TABLE order_value_by_day (
  day_start_ms BIGINT PRIMARY KEY,
  order_value_micros BIGINT NOT NULL,
  lines BIGINT NOT NULL
);

-- Averages and rates (REAL on SQLite, NUMERIC on PostgreSQL; for display, the sums above are
-- the exact figures).
CREATE VIEW v_payment_delays AS
SELECT p.*, ROUND(p.delay_days_sum * 1.0 / p.lines, 6) AS avg_delay_days FROM payment_delays p;

CREATE VIEW v_late_deliveries_by_mode AS
SELECT m.*, ROUND(m.late_lines * 1.0 / m.lines, 6) AS late_rate FROM late_deliveries_by_mode m;

CREATE VIEW v_late_deliveries_by_market AS
SELECT m.*, ROUND(m.late_lines * 1.0 / m.lines, 6) AS late_rate FROM late_deliveries_by_market m;

CREATE VIEW v_financial_commitments AS
SELECT c.*, ROUND(c.committed_micros / 1000000.0, 6) AS committed,
       ROUND(c.fulfilled_lines * 1.0 / c.lines, 6) AS fulfilment_rate
FROM financial_commitments c;

CREATE VIEW v_fraud_by_customer AS
SELECT f.*, ROUND(f.order_total_micros / 1000000.0 / f.orders, 6) AS avg_order_total,
       ROUND(f.suspected_fraud_orders * 1.0 / f.orders, 6) AS suspected_fraud_share
FROM fraud_by_customer f;

CREATE VIEW v_overall_performance AS
SELECT o.*, ROUND(o.sales_micros / 1000000.0, 6) AS sales, ROUND(o.profit_micros / 1000000.0, 6) AS profit,
       ROUND(o.profit_micros / 1000000.0 / o.lines, 6) AS avg_profit_per_line,
       ROUND(o.days_real_sum * 1.0 / o.lines, 6) AS avg_days_real,
       ROUND(o.days_scheduled_sum * 1.0 / o.lines, 6) AS avg_days_scheduled
FROM overall_performance o;

CREATE VIEW v_customer_retention AS
SELECT r.*, ROUND(r.returning_customers * 1.0 / r.customers, 6) AS retention_rate
FROM customer_retention r;

-- Aging of order value as of the newest order day (the API's default as-of date): whole days
-- between the order day and the as-of day, in buckets 0-30, 31-60, 61-90, 90+.
CREATE VIEW v_order_value_aging AS
SELECT CASE WHEN age_days <= 30 THEN '0-30' WHEN age_days <= 60 THEN '31-60'
            WHEN age_days <= 90 THEN '61-90' ELSE '90+' END AS bucket,
       SUM(order_value_micros) AS order_value_micros, SUM(lines) AS lines
FROM (SELECT (m.newest - d.day_start_ms) / 86400000 AS age_days, d.order_value_micros, d.lines
      FROM order_value_by_day d
      CROSS JOIN (SELECT MAX(day_start_ms) AS newest FROM order_value_by_day) m) aged
GROUP BY 1;
