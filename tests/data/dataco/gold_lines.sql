-- The warehouse's DataCo gold tables as the lines expected_marts.sql prints from the raw CSV
-- (one '|'-separated text per figure, money in micro-units, months as YYYY-MM, averages of
-- money rounded half away from zero, aging as of 2017-06-30 = day 17347). One statement, the
-- same SQL on SQLite and PostgreSQL; the tests sort both lists and compare them exactly.
SELECT 'N|' || CAST(SUM(lines) AS TEXT) AS line FROM payment_delays
UNION ALL
SELECT 'D|' || delivery_status || '|' || CAST(lines AS TEXT) || '|' || CAST(delay_days_sum AS TEXT)
FROM payment_delays
UNION ALL
SELECT 'M|' || shipping_mode || '|' || CAST(lines AS TEXT) || '|' || CAST(late_lines AS TEXT)
FROM late_deliveries_by_mode
UNION ALL
SELECT 'K|' || market || '|' || CAST(lines AS TEXT) || '|' || CAST(late_lines AS TEXT)
FROM late_deliveries_by_market
UNION ALL
SELECT 'C|' || department || '|' || market || '|' || category || '|' || CAST(committed_micros AS TEXT)
       || '|' || CAST(lines AS TEXT) || '|' || CAST(fulfilled_lines AS TEXT)
FROM financial_commitments
UNION ALL
SELECT 'U|' || CAST(customer_id AS TEXT) || '|' || CAST(orders AS TEXT) || '|'
       || CAST(order_total_micros AS TEXT) || '|'
       || CAST(CASE WHEN order_total_micros >= 0 THEN (2 * order_total_micros + orders) / (2 * orders)
                    ELSE -((-2 * order_total_micros + orders) / (2 * orders)) END AS TEXT)
       || '|' || CAST(suspected_fraud_orders AS TEXT)
FROM fraud_by_customer
UNION ALL
SELECT 'T|' || payment_type || '|' || CAST(orders AS TEXT) || '|' || CAST(suspected_fraud_orders AS TEXT)
FROM fraud_by_payment_type
UNION ALL
SELECT 'F|' || market || '|' || CAST(orders AS TEXT) || '|' || CAST(suspected_fraud_orders AS TEXT)
FROM fraud_by_market
UNION ALL
SELECT 'P|' || CAST(month_key / 100 AS TEXT) || '-' || substr(CAST(100 + month_key % 100 AS TEXT), 2)
       || '|' || CAST(lines AS TEXT) || '|' || CAST(sales_micros AS TEXT) || '|' || CAST(profit_micros AS TEXT)
       || '|' || CAST(CASE WHEN profit_micros >= 0 THEN (2 * profit_micros + lines) / (2 * lines)
                           ELSE -((-2 * profit_micros + lines) / (2 * lines)) END AS TEXT)
       || '|' || CAST(days_real_sum AS TEXT) || '|' || CAST(days_scheduled_sum AS TEXT)
FROM overall_performance
UNION ALL
SELECT 'R|' || CAST(month_key / 100 AS TEXT) || '-' || substr(CAST(100 + month_key % 100 AS TEXT), 2)
       || '|' || CAST(customers AS TEXT) || '|' || CAST(returning_customers AS TEXT)
FROM customer_retention
UNION ALL
SELECT 'V|' || CAST(month_key / 100 AS TEXT) || '-' || substr(CAST(100 + month_key % 100 AS TEXT), 2)
       || '|' || CAST(order_value_micros AS TEXT) || '|' || CAST(lines AS TEXT) || '|' || CAST(orders AS TEXT)
FROM order_value_by_month
UNION ALL
SELECT 'A|' || bucket || '|' || CAST(SUM(order_value_micros) AS TEXT) || '|' || CAST(SUM(lines) AS TEXT)
FROM (SELECT CASE WHEN age <= 30 THEN '0-30' WHEN age <= 60 THEN '31-60'
                  WHEN age <= 90 THEN '61-90' ELSE '90+' END AS bucket, order_value_micros, lines
      FROM (SELECT 17347 - day_start_ms / 86400000 AS age, order_value_micros, lines
            FROM order_value_by_day) aged
      WHERE age >= 0) bucketed
GROUP BY bucket
UNION ALL
SELECT 'X|after_as_of|' || CAST(COALESCE(SUM(order_value_micros), 0) AS TEXT) || '|'
       || CAST(COALESCE(SUM(lines), 0) AS TEXT)
FROM order_value_by_day WHERE day_start_ms / 86400000 > 17347
UNION ALL
SELECT 'AR|' || CAST(customer_id AS TEXT) || '|' || bucket || '|' || CAST(SUM(open_micros) AS TEXT)
       || '|' || CAST(SUM(lines) AS TEXT)
FROM (SELECT customer_id,
             CASE WHEN p <= 0 THEN 'current' WHEN p <= 30 THEN '1-30' WHEN p <= 60 THEN '31-60'
                  WHEN p <= 90 THEN '61-90' ELSE '90+' END AS bucket, open_micros, lines
      FROM (SELECT customer_id, 17347 - (day_start_ms / 86400000 + 30) AS p, open_micros, lines
            FROM dataco_receivables_by_day WHERE day_start_ms / 86400000 <= 17347) aged) bucketed
GROUP BY customer_id, bucket
