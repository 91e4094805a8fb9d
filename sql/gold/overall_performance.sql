-- overall_performance from silver: per month of the order date (yyyymm, UTC), lines, sales,
-- profit and the sums of real and scheduled shipping days.
SELECT month_key, COUNT(*) AS lines, SUM(sales_micros) AS sales_micros,
       SUM(profit_micros) AS profit_micros, SUM(days_real) AS days_real_sum,
       SUM(days_scheduled) AS days_scheduled_sum
FROM v_order_lines
GROUP BY month_key
ORDER BY month_key
