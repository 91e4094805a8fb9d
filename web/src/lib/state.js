// Client-side state of the live stream, and merging of its frames. Pure logic, no DOM.
//
// The server sends a frame about every 500 ms. The first frame of a connection (seq 1) holds
// everything; later frames hold only what changed. Merging costs O(size of the frame), never
// O(size of the world): inventory rows live in a Map keyed by store_id+prod_id (plus a
// per-store index), sales windows in a Map keyed by window start.

export const MINUTE_MS = 60_000;

export function invKey(storeId, prodId) {
  return `${storeId}:${prodId}`;
}

export function createState({
  salesKeepMs = 3 * 60 * MINUTE_MS,
  maxShipments = 200,
  maxDeadLetters = 200,
  historySize = 240,
} = {}) {
  return {
    options: { salesKeepMs, maxShipments, maxDeadLetters, historySize },
    seq: 0,
    frames: 0,
    serverTimeMs: null,
    pipeline: null,
    kpis: null,
    inventory: new Map(), // invKey -> row
    byStore: new Map(), // store_id -> Map(prod_id -> row)
    sales: new Map(), // window_start_ms -> 1-minute window
    shipments: [], // newest first
    deadLetters: [], // newest first
    history: [], // pipeline samples, oldest first: {t, eventsPerS, lagMs, ingest, shards}
  };
}

// Empties the data that a full frame replaces. Pipeline history is kept: it is a client-side
// record of what this page observed and stays meaningful across reconnects.
export function resetState(state) {
  state.inventory.clear();
  state.byStore.clear();
  state.sales.clear();
  state.shipments = [];
  state.deadLetters = [];
}

// Forgets the per-store data (inventory rows, shipments) when the page switches to another
// store; the new stream's first frame brings that store's rows.
export function resetStoreData(state) {
  state.inventory.clear();
  state.byStore.clear();
  state.shipments = [];
}

// Upserts inventory rows. Returns the keys that changed.
export function mergeInventory(state, rows) {
  const changed = [];
  for (const row of rows || []) {
    const key = invKey(row.store_id, row.prod_id);
    state.inventory.set(key, row);
    let store = state.byStore.get(row.store_id);
    if (!store) {
      store = new Map();
      state.byStore.set(row.store_id, store);
    }
    store.set(row.prod_id, row);
    changed.push(key);
  }
  return changed;
}

// Upserts 1-minute sales windows (a newer version of a window replaces the older one, a stale
// version is ignored) and drops windows older than `salesKeepMs` before the newest one.
export function mergeSales(state, windows) {
  let changed = 0;
  let newest = -Infinity;
  for (const w of windows || []) {
    const prev = state.sales.get(w.window_start_ms);
    if (prev && typeof prev.version === 'number' && typeof w.version === 'number' && w.version < prev.version) {
      continue;
    }
    state.sales.set(w.window_start_ms, w);
    changed++;
    if (w.window_start_ms > newest) newest = w.window_start_ms;
  }
  if (changed) {
    let max = newest;
    for (const k of state.sales.keys()) if (k > max) max = k;
    const cutoff = max - state.options.salesKeepMs;
    for (const k of state.sales.keys()) if (k < cutoff) state.sales.delete(k);
  }
  return changed;
}

// Prepends new items (which arrive oldest first) to a newest-first list bounded to `max`,
// skipping any whose `offset` is already present.
export function prependBounded(list, items, max) {
  if (!items || items.length === 0) return list;
  const seen = new Set();
  for (const x of list) seen.add(x.offset);
  const fresh = [];
  for (let i = items.length - 1; i >= 0; i--) {
    const x = items[i];
    if (!seen.has(x.offset)) {
      seen.add(x.offset);
      fresh.push(x);
    }
  }
  fresh.sort((a, b) => b.offset - a.offset);
  const out = fresh.concat(list);
  if (out.length > max) out.length = max;
  return out;
}

// Merges one stream frame into the state. Returns a summary of what changed, which views use
// to redraw only what they must.
export function applyFrame(state, frame) {
  const reset = frame.seq === 1 || frame.seq <= state.seq;
  if (reset) resetState(state);
  state.seq = frame.seq;
  state.frames++;
  state.serverTimeMs = frame.server_time_ms ?? state.serverTimeMs;
  if (frame.pipeline) state.pipeline = frame.pipeline;
  if (frame.kpis) state.kpis = frame.kpis;
  const inventory = mergeInventory(state, frame.inventory);
  const sales = mergeSales(state, frame.sales);
  const shipments = frame.shipments?.length || 0;
  state.shipments = prependBounded(state.shipments, frame.shipments, state.options.maxShipments);
  const deadLetters = frame.dead_letters?.length || 0;
  state.deadLetters = prependBounded(state.deadLetters, frame.dead_letters, state.options.maxDeadLetters);
  if (frame.pipeline) pushHistory(state, frame);
  return { reset, inventory, sales, shipments, deadLetters, kpis: !!frame.kpis, pipeline: !!frame.pipeline };
}

function pushHistory(state, frame) {
  const p = frame.pipeline;
  const shards = (p.queue_depths?.shards || []).reduce((a, b) => a + b, 0);
  state.history.push({
    t: frame.server_time_ms,
    eventsPerS: p.events_per_s,
    lagMs: p.watermark_lag_ms,
    ingest: p.queue_depths?.ingest ?? 0,
    shards,
  });
  const extra = state.history.length - state.options.historySize;
  if (extra > 0) state.history.splice(0, extra);
}

// Folds several change summaries (frames merged between two redraws) into one.
export function combineChanges(a, b) {
  if (!a) return b;
  if (!b) return a;
  return {
    reset: a.reset || b.reset,
    inventory: a.inventory.concat(b.inventory),
    sales: a.sales + b.sales,
    shipments: a.shipments + b.shipments,
    deadLetters: a.deadLetters + b.deadLetters,
    kpis: a.kpis || b.kpis,
    pipeline: a.pipeline || b.pipeline,
  };
}

export function storeRows(state, storeId) {
  const m = state.byStore.get(storeId);
  return m ? Array.from(m.values()) : [];
}

// The last `minutes` one-minute windows ending with the newest event time's minute, gaps
// filled with zero windows, oldest first.
export function salesSeries(state, minutes = 60) {
  let newest = null;
  const maxEvent = state.pipeline?.max_event_time;
  if (maxEvent) {
    const t = Date.parse(maxEvent);
    if (!Number.isNaN(t)) newest = Math.floor(t / MINUTE_MS) * MINUTE_MS;
  }
  for (const k of state.sales.keys()) if (newest === null || k > newest) newest = k;
  if (newest === null) return [];
  const out = [];
  for (let i = minutes - 1; i >= 0; i--) {
    const start = newest - i * MINUTE_MS;
    const w = state.sales.get(start);
    out.push(
      w || {
        window_start_ms: start,
        window_end_ms: start + MINUTE_MS,
        window_start: new Date(start).toISOString(),
        units: 0,
        revenue: 0,
        sale_lines: 0,
        shipments: 0,
        units_received: 0,
        final: false,
        version: 0,
        late_updates: 0,
        empty: true,
      },
    );
  }
  return out;
}

// Totals over a series of windows; revenue summed in integer cents.
export function seriesTotals(series) {
  let units = 0;
  let cents = 0;
  let peak = null;
  for (const w of series) {
    units += w.units;
    cents += Math.round(w.revenue * 100);
    if (!peak || w.revenue > peak.revenue) peak = w;
  }
  return { units, revenue: cents / 100, peak: peak && peak.revenue > 0 ? peak : null };
}
