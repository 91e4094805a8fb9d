-- Reorder gold (docs/WAREHOUSE.md "Reorder gold"): per product x store, the integer inputs of
-- its reorder recommendation as /api/v1/reorder computes it by default, upserted from the
-- engine (sinks/reorder_gold.cpp) and computed from silver by sql/gold/reorder_demand.sql;
-- `ledgerflow verify` compares them. The derived figures are the view below.

-- The [reorder] config the engine derives with (one row, id = 1), in fixed point: service level
-- and holding rate in ppm, z = inverse normal CDF at the service level in 1e-9, the default
-- lead time in thousandths of a day.
CREATE TABLE reorder_parameters (
  id BIGINT PRIMARY KEY,
  window_days BIGINT NOT NULL,
  service_level_ppm BIGINT NOT NULL,
  z_nano BIGINT NOT NULL,
  lead_time_mdays BIGINT NOT NULL,
  order_cost_micros BIGINT NOT NULL,
  holding_rate_ppm BIGINT NOT NULL
);

-- Demand over the window_days days ending on the as-of day (the UTC day of the newest sale or
-- shipment event time), from the product's first sale day at the earliest, days without sales
-- counted as 0: demand_days days, units sold in them, the sum over those days of the day's
-- units squared. Only rows that sold by the as-of day. on_hand: units left, 0 when negative.
-- supplier_lead_time_days: the lead time of the supplier of the product's latest purchase
-- order (FinanceLedger::product_lead_times; purchase orders name the product by its prod_id in
-- decimal), -1 when none is known and the config's applies.
CREATE TABLE reorder_demand (
  store_id BIGINT NOT NULL,
  prod_id BIGINT NOT NULL,
  as_of_day BIGINT NOT NULL,
  demand_days BIGINT NOT NULL,
  units BIGINT NOT NULL,
  units_squared BIGINT NOT NULL,
  on_hand BIGINT NOT NULL,
  supplier_lead_time_days BIGINT NOT NULL,
  PRIMARY KEY (store_id, prod_id)
);

-- The recommendation (finance/reorder.h): mean and sample standard deviation of daily demand,
-- lead time, safety stock = z x sigma x sqrt(lead time), reorder point = mean x lead time +
-- safety stock, EOQ = sqrt(2 x mean x 365 x S / H) with H = cost price x holding rate (NULL when
-- H = 0), days of supply = on hand / mean and the projected stock-out day (NULL when mean = 0),
-- reorder_now = on hand <= reorder point. The variance is exact integer arithmetic over the
-- integer sums: (n x sum(x^2) - sum(x)^2) / (n (n - 1)).
CREATE VIEW v_reorder_recommendations AS
WITH base AS (
  SELECT d.*, p.z_nano / 1e9 AS z,
         CASE WHEN d.supplier_lead_time_days >= 0 THEN d.supplier_lead_time_days * 1.0
              ELSE p.lead_time_mdays / 1e3 END AS lead_time_days,
         d.units * 1.0 / d.demand_days AS demand_mean,
         CASE WHEN d.demand_days > 1
              THEN sqrt((d.demand_days * d.units_squared - d.units * d.units) * 1.0
                        / (d.demand_days * (d.demand_days - 1)))
              ELSE 0 END AS demand_stddev,
         p.order_cost_micros,
         FLOOR(COALESCE(i.cost_price_micros, 0) * (p.holding_rate_ppm / 1e6) + 0.5)
           AS holding_micros
  FROM reorder_demand d
  CROSS JOIN reorder_parameters p
  LEFT JOIN inventory_levels i ON i.store_id = d.store_id AND i.prod_id = d.prod_id
  WHERE p.id = 1
), figures AS (
  SELECT b.*, b.z * b.demand_stddev * sqrt(b.lead_time_days) AS safety_stock
  FROM base b
)
SELECT store_id, prod_id, as_of_day, on_hand, demand_days, demand_mean, demand_stddev, z,
       lead_time_days, safety_stock,
       demand_mean * lead_time_days + safety_stock AS reorder_point,
       CASE WHEN holding_micros > 0
            THEN sqrt(2 * demand_mean * 365 * order_cost_micros / holding_micros) END AS eoq,
       CASE WHEN demand_mean > 0 THEN on_hand / demand_mean END AS days_of_supply,
       CASE WHEN demand_mean > 0 THEN as_of_day + FLOOR(on_hand / demand_mean) END
         AS stockout_day,
       CASE WHEN on_hand <= demand_mean * lead_time_days + safety_stock THEN 1 ELSE 0 END
         AS reorder_now
FROM figures;
