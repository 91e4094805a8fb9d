-- financial_commitments from silver: per department x market x category, committed funds
-- (sum of Order Item Total), lines and fulfilled lines (status COMPLETE or CLOSED).
SELECT department, market, category, SUM(item_total_micros) AS committed_micros,
       COUNT(*) AS lines,
       SUM(CASE WHEN order_status IN ('COMPLETE', 'CLOSED') THEN 1 ELSE 0 END) AS fulfilled_lines
FROM v_order_lines
GROUP BY department, market, category
ORDER BY department, market, category
