-- finance_early_payments from silver: the open invoices as of the ledger's clock
-- (v_open_payables) whose terms (v_supplier_invoices) carry a discount still open on that day.
-- The discount is on the open amount, rounded half up (as v_supplier_invoices does it on the
-- whole amount); returns and rank as the table's comment in sql/migrations/008 says. The rank
-- compares simple returns as fractions by cross-multiplying, so no rounding can reorder them.
-- open_micros is a SUM on PostgreSQL (numeric there): cast back to BIGINT for the integer
-- arithmetic.
WITH open_terms AS (
  SELECT o.invoice_id, o.supplier_id, o.as_of_day, CAST(o.open_micros AS BIGINT) AS amount_micros,
         i.discount_deadline_day, i.issue_day + i.net_days AS due_day,
         i.net_days - i.discount_days AS days_gained, i.discount_ppm
  FROM v_open_payables o
  JOIN v_supplier_invoices i ON i.invoice_id = o.invoice_id
  WHERE i.discount_ppm > 0 AND o.as_of_day <= i.discount_deadline_day
), opportunities AS (
  SELECT t.*,
         (t.amount_micros / 1000000) * t.discount_ppm
           + ((t.amount_micros % 1000000) * t.discount_ppm + 500000) / 1000000 AS discount_micros,
         t.discount_ppm * 365 AS simple_return_num,
         (1000000 - t.discount_ppm) * t.days_gained AS simple_return_den
  FROM open_terms t
)
SELECT a.invoice_id, a.supplier_id, a.as_of_day, a.amount_micros, a.discount_micros,
       a.amount_micros - a.discount_micros AS pay_now_micros, a.discount_deadline_day,
       a.due_day, a.days_gained, a.discount_ppm, a.simple_return_num, a.simple_return_den,
       (2 * a.simple_return_num * 1000000 + a.simple_return_den) / (2 * a.simple_return_den)
         AS simple_return_ppm,
       CAST(FLOOR((EXP(LN(1000000.0 / (1000000 - a.discount_ppm)) * 365.0 / a.days_gained) - 1)
                  * 1000000 + 0.5) AS BIGINT) AS compound_return_ppm,
       1 + (SELECT COUNT(*) FROM opportunities b
            WHERE b.simple_return_num * a.simple_return_den
                    > a.simple_return_num * b.simple_return_den
               OR (b.simple_return_num * a.simple_return_den
                     = a.simple_return_num * b.simple_return_den
                   AND b.discount_micros > a.discount_micros)) AS return_rank
FROM opportunities a
ORDER BY a.invoice_id
