-- Finance gold (docs/WAREHOUSE.md "Finance gold"): payables aging, payment delay and cash
-- required by supplier, upserted from the engine's finance ledger (sinks/finance_gold.cpp) and
-- computed from silver by sql/gold/finance_*.sql; `ledgerflow verify` compares them. Every
-- figure is as of the ledger's clock (v_finance_clock), as the API's default as-of day.

-- When each invoice was settled (analytics/finance_ledger.cpp settled_day): its payments in
-- (paid day, id) order, the first whose running total reaches the amount, or the amount less
-- the discount when paid by the discount deadline. Payments are positive, so the running total
-- at the end of a day reaches the day's threshold exactly when some payment of that day does:
-- summing per day needs no order among a day's payments (and so no collation of their ids).
CREATE VIEW v_invoice_settlement AS
WITH paid AS (
  SELECT invoice_id, paid_day,
         SUM(SUM(amount_micros)) OVER (PARTITION BY invoice_id ORDER BY paid_day) AS paid_through
  FROM fact_payments
  GROUP BY invoice_id, paid_day
)
SELECT i.invoice_id, i.supplier_id, i.due_day, MIN(p.paid_day) AS settled_day
FROM v_supplier_invoices i
JOIN paid p ON p.invoice_id = i.invoice_id
WHERE p.paid_through >= i.amount_micros
        - CASE WHEN i.discount_ppm > 0 AND p.paid_day <= i.discount_deadline_day
               THEN i.discount_micros ELSE 0 END
GROUP BY i.invoice_id, i.supplier_id, i.due_day;

-- Open invoices as of the clock (finance_ledger.cpp open_amount): issued by then, not settled
-- by then, amount less the payments made by then, when above 0.
CREATE VIEW v_open_payables AS
WITH clock AS (SELECT as_of_day FROM v_finance_clock), items AS (
  SELECT i.invoice_id, i.supplier_id, i.due_day, c.as_of_day,
         i.amount_micros - COALESCE((SELECT SUM(p.amount_micros) FROM fact_payments p
                                     WHERE p.invoice_id = i.invoice_id
                                       AND p.paid_day <= c.as_of_day), 0) AS open_micros
  FROM v_supplier_invoices i
  CROSS JOIN clock c
  LEFT JOIN v_invoice_settlement s ON s.invoice_id = i.invoice_id
  WHERE i.issue_day <= c.as_of_day AND (s.settled_day IS NULL OR s.settled_day > c.as_of_day)
)
SELECT invoice_id, supplier_id, due_day, as_of_day, open_micros,
       as_of_day - due_day AS days_past_due
FROM items
WHERE open_micros > 0;

-- Per supplier with an open invoice: open amount and count by days past due (current: not yet
-- due or due today; 90+: 91 days or more), the total and the number of open invoices.
CREATE TABLE finance_payables_aging (
  supplier_id TEXT PRIMARY KEY,
  as_of_day BIGINT NOT NULL,
  current_micros BIGINT NOT NULL,
  current_count BIGINT NOT NULL,
  past_due_1_30_micros BIGINT NOT NULL,
  past_due_1_30_count BIGINT NOT NULL,
  past_due_31_60_micros BIGINT NOT NULL,
  past_due_31_60_count BIGINT NOT NULL,
  past_due_61_90_micros BIGINT NOT NULL,
  past_due_61_90_count BIGINT NOT NULL,
  past_due_over_90_micros BIGINT NOT NULL,
  past_due_over_90_count BIGINT NOT NULL,
  total_micros BIGINT NOT NULL,
  open_invoices BIGINT NOT NULL
);

-- Open customer invoices as of the ledger's clock: amount less the customer's payments dated up
-- to it (never below zero; no discounts on receivables), issued by then.
CREATE VIEW v_open_receivables AS
WITH clock AS (SELECT as_of_day FROM v_finance_clock), items AS (
  SELECT i.invoice_id, i.customer_id, i.due_day, c.as_of_day,
         i.amount_micros - COALESCE((SELECT SUM(p.amount_micros) FROM fact_customer_payments p
                                     WHERE p.invoice_id = i.invoice_id
                                       AND p.paid_day <= c.as_of_day), 0) AS open_micros
  FROM fact_customer_invoices i
  CROSS JOIN clock c
  WHERE i.issue_day <= c.as_of_day
)
SELECT invoice_id, customer_id, due_day, as_of_day, open_micros,
       as_of_day - due_day AS days_past_due
FROM items
WHERE open_micros > 0;

-- Per customer with an open invoice: the same buckets as finance_payables_aging.
CREATE TABLE finance_receivables_aging (
  customer_id TEXT PRIMARY KEY,
  as_of_day BIGINT NOT NULL,
  current_micros BIGINT NOT NULL,
  current_count BIGINT NOT NULL,
  past_due_1_30_micros BIGINT NOT NULL,
  past_due_1_30_count BIGINT NOT NULL,
  past_due_31_60_micros BIGINT NOT NULL,
  past_due_31_60_count BIGINT NOT NULL,
  past_due_61_90_micros BIGINT NOT NULL,
  past_due_61_90_count BIGINT NOT NULL,
  past_due_over_90_micros BIGINT NOT NULL,
  past_due_over_90_count BIGINT NOT NULL,
  total_micros BIGINT NOT NULL,
  open_invoices BIGINT NOT NULL
);

-- Per supplier with a settled invoice: delay = settled day - due day (negative: early).
CREATE TABLE finance_payment_delays (
  supplier_id TEXT PRIMARY KEY,
  settled_invoices BIGINT NOT NULL,
  delay_days_sum BIGINT NOT NULL,
  p90_delay_days BIGINT NOT NULL        -- nearest rank: the ceil(0.9 n)-th smallest delay
);

-- Per supplier with an open invoice or an order not fully invoiced: open amounts due within 7,
-- 30 and 90 days (due day from the clock to clock + N, cumulative), overdue (due before the
-- clock), ordered not invoiced (order value less the invoices on it issued by the clock, when
-- above 0, per order), invoiced not paid (the open amounts) and their sum.
CREATE TABLE finance_cash_required (
  supplier_id TEXT PRIMARY KEY,
  as_of_day BIGINT NOT NULL,
  due_7_micros BIGINT NOT NULL,
  due_30_micros BIGINT NOT NULL,
  due_90_micros BIGINT NOT NULL,
  overdue_micros BIGINT NOT NULL,
  ordered_not_invoiced_micros BIGINT NOT NULL,
  invoiced_not_paid_micros BIGINT NOT NULL,
  open_commitments_micros BIGINT NOT NULL
);

CREATE VIEW v_finance_payment_delays AS
SELECT d.*, ROUND(d.delay_days_sum * 1.0 / d.settled_invoices, 6) AS mean_delay_days
FROM finance_payment_delays d;
