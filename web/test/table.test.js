import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterRows, sortRows, paginate, nextSort, compareValues } from '../src/lib/table.js';

const rows = [
  { prod_id: 10, prod_name: 'Whole Milk 1L', unit_left: 40, last: '2024-05-01T10:00:00Z' },
  { prod_id: 2, prod_name: 'Cola 330ml Can', unit_left: 400, last: null },
  { prod_id: 3, prod_name: 'Orange Juice 1L', unit_left: 40, last: '2024-05-01T09:00:00Z' },
  { prod_id: 1, prod_name: 'Bottled Water 500ml', unit_left: -5, last: '2024-05-01T11:00:00Z' },
];

test('search is case-insensitive, matches any field, all words must match', () => {
  assert.deepEqual(filterRows(rows, 'milk', ['prod_name']).map((r) => r.prod_id), [10]);
  assert.deepEqual(filterRows(rows, '1l', ['prod_name']).map((r) => r.prod_id), [10, 3]);
  assert.deepEqual(filterRows(rows, 'juice 1l', ['prod_name']).map((r) => r.prod_id), [3]);
  assert.deepEqual(filterRows(rows, '10', ['prod_name', 'prod_id']).map((r) => r.prod_id), [10]);
  assert.deepEqual(filterRows(rows, 'x', [(r) => (r.unit_left < 0 ? 'oversold x' : '')]).map((r) => r.prod_id), [1]);
  assert.equal(filterRows(rows, '   ', ['prod_name']), rows);
  assert.deepEqual(filterRows(rows, 'nothing', ['prod_name']), []);
});

test('sorting: numbers numerically, strings naturally, ties stable or by tie key', () => {
  assert.deepEqual(sortRows(rows, 'unit_left', 'asc').map((r) => r.prod_id), [1, 10, 3, 2]);
  assert.deepEqual(sortRows(rows, 'unit_left', 'desc').map((r) => r.prod_id), [2, 10, 3, 1]);
  assert.deepEqual(sortRows(rows, 'unit_left', 'asc', 'prod_id').map((r) => r.prod_id), [1, 3, 10, 2]);
  assert.deepEqual(sortRows(rows, 'prod_name', 'asc').map((r) => r.prod_id), [1, 2, 3, 10]);
  assert.deepEqual(sortRows(rows, (r) => r.prod_id, 'asc').map((r) => r.prod_id), [1, 2, 3, 10]);
  const named = [{ n: 'Item 10' }, { n: 'item 2' }, { n: 'Item 1' }];
  assert.deepEqual(sortRows(named, 'n').map((r) => r.n), ['Item 1', 'item 2', 'Item 10']);
});

test('missing values sort last in both directions', () => {
  assert.equal(sortRows(rows, 'last', 'asc').at(-1).prod_id, 2);
  assert.equal(sortRows(rows, 'last', 'desc').at(-1).prod_id, 2);
  assert.equal(compareValues(null, 1), 1);
  assert.equal(compareValues(1, undefined), -1);
  assert.equal(compareValues(false, true), -1);
});

test('sorting does not modify its input', () => {
  const copy = rows.slice();
  sortRows(rows, 'unit_left', 'desc');
  assert.deepEqual(rows, copy);
});

test('pagination clamps the page and reports the range', () => {
  const data = Array.from({ length: 53 }, (_, i) => i);
  assert.deepEqual(paginate(data, 1, 25), { rows: data.slice(0, 25), page: 1, pages: 3, total: 53, start: 0 });
  assert.deepEqual(paginate(data, 3, 25).rows, [50, 51, 52]);
  assert.equal(paginate(data, 99, 25).page, 3);
  assert.equal(paginate(data, -1, 25).page, 1);
  assert.deepEqual(paginate([], 1, 25), { rows: [], page: 1, pages: 1, total: 0, start: 0 });
});

test('activating a column header toggles direction', () => {
  assert.deepEqual(nextSort(null, 'a'), { key: 'a', dir: 'asc' });
  assert.deepEqual(nextSort({ key: 'a', dir: 'asc' }, 'a'), { key: 'a', dir: 'desc' });
  assert.deepEqual(nextSort({ key: 'a', dir: 'desc' }, 'a'), { key: 'a', dir: 'asc' });
  assert.deepEqual(nextSort({ key: 'a', dir: 'desc' }, 'b', 'desc'), { key: 'b', dir: 'desc' });
});

test('search + sort + page over 10,000 rows is fast', () => {
  const big = Array.from({ length: 10_000 }, (_, i) => ({ prod_id: i + 1, prod_name: `Product ${i + 1}`, unit_left: (i * 7919) % 1000 }));
  const t0 = performance.now();
  const page = paginate(sortRows(filterRows(big, 'product 1', ['prod_name']), 'unit_left', 'asc', 'prod_id'), 1, 25);
  assert.equal(page.rows.length, 25);
  assert.ok(performance.now() - t0 < 300);
});
