-- finance_payment_delays from silver: per supplier, the settled invoices (v_invoice_settlement),
-- the sum of their delays (settled day - due day) and the 90th percentile by nearest rank:
-- the delay at rank ceil(0.9 n) = (9 n + 9) / 10 in integer division, ascending.
WITH ranked AS (
  SELECT supplier_id, settled_day - due_day AS delay,
         ROW_NUMBER() OVER (PARTITION BY supplier_id ORDER BY settled_day - due_day) AS rank_no,
         COUNT(*) OVER (PARTITION BY supplier_id) AS n
  FROM v_invoice_settlement
)
SELECT supplier_id, MAX(n) AS settled_invoices, SUM(delay) AS delay_days_sum,
       MAX(CASE WHEN rank_no = (9 * n + 9) / 10 THEN delay END) AS p90_delay_days
FROM ranked
GROUP BY supplier_id
ORDER BY supplier_id
