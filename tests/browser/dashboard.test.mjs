// Browser test of the live dashboard: Debian's chromium driven by playwright-core against a real
// `ledgerflow demo` (fixed seed). Run by ctest (label "browser"); needs:
//   LEDGERFLOW_BINARY          path to the ledgerflow binary
//   LEDGERFLOW_SCREENSHOT_DIR  where screenshots go (created if missing)
//   CHROMIUM_PATH              optional, default /usr/bin/chromium
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const BINARY = process.env.LEDGERFLOW_BINARY;
const SHOTS = process.env.LEDGERFLOW_SCREENSHOT_DIR || path.join(tmpdir(), 'ledgerflow-screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SEED = '7';
const RATE = '40'; // events per second: enough to see figures move, slow enough to compare
const TEST_STORE = 99; // the generator writes stores 1-3 only; this store changes only by our posts

if (!BINARY) throw new Error('set LEDGERFLOW_BINARY to the ledgerflow binary');
mkdirSync(SHOTS, { recursive: true });

const dataDir = mkdtempSync(path.join(tmpdir(), 'ledgerflow-browser-'));
let engine = null; // { proc, port, base }
const spawned = new Set(); // every engine process still running, stopped in after()
let browser = null;
let page = null;
const consoleProblems = []; // { at, type, text }
let restartWindow = null; // [from, to] ms: network errors are expected while the engine is down

// ---- engine process ---------------------------------------------------------------------------

function startEngine(port = 0) {
  return new Promise((resolve, reject) => {
    // No finance feed: the finance test posts a generated finance data set itself, so that its
    // figures hold still once loaded and the page can be compared with the API exactly.
    const proc = spawn(BINARY, ['demo', '--port', String(port), '--data-dir', dataDir, '--seed', SEED, '--rate', RATE, '--stores', '3', '--finance-rate', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`engine did not start in time: ${stderr}`));
    }, 15_000);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`engine exited with ${code} before listening: ${stderr}`));
    });
    spawned.add(proc);
    proc.once('exit', () => spawned.delete(proc));
    // Log lines (recovery, ...) may come first; the machine-readable line names the port.
    const lines = createInterface({ input: proc.stdout });
    let found = false;
    lines.on('line', (line) => {
      const m = !found && line.match(/^listening on (http:\/\/[\d.]+:(\d+)\/)$/);
      if (!m) return;
      found = true;
      clearTimeout(timer);
      proc.removeAllListeners('exit');
      proc.once('exit', () => spawned.delete(proc));
      resolve({ proc, port: Number(m[2]), base: m[1] });
    });
  });
}

function stopEngine(e, signal = 'SIGTERM') {
  return new Promise((resolve) => {
    if (!e || e.proc.exitCode !== null) return resolve(e?.proc.exitCode);
    const force = setTimeout(() => e.proc.kill('SIGKILL'), 15_000);
    e.proc.once('exit', (code, sig) => {
      clearTimeout(force);
      resolve(code ?? sig);
    });
    e.proc.kill(signal);
  });
}

async function api(p) {
  const res = await fetch(new URL(p, engine.base));
  assert.equal(res.status, 200, `GET ${p}`);
  return res.json();
}

async function post(lines) {
  const res = await fetch(new URL('/api/v1/events', engine.base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-ndjson' },
    body: lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n',
  });
  assert.ok(res.status === 202 || res.status === 200, `POST events: ${res.status}`);
  return res.json();
}

async function waitFor(fn, { timeout = 5000, interval = 100, message = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${message}: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

function dt(offsetMs = 0) {
  return new Date(Date.now() + offsetMs).toISOString().replace('T', ' ').replace('Z', '');
}

// Known stock for store 99: a shipment per product, then sales, so some products end at or
// below their reorder point. Returns the expected units left per product.
async function seedTestStore() {
  const catalog = await api('/api/v1/catalog');
  const products = catalog.slice(0, 8);
  const expected = new Map();
  const lines = [];
  products.forEach((p, i) => {
    // Even positions end 10 units below their reorder point, odd ones above it.
    const received = p.reorder_point + 50 + 10 * i;
    const soldUnits = i % 2 === 0 ? 60 + 10 * i : 20;
    lines.push({ type: 'inventory_shipment', id: randomUUID(), prod_id: p.id, unit_received: received, dt: dt(-2000), store_id: TEST_STORE });
    lines.push({ type: 'sale_transaction', id: randomUUID(), prod_id: p.id, prod_name: p.item_name, unit_sold: soldUnits, reorder_point: p.reorder_point, regular_unit_price: p.price, dt: dt(-1000), store_id: TEST_STORE });
    expected.set(p.id, { unit_left: received - soldUnits, reorder_point: p.reorder_point });
  });
  const ack = await post(lines);
  assert.equal(ack.accepted, lines.length, JSON.stringify(ack));
  await waitFor(async () => (await api(`/api/v1/inventory?store=${TEST_STORE}`)).length === products.length, { message: 'store 99 rows' });
  return expected;
}

// ---- page helpers -------------------------------------------------------------------------------

// The viewport as a user first sees it, and (full) the whole scrolled page.
async function shot(name, p = page, { full = false } = {}) {
  await p.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  if (full) await p.screenshot({ path: path.join(SHOTS, `${name}-full.png`), fullPage: true });
}

async function gotoView(id) {
  await page.evaluate((v) => (location.hash = `#/${v}`), id);
  await page.waitForSelector(`#view[data-view="${id}"]`);
}

async function liveState(p = page) {
  return p.getAttribute('#live-status', 'data-state');
}

async function chartBars() {
  const raw = await page.getAttribute('#inventory-chart', 'data-bars');
  return raw ? JSON.parse(raw) : [];
}

async function selectStore(id) {
  await waitFor(async () => (await page.$$eval('#store-select option', (os) => os.map((o) => o.value))).includes(String(id)), { message: `store ${id} in the selector` });
  await page.selectOption('#store-select', String(id));
  await waitFor(async () => (await page.getAttribute('#inventory-chart', 'data-store')) === String(id) && (await chartBars()).length > 0, { message: `chart for store ${id}` });
}

function compareBars(bars, apiRows) {
  const byProd = new Map(apiRows.map((r) => [r.prod_id, r]));
  const diffs = [];
  for (const b of bars) {
    const r = byProd.get(b.prod_id);
    if (!r) diffs.push(`product ${b.prod_id} not in API`);
    else if (r.unit_left !== b.unit_left || r.reorder_point !== b.reorder_point || r.below_reorder !== b.below) {
      diffs.push(`product ${b.prod_id}: page ${b.unit_left}/${b.reorder_point}/${b.below} api ${r.unit_left}/${r.reorder_point}/${r.below_reorder}`);
    }
  }
  return diffs;
}

// ---- lifecycle ----------------------------------------------------------------------------------

let expectedStore99;
let reorderPlan;

before(async () => {
  engine = await startEngine(0);
  await waitFor(async () => (await api('/readyz')).ready, { message: 'engine ready' });
  expectedStore99 = await seedTestStore();
  reorderPlan = await seedReorderStore();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push({ at: Date.now(), type: m.type(), text: m.text() });
  });
  page.on('pageerror', (e) => consoleProblems.push({ at: Date.now(), type: 'pageerror', text: String(e) }));
});

