-- finance_receivables_aging from silver: the open customer invoices as of the ledger's clock
-- (v_open_receivables) bucketed by days past due, per customer.
SELECT customer_id, MAX(as_of_day) AS as_of_day,
       SUM(CASE WHEN days_past_due <= 0 THEN open_micros ELSE 0 END) AS current_micros,
       SUM(CASE WHEN days_past_due <= 0 THEN 1 ELSE 0 END) AS current_count,
       SUM(CASE WHEN days_past_due BETWEEN 1 AND 30 THEN open_micros ELSE 0 END)
         AS past_due_1_30_micros,
       SUM(CASE WHEN days_past_due BETWEEN 1 AND 30 THEN 1 ELSE 0 END) AS past_due_1_30_count,
       SUM(CASE WHEN days_past_due BETWEEN 31 AND 60 THEN open_micros ELSE 0 END)
         AS past_due_31_60_micros,
       SUM(CASE WHEN days_past_due BETWEEN 31 AND 60 THEN 1 ELSE 0 END) AS past_due_31_60_count,
       SUM(CASE WHEN days_past_due BETWEEN 61 AND 90 THEN open_micros ELSE 0 END)
         AS past_due_61_90_micros,
       SUM(CASE WHEN days_past_due BETWEEN 61 AND 90 THEN 1 ELSE 0 END) AS past_due_61_90_count,
       SUM(CASE WHEN days_past_due > 90 THEN open_micros ELSE 0 END) AS past_due_over_90_micros,
       SUM(CASE WHEN days_past_due > 90 THEN 1 ELSE 0 END) AS past_due_over_90_count,
       SUM(open_micros) AS total_micros, COUNT(*) AS open_invoices
FROM v_open_receivables
GROUP BY customer_id
ORDER BY customer_id
