-- Finance gold, part 2 (docs/WAREHOUSE.md "Finance gold"): working capital and early-payment
-- opportunities, upserted from the engine (sinks/working_capital_gold.cpp, finance_gold.cpp) and
-- computed from silver by sql/gold/finance_working_capital.sql and finance_early_payments.sql;
-- `ledgerflow verify` compares them. As of the ledger's clock (v_finance_clock), as the API's
-- default as-of day.
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

-- The inputs of /api/v1/finance/working-capital over the 30 days ending on the clock (the API's
-- default window; one row, keyed by the window): revenue (customer invoices issued in the
-- window), COGS (units sold per day by event time x catalog cost price, as the engine's daily
-- demand holds them: the 56 days up to each product x store's newest sale day), purchases
-- (supplier invoices issued in the window), the open receivables and payables at the end of
-- each day of the window averaged (rounded down), and the inventory at cost now (the engine
-- keeps no history of inventory: today's value stands in for the average).
CREATE TABLE finance_working_capital (
  window_days BIGINT PRIMARY KEY,
  as_of_day BIGINT NOT NULL,
  revenue_micros BIGINT NOT NULL,
  cogs_micros BIGINT NOT NULL,
  purchases_micros BIGINT NOT NULL,
  average_receivables_micros BIGINT NOT NULL,
  average_inventory_micros BIGINT NOT NULL,
  average_payables_micros BIGINT NOT NULL
);

-- The days, as the API computes them from those integers, in doubles and in the same order
-- (finance/working_capital.cpp), NULL where the flow is not positive:
-- DSO = receivables / revenue x days, DIO = inventory / COGS x days, DPO on purchases (the API's
-- default basis) or on COGS, CCC = DIO + DSO - DPO on either basis.
CREATE VIEW v_finance_working_capital AS
WITH d AS (
  SELECT w.*,
         CASE WHEN revenue_micros > 0
              THEN CAST(average_receivables_micros AS DOUBLE PRECISION) / revenue_micros
                   * window_days END AS dso,
         CASE WHEN cogs_micros > 0
              THEN CAST(average_inventory_micros AS DOUBLE PRECISION) / cogs_micros
                   * window_days END AS dio,
         CASE WHEN purchases_micros > 0
              THEN CAST(average_payables_micros AS DOUBLE PRECISION) / purchases_micros
                   * window_days END AS dpo_purchases,
         CASE WHEN cogs_micros > 0
              THEN CAST(average_payables_micros AS DOUBLE PRECISION) / cogs_micros
                   * window_days END AS dpo_cogs
  FROM finance_working_capital w
)
SELECT d.*, dio + dso - dpo_purchases AS ccc_purchases, dio + dso - dpo_cogs AS ccc_cogs
FROM d;
