-- late_deliveries_by_market from silver: lines and late lines (Late_delivery_risk = 1) per
-- market.
SELECT market, COUNT(*) AS lines, SUM(late_delivery_risk) AS late_lines
FROM v_order_lines
GROUP BY market
ORDER BY market
