-- payment_delays from silver: per delivery status, lines and the sum of (real - scheduled)
-- shipping days.
SELECT delivery_status, COUNT(*) AS lines, SUM(days_real - days_scheduled) AS delay_days_sum
FROM v_order_lines
GROUP BY delivery_status
ORDER BY delivery_status
