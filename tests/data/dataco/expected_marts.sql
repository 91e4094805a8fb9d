-- Expected DataCo marts computed by SQLite straight from the raw CSV, independently of the
-- engine (tests/integration/dataco_test.cpp runs it with the sqlite3 shell after
-- `.import --csv fixture.csv raw`). Money is turned into integer micro-units from its decimal
-- text (rounded half away from zero at the 7th fraction digit, the documented DataCo rule), so
-- every sum is exact. Bad rows are marked "BAD" in Customer Email by make_fixture.py; exact
-- duplicate rows (replays) count once. Output: one '|'-separated line per figure, the test
-- turns the API's JSON into the same lines.
.mode list
.separator |
CREATE TABLE lines AS
SELECT DISTINCT
  CAST(trim("Order Item Id") AS INTEGER) AS item_id,
  CAST(trim("Order Id") AS INTEGER) AS order_id,
  CAST(trim("Order Customer Id") AS INTEGER) AS customer_id,
  trim("Type") AS payment_type,
  trim("Delivery Status") AS delivery_status,
  trim("Order Status") AS order_status,
  trim("Shipping Mode") AS shipping_mode,
  trim("Market") AS market,
  trim("Department Name") AS department,
  trim("Category Name") AS category,
  CAST(trim("Days for shipping (real)") AS INTEGER) AS days_real,
  CAST(trim("Days for shipment (scheduled)") AS INTEGER) AS days_scheduled,
  CAST(trim("Late_delivery_risk") AS INTEGER) AS late,
  (CASE WHEN substr(trim("Sales"), 1, 1) = '-' THEN -1 ELSE 1 END) * (CAST((CASE WHEN instr(ltrim(trim("Sales"), '-'), '.') > 0 THEN substr(ltrim(trim("Sales"), '-'), 1, instr(ltrim(trim("Sales"), '-'), '.') - 1) ELSE ltrim(trim("Sales"), '-') END) AS INTEGER) * 1000000 + (CAST(substr((CASE WHEN instr(ltrim(trim("Sales"), '-'), '.') > 0 THEN substr(ltrim(trim("Sales"), '-'), instr(ltrim(trim("Sales"), '-'), '.') + 1) ELSE '' END) || '0000000', 1, 7) AS INTEGER) + 5) / 10) AS sales,
  (CASE WHEN substr(trim("Order Item Total"), 1, 1) = '-' THEN -1 ELSE 1 END) * (CAST((CASE WHEN instr(ltrim(trim("Order Item Total"), '-'), '.') > 0 THEN substr(ltrim(trim("Order Item Total"), '-'), 1, instr(ltrim(trim("Order Item Total"), '-'), '.') - 1) ELSE ltrim(trim("Order Item Total"), '-') END) AS INTEGER) * 1000000 + (CAST(substr((CASE WHEN instr(ltrim(trim("Order Item Total"), '-'), '.') > 0 THEN substr(ltrim(trim("Order Item Total"), '-'), instr(ltrim(trim("Order Item Total"), '-'), '.') + 1) ELSE '' END) || '0000000', 1, 7) AS INTEGER) + 5) / 10) AS item_total,
  (CASE WHEN substr(trim("Order Profit Per Order"), 1, 1) = '-' THEN -1 ELSE 1 END) * (CAST((CASE WHEN instr(ltrim(trim("Order Profit Per Order"), '-'), '.') > 0 THEN substr(ltrim(trim("Order Profit Per Order"), '-'), 1, instr(ltrim(trim("Order Profit Per Order"), '-'), '.') - 1) ELSE ltrim(trim("Order Profit Per Order"), '-') END) AS INTEGER) * 1000000 + (CAST(substr((CASE WHEN instr(ltrim(trim("Order Profit Per Order"), '-'), '.') > 0 THEN substr(ltrim(trim("Order Profit Per Order"), '-'), instr(ltrim(trim("Order Profit Per Order"), '-'), '.') + 1) ELSE '' END) || '0000000', 1, 7) AS INTEGER) + 5) / 10) AS profit,
  printf('%04d-%02d', CAST(substr(substr(substr(trim("order date (DateOrders)"), 1, instr(trim("order date (DateOrders)"), ' ') - 1), instr(substr(trim("order date (DateOrders)"), 1, instr(trim("order date (DateOrders)"), ' ') - 1), '/') + 1), instr(substr(substr(trim("order date (DateOrders)"), 1, instr(trim("order date (DateOrders)"), ' ') - 1), instr(substr(trim("order date (DateOrders)"), 1, instr(trim("order date (DateOrders)"), ' ') - 1), '/') + 1), '/') + 1) AS INTEGER), CAST(substr(substr(trim("order date (DateOrders)"), 1, instr(trim("order date (DateOrders)"), ' ') - 1), 1, instr(substr(trim("order date (DateOrders)"), 1, instr(trim("order date (DateOrders)"), ' ') - 1), '/') - 1) AS INTEGER)) AS month,
  CAST(julianday(printf('%04d-%02d-%02d', CAST(substr(substr(substr(trim("order date (DateOrders)"), 1, instr(trim("order date (DateOrders)"), ' ') - 1), instr(substr(trim("order date (DateOrders)"), 1, instr(trim("order date (DateOrders)"), ' ') - 1), '/') + 1), instr(substr(substr(trim("order date (DateOrders)"), 1, instr(trim("order date (DateOrders)"), ' ') - 1), instr(substr(trim("order date (DateOrders)"), 1, instr(trim("order date (DateOrders)"), ' ') - 1), '/') + 1), '/') + 1) AS INTEGER), CAST(substr(substr(trim("order date (DateOrders)"), 1, instr(trim("order date (DateOrders)"), ' ') - 1), 1, instr(substr(trim("order date (DateOrders)"), 1, instr(trim("order date (DateOrders)"), ' ') - 1), '/') - 1) AS INTEGER), CAST(substr(substr(substr(trim("order date (DateOrders)"), 1, instr(trim("order date (DateOrders)"), ' ') - 1), instr(substr(trim("order date (DateOrders)"), 1, instr(trim("order date (DateOrders)"), ' ') - 1), '/') + 1), 1, instr(substr(substr(trim("order date (DateOrders)"), 1, instr(trim("order date (DateOrders)"), ' ') - 1), instr(substr(trim("order date (DateOrders)"), 1, instr(trim("order date (DateOrders)"), ' ') - 1), '/') + 1), '/') - 1) AS INTEGER))) - julianday('1970-01-01') AS INTEGER) AS day
