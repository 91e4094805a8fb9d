-- Finance gold, part 2 (docs/WAREHOUSE.md "Finance gold"): early-payment opportunities,
-- upserted from the engine's finance ledger (sinks/finance_gold.cpp) and computed from silver by
-- sql/gold/finance_early_payments.sql; `ledgerflow verify` compares them. As of the ledger's
-- clock (v_finance_clock), as the API's default as-of day.
--
-- verify compares cells as text, so every column is an integer: returns are stored as the exact
-- fraction behind them (numerator, denominator) and in parts per million, the compounded one
-- rounded from a floating-point power (docs/WAREHOUSE.md has why that agrees on both sides).

-- Per invoice whose discount can still be taken on the clock's day (FinanceLedger::
-- early_payment_opportunities, /api/v1/early-payments without the plan): open amount, discount
-- on it (rounded half up), the cash that takes it, the discount deadline and the terms' due day
-- (issue + net days, as the API; a printed due date does not move it), days gained (net -
-- discount days), the discount rate d in ppm, and the annual returns
--   simple   = d / (1 - d) x 365 / days = simple_return_num / simple_return_den
--            = (ppm x 365) / ((10^6 - ppm) x days)
--   compound = (1 / (1 - d)) ^ (365 / days) - 1
-- with return_rank = 1 + the number of opportunities with a larger simple return, or the same
-- and a larger discount (ties share a rank; the API lists them by invoice id).
CREATE TABLE finance_early_payments (
  invoice_id TEXT PRIMARY KEY,
  supplier_id TEXT NOT NULL,
  as_of_day BIGINT NOT NULL,
  amount_micros BIGINT NOT NULL,
  discount_micros BIGINT NOT NULL,
  pay_now_micros BIGINT NOT NULL,
  discount_deadline_day BIGINT NOT NULL,
  due_day BIGINT NOT NULL,
  days_gained BIGINT NOT NULL,
  discount_ppm BIGINT NOT NULL,
  simple_return_num BIGINT NOT NULL,
  simple_return_den BIGINT NOT NULL,
  simple_return_ppm BIGINT NOT NULL,     -- the fraction x 10^6, rounded half up
  compound_return_ppm BIGINT NOT NULL,   -- floor(compound x 10^6 + 0.5)
  return_rank BIGINT NOT NULL
);

-- The returns as ratios, for BI (0.3724 = 37.24 % a year).
CREATE VIEW v_finance_early_payments AS
SELECT e.*,
       CAST(e.simple_return_num AS DOUBLE PRECISION) / e.simple_return_den AS simple_annual_return,
       e.compound_return_ppm / 1000000.0 AS compound_annual_return
FROM finance_early_payments e;