after(async () => {
  await browser?.close();
  await stopEngine(engine);
  for (const proc of spawned) proc.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

// ---- tests --------------------------------------------------------------------------------------

test('first view: live KPI tiles soon after navigation', async () => {
  const t0 = Date.now();
  await page.goto(engine.base);
  await page.waitForSelector('body[data-first-data-ms]');
  const wall = Date.now() - t0;
  const firstData = Number(await page.getAttribute('body', 'data-first-data-ms'));
  console.log(`# first figures on screen ${firstData} ms after navigation start (${wall} ms wall clock)`);
  // The goal is under a second; the figure is printed above. A test on a shared 2-core machine
  // that also builds is no timing measure, so the bound here only catches a page that hangs.
  assert.ok(firstData < 5000, `first view took ${firstData} ms`);
  assert.equal(await liveState(), 'live');
  assert.match(await page.textContent('#live-status'), /Live/);
  assert.equal(await page.getAttribute('#view', 'data-view'), 'overview');
  assert.equal(await page.title(), 'Overview · ledgerflow');
});

test('overview: KPI tiles formatted and equal to /api/v1/kpis', async () => {
  const tiles = await page.$$eval('[data-kpi]', (els) => Object.fromEntries(els.map((e) => [e.dataset.kpi, e.textContent])));
  for (const k of ['revenue_today', 'units_sold_today', 'inventory_value_at_cost', 'below_reorder', 'shipments_today', 'events_per_s']) {
    assert.ok(tiles[k] && tiles[k] !== '—', `tile ${k} shows a value (${tiles[k]})`);
  }
  assert.match(tiles.revenue_today, /^\$\d{1,3}(,\d{3})*\.\d{2}$/);
  assert.match(tiles.inventory_value_at_cost, /^\$\d{1,3}(,\d{3})*\.\d{2}$/);
  assert.match(tiles.units_sold_today, /^\d{1,3}(,\d{3})*$/);
  // All stores sell all the time, so no API read equals a frame exactly. Counters that only
  // grow during the day must lie between an API read before and one after the drawn frame; the
  // frame awaited is the second one after the first read, so it was built after that read.
  const num = (text) => Number(text.replace(/[$,]/g, ''));
  const before = await api('/api/v1/kpis');
  for (let i = 0; i < 2; i++) {
    const seq = await page.getAttribute('body', 'data-seq');
    await page.waitForFunction((s) => document.body.dataset.seq !== s, seq, { timeout: 3000 });
  }
  const shown = await page.$$eval('[data-kpi]', (els) => Object.fromEntries(els.map((e) => [e.dataset.kpi, e.textContent])));
  const after = await api('/api/v1/kpis');
  for (const k of ['revenue_today', 'units_sold_today', 'shipments_today']) {
    const v = num(shown[k]);
    assert.ok(before[k] <= v && v <= after[k], `${k}: page ${shown[k]}, API ${before[k]} then ${after[k]}`);
  }
  // Sales keep flowing. The window above is about a second, and at the demo's rate it can
  // hold no sale, so wait (up to 5 s) for a later read to show more units than the first.
  let later = after;
  for (let i = 0; i < 50 && later.units_sold_today <= before.units_sold_today; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    later = await api('/api/v1/kpis');
  }
  assert.ok(later.units_sold_today > before.units_sold_today, 'sales flow');
  await shot('overview', page, { full: true });
});

test('overview: figures change within 3 s while events flow', async () => {
  const before = await page.textContent('[data-kpi="units_sold_today"]');
  const t0 = Date.now();
  await page.waitForFunction((b) => document.querySelector('[data-kpi="units_sold_today"]').textContent !== b, before, { timeout: 3000 });
  console.log(`# units sold tile changed after ${Date.now() - t0} ms`);
});

test('inventory: bar values equal /api/v1/inventory for a quiet store', async () => {
  await gotoView('inventory');
  await selectStore(TEST_STORE);
  const bars = await chartBars();
  const apiRows = await api(`/api/v1/inventory?store=${TEST_STORE}`);
  assert.equal(bars.length, apiRows.length);
  assert.deepEqual(compareBars(bars, apiRows), []);
  for (const b of bars) {
    const e = expectedStore99.get(b.prod_id);
    assert.equal(b.unit_left, e.unit_left, `units left of product ${b.prod_id}`);
    assert.equal(b.below, b.unit_left <= b.reorder_point, `highlight of product ${b.prod_id}`);
  }
  assert.ok(bars.some((b) => b.below) && bars.some((b) => !b.below), 'both highlighted and normal bars');
  // Most at risk first: the stock ratio never decreases down the chart.
  const ratios = bars.map((b) => b.unit_left / b.reorder_point);
  for (let i = 1; i < ratios.length; i++) assert.ok(ratios[i] >= ratios[i - 1] - 1e-12);
  // The table shows the same numbers.
  const table = await page.$$eval('#inventory-table tbody tr', (trs) =>
    trs.map((tr) => ({ key: tr.dataset.key, units: tr.querySelector('[data-col="unit_left"]').textContent, alert: tr.classList.contains('row-alert') })),
  );
  assert.equal(table.length, apiRows.length);
  for (const t of table) {
    const r = apiRows.find((x) => `${x.store_id}:${x.prod_id}` === t.key);
    assert.equal(t.units, r.unit_left.toLocaleString('en-US'));
    assert.equal(t.alert, r.below_reorder);
  }
  await shot('inventory-store99');
});

test('inventory: bar values equal /api/v1/inventory for a live store', async () => {
  await selectStore(1);
  // Store 1 changes with every cart: right after a stream frame is drawn, compare the page with
  // an API read, and retry until one pair was taken between two changes.
  let diffs;
  let attempts = 0;
  await waitFor(
    async () => {
      attempts++;
      const seq = await page.getAttribute('body', 'data-seq');
      await page.waitForFunction((s) => document.body.dataset.seq !== s, seq, { timeout: 3000 });
      const bars = await chartBars();
      const apiRows = await api('/api/v1/inventory?store=1');
      diffs = compareBars(bars, apiRows);
      return bars.length === Math.min(25, apiRows.length) && diffs.length === 0;
    },
    { timeout: 20_000, interval: 0, message: 'store 1 bars to equal the API' },
  ).catch((e) => {
    throw new Error(`${e.message}\n${diffs?.join('\n')}`);
  });
  console.log(`# live store matched the API on attempt ${attempts}`);
  await shot('inventory', page, { full: true });
});

test('inventory: the table sorts and searches', async () => {
  await page.fill('#inventory-table-search', 'milk');
  await waitFor(async () => {
    const names = await page.$$eval('#inventory-table tbody td[data-col="prod_name"]', (tds) => tds.map((t) => t.textContent));
    return names.length > 0 && names.every((n) => /milk/i.test(n));
  }, { message: 'search results' });
  await page.fill('#inventory-table-search', '');
  await page.click('#inventory-table th[data-key="prod_id"] button');
  const ids = await page.$$eval('#inventory-table tbody tr', (trs) => trs.map((tr) => Number(tr.dataset.key.split(':')[1])));
  assert.deepEqual(ids, ids.slice().sort((a, b) => a - b));
  assert.equal(await page.getAttribute('#inventory-table th[data-key="prod_id"]', 'aria-sort'), 'ascending');
  await page.click('#inventory-table th[data-key="prod_id"] button');
  assert.equal(await page.getAttribute('#inventory-table th[data-key="prod_id"]', 'aria-sort'), 'descending');
  // Best sellers: both rankings render.
  assert.ok((await page.$$('#best-sellers li[data-prod-id]')).length > 0);
  await page.click('#inv-best button[data-mode="revenue"]');
  assert.equal(await page.getAttribute('#best-sellers', 'data-mode'), 'revenue');
});

// Reorder recommendations: a store only this test writes to (98), with known demand, so the
// page's table can be compared with /api/v1/reorder exactly.
const REORDER_STORE = 98;
const DAY_MS = 86_400_000;

function units(x) {
  if (x === null || x === undefined) return '—';
  const digits = Math.abs(x) >= 100 || Number.isInteger(x) ? 0 : 1;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

async function reorderTableRows() {
  return page.$$eval('#reorder-table tbody tr[data-key]', (trs) =>
    trs.map((tr) => ({
      key: tr.dataset.key,
      name: tr.querySelector('[data-col="prod_name"]').firstChild.textContent.trim(),
      rop: tr.querySelector('[data-col="reorder_point"]').textContent,
      now: Boolean(tr.querySelector('[data-reorder-now="true"]')),
      badge: tr.querySelector('[data-col="reorder_now"]').textContent,
    })),
  );
}

function expectedReorderRows(answer, n) {
  return answer.products.slice(0, n).map((p) => ({ key: `${p.store_id}:${p.prod_id}`, name: p.prod_name, rop: units(p.reorder_point), now: p.reorder_now, badge: p.reorder_now ? 'Reorder now' : 'OK' }));
}

// Four products: two that must be reordered now (one runs out sooner), two with plenty of
// stock. Two days of sales for two of them, so the demand has a spread and the service level
// moves the reorder point. Posted before the page opens, so that the store selector lists it.
async function seedReorderStore() {
  const catalog = await api('/api/v1/catalog');
  const plan = [
    { p: catalog[10], received: 300, sold: [60, 20] }, // 240 on hand, mean 40/day: reorder now
    { p: catalog[11], received: 100, sold: [50] }, // 50 on hand, 50/day: reorder now, out first
    { p: catalog[12], received: 1000, sold: [10, 14] }, // plenty
    { p: catalog[13], received: 2000, sold: [5] }, // plenty
  ];
  const lines = [];
  for (const { p, received, sold } of plan) {
    lines.push({ type: 'inventory_shipment', id: randomUUID(), prod_id: p.id, unit_received: received, dt: dt(-DAY_MS - 5000), store_id: REORDER_STORE });
    sold.forEach((u, i) => {
      lines.push({ type: 'sale_transaction', id: randomUUID(), prod_id: p.id, prod_name: p.item_name, unit_sold: u, reorder_point: p.reorder_point, regular_unit_price: p.price, dt: dt(i === 0 ? -1000 : -DAY_MS), store_id: REORDER_STORE });
    });
  }
  const ack = await post(lines);
  assert.equal(ack.accepted, lines.length, JSON.stringify(ack));
  await waitFor(async () => (await api(`/api/v1/reorder?store=${REORDER_STORE}`)).products.length === plan.length, { message: 'store 98 reorder lines' });
  return plan;
}

test('inventory: reorder recommendations equal /api/v1/reorder, reorder-now first', async () => {
  const plan = reorderPlan;
  await selectStore(REORDER_STORE);
  await page.waitForFunction((s) => document.querySelector('#inv-reorder')?.dataset.store === s, String(REORDER_STORE), { timeout: 5000 });
  const query = `?store=${REORDER_STORE}&limit=200`;
  const answer = await api(`/api/v1/reorder${query}`);
  assert.equal(answer.reorder_now, 2, JSON.stringify(answer));
  assert.deepEqual(answer.products.map((p) => p.reorder_now), [true, true, false, false], 'the API lists reorder-now lines first');
  await waitFor(async () => JSON.stringify(await reorderTableRows()) === JSON.stringify(expectedReorderRows(answer, plan.length)), { message: 'reorder table to equal /api/v1/reorder' }).catch(async (e) => {
    throw new Error(`${e.message}\npage ${JSON.stringify(await reorderTableRows())}\napi ${JSON.stringify(expectedReorderRows(answer, plan.length))}`);
  });
  assert.equal(await page.getAttribute('#inv-reorder', 'data-query'), query);
  assert.equal(await page.$$eval('#reorder-table tbody tr.row-reorder', (trs) => trs.length), 2, 'reorder-now rows marked');
  assert.match(await page.textContent('#inv-reorder .panel-note'), /2 to reorder now/);
  // The other columns of the first row, as the API gives them.
  const first = answer.products[0];
  const cells = await page.$eval('#reorder-table tbody tr[data-key]', (tr) => Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map((td) => [td.dataset.col, td.textContent])));
  assert.equal(cells.on_hand, units(first.on_hand));
  assert.equal(cells.safety_stock, units(first.safety_stock));
  assert.equal(cells.eoq, units(first.eoq));
  assert.equal(cells.stockout_day, first.stockout_day ?? '—');
  assert.equal(cells.lead_time_days, `${first.lead_time_days} d · ${first.lead_time_supplier || 'default'}`);
  assert.equal(cells.demand_mean, `${first.demand_mean.toFixed(1)} ± ${first.demand_stddev.toFixed(1)}`);
  // A higher service level re-requests: a larger safety stock and reorder point, as the API says.
  await page.fill('#reorder-sl', '0.99');
  await page.press('#reorder-sl', 'Enter');
  const q99 = `${query}&service_level=0.99`;
  await page.waitForFunction((q) => document.querySelector('#inv-reorder').dataset.query === q, q99, { timeout: 5000 });
  const answer99 = await api(`/api/v1/reorder${q99}`);
  const spread = answer99.products.find((p) => p.demand_stddev > 0);
  assert.ok(spread && spread.reorder_point > answer.products.find((p) => p.prod_id === spread.prod_id).reorder_point, 'the service level moves the reorder point');
  assert.deepEqual(await reorderTableRows(), expectedReorderRows(answer99, plan.length));
  await page.evaluate(() => window.scrollTo(0, document.querySelector('#inv-reorder').getBoundingClientRect().top + window.scrollY - 96));
  await shot('inventory-reorder');
  // Out of range: refused in the page.
  await page.fill('#reorder-sl', '1.5');
  await page.press('#reorder-sl', 'Enter');
  assert.match(await page.textContent('#reorder-error'), /service level/i);
  await page.fill('#reorder-sl', '');
  await page.press('#reorder-sl', 'Enter');
  await page.waitForFunction((q) => document.querySelector('#inv-reorder').dataset.query === q, query, { timeout: 5000 });
});

test('sales: units and revenue per minute update live', async () => {
  await gotoView('sales');
  await page.waitForFunction(() => Number(document.querySelector('#sales-chart')?.dataset.points) === 60);
  const before = await page.textContent('[data-kpi="sales_units_hour"]');
  await page.waitForFunction((b) => document.querySelector('[data-kpi="sales_units_hour"]').textContent !== b, before, { timeout: 3000 });
  assert.match(await page.textContent('[data-kpi="sales_revenue_hour"]'), /^\$[\d,]+\.\d{2}$/);
  assert.ok((await page.$$('#sales-table tbody tr[data-key]')).length > 0);
  await shot('sales', page, { full: true });
});

test('pipeline: health figures and dead letters with reasons', async () => {
  const ack = await post(['{"type":"sale_transaction","id":"bad-1","prod_id":3,"unit_sold":"three","dt":"2024-05-01 12:00:00"}', 'this is not json']);
  assert.equal(ack.rejected_count, 2);
  await gotoView('pipeline');
  await waitFor(async () => (await page.$$('#dead-letter-table tbody tr[data-key]')).length >= 2, { message: 'dead letters in the table' });
  const reasons = await page.$$eval('#dead-letter-table tbody td[data-col="reason"]', (tds) => tds.map((t) => t.textContent));
  assert.ok(reasons.includes('not_object') && reasons.includes('wrong_type'), reasons.join());
  assert.match(await page.textContent('#dead-letter-reasons'), /not_object/);
  const dead = Number((await page.textContent('[data-kpi="pipeline_dead_letters"]')).replace(/,/g, ''));
  assert.equal(dead, (await api('/api/v1/pipeline')).dead_letters);
  assert.notEqual(await page.textContent('[data-kpi="pipeline_watermark"]'), '—');
  // The warehouse sink is listed with its state, as the API reports it.
  const sink = (await api('/api/v1/pipeline')).sinks[0];
  assert.equal(sink.name, 'warehouse');
  await page.waitForFunction(() => /Sink: warehouse/.test(document.querySelector('#pl-queues').textContent), null, { timeout: 3000 });
  assert.ok((await page.$$('#queue-depths li')).length >= 2);
  const before = await page.textContent('[data-kpi="pipeline_backlog"] + .tile-sub');
  await page.waitForFunction((b) => document.querySelector('[data-kpi="pipeline_backlog"] + .tile-sub').textContent !== b, before, { timeout: 3000 });
  await shot('pipeline', page, { full: true });
});

test('deliveries: DataCo marts while a file streams in', async () => {
  await gotoView('deliveries');
  const fixture = new URL('../data/dataco/fixture.csv', import.meta.url).pathname;
  const code = await new Promise((resolve) => {
    const proc = spawn(BINARY, ['ingest', fixture, '--format', 'dataco', '--to', engine.base, '--batch', '50'], { stdio: 'ignore' });
    proc.on('exit', resolve);
  });
  assert.equal(code, 1, 'the fixture has bad rows: exit status 1, the rest loaded');
  // The ingest's answers mean durable in the log; the shards apply them a moment later.
  await waitFor(async () => (await api('/api/v1/marts/payment_delays')).lines === 378, { message: 'all 378 order lines applied' });
  await page.waitForFunction(() => document.querySelector('[data-kpi="dataco_lines"]')?.textContent === '378', null, { timeout: 5000 });
  const fraud = await api('/api/v1/marts/fraud_detection');
  const orders = fraud.by_payment_type.reduce((a, r) => a + r.orders, 0);
  const suspect = fraud.by_payment_type.reduce((a, r) => a + r.suspected_fraud_orders, 0);
  assert.equal(await page.textContent('[data-kpi="dataco_fraud_share"] + .tile-sub'), `${suspect} of ${orders} orders`);
  for (const id of ['late_mode', 'late_market', 'delay', 'fraud', 'commitments', 'monthly', 'retention']) {
    assert.ok(await page.$(`#dataco-${id}-chart canvas`), `${id} chart drawn`);
  }
  assert.equal(await page.isHidden('#dataco-empty'), true);
  await shot('deliveries', page, { full: true });
});

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

// The finance data set of `ledgerflow generate --finance` (suppliers, orders, receipts, invoices,
// payments, customer orders with labelled anomalies, ending today), posted in batches while the
// Finance view is open. Returns when the ledger holds all of it.
async function loadFinanceData() {
  const text = await new Promise((resolve, reject) => {
    const proc = spawn(BINARY, ['generate', '--finance', '--seed', SEED, '--suppliers', '20', '--customers', '10', '--finance-days', '540'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`generate --finance exited with ${code}`))));
  });
  const lines = text.split('\n').filter(Boolean);
  const records = lines.filter((l) => !l.startsWith('{"type":"supplier"')).length;
  for (let i = 0; i < lines.length; i += 1000) {
    const ack = await post(lines.slice(i, i + 1000));
    assert.equal(ack.rejected_count, 0, JSON.stringify(ack.rejected?.slice(0, 3)));
  }
  await waitFor(
    async () => {
      const s = await api('/api/v1/finance/summary');
      return s.purchase_orders + s.goods_receipts + s.invoices + s.payments + s.customer_orders + (s.customer_invoices ?? 0) + (s.customer_payments ?? 0) === records;
    },
    { timeout: 10_000, message: `all ${records} finance records applied` },
  );
  return records;
}

