import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createState, applyFrame, mergeInventory, mergeSales, prependBounded, combineChanges,
  storeRows, salesSeries, seriesTotals, invKey, MINUTE_MS,
} from '../src/lib/state.js';

function row(store, prod, unitLeft, extra = {}) {
  return { store_id: store, prod_id: prod, prod_name: `P${prod}`, unit_left: unitLeft, reorder_point: 100, below_reorder: unitLeft <= 100, total_sold: 0, revenue: 0, ...extra };
}
function win(start, units, revenue, version = 1, extra = {}) {
  return { window_start_ms: start, window_end_ms: start + MINUTE_MS, window_start: new Date(start).toISOString(), units, revenue, sale_lines: units, shipments: 0, units_received: 0, final: false, version, late_updates: 0, ...extra };
}
function frame(seq, parts = {}) {
  return { seq, server_time_ms: 1_000_000 + seq * 500, pipeline: { events_per_s: seq, watermark_lag_ms: 100, queue_depths: { ingest: 1, shards: [2, 3] }, max_event_time: null }, kpis: { revenue_today: seq }, inventory: [], sales: [], shipments: [], dead_letters: [], ...parts };
}

test('inventory rows are keyed by store and product', () => {
  const s = createState();
  const changed = mergeInventory(s, [row(1, 4, 10), row(2, 4, 20), row(1, 5, 30)]);
  assert.deepEqual(changed, ['1:4', '2:4', '1:5']);
  assert.equal(s.inventory.size, 3);
  assert.equal(s.inventory.get(invKey(2, 4)).unit_left, 20);
  assert.deepEqual(storeRows(s, 1).map((r) => r.prod_id).sort(), [4, 5]);
  assert.deepEqual(storeRows(s, 9), []);
});

test('a delta frame changes only the rows it carries', () => {
  const s = createState();
  applyFrame(s, frame(1, { inventory: [row(1, 1, 500), row(1, 2, 400), row(2, 1, 300)] }));
  const before2 = s.inventory.get('1:2');
  const c = applyFrame(s, frame(2, { inventory: [row(1, 1, 490)] }));
  assert.equal(c.reset, false);
  assert.deepEqual(c.inventory, ['1:1']);
  assert.equal(s.inventory.get('1:1').unit_left, 490);
  assert.equal(s.inventory.get('1:2'), before2); // untouched, same object
  assert.equal(s.inventory.size, 3);
  assert.equal(s.byStore.get(1).get(1).unit_left, 490);
});

test('seq 1 (a new connection) replaces everything', () => {
  const s = createState();
  applyFrame(s, frame(1, { inventory: [row(1, 1, 500), row(1, 2, 400)], shipments: [{ offset: 3, units: 5 }], sales: [win(0, 1, 1)] }));
  applyFrame(s, frame(2, { inventory: [row(1, 3, 100)] }));
  const c = applyFrame(s, frame(1, { inventory: [row(1, 1, 480)] }));
  assert.equal(c.reset, true);
  assert.deepEqual([...s.inventory.keys()], ['1:1']);
  assert.equal(s.shipments.length, 0);
  assert.equal(s.sales.size, 0);
  assert.equal(s.kpis.revenue_today, 1);
  // The client-side pipeline history survives a reconnect.
  assert.equal(s.history.length, 3);
});

test('a lower seq than seen means the server restarted: reset', () => {
  const s = createState();
  applyFrame(s, frame(1, { inventory: [row(1, 1, 5)] }));
  applyFrame(s, frame(7, { inventory: [row(1, 2, 5)] }));
  assert.equal(applyFrame(s, frame(3, { inventory: [row(1, 3, 5)] })).reset, true);
  assert.deepEqual([...s.inventory.keys()], ['1:3']);
});

test('merge cost is proportional to the frame, not the state', () => {
  const s = createState();
  const rows = [];
  for (let st = 1; st <= 50; st++) for (let p = 1; p <= 10_000; p++) rows.push(row(st, p, p));
  applyFrame(s, frame(1, { inventory: rows }));
  assert.equal(s.inventory.size, 500_000);
  const t0 = performance.now();
  for (let i = 0; i < 1000; i++) applyFrame(s, frame(2 + i, { inventory: [row(7, 42, i), row(9, 9_999, i)] }));
  const ms = performance.now() - t0;
  assert.equal(s.inventory.get('7:42').unit_left, 999);
  assert.ok(ms < 250, `1000 small frames over 500k rows took ${ms.toFixed(1)} ms`);
});

