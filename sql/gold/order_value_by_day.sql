-- order_value_by_day from silver: per UTC day of the order date, order value and lines.
SELECT order_day_start_ms AS day_start_ms, SUM(item_total_micros) AS order_value_micros,
       COUNT(*) AS lines
FROM v_order_lines
GROUP BY order_day_start_ms
ORDER BY order_day_start_ms