// Reads the page and the API until the page shows what the API answers, read just before or just
// after the page (the views re-read at most once a second, so the page may lag a change of the
// API briefly). `pageFn` and `apiFn` return comparable values.
async function pageMatchesApi(pageFn, apiFn, message, timeout = 15_000) {
  let last;
  await waitFor(
    async () => {
      const a = await apiFn();
      const p = await pageFn();
      const b = await apiFn();
      last = { page: p, api: a };
      return JSON.stringify(p) === JSON.stringify(a) || JSON.stringify(p) === JSON.stringify(b);
    },
    { timeout, interval: 250, message },
  ).catch((e) => {
    throw new Error(`${e.message}\n${JSON.stringify(last)}`);
  });
  return last.page;
}

// Working-capital figures as the page shows them: tile text from the API's figure.
function wcText(x) {
  return x === null || x === undefined ? '—' : `${x.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} days`;
}
function pickWc(w) {
  return { as_of: w.as_of, window_days: w.window_days, dpo_basis: w.dpo_basis, dso: w.dso, dio: w.dio, dpo: w.dpo, ccc: w.ccc };
}

// DIO (and DPO on COGS, and so CCC) move with every sale of the demo's live stores, so the page
// and an API read agree only when no sale fell between them. Right after the page receives an
// answer, read the API with the same parameters; retry until the two agree (no sale between),
// then the tiles must show exactly those figures.
async function wcMatchesApi(basis) {
  const url = `/api/v1/finance/working-capital?dpo_basis=${basis}`;
  let last;
  let attempts = 0;
  const end = Date.now() + 15_000;
  while (Date.now() < end) {
    attempts++;
    const resp = await page.waitForResponse((r) => r.url().endsWith(url), { timeout: 5000 });
    const a = pickWc(await api(url));
    const got = pickWc(await resp.json());
    last = { page: got, api: a };
    if (JSON.stringify(got) !== JSON.stringify(a)) continue; // a sale fell between: next answer
    const drawn = await page
      .waitForFunction((s) => document.querySelector('#fin-wc').dataset.wc === s, JSON.stringify(got), { timeout: 2000 })
      .then(() => true, () => false);
    if (!drawn) continue; // superseded by a newer answer before we looked
    const tiles = await page.$$eval('[data-kpi="fin_dso"], [data-kpi="fin_dio"], [data-kpi="fin_dpo"], [data-kpi="fin_ccc"]', (els) => els.map((e) => e.textContent));
    const data = JSON.parse(await page.getAttribute('#fin-wc', 'data-wc'));
    if (JSON.stringify(data) !== JSON.stringify(got)) continue; // redrawn meanwhile
    assert.deepEqual(tiles, [a.dso, a.dio, a.dpo, a.ccc].map(wcText), `working-capital tiles (${basis})`);
    assert.equal(a.dpo_basis, basis);
    assert.match(await page.textContent('#fin-wc .panel-note'), new RegExp(`last ${a.window_days} days to ${a.as_of} · DPO on ${basis === 'cogs' ? 'COGS' : 'purchases'}`));
    const titles = await page.$$eval('#fin-wc .tile', (ts) => ts.slice(1).map((t) => t.title));
    assert.ok(titles.every((t) => t.length > 10), 'every working-capital tile explains itself on hover');
    console.log(`# working capital (${basis}) equal to the API on answer ${attempts}: ${tiles.join(' · ')}`);
    return a;
  }
  throw new Error(`timed out waiting for the working-capital tiles (${basis}) to equal the API\n${JSON.stringify(last)}`);
}

