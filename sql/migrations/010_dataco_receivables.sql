-- DataCo receivables (docs/FINANCE_API.md "DataCo receivables", docs/WAREHOUSE.md): order lines
-- whose Order Status is PENDING_PAYMENT are open receivables of their customer, issued on the
-- order date. Gold, upserted from the engine's marts (sinks/dataco_gold.cpp) and computed from
-- silver by sql/gold/dataco_receivables_by_day.sql (`ledgerflow verify` compares them). Kept
-- per customer and UTC order day, not aged: aging depends on an as-of day and payment terms,
-- which a query picks (v_dataco_receivables_aging shows the defaults). Number 010: 008 and 009
-- are taken by other work.
CREATE TABLE dataco_receivables_by_day (
  customer_id BIGINT NOT NULL,
  day_start_ms BIGINT NOT NULL,        -- UTC start of the order day
  open_micros BIGINT NOT NULL,         -- sum of Order Item Total
  lines BIGINT NOT NULL,
  PRIMARY KEY (customer_id, day_start_ms)
);

-- Aging as the API reports it by default: as of the newest order day (order_value_by_day, every
-- line), due 30 days after the order day (finance.dataco.receivable_terms_days), bucketed by
-- days past due: current (<= 0), 1-30, 31-60, 61-90, 90+. Lines ordered after the as-of day
-- cannot exist here (it is the newest).
CREATE VIEW v_dataco_receivables_aging AS
SELECT customer_id,
       CASE WHEN days_past_due <= 0 THEN 'current' WHEN days_past_due <= 30 THEN '1-30'
            WHEN days_past_due <= 60 THEN '31-60' WHEN days_past_due <= 90 THEN '61-90'
            ELSE '90+' END AS bucket,
       SUM(open_micros) AS open_micros, SUM(lines) AS lines
FROM (SELECT r.customer_id, (m.newest - r.day_start_ms) / 86400000 - 30 AS days_past_due,
             r.open_micros, r.lines
      FROM dataco_receivables_by_day r
      CROSS JOIN (SELECT MAX(day_start_ms) AS newest FROM order_value_by_day) m) aged
GROUP BY 1, 2;
