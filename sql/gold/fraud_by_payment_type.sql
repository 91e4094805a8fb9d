-- fraud_by_payment_type from silver: orders and suspected-fraud orders per payment type.
SELECT payment_type, COUNT(*) AS orders,
       SUM(CASE WHEN order_status = 'SUSPECTED_FRAUD' THEN 1 ELSE 0 END) AS suspected_fraud_orders
FROM v_orders
GROUP BY payment_type
ORDER BY payment_type
