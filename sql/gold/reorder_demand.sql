-- reorder_demand from silver (sinks/reorder_gold.cpp, analytics/daily_demand.cpp): units sold
-- per UTC day by event time; the window is the reorder_parameters window ending on the day of
-- the newest sale or shipment event time, starting no earlier than the row's first sale day.
-- The lead time is that of the product's latest purchase order's supplier: among the orders of
-- the latest order day naming the product, the longest lead time of a supplier with a record
-- (its current version, v_suppliers); -1 when there is none.
WITH clock AS (
  SELECT MAX(t) / 86400000 AS as_of_day FROM (
    SELECT MAX(event_time_ms) AS t FROM fact_sales
    UNION ALL SELECT MAX(event_time_ms) FROM fact_shipments
  ) times
), daily AS (
  SELECT store_id, prod_id, event_time_ms / 86400000 AS day, SUM(units) AS units
  FROM fact_sales
  GROUP BY store_id, prod_id, event_time_ms / 86400000
), span AS (
  SELECT d.store_id, d.prod_id, c.as_of_day,
         CASE WHEN MIN(d.day) > c.as_of_day - p.window_days + 1 THEN MIN(d.day)
              ELSE c.as_of_day - p.window_days + 1 END AS from_day
  FROM daily d CROSS JOIN clock c CROSS JOIN reorder_parameters p
  WHERE p.id = 1
  GROUP BY d.store_id, d.prod_id, c.as_of_day, p.window_days
  HAVING MIN(d.day) <= c.as_of_day
), stock AS (
  SELECT store_id, prod_id, SUM(units) AS units FROM (
    SELECT store_id, prod_id, units FROM fact_shipments
    UNION ALL SELECT store_id, prod_id, -units FROM fact_sales
  ) moves
  GROUP BY store_id, prod_id
), ordered AS (
  SELECT l.product_id, o.supplier_id, o.order_day
  FROM fact_purchase_order_lines l
  JOIN fact_purchase_orders o ON o.log_offset = l.log_offset AND o.po_id = l.po_id
), supplier_lead AS (
  SELECT o.product_id, MAX(s.lead_time_days) AS lead_time_days
  FROM ordered o
  JOIN v_suppliers s ON s.supplier_id = o.supplier_id
  WHERE o.order_day = (SELECT MAX(n.order_day) FROM ordered n WHERE n.product_id = o.product_id)
  GROUP BY o.product_id
)
SELECT s.store_id, s.prod_id, s.as_of_day, s.as_of_day - s.from_day + 1 AS demand_days,
       COALESCE(SUM(d.units), 0) AS units, COALESCE(SUM(d.units * d.units), 0) AS units_squared,
       CASE WHEN k.units > 0 THEN k.units ELSE 0 END AS on_hand,
       COALESCE(l.lead_time_days, -1) AS supplier_lead_time_days
FROM span s
LEFT JOIN daily d ON d.store_id = s.store_id AND d.prod_id = s.prod_id
                 AND d.day BETWEEN s.from_day AND s.as_of_day
LEFT JOIN stock k ON k.store_id = s.store_id AND k.prod_id = s.prod_id
LEFT JOIN supplier_lead l ON l.product_id = CAST(s.prod_id AS TEXT)
GROUP BY s.store_id, s.prod_id, s.as_of_day, s.from_day, k.units, l.lead_time_days
ORDER BY s.store_id, s.prod_id
