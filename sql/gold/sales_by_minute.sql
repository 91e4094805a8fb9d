-- sales_by_minute from silver: sale lines and shipments per minute of event time (times after 1970).
SELECT window_start_ms, SUM(units_sold) AS units_sold, SUM(revenue_micros) AS revenue_micros,
       SUM(sale_lines) AS sale_lines, SUM(shipments) AS shipments,
       SUM(units_received) AS units_received
FROM (SELECT event_time_ms - event_time_ms % 60000 AS window_start_ms, units AS units_sold, revenue_micros,
             1 AS sale_lines, 0 AS shipments, 0 AS units_received
      FROM fact_sales
      UNION ALL
      SELECT event_time_ms - event_time_ms % 60000, 0, 0, 0, 1, units
      FROM fact_shipments) events
GROUP BY window_start_ms
ORDER BY window_start_ms
