import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topK, bestSellers, chartRows, stockRatio, CHART_ORDERS } from '../src/lib/rank.js';

const rows = [
  { prod_id: 1, total_sold: 50, revenue: 62.5, unit_left: 300, reorder_point: 300 },
  { prod_id: 2, total_sold: 80, revenue: 120.0, unit_left: 90, reorder_point: 250 },
  { prod_id: 3, total_sold: 20, revenue: 69.8, unit_left: 40, reorder_point: 120 },
  { prod_id: 4, total_sold: 80, revenue: 151.2, unit_left: 800, reorder_point: 150 },
  { prod_id: 5, total_sold: 0, revenue: 0, unit_left: 10, reorder_point: 0 },
];

test('topK picks the largest, ties by product id', () => {
  assert.deepEqual(topK(rows, 3, (r) => r.total_sold).map((r) => r.prod_id), [2, 4, 1]);
  assert.deepEqual(topK(rows, 10, (r) => r.total_sold).map((r) => r.prod_id), [2, 4, 1, 3, 5]);
  assert.deepEqual(topK(rows, 0, (r) => r.total_sold), []);
});

test('topK agrees with a full sort on random data', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const data = Array.from({ length: 5000 }, (_, i) => ({ prod_id: i + 1, v: Math.floor(rnd() * 300) }));
  const expect = data.slice().sort((a, b) => b.v - a.v || a.prod_id - b.prod_id).slice(0, 25);
  assert.deepEqual(topK(data, 25, (r) => r.v), expect);
});

test('best sellers by units and by revenue skip unsold products', () => {
  const { byUnits, byRevenue } = bestSellers(rows, 10);
  assert.deepEqual(byUnits.map((r) => r.prod_id), [2, 4, 1, 3]);
  assert.deepEqual(byRevenue.map((r) => r.prod_id), [4, 2, 3, 1]);
});

test('stock ratio: units left per reorder point', () => {
  assert.equal(stockRatio(rows[0]), 1);
  assert.equal(stockRatio(rows[2]), 40 / 120);
  assert.equal(stockRatio(rows[4]), Infinity);
});

test('chart rows: ordered and limited', () => {
  assert.deepEqual(chartRows(rows, { order: 'risk', limit: 3 }).map((r) => r.prod_id), [3, 2, 1]);
  assert.deepEqual(chartRows(rows, { order: 'lowest', limit: 2 }).map((r) => r.prod_id), [5, 3]);
  assert.deepEqual(chartRows(rows, { order: 'highest', limit: 2 }).map((r) => r.prod_id), [4, 1]);
  assert.deepEqual(chartRows(rows, { order: 'product', limit: 9 }).map((r) => r.prod_id), [1, 2, 3, 4, 5]);
  assert.deepEqual(chartRows(rows, { order: 'nonsense', limit: 1 }).map((r) => r.prod_id), [3]);
  assert.ok(Object.values(CHART_ORDERS).every((o) => typeof o.label === 'string'));
  const input = rows.slice();
  chartRows(input, { order: 'lowest' });
  assert.deepEqual(input, rows); // does not reorder its input
});

test('chart rows from a 10,000-product store are quick', () => {
  const big = Array.from({ length: 10_000 }, (_, i) => ({ prod_id: i + 1, unit_left: (i * 7919) % 1000, reorder_point: 100 + (i % 50) }));
  const t0 = performance.now();
  const top = chartRows(big, { order: 'risk', limit: 25 });
  assert.equal(top.length, 25);
  assert.ok(stockRatio(top[0]) <= stockRatio(top[24]));
  assert.ok(performance.now() - t0 < 200);
});

test('selectFirst equals sort-then-slice for every chart order', async () => {
  const { selectFirst } = await import('../src/lib/rank.js');
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const data = Array.from({ length: 3000 }, (_, i) => ({ prod_id: i + 1, unit_left: Math.floor(rnd() * 500) - 20, reorder_point: Math.floor(rnd() * 200) }));
  for (const [name, o] of Object.entries(CHART_ORDERS)) {
    for (const k of [1, 25, 100, 5000]) {
      assert.deepEqual(selectFirst(data, k, o.cmp), data.slice().sort(o.cmp).slice(0, k), `${name} k=${k}`);
    }
  }
});