FROM raw
WHERE "Customer Email" <> 'BAD' AND "Shipping Mode" IS NOT NULL;

-- An order's attributes come from its line with the smallest Order Item Id.
CREATE TABLE orders AS
SELECT l.order_id, l.customer_id, l.payment_type, l.market, l.order_status, l.month,
       (SELECT sum(item_total) FROM lines x WHERE x.order_id = l.order_id) AS total
FROM lines l
WHERE l.item_id = (SELECT min(item_id) FROM lines x WHERE x.order_id = l.order_id);

-- Half away from zero integer division, for averages of money in micro-units.
CREATE TABLE customer_totals AS
SELECT customer_id, count(*) AS orders, sum(total) AS total,
       sum(order_status = 'SUSPECTED_FRAUD') AS fraud
FROM orders GROUP BY customer_id;

SELECT 'N', count(*) FROM lines;
SELECT 'D', delivery_status, count(*), sum(days_real - days_scheduled) FROM lines GROUP BY 1, 2;
SELECT 'M', shipping_mode, count(*), sum(late) FROM lines GROUP BY 1, 2;
SELECT 'K', market, count(*), sum(late) FROM lines GROUP BY 1, 2;
SELECT 'C', department, market, category, sum(item_total), count(*),
       sum(order_status IN ('COMPLETE', 'CLOSED'))
FROM lines GROUP BY 1, 2, 3, 4;
SELECT 'U', customer_id, orders, total,
       CASE WHEN total >= 0 THEN (2 * total + orders) / (2 * orders) ELSE -((-2 * total + orders) / (2 * orders)) END,
       fraud
FROM customer_totals;
SELECT 'T', payment_type, count(*), sum(order_status = 'SUSPECTED_FRAUD') FROM orders GROUP BY 1, 2;
SELECT 'F', market, count(*), sum(order_status = 'SUSPECTED_FRAUD') FROM orders GROUP BY 1, 2;
SELECT 'P', month, count(*), sum(sales), sum(profit),
       CASE WHEN sum(profit) >= 0 THEN (2 * sum(profit) + count(*)) / (2 * count(*))
            ELSE -((-2 * sum(profit) + count(*)) / (2 * count(*))) END,
       sum(days_real), sum(days_scheduled)
FROM lines GROUP BY 1, 2;
SELECT 'R', m.month, count(*), sum(f.first < m.month)
FROM (SELECT DISTINCT customer_id, month FROM lines) m
JOIN (SELECT customer_id, min(month) AS first FROM lines GROUP BY customer_id) f USING (customer_id)
GROUP BY 1, 2;
SELECT 'V', l.month, sum(item_total), count(*),
       (SELECT count(*) FROM orders o WHERE o.month = l.month)
FROM lines l GROUP BY 1, 2;
-- Aging as of 2017-06-30 (day 17347): whole days between the order date and the as-of date.
SELECT 'A', CASE WHEN a <= 30 THEN '0-30' WHEN a <= 60 THEN '31-60' WHEN a <= 90 THEN '61-90' ELSE '90+' END,
       sum(item_total), count(*)
FROM (SELECT julianday('2017-06-30') - julianday('1970-01-01') - day AS a, item_total FROM lines)
WHERE a >= 0 GROUP BY 1, 2;
SELECT 'X', 'after_as_of', coalesce(sum(item_total), 0), count(*)
FROM lines WHERE day > julianday('2017-06-30') - julianday('1970-01-01');
-- Open receivables (PENDING_PAYMENT lines, whatever the Type) per customer as of 2017-06-30,
-- due 30 days after the order day, bucketed by days past due; lines ordered later are left out.
SELECT 'AR', customer_id,
       CASE WHEN p <= 0 THEN 'current' WHEN p <= 30 THEN '1-30' WHEN p <= 60 THEN '31-60'
            WHEN p <= 90 THEN '61-90' ELSE '90+' END,
       sum(item_total), count(*)
FROM (SELECT customer_id, item_total,
             julianday('2017-06-30') - julianday('1970-01-01') - (day + 30) AS p
      FROM lines
      WHERE order_status = 'PENDING_PAYMENT'
        AND day <= julianday('2017-06-30') - julianday('1970-01-01'))
GROUP BY 1, 2, 3;
