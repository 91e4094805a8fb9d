-- Decimal views for people and BI tools (money as units, not micros). On PostgreSQL the
-- division is exact NUMERIC (6 decimals); on SQLite it is REAL, for display only: the *_micros
-- columns are the exact figures.
CREATE VIEW v_fact_sales AS
SELECT f.*, ROUND(f.unit_price_micros / 1000000.0, 6) AS unit_price, ROUND(f.revenue_micros / 1000000.0, 6) AS revenue
FROM fact_sales f;

CREATE VIEW v_inventory_levels AS
SELECT i.*, ROUND(i.unit_price_micros / 1000000.0, 6) AS unit_price, ROUND(i.cost_price_micros / 1000000.0, 6) AS cost_price,
       ROUND(i.revenue_micros / 1000000.0, 6) AS revenue, ROUND(i.value_at_cost_micros / 1000000.0, 6) AS value_at_cost
FROM inventory_levels i;

CREATE VIEW v_best_sellers AS
SELECT b.*, p.name AS prod_name, ROUND(b.revenue_micros / 1000000.0, 6) AS revenue
FROM best_sellers b LEFT JOIN dim_product p ON p.prod_id = b.prod_id;

CREATE VIEW v_sales_by_day AS
SELECT d.*, ROUND(d.revenue_micros / 1000000.0, 6) AS revenue FROM sales_by_day d;
