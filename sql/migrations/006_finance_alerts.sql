-- The finance ledger's alerts (docs/FINANCE_API.md "alerts"), upserted from the engine
-- (sinks/finance_alerts_gold.cpp): event alerts once each as they arise (they never change, and
-- stay here after the ledger's bounded memory lets them go); standing alerts
-- (round_amount_invoices, benford_deviation) updated while their figures move and deleted
-- when the supplier's amounts come back in line, as in the ledger.
CREATE TABLE finance_alerts (
  seq BIGINT PRIMARY KEY,               -- 1, 2, ... in the order alerts arose
  rule_id TEXT NOT NULL,
  severity TEXT NOT NULL,               -- info, warning, critical
  score_ppm BIGINT NOT NULL,            -- score in [0, 1] x 10^6, rounded
  subject TEXT NOT NULL,                -- supplier or customer id
  day BIGINT NOT NULL,                  -- business day of the record that raised it (day number)
  date_key BIGINT NOT NULL,             -- the same day as yyyymmdd
  log_offset BIGINT NOT NULL,           -- the record that raised it
  evidence_ids TEXT NOT NULL,           -- JSON array of invoice / payment / order ids
  message TEXT NOT NULL,
  standing BIGINT NOT NULL              -- 1: re-judged as invoices come (may change or go)
);

CREATE VIEW v_finance_alerts AS
SELECT a.*, ROUND(a.score_ppm / 1000000.0, 6) AS score FROM finance_alerts a;
