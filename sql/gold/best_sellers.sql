-- best_sellers from silver: units and revenue per product over all stores, ranked by units
-- (then revenue, then prod_id), products with at least one unit sold.
SELECT prod_id, units_sold, revenue_micros,
       ROW_NUMBER() OVER (ORDER BY units_sold DESC, revenue_micros DESC, prod_id) AS sales_rank
FROM (SELECT prod_id, SUM(units) AS units_sold, SUM(revenue_micros) AS revenue_micros
      FROM fact_sales GROUP BY prod_id) per_product
WHERE units_sold > 0
ORDER BY prod_id
