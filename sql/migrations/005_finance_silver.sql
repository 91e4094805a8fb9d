-- Finance events (docs/FINANCE_EVENTS.md) as silver facts (docs/WAREHOUSE.md "Finance"). Same
-- conventions as 001-004: BIGINT and TEXT only, money as BIGINT micro-units, the same SQL on
-- SQLite and PostgreSQL. Business days are day numbers (days since 1970-01-01, UTC), as the
-- finance ledger counts them, so due dates and aging are integer arithmetic on both databases;
-- each fact also carries the date_key (yyyymmdd, dim_date) of its business day for BI joins.
--
-- Each document is loaded once, the first in log order, as the ledger keeps it: the key is the
-- document id the engine dedupes on (its identity is the event type and the id), inserted with
-- ON CONFLICT DO NOTHING in log order. Lines are keyed by the log offset of the document they
-- came with, so the lines of a replayed document (a later offset) never mix with the first
-- one's: the loader deletes them in the same transaction (sinks/finance_silver_rows.cpp).

-- Every version of a supplier record. The engine's identity of a supplier event is its id plus
-- a hash of its whole canonical content (version_key), so a new version counts and an exact
-- replay does not: the same key here. The ledger's current record is the version with the
-- largest log offset.
CREATE TABLE fact_supplier_versions (
  supplier_id TEXT NOT NULL,
  version_key BIGINT NOT NULL,          -- the engine's content hash (its dedupe identity)
  name TEXT NOT NULL,
  bank_account_fingerprint TEXT NOT NULL,
  terms_text TEXT NOT NULL,             -- the supplier's default terms, as sent
  discount_ppm BIGINT NOT NULL,         -- those terms parsed (PaymentTerms): 2 % = 20000
  discount_days BIGINT NOT NULL,
  net_days BIGINT NOT NULL,
  lead_time_days BIGINT NOT NULL,
  changed_stated BIGINT NOT NULL,       -- 1: the event stated its "changed" day
  business_day BIGINT NOT NULL,         -- "changed", else the ingest day (the ledger's clock)
  date_key BIGINT NOT NULL,
  source_kind TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_partition BIGINT NOT NULL,
  source_position BIGINT NOT NULL,
  ingest_time_ms BIGINT NOT NULL,
  log_offset BIGINT NOT NULL,
  PRIMARY KEY (supplier_id, version_key)
) /*sqlite: WITHOUT ROWID*/;
CREATE INDEX fact_supplier_versions_offset ON fact_supplier_versions (supplier_id, log_offset);

CREATE TABLE fact_purchase_orders (
  po_id TEXT PRIMARY KEY,
  supplier_id TEXT NOT NULL,
  order_day BIGINT NOT NULL,
  date_key BIGINT NOT NULL,
  lines BIGINT NOT NULL,
  order_value_micros BIGINT NOT NULL,   -- sum of quantity x unit cost (the ledger's order value)
  source_kind TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_partition BIGINT NOT NULL,
  source_position BIGINT NOT NULL,
  ingest_time_ms BIGINT NOT NULL,
  log_offset BIGINT NOT NULL
);

CREATE TABLE fact_purchase_order_lines (
  log_offset BIGINT NOT NULL,           -- of the purchase order they came with
  line_no BIGINT NOT NULL,              -- 1, 2, ... in document order
  po_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  unit_cost_micros BIGINT NOT NULL,
  line_value_micros BIGINT NOT NULL,    -- quantity x unit cost
  expected_day BIGINT NOT NULL,         -- promised delivery day; -1 when not stated
  PRIMARY KEY (log_offset, line_no)
) /*sqlite: WITHOUT ROWID*/;

CREATE TABLE fact_goods_receipts (
  receipt_id TEXT PRIMARY KEY,
  po_id TEXT NOT NULL,
  received_day BIGINT NOT NULL,
  date_key BIGINT NOT NULL,
  lines BIGINT NOT NULL,
  quantity BIGINT NOT NULL,             -- sum over the lines
  source_kind TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_partition BIGINT NOT NULL,
  source_position BIGINT NOT NULL,
  ingest_time_ms BIGINT NOT NULL,
  log_offset BIGINT NOT NULL
);

CREATE TABLE fact_goods_receipt_lines (
  log_offset BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  receipt_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  PRIMARY KEY (log_offset, line_no)
) /*sqlite: WITHOUT ROWID*/;

-- Supplier invoices as sent. The terms the ledger applies are resolved in v_supplier_invoices
-- (the invoice's own terms, else its supplier's at the time the invoice arrived).
CREATE TABLE fact_supplier_invoices (
  invoice_id TEXT PRIMARY KEY,
  supplier_id TEXT NOT NULL,
  supplier_name TEXT NOT NULL,          -- as printed on the invoice; may be empty
  invoice_number TEXT NOT NULL,
  po_id TEXT NOT NULL,                  -- empty when the invoice names no purchase order
  amount_micros BIGINT NOT NULL,
  issue_day BIGINT NOT NULL,
  date_key BIGINT NOT NULL,
  currency TEXT NOT NULL,               -- empty when not stated
  terms_text TEXT NOT NULL,             -- empty when not stated
  terms_discount_ppm BIGINT NOT NULL,   -- terms_text parsed (0 when empty)
  terms_discount_days BIGINT NOT NULL,
  terms_net_days BIGINT NOT NULL,
  due_stated BIGINT NOT NULL,           -- 1: the invoice printed its due date
  stated_due_day BIGINT NOT NULL,       -- that due date (0 when not stated)
  lines BIGINT NOT NULL,
  source_kind TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_partition BIGINT NOT NULL,
  source_position BIGINT NOT NULL,
  ingest_time_ms BIGINT NOT NULL,
  log_offset BIGINT NOT NULL
);
CREATE INDEX fact_supplier_invoices_po ON fact_supplier_invoices (po_id);

CREATE TABLE fact_supplier_invoice_lines (
  log_offset BIGINT NOT NULL,
  line_no BIGINT NOT NULL,
  invoice_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  unit_price_micros BIGINT NOT NULL,
  PRIMARY KEY (log_offset, line_no)
) /*sqlite: WITHOUT ROWID*/;

-- Payments, every one (a second payment of an invoice is a fact too: the ledger counts it). A
-- payment whose invoice is unknown (not yet, or never) is kept as well.
CREATE TABLE fact_payments (
  payment_id TEXT PRIMARY KEY,
  invoice_id TEXT NOT NULL,
  amount_micros BIGINT NOT NULL,
  paid_day BIGINT NOT NULL,
  date_key BIGINT NOT NULL,
  bank_account_fingerprint TEXT NOT NULL,
  method TEXT NOT NULL,                 -- empty when not stated
  source_kind TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_partition BIGINT NOT NULL,
  source_position BIGINT NOT NULL,
  ingest_time_ms BIGINT NOT NULL,
  log_offset BIGINT NOT NULL
);
CREATE INDEX fact_payments_invoice ON fact_payments (invoice_id, paid_day);

CREATE TABLE fact_customer_orders (
  order_id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  amount_micros BIGINT NOT NULL,
  order_time_ms BIGINT NOT NULL,
  order_day BIGINT NOT NULL,            -- UTC day of the order time
  date_key BIGINT NOT NULL,
  source_kind TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_partition BIGINT NOT NULL,
  source_position BIGINT NOT NULL,
  ingest_time_ms BIGINT NOT NULL,
  log_offset BIGINT NOT NULL
);

-- Receivables: customer invoices (due day as the ledger computes it) and customer payments.
CREATE TABLE fact_customer_invoices (
  invoice_id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  order_id TEXT NOT NULL,               -- '' when the invoice names no order
  amount_micros BIGINT NOT NULL,
  currency TEXT NOT NULL,
  issue_day BIGINT NOT NULL,
  date_key BIGINT NOT NULL,
  terms_text TEXT NOT NULL,
  terms_net_days BIGINT NOT NULL,
  due_day BIGINT NOT NULL,              -- stated due date, else issue day + net days
  source_kind TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_partition BIGINT NOT NULL,
  source_position BIGINT NOT NULL,
  ingest_time_ms BIGINT NOT NULL,
  log_offset BIGINT NOT NULL
);

CREATE TABLE fact_customer_payments (
  payment_id TEXT PRIMARY KEY,
  invoice_id TEXT NOT NULL,
  amount_micros BIGINT NOT NULL,
  paid_day BIGINT NOT NULL,
  date_key BIGINT NOT NULL,
  method TEXT NOT NULL,
  source_kind TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_partition BIGINT NOT NULL,
  source_position BIGINT NOT NULL,
  ingest_time_ms BIGINT NOT NULL,
  log_offset BIGINT NOT NULL
);
CREATE INDEX fact_customer_payments_invoice ON fact_customer_payments (invoice_id, paid_day);

-- The current record of each supplier: its version with the largest log offset.
CREATE VIEW v_suppliers AS
SELECT s.*
FROM fact_supplier_versions s
WHERE s.log_offset = (SELECT MAX(n.log_offset) FROM fact_supplier_versions n
                      WHERE n.supplier_id = s.supplier_id);

-- Invoices with the terms and due day the ledger uses (analytics/finance_ledger.cpp terms_for):
-- the invoice's own terms when it states them, else those of its supplier's version current
-- when the invoice arrived (the latest at a smaller log offset), else none (due on the issue
-- day, no discount). Due day: the printed due date, else issue day + net days. The discount is
-- amount x ppm / 10^6 rounded half up (finance/early_payment.cpp discount_amount; amounts are
-- positive), split as whole units x ppm + the rest so that no product leaves BIGINT.
CREATE VIEW v_supplier_invoices AS
WITH picked AS (
  SELECT i.*,
         (SELECT MAX(s.log_offset) FROM fact_supplier_versions s
          WHERE s.supplier_id = i.supplier_id AND s.log_offset < i.log_offset) AS version_offset
  FROM fact_supplier_invoices i
), resolved AS (
  SELECT p.*,
         CASE WHEN p.terms_text <> '' THEN p.terms_discount_ppm
              ELSE COALESCE(s.discount_ppm, 0) END AS discount_ppm,
         CASE WHEN p.terms_text <> '' THEN p.terms_discount_days
              ELSE COALESCE(s.discount_days, 0) END AS discount_days,
         CASE WHEN p.terms_text <> '' THEN p.terms_net_days
              ELSE COALESCE(s.net_days, 0) END AS net_days
  FROM picked p
  LEFT JOIN fact_supplier_versions s
    ON s.supplier_id = p.supplier_id AND s.log_offset = p.version_offset
)
SELECT r.invoice_id, r.supplier_id, r.supplier_name, r.invoice_number, r.po_id, r.amount_micros,
       r.issue_day, r.date_key, r.currency, r.terms_text, r.lines, r.log_offset,
       r.discount_ppm, r.discount_days, r.net_days,
       CASE WHEN r.due_stated = 1 THEN r.stated_due_day ELSE r.issue_day + r.net_days END
         AS due_day,
       r.issue_day + r.discount_days AS discount_deadline_day,
       CASE WHEN r.discount_ppm > 0
            THEN (r.amount_micros / 1000000) * r.discount_ppm
                 + ((r.amount_micros % 1000000) * r.discount_ppm + 500000) / 1000000
            ELSE 0 END AS discount_micros
FROM resolved r;

-- The ledger's clock: the latest business day of any finance event (supplier: "changed" else
-- the ingest day; order, receipt, issue and payment days; a customer order's UTC day).
CREATE VIEW v_finance_clock AS
SELECT MAX(day) AS as_of_day FROM (
  SELECT MAX(business_day) AS day FROM fact_supplier_versions
  UNION ALL SELECT MAX(order_day) FROM fact_purchase_orders
  UNION ALL SELECT MAX(received_day) FROM fact_goods_receipts
  UNION ALL SELECT MAX(issue_day) FROM fact_supplier_invoices
  UNION ALL SELECT MAX(paid_day) FROM fact_payments
  UNION ALL SELECT MAX(order_day) FROM fact_customer_orders
  UNION ALL SELECT MAX(issue_day) FROM fact_customer_invoices
  UNION ALL SELECT MAX(paid_day) FROM fact_customer_payments
) days;
