-- Silver star schema and the load state (the same SQL runs on SQLite and PostgreSQL).
-- A comment "/*sqlite: TEXT*/" becomes TEXT on SQLite only (sinks/warehouse_schema.cpp): the
-- facts are WITHOUT ROWID tables there, stored in their key's B-tree (one B-tree insert per row
-- instead of two). PostgreSQL reads it as a comment.
-- Every column the loader fills is BIGINT or TEXT: PostgreSQL loads them with binary COPY, in
-- which an integer's width must match its column (sinks/postgres_backend.cpp).
-- Money is stored exactly as BIGINT micro-units (10^-6 of the currency unit), the engine's own
-- fixed-point representation; the v_* views in 003 show decimal amounts.

-- The bronze log offset the warehouse has applied up to (exclusive): updated in the same
-- transaction as the rows it covers, so a load is exactly-once across crashes.
CREATE TABLE load_state (
  id INTEGER PRIMARY KEY,  -- (never loaded by COPY)
  next_offset BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL
);
INSERT INTO load_state (id, next_offset, updated_ms) VALUES (1, 0, 0);

CREATE TABLE dim_date (
  date_key BIGINT PRIMARY KEY,          -- yyyymmdd (UTC)
  day_start_ms BIGINT NOT NULL,
  year BIGINT NOT NULL,
  month BIGINT NOT NULL,
  day BIGINT NOT NULL,
  iso_weekday BIGINT NOT NULL           -- 1 = Monday .. 7 = Sunday
);

CREATE TABLE dim_store (
  store_id BIGINT PRIMARY KEY
);

CREATE TABLE dim_product (
  prod_id BIGINT PRIMARY KEY,
  name TEXT NOT NULL,
  price_micros BIGINT NOT NULL,
  cost_price_micros BIGINT NOT NULL,
  reorder_point BIGINT NOT NULL,
  in_catalog BIGINT NOT NULL            -- 1: from the catalog; 0: first seen in an event
);

CREATE TABLE dim_supplier (
  supplier_id BIGINT PRIMARY KEY,
  name TEXT NOT NULL
);

-- One row per sale line. The key is the event time and the engine's idempotency identity
-- (the 128-bit hash of type, store, product and id that the engine dedupes on, as two BIGINTs):
-- a retried line (the same line logged again) is not loaded twice. Event time leads the key so
-- that loads append to the index instead of touching a random page per row (docs/WAREHOUSE.md).
CREATE TABLE fact_sales (
  event_time_ms BIGINT NOT NULL,
  identity_hi BIGINT NOT NULL,
  identity_lo BIGINT NOT NULL,
  store_id BIGINT NOT NULL,
  prod_id BIGINT NOT NULL,
  receipt_id TEXT NOT NULL,
  date_key BIGINT NOT NULL,
  units BIGINT NOT NULL,
  unit_price_micros BIGINT NOT NULL,
  revenue_micros BIGINT NOT NULL,        -- units x unit price
  reorder_point BIGINT NOT NULL,         -- -1 when the event carried none
  prod_name TEXT NOT NULL,
  source_kind TEXT NOT NULL,             -- http, generator, file, kafka, bench
  source_name TEXT NOT NULL,             -- topic or file
  source_partition BIGINT NOT NULL,
  source_position BIGINT NOT NULL,       -- Kafka offset, file line, line in an HTTP body
  ingest_time_ms BIGINT NOT NULL,
  log_offset BIGINT NOT NULL,            -- bronze log offset
  PRIMARY KEY (event_time_ms, identity_hi, identity_lo)
) /*sqlite: WITHOUT ROWID*/;

CREATE TABLE fact_shipments (
  event_time_ms BIGINT NOT NULL,
  identity_hi BIGINT NOT NULL,
  identity_lo BIGINT NOT NULL,
  store_id BIGINT NOT NULL,
  prod_id BIGINT NOT NULL,
  shipment_id TEXT NOT NULL,
  date_key BIGINT NOT NULL,
  units BIGINT NOT NULL,
  source_kind TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_partition BIGINT NOT NULL,
  source_position BIGINT NOT NULL,
  ingest_time_ms BIGINT NOT NULL,
  log_offset BIGINT NOT NULL,
  PRIMARY KEY (event_time_ms, identity_hi, identity_lo)
) /*sqlite: WITHOUT ROWID*/;

-- Refused inputs, as logged: reason, source position and the raw bytes (base64, possibly a
-- prefix of raw_size bytes).
CREATE TABLE dead_letters (
  log_offset BIGINT PRIMARY KEY,
  reason_code TEXT NOT NULL,
  message TEXT NOT NULL,
  source_kind TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_partition BIGINT NOT NULL,
  source_position BIGINT NOT NULL,
  ingest_time_ms BIGINT NOT NULL,
  raw_size BIGINT NOT NULL,
  raw_base64 TEXT NOT NULL
);
