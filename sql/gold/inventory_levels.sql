-- inventory_levels from silver: one row per product x store that has a sale or a shipment.
-- Mirrors analytics/inventory_state.cpp: price, reorder point and (for products not in the
-- catalog) name come from the sale with the newest event time (later log offset on ties);
-- otherwise from the catalog.
WITH sold AS (
  SELECT store_id, prod_id, SUM(units) AS total_sold, SUM(revenue_micros) AS revenue_micros,
         COUNT(*) AS sale_lines
  FROM fact_sales GROUP BY store_id, prod_id
), received AS (
  SELECT store_id, prod_id, SUM(units) AS total_received, COUNT(*) AS shipments
  FROM fact_shipments GROUP BY store_id, prod_id
), keyed AS (
  SELECT store_id, prod_id FROM sold UNION SELECT store_id, prod_id FROM received
), latest AS (
  SELECT store_id, prod_id, unit_price_micros, reorder_point, prod_name,
         ROW_NUMBER() OVER (PARTITION BY store_id, prod_id
                            ORDER BY event_time_ms DESC, log_offset DESC) AS pick
  FROM fact_sales
), merged AS (
  SELECT k.store_id, k.prod_id,
         CASE WHEN p.prod_id IS NOT NULL THEN p.name
              WHEN l.prod_name IS NOT NULL THEN l.prod_name
              ELSE 'product ' || CAST(k.prod_id AS TEXT) END AS prod_name,
         COALESCE(s.total_sold, 0) AS total_sold,
         COALESCE(r.total_received, 0) AS total_received,
         COALESCE(l.reorder_point, p.reorder_point, 0) AS reorder_point,
         COALESCE(l.unit_price_micros, p.price_micros, 0) AS unit_price_micros,
         COALESCE(p.cost_price_micros, 0) AS cost_price_micros,
         COALESCE(s.revenue_micros, 0) AS revenue_micros,
         COALESCE(s.sale_lines, 0) AS sale_lines,
         COALESCE(r.shipments, 0) AS shipments
  FROM keyed k
  LEFT JOIN sold s ON s.store_id = k.store_id AND s.prod_id = k.prod_id
  LEFT JOIN received r ON r.store_id = k.store_id AND r.prod_id = k.prod_id
  LEFT JOIN latest l ON l.store_id = k.store_id AND l.prod_id = k.prod_id AND l.pick = 1
  LEFT JOIN dim_product p ON p.prod_id = k.prod_id AND p.in_catalog = 1
)
SELECT store_id, prod_id, prod_name, total_sold, total_received,
       total_received - total_sold AS unit_left, reorder_point, unit_price_micros,
       cost_price_micros, revenue_micros,
       cost_price_micros * (CASE WHEN total_received - total_sold > 0
                                 THEN total_received - total_sold ELSE 0 END) AS value_at_cost_micros,
       sale_lines, shipments,
       CASE WHEN total_received - total_sold <= reorder_point THEN 1 ELSE 0 END AS below_reorder
FROM merged
ORDER BY store_id, prod_id