test('finance: tiles, aging, cash and the early-payment plan equal the finance API', async () => {
  await gotoView('finance');
  await page.waitForSelector('#ep-plan[data-savings]', { timeout: 10_000 });
  // Empty books first: no finance data in the engine yet.
  await page.waitForFunction(() => document.querySelector('[data-kpi="fin_open_payables"]').textContent === '$0.00', null, { timeout: 5000 });
  assert.equal(await page.isVisible('#fin-empty'), true, 'the view says how to load finance data');
  const t0 = Date.now();
  const records = await loadFinanceData();
  await page.waitForFunction(() => document.querySelector('[data-kpi="fin_open_payables"]').textContent !== '$0.00', null, { timeout: 5000 });
  console.log(`# ${records} finance records posted and applied; the view followed in ${Date.now() - t0} ms`);
  await page.waitForSelector('#fin-aging-chart[data-series]', { timeout: 10_000 });
  const summary = await api('/api/v1/finance/summary');
  assert.ok(summary.invoices > 0 && summary.overdue_payables > 0, JSON.stringify(summary));
  // KPI tiles as formatted figures of /api/v1/finance/summary.
  await pageMatchesApi(
    () => page.$$eval('[data-kpi="fin_open_payables"], [data-kpi="fin_overdue_payables"], [data-kpi="fin_alerts"]', (els) => els.map((e) => e.textContent)),
    async () => {
      const s = await api('/api/v1/finance/summary');
      return [usd.format(s.open_payables), usd.format(s.overdue_payables), s.alerts.total.toLocaleString('en-US')];
    },
    'finance tiles to equal /api/v1/finance/summary',
  );
  // Aging: the chart's total bar and the suppliers drawn (largest first, top 10 + the rest).
  await pageMatchesApi(
    async () => {
      const d = JSON.parse(await page.getAttribute('#fin-aging-chart', 'data-series'));
      return { total: d.total.amount, names: d.categories.slice(0, 10) };
    },
    async () => {
      const a = await api('/api/v1/finance/aging');
      return { total: a.total.amount, names: a.by_counterparty.slice(0, 10).map((r) => r.name || r.id) };
    },
    'aging chart to equal /api/v1/finance/aging',
  );
  // Cash required: overdue then the 7/30/90-day horizons.
  await pageMatchesApi(
    async () => JSON.parse(await page.getAttribute('#fin-cash-chart', 'data-values')),
    async () => {
      const c = await api('/api/v1/finance/cash');
      return [c.total.overdue, ...c.total.due];
    },
    'cash chart to equal /api/v1/finance/cash',
  );
  assert.ok(await page.$('#fin-delays-chart canvas'), 'payment delay chart drawn');
  // Receivables: the open-receivables tile and the aging by customer equal the API.
  await pageMatchesApi(
    async () => {
      const d = JSON.parse(await page.getAttribute('#fin-recv-aging-chart', 'data-series'));
      return { tile: await page.textContent('[data-kpi="fin_open_receivables"]'), total: d.total.amount, sum: d.total.total, names: d.categories.slice(0, 10) };
    },
    async () => {
      const [s, a] = await Promise.all([api('/api/v1/finance/summary'), api('/api/v1/finance/aging?side=receivables')]);
      return { tile: usd.format(s.open_receivables), total: a.total.amount, sum: a.total.total, names: a.by_counterparty.slice(0, 10).map((r) => r.name || r.id) };
    },
    'receivables tile and aging to equal the API',
  );
  const recv = await api('/api/v1/finance/aging?side=receivables');
  assert.ok(recv.total.total > 0 && recv.by_counterparty.length > 0, 'the data set has open receivables');
  assert.match(await page.textContent('#fin-recv-aging .panel-note'), new RegExp(`${recv.by_counterparty.length} customers`));
  // DataCo receivables (the fixture's PENDING_PAYMENT lines, loaded by the deliveries test): a
  // block of their own, aged on the DataCo clock.
  await pageMatchesApi(
    async () => {
      const d = JSON.parse(await page.getAttribute('#fin-dataco-recv-aging-chart', 'data-series'));
      return { total: d.total.amount, sum: d.total.total, names: d.categories.slice(0, 10) };
    },
    async () => {
      const a = (await api('/api/v1/finance/aging?side=receivables')).dataco;
      return { total: a.total.amount, sum: a.total.total, names: a.by_counterparty.slice(0, 10).map((r) => r.name || r.id) };
    },
    'DataCo receivables aging to equal the API',
  );
  assert.ok(recv.dataco.total.total > 0, 'the fixture has PENDING_PAYMENT lines');
  // Working capital: the tiles equal the API for the page's parameters, on both DPO bases.
  const wcPurchases = await wcMatchesApi('purchases');
  await page.click('#fin-wc-basis button[data-basis="cogs"]');
  const wcCogs = await wcMatchesApi('cogs');
  assert.equal(await page.getAttribute('#fin-wc-basis button[data-basis="cogs"]', 'aria-pressed'), 'true');
  assert.notEqual(wcCogs.dpo, wcPurchases.dpo, 'the basis changes DPO');
  assert.equal(wcCogs.dso, wcPurchases.dso, 'the basis leaves DSO alone');
  await page.click('#fin-wc-basis button[data-basis="purchases"]');
  await page.waitForFunction(() => document.querySelector('#fin-wc').dataset.query === '?dpo_basis=purchases', null, { timeout: 5000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400); // the charts' entry animation
  await shot('finance', page, { full: true });

  // The budget field: the plan's savings become the API's for that budget.
  const opps = await api('/api/v1/early-payments');
  const payNow = opps.opportunities.filter((o) => o.simple_annual_return >= opps.hurdle).map((o) => o.pay_now).sort((a, b) => a - b);
  assert.ok(payNow.length > 0, `the demo has early-payment opportunities above the hurdle (${opps.total_opportunities} in all)`);
  const budget = String(Math.ceil(payNow[0] + (payNow[1] ?? 0))); // room for one or two invoices
  for (const b of [budget, '0']) {
    await page.fill('#ep-budget', b);
    await page.press('#ep-budget', 'Enter');
    await page.waitForFunction((q) => document.querySelector('#ep-plan').dataset.query === q, `?budget=${b}`, { timeout: 5000 });
    const shown = await pageMatchesApi(
      async () => {
        const d = await page.$eval('#ep-plan', (e) => ({ ...e.dataset }));
        return { savings: Number(d.savings), cash: Number(d.cashNeeded), budget: Number(d.budget), ids: d.inPlan };
      },
      async () => {
        const e = await api(`/api/v1/early-payments?budget=${b}`);
        return { savings: e.plan.savings, cash: e.plan.cash_needed, budget: e.budget, ids: e.plan.invoice_ids.join(' ') };
      },
      `plan for budget ${b} to equal the API's`,
    );
    assert.ok(shown.cash <= Number(b), `cash needed ${shown.cash} within the budget ${b}`);
    assert.equal(await page.textContent('#ep-savings'), usd.format(shown.savings));
    if (b === '0') assert.equal(shown.savings, 0, 'no budget, no savings');
    else assert.ok(shown.savings > 0, `budget ${b} buys at least one discount`);
    // Highlighted rows are exactly the plan's invoices on the page.
    const planIds = new Set(shown.ids ? shown.ids.split(' ') : []);
    const rows = await page.$$eval('#ep-table tbody tr[data-key]', (trs) => trs.map((tr) => ({ key: tr.dataset.key, plan: tr.classList.contains('row-plan') })));
    assert.ok(rows.length > 0);
    for (const r of rows) assert.equal(r.plan, planIds.has(r.key), `highlight of ${r.key}`);
    if (b !== '0') {
      // The plan panel just below the sticky header.
      await page.evaluate(() => window.scrollTo(0, document.querySelector('#fin-early').getBoundingClientRect().top + window.scrollY - 96));
      await shot('finance-plan');
    }
  }
  // A bad budget is refused in the page, with no request.
  await page.fill('#ep-budget', '-5');
  await page.press('#ep-budget', 'Enter');
  assert.match(await page.textContent('#ep-error'), /Budget/);
  await page.fill('#ep-budget', '');
  await page.press('#ep-budget', 'Enter');
});

test('fraud: alerts equal /api/v1/alerts, filters narrow them, the Benford chart renders', async () => {
  await gotoView('fraud');
  await page.waitForSelector('#alert-list[data-total]', { timeout: 10_000 });
  // Unfiltered: the list holds every alert the API reports (up to the 500 asked for).
  await pageMatchesApi(
    () => page.$eval('#alert-list', (e) => ({ total: Number(e.dataset.total), items: e.querySelectorAll('li.alert-item').length, text: document.querySelector('[data-kpi="fraud_alerts"]').textContent })),
    async () => {
      const a = await api('/api/v1/alerts?limit=500');
      return { total: a.total, items: Math.min(a.total, 500), text: a.total.toLocaleString('en-US') };
    },
    'alert list to equal /api/v1/alerts',
  );
  const all = await api('/api/v1/alerts?limit=500');
  assert.ok(all.total > 0, 'the demo raises alerts');
  // Each item shows its explanation, rule, severity, score, subject, day and evidence.
  const first = await page.$eval('#alert-list li.alert-item', (li) => ({ msg: li.querySelector('.alert-msg').textContent, sev: li.dataset.severity, rule: li.dataset.rule, text: li.textContent }));
  assert.ok(first.msg.length > 10, first.msg);
  assert.match(first.text, /score \d\.\d\d/);
  assert.match(first.text, /Day: \d{4}-\d{2}-\d{2}/);
  // Severity filter: the list narrows to that severity and to the API's count for it.
  const severity = ['critical', 'warning', 'info'].find((s) => (all.by_severity?.[s] ?? 0) > 0);
  await page.selectOption('#alerts-severity', severity);
  await page.waitForFunction((q) => document.querySelector('#alert-list').dataset.query === q, `?severity=${severity}&limit=500`, { timeout: 5000 });
  await pageMatchesApi(
    () => page.$eval('#alert-list', (e) => ({ total: Number(e.dataset.total), items: e.querySelectorAll('li.alert-item').length })),
    async () => {
      const a = await api(`/api/v1/alerts?severity=${severity}&limit=500`);
      return { total: a.total, items: Math.min(a.total, 500) };
    },
    `the ${severity} alerts to equal the API's`,
  );
  const sevs = await page.$$eval('#alert-list li.alert-item', (lis) => [...new Set(lis.map((l) => l.dataset.severity))]);
  assert.deepEqual(sevs, [severity]);
  // Rule filter from the counts by rule: one click.
  const rule = await page.getAttribute('#rule-counts button[data-rule]', 'data-rule');
  await page.click(`#rule-counts button[data-rule="${rule}"]`);
  await page.waitForFunction((r) => document.querySelector('#alert-list').dataset.query.includes(`rule=${r}`), rule, { timeout: 5000 });
  const rules = await page.$$eval('#alert-list li.alert-item', (lis) => [...new Set(lis.map((l) => `${l.dataset.rule}/${l.dataset.severity}`))]);
  assert.deepEqual(rules, [`${rule}/${severity}`]);
  // Subject filter (exact id), typed.
  await page.click('#alerts-clear');
  const subject = all.alerts[0].subject;
  await page.fill('#alerts-subject', subject);
  await page.waitForFunction((q) => document.querySelector('#alert-list').dataset.query === q, `?subject=${encodeURIComponent(subject)}&limit=500`, { timeout: 5000 });
  const subjects = await page.$$eval('#alert-list li.alert-item', (lis) => [...new Set(lis.map((l) => l.dataset.subject))]);
  assert.deepEqual(subjects, [subject]);
  await page.click('#alerts-clear');
  await page.waitForFunction(() => document.querySelector('#alert-list').dataset.query === '?limit=500', null, { timeout: 5000 });

  // Benford: the picker lists the API's suppliers with the flagged ones marked; the chart shows
  // the chosen supplier's observed and expected shares.
  await page.waitForSelector('#benford-chart[data-series] canvas', { timeout: 10_000 });
  const list = await api('/api/v1/finance/benford');
  const apiSuppliers = Array.isArray(list) ? list : list.suppliers;
  const options = await page.$$eval('#benford-supplier option', (os) => os.map((o) => ({ id: o.value, flagged: o.dataset.flagged === 'true', mark: o.textContent.startsWith('⚑') })));
  assert.equal(options.length, apiSuppliers.length);
  for (const o of options) {
    const s = apiSuppliers.find((x) => (x.supplier ?? x.id) === o.id);
    assert.ok(s, `supplier ${o.id} in the API list`);
    assert.equal(o.flagged, s.flagged === true, `flag of ${o.id}`);
    assert.equal(o.mark, o.flagged);
  }
  assert.ok(options.some((o) => o.flagged), 'the generated data set has Benford-flagged suppliers');
  assert.equal(options[0].flagged, true, 'flagged suppliers first in the picker');
  const target = options.find((o) => o.flagged);
  const other = options.find((o) => o.id !== target.id) ?? target;
  for (const pick of [other, target]) {
    await page.selectOption('#benford-supplier', pick.id);
    await page.waitForFunction((id) => document.querySelector('#benford-chart').dataset.supplier === id, pick.id, { timeout: 5000 });
    await pageMatchesApi(
      async () => {
        const d = JSON.parse(await page.getAttribute('#benford-chart', 'data-series'));
        return { observed: d.observed, expected: d.expected, flagged: d.flagged };
      },
      async () => {
        const b = await api(`/api/v1/finance/benford?supplier=${encodeURIComponent(pick.id)}`);
        return { observed: b.observed_share, expected: b.expected_share, flagged: b.flagged };
      },
      `Benford chart of ${pick.id} to equal the API`,
    );
  }
  assert.equal(await page.$$eval('#benford-flagged button[data-supplier]', (bs) => bs.length), options.filter((o) => o.flagged).length);
  // Strings from the API are text, never markup.
  assert.equal(await page.$$eval('#alert-list img, #alert-list script, #fraud-benford img', (x) => x.length), 0);
  await page.waitForTimeout(400); // the chart's entry animation
  await shot('fraud', page, { full: true });
});

test('keyboard: skip link, navigation and visible focus', async () => {
  await gotoView('overview');
  await page.reload();
  await page.waitForSelector('#live-status[data-state="live"]');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  await page.keyboard.press('Tab'); // brand
  const seen = [];
  for (let i = 0; i < 7; i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => document.activeElement.dataset.route));
  }
  assert.deepEqual(seen, ['overview', 'inventory', 'sales', 'deliveries', 'finance', 'fraud', 'pipeline']);
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle + getComputedStyle(document.activeElement).boxShadow);
  assert.notEqual(outline, 'nonenone', 'focused link is visibly marked');
  await page.keyboard.down('Shift');
  await page.keyboard.press('Tab');
  await page.keyboard.up('Shift');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#view[data-view="fraud"]');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'view-title');
});

