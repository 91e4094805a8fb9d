-- fraud_by_market from silver: orders and suspected-fraud orders per market.
SELECT market, COUNT(*) AS orders,
       SUM(CASE WHEN order_status = 'SUSPECTED_FRAUD' THEN 1 ELSE 0 END) AS suspected_fraud_orders
FROM v_orders
GROUP BY market
ORDER BY market
