-- late_deliveries_by_mode from silver: lines and late lines (Late_delivery_risk = 1) per
-- shipping mode.
SELECT shipping_mode, COUNT(*) AS lines, SUM(late_delivery_risk) AS late_lines
FROM v_order_lines
GROUP BY shipping_mode
ORDER BY shipping_mode
