-- customer_retention from silver: per month, distinct customers with a line that month and,
-- of those, customers whose first month is earlier (over the whole history).
WITH months AS (
  SELECT DISTINCT customer_id, month_key FROM v_order_lines
), firsts AS (
  SELECT customer_id, MIN(month_key) AS first_month FROM months GROUP BY customer_id
)
SELECT m.month_key, COUNT(*) AS customers,
       SUM(CASE WHEN f.first_month < m.month_key THEN 1 ELSE 0 END) AS returning_customers
FROM months m JOIN firsts f ON f.customer_id = m.customer_id
GROUP BY m.month_key
ORDER BY m.month_key