test('phone width: readable, no sideways scrolling', async () => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  phone.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleProblems.push({ at: Date.now(), type: m.type(), text: `[phone] ${m.text()}` });
  });
  phone.on('pageerror', (e) => consoleProblems.push({ at: Date.now(), type: 'pageerror', text: `[phone] ${e}` }));
  for (const v of ['overview', 'inventory', 'finance', 'fraud']) {
    await phone.goto(`${engine.base}#/${v}`);
    await phone.waitForSelector('#live-status[data-state="live"]');
    await phone.waitForTimeout(600);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${v} scrolls sideways by ${overflow}px`);
    await shot(`phone-${v}`, phone);
  }
  await phone.close();
});

test('engine restart: reconnecting state, then live again with the data back', async () => {
  await gotoView('inventory');
  await selectStore(TEST_STORE);
  const port = engine.port;
  restartWindow = [Date.now(), Infinity];
  assert.equal(await stopEngine(engine), 0, 'clean exit on SIGTERM');
  await page.waitForSelector('#live-status[data-state="reconnecting"]', { timeout: 6000 });
  assert.match(await page.textContent('#live-status'), /Reconnecting/);
  await shot('reconnecting');
  engine = await startEngine(port);
  const t0 = Date.now();
  await page.waitForSelector('#live-status[data-state="live"]', { timeout: 10_000 });
  restartWindow[1] = Date.now();
  console.log(`# live again ${Date.now() - t0} ms after the engine restarted`);
  // The recovered state is on screen: store 99 exactly as before the restart.
  await waitFor(async () => (await chartBars()).length === expectedStore99.size, { message: 'bars after restart' });
  const bars = await chartBars();
  for (const b of bars) assert.equal(b.unit_left, expectedStore99.get(b.prod_id).unit_left);
  assert.deepEqual(compareBars(bars, await api(`/api/v1/inventory?store=${TEST_STORE}`)), []);
  await gotoView('overview');
  const before = await page.textContent('[data-kpi="units_sold_today"]');
  await page.waitForFunction((b) => document.querySelector('[data-kpi="units_sold_today"]').textContent !== b, before, { timeout: 3000 });
});

test('no console errors or warnings', () => {
  // While the engine is down the browser logs the refused stream connection; that is expected.
  const expected = (p) =>
    restartWindow && p.at >= restartWindow[0] && p.at <= restartWindow[1] + 2000 && /ERR_CONNECTION_REFUSED|Failed to load resource/.test(p.text);
  const problems = consoleProblems.filter((p) => !expected(p));
  console.log(`# ${consoleProblems.length - problems.length} expected network errors while the engine was down`);
  assert.deepEqual(problems, []);
});
