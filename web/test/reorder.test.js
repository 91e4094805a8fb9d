import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reorderRows, formatLeadTime, formatUnits, formatDemand, formatSupplyDays, reorderSummary, formatServiceLevel, parseServiceLevel } from '../src/lib/reorder.js';

const answer = {
  as_of: '2026-11-29',
  window_days: 28,
  service_level: 0.95,
  lead_time_days: 7,
  reorder_now: 1,
  products: [
    { store_id: 1, prod_id: 4, prod_name: 'Whole Milk 1L', on_hand: 62, lead_time_days: 12, lead_time_supplier: 'S002', demand_days: 28, demand_mean: 10.0, demand_stddev: 2.1, z: 1.6449, safety_stock: 9.1, reorder_point: 79.1, eoq: 854.4, days_of_supply: 6.2, stockout_day: '2026-12-05', reorder_now: true },
    { store_id: 1, prod_id: 9, prod_name: '<img src=x>', on_hand: 500, lead_time_days: 7, lead_time_supplier: '', demand_days: 3, demand_mean: 0, demand_stddev: 0, z: 1.6449, safety_stock: 0, reorder_point: 0, eoq: null, days_of_supply: null, stockout_day: null, reorder_now: false },
    { store_id: 2, prod_id: 7, on_hand: 40, demand_mean: 1, demand_stddev: 0.5, reorder_point: 8.2, eoq: 12, days_of_supply: 40, stockout_day: '2027-01-08', reorder_now: 'yes' },
  ],
};

test('reorderRows: the API order kept as rank, nulls kept, reorder_now only when true', () => {
  const rows = reorderRows(answer);
  assert.deepEqual(rows.map((r) => r.rank), [1, 2, 3]);
  assert.deepEqual(rows.map((r) => r.key), ['1:4', '1:9', '2:7']);
  assert.deepEqual(rows.map((r) => r.reorder_now), [true, false, false]);
  assert.equal(rows[0].reorder_point, 79.1);
  assert.equal(rows[1].eoq, null);
  assert.equal(rows[1].days_of_supply, null);
  assert.equal(rows[1].stockout_day, null);
  assert.equal(rows[1].prod_name, '<img src=x>'); // escaped by the view, kept as text here
  assert.equal(rows[2].prod_name, '#7');
  assert.equal(rows[2].demand_days, null);
  assert.deepEqual(rows.map((r) => [r.lead_time_days, r.lead_time_supplier]), [[12, 'S002'], [7, ''], [null, '']]);
  assert.deepEqual(reorderRows({}), []);
  assert.deepEqual(reorderRows(null), []);
});

test('reorder formatting: units, demand ± sd, days of supply', () => {
  assert.equal(formatUnits(79.1), '79.1');
  assert.equal(formatUnits(861), '861');
  assert.equal(formatUnits(5381.87), '5,382');
  assert.equal(formatUnits(0), '0');
  assert.equal(formatUnits(null), '—');
  assert.equal(formatDemand(10, 2.14), '10.0 ± 2.1');
  assert.equal(formatDemand(123, 0), '123.0 ± 0.0');
  assert.equal(formatDemand(5, null), '5.0');
  assert.equal(formatDemand(null, 1), '—');
  assert.equal(formatSupplyDays(3.95935), '4.0');
  assert.equal(formatSupplyDays(null), '—');
  assert.equal(formatLeadTime(12, 'S002'), '12 d · S002');
  assert.equal(formatLeadTime(7, ''), '7 d · default');
  assert.equal(formatLeadTime(2.5, ''), '2.5 d · default');
  assert.equal(formatLeadTime(null, 'S1'), '—');
});

test('reorderSummary and formatServiceLevel', () => {
  assert.equal(reorderSummary(answer, 3), '1 to reorder now (3 listed) · demand over up to 28 days · 95 % service level · 7-day lead time where no supplier is known');
  assert.equal(reorderSummary({}), '0 to reorder now');
  assert.equal(formatServiceLevel(0.999), '99.9 %');
  assert.equal(formatServiceLevel(0.5), '50 %');
  assert.equal(formatServiceLevel(undefined), '—');
});

test('parseServiceLevel: ratio or percentage, exact text, 0.5 to 0.999', () => {
  assert.deepEqual(parseServiceLevel('0.95'), { value: '0.95', number: 0.95 });
  assert.deepEqual(parseServiceLevel(' .9 '), { value: '0.9', number: 0.9 });
  assert.deepEqual(parseServiceLevel('0.9990'), { value: '0.999', number: 0.999 });
  assert.deepEqual(parseServiceLevel('0.5'), { value: '0.5', number: 0.5 });
  assert.deepEqual(parseServiceLevel('95 %'), { value: '0.95', number: 0.95 });
  assert.deepEqual(parseServiceLevel('99.9%'), { value: '0.999', number: 0.999 });
  assert.deepEqual(parseServiceLevel('50%'), { value: '0.5', number: 0.5 });
  assert.deepEqual(parseServiceLevel(''), { empty: true });
  for (const bad of ['0.4999', '0.9995', '1', '1.0', '95', '0.95.1', '-0.9', 'abc', '100%', '49.9 %', '0.12345', '5%']) {
    assert.ok(parseServiceLevel(bad).error, `refused: ${bad}`);
  }
});
