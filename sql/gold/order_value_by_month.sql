-- order_value_by_month from silver: per month, order value (sum of Order Item Total), lines,
-- and orders counted in the month of their smallest line (v_orders).
SELECT v.month_key, v.order_value_micros, v.lines, COALESCE(o.orders, 0) AS orders
FROM (SELECT month_key, SUM(item_total_micros) AS order_value_micros, COUNT(*) AS lines
      FROM v_order_lines GROUP BY month_key) v
LEFT JOIN (SELECT month_key, COUNT(*) AS orders FROM v_orders GROUP BY month_key) o
  ON o.month_key = v.month_key
ORDER BY v.month_key
