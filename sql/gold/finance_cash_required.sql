-- finance_cash_required from silver: per supplier, the open invoices as of the ledger's clock
-- (v_open_payables) by due day, and per purchase order placed by then its value less the
-- invoices on it issued by then, counted when above 0.
WITH clock AS (
  SELECT as_of_day FROM v_finance_clock
), invoiced AS (
  SELECT o.supplier_id, SUM(o.open_micros) AS invoiced_not_paid,
         SUM(CASE WHEN o.days_past_due > 0 THEN o.open_micros ELSE 0 END) AS overdue,
         SUM(CASE WHEN o.days_past_due BETWEEN -7 AND 0 THEN o.open_micros ELSE 0 END) AS due_7,
         SUM(CASE WHEN o.days_past_due BETWEEN -30 AND 0 THEN o.open_micros ELSE 0 END) AS due_30,
         SUM(CASE WHEN o.days_past_due BETWEEN -90 AND 0 THEN o.open_micros ELSE 0 END) AS due_90
  FROM v_open_payables o
  GROUP BY o.supplier_id
), billed AS (
  SELECT i.po_id, SUM(i.amount_micros) AS amount_micros
  FROM fact_supplier_invoices i CROSS JOIN clock c
  WHERE i.issue_day <= c.as_of_day
  GROUP BY i.po_id
), remaining AS (
  SELECT p.supplier_id, p.order_value_micros - COALESCE(b.amount_micros, 0) AS remaining_micros
  FROM fact_purchase_orders p
  CROSS JOIN clock c
  LEFT JOIN billed b ON b.po_id = p.po_id
  WHERE p.order_day <= c.as_of_day
), ordered AS (
  SELECT supplier_id, SUM(remaining_micros) AS ordered_not_invoiced
  FROM remaining WHERE remaining_micros > 0 GROUP BY supplier_id
), suppliers AS (
  SELECT supplier_id FROM invoiced UNION SELECT supplier_id FROM ordered
)
SELECT s.supplier_id, c.as_of_day,
       COALESCE(i.due_7, 0) AS due_7_micros, COALESCE(i.due_30, 0) AS due_30_micros,
       COALESCE(i.due_90, 0) AS due_90_micros, COALESCE(i.overdue, 0) AS overdue_micros,
       COALESCE(o.ordered_not_invoiced, 0) AS ordered_not_invoiced_micros,
       COALESCE(i.invoiced_not_paid, 0) AS invoiced_not_paid_micros,
       COALESCE(o.ordered_not_invoiced, 0) + COALESCE(i.invoiced_not_paid, 0)
         AS open_commitments_micros
FROM suppliers s
CROSS JOIN clock c
LEFT JOIN invoiced i ON i.supplier_id = s.supplier_id
LEFT JOIN ordered o ON o.supplier_id = s.supplier_id
ORDER BY s.supplier_id
