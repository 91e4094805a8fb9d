-- finance_working_capital from silver: the 30 days ending on the ledger's clock (the gold
-- table's fixed window, sinks/working_capital_gold.h). Open balances as of each day of the
-- window as v_open_payables / v_open_receivables count them as of the clock (settled invoices
-- count 0 from their settlement day), summed over the days and divided by 30, rounded down.
-- COGS: a sale counts on its event-time day when that day is in the window and within the 56
-- days up to the newest sale day of its product x store (what the engine's daily demand
-- holds), at the catalog cost price (0 for products not in the catalog). Inventory: per product
-- x store, received - sold when above 0, at that cost.
WITH RECURSIVE clock AS (
  SELECT as_of_day, as_of_day - 29 AS first_day FROM v_finance_clock WHERE as_of_day IS NOT NULL
), days AS (
  SELECT first_day AS day FROM clock
  UNION ALL
  SELECT d.day + 1 FROM days d CROSS JOIN clock c WHERE d.day < c.as_of_day
), documents AS (
  -- Receivables ('r') and payables ('p'), with the day a supplier invoice was settled.
  SELECT 'r' AS side, invoice_id, amount_micros, issue_day, NULL AS settled_day
  FROM fact_customer_invoices
  UNION ALL
  SELECT 'p', i.invoice_id, i.amount_micros, i.issue_day, s.settled_day
  FROM fact_supplier_invoices i
  LEFT JOIN v_invoice_settlement s ON s.invoice_id = i.invoice_id
), paid AS (
  SELECT 'r' AS side, invoice_id, paid_day, amount_micros FROM fact_customer_payments
  UNION ALL
  SELECT 'p', invoice_id, paid_day, amount_micros FROM fact_payments
), open_by_day AS (
  SELECT o.side, o.amount_micros - COALESCE(SUM(y.amount_micros), 0) AS open_micros
  FROM (SELECT doc.*, d.day FROM days d
        JOIN documents doc ON doc.issue_day <= d.day
                          AND (doc.settled_day IS NULL OR doc.settled_day > d.day)) o
  LEFT JOIN paid y ON y.side = o.side AND y.invoice_id = o.invoice_id AND y.paid_day <= o.day
  GROUP BY o.side, o.invoice_id, o.day, o.amount_micros
), balances AS (
  SELECT CAST(COALESCE(SUM(CASE WHEN side = 'r' THEN open_micros ELSE 0 END), 0) AS BIGINT) / 30
           AS average_receivables_micros,
         CAST(COALESCE(SUM(CASE WHEN side = 'p' THEN open_micros ELSE 0 END), 0) AS BIGINT) / 30
           AS average_payables_micros
  FROM open_by_day
  WHERE open_micros > 0
), flows AS (
  SELECT CAST(COALESCE((SELECT SUM(i.amount_micros) FROM fact_customer_invoices i
                        WHERE i.issue_day BETWEEN c.first_day AND c.as_of_day), 0) AS BIGINT)
           AS revenue_micros,
         CAST(COALESCE((SELECT SUM(i.amount_micros) FROM fact_supplier_invoices i
                        WHERE i.issue_day BETWEEN c.first_day AND c.as_of_day), 0) AS BIGINT)
           AS purchases_micros
  FROM clock c
), sale_days AS (
  SELECT store_id, prod_id, units, event_time_ms / 86400000 AS day,
         MAX(event_time_ms / 86400000) OVER (PARTITION BY store_id, prod_id) AS last_day
  FROM fact_sales
), cogs AS (
  SELECT CAST(COALESCE(SUM(s.units * p.cost_price_micros), 0) AS BIGINT) AS cogs_micros
  FROM sale_days s
  CROSS JOIN clock c
  JOIN dim_product p ON p.prod_id = s.prod_id AND p.in_catalog = 1
  WHERE s.day BETWEEN c.first_day AND c.as_of_day AND s.day > s.last_day - 56
), stock AS (
  SELECT store_id, prod_id, SUM(received) - SUM(sold) AS unit_left
  FROM (SELECT store_id, prod_id, 0 AS received, units AS sold FROM fact_sales
        UNION ALL
        SELECT store_id, prod_id, units, 0 FROM fact_shipments) moves
  GROUP BY store_id, prod_id
), inventory AS (
  SELECT CAST(COALESCE(SUM(s.unit_left * p.cost_price_micros), 0) AS BIGINT)
           AS average_inventory_micros
  FROM stock s
  JOIN dim_product p ON p.prod_id = s.prod_id AND p.in_catalog = 1
  WHERE s.unit_left > 0
)
SELECT 30 AS window_days, c.as_of_day, f.revenue_micros, g.cogs_micros, f.purchases_micros,
       b.average_receivables_micros, i.average_inventory_micros, b.average_payables_micros
FROM clock c
CROSS JOIN flows f
CROSS JOIN cogs g
CROSS JOIN balances b
CROSS JOIN inventory i
