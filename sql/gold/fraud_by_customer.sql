-- fraud_by_customer from silver: per customer, orders, their total and suspected-fraud orders
-- (an order's customer and status are those of its smallest line: v_orders).
SELECT customer_id, COUNT(*) AS orders, SUM(total_micros) AS order_total_micros,
       SUM(CASE WHEN order_status = 'SUSPECTED_FRAUD' THEN 1 ELSE 0 END) AS suspected_fraud_orders
FROM v_orders
GROUP BY customer_id
ORDER BY customer_id