test('sales windows upsert by start time, newer versions win, old windows are pruned', () => {
  const s = createState({ salesKeepMs: 10 * MINUTE_MS });
  const t = 100 * MINUTE_MS;
  assert.equal(mergeSales(s, [win(t, 5, 10, 3), win(t + MINUTE_MS, 1, 2, 1)]), 2);
  assert.equal(mergeSales(s, [win(t, 4, 8, 2)]), 0); // stale version ignored
  assert.equal(s.sales.get(t).units, 5);
  assert.equal(mergeSales(s, [win(t, 7, 14, 4, { late_updates: 1 })]), 1);
  assert.equal(s.sales.get(t).units, 7);
  mergeSales(s, [win(t + 20 * MINUTE_MS, 1, 1)]);
  assert.equal(s.sales.has(t), false);
  assert.equal(s.sales.has(t + 20 * MINUTE_MS), true);
});

test('the sales series covers the last hour ending at the newest event, gaps filled', () => {
  const s = createState();
  const t0 = Date.UTC(2024, 4, 1, 12, 0, 0);
  applyFrame(s, frame(1, { sales: [win(t0, 2, 5.5), win(t0 + 2 * MINUTE_MS, 3, 6.25)] }));
  s.pipeline.max_event_time = new Date(t0 + 3 * MINUTE_MS + 1234).toISOString();
  const series = salesSeries(s, 60);
  assert.equal(series.length, 60);
  assert.equal(series[59].window_start_ms, t0 + 3 * MINUTE_MS);
  assert.equal(series[59].units, 0);
  assert.equal(series[58].units, 3);
  assert.equal(series[57].units, 0);
  assert.equal(series[56].units, 2);
  for (let i = 1; i < 60; i++) assert.equal(series[i].window_start_ms - series[i - 1].window_start_ms, MINUTE_MS);
  assert.deepEqual(seriesTotals(series).units, 5);
  assert.equal(seriesTotals(series).revenue, 11.75);
  assert.equal(seriesTotals(series).peak.units, 3);
  assert.deepEqual(salesSeries(createState(), 60), []);
});

test('revenue totals are exact to the cent', () => {
  const series = Array.from({ length: 60 }, (_, i) => win(i * MINUTE_MS, 1, 0.1));
  assert.equal(seriesTotals(series).revenue, 6);
});

test('shipments and dead letters: newest first, bounded, no duplicates', () => {
  let list = prependBounded([], [{ offset: 1 }, { offset: 2 }, { offset: 3 }], 4);
  assert.deepEqual(list.map((x) => x.offset), [3, 2, 1]);
  list = prependBounded(list, [{ offset: 3 }, { offset: 4 }, { offset: 5 }], 4);
  assert.deepEqual(list.map((x) => x.offset), [5, 4, 3, 2]);
  assert.equal(prependBounded(list, [], 4), list);
  const s = createState({ maxDeadLetters: 2 });
  applyFrame(s, frame(1, { dead_letters: [{ offset: 10 }, { offset: 11 }, { offset: 12 }] }));
  assert.deepEqual(s.deadLetters.map((d) => d.offset), [12, 11]);
});

test('pipeline history is bounded', () => {
  const s = createState({ historySize: 5 });
  for (let i = 1; i <= 12; i++) applyFrame(s, frame(i));
  assert.equal(s.history.length, 5);
  assert.equal(s.history[4].eventsPerS, 12);
  assert.equal(s.history[4].shards, 5);
  assert.equal(s.history[4].ingest, 1);
});

test('changes between redraws combine', () => {
  const a = { reset: false, inventory: ['1:1'], sales: 1, shipments: 0, deadLetters: 0, kpis: true, pipeline: true };
  const b = { reset: true, inventory: ['1:2'], sales: 0, shipments: 2, deadLetters: 1, kpis: false, pipeline: false };
  assert.equal(combineChanges(null, b), b);
  assert.deepEqual(combineChanges(a, b), { reset: true, inventory: ['1:1', '1:2'], sales: 1, shipments: 2, deadLetters: 1, kpis: true, pipeline: true });
});

test('switching store forgets that store-specific data only', async () => {
  const { resetStoreData } = await import('../src/lib/state.js');
  const s = createState();
  applyFrame(s, frame(1, { inventory: [row(1, 1, 5)], shipments: [{ offset: 1 }], sales: [win(0, 1, 1)], dead_letters: [{ offset: 2 }] }));
  resetStoreData(s);
  assert.equal(s.inventory.size, 0);
  assert.equal(s.byStore.size, 0);
  assert.equal(s.shipments.length, 0);
  assert.equal(s.sales.size, 1);
  assert.equal(s.deadLetters.length, 1);
});
