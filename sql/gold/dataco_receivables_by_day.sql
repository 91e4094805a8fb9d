-- dataco_receivables_by_day from silver: PENDING_PAYMENT order lines per customer and UTC day
-- of the order date, their Order Item Total and count (whatever the Type).
SELECT customer_id, order_day_start_ms AS day_start_ms, SUM(item_total_micros) AS open_micros,
       COUNT(*) AS lines
FROM v_order_lines
WHERE order_status = 'PENDING_PAYMENT'
GROUP BY customer_id, order_day_start_ms
ORDER BY customer_id, order_day_start_ms
