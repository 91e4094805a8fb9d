// App shell: navigation (hash routes), store selection, the live stream, and handing merged
// changes to the mounted view once per animation frame.
import './styles.css';
import { ROUTES, DEFAULT_ROUTE } from './routes.js';
import { createState, applyFrame, combineChanges, resetStoreData } from './lib/state.js';
import { LiveStream, STATUS_TEXT } from './lib/live.js';
import { formatClock } from './lib/format.js';
import { h, setText } from './ui/dom.js';

const $ = (sel) => document.querySelector(sel);
const state = createState();
// The store shown: the last one used (or 1), so the first frame is not delayed by the store
// list; corrected by refreshStores() if that store does not exist.
const ctx = { state, store: Number(localStorage.getItem('lf.store')) || 1, stores: [] };

// ---- navigation ---------------------------------------------------------------------------
const nav = $('#nav-list');
for (const r of ROUTES) {
  const a = h('a', { href: `#/${r.id}`, class: 'nav-link', dataset: { route: r.id } });
  a.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${r.icon}</svg>`;
  a.append(h('span', { text: r.title }));
  nav.append(h('li', null, a));
}

let current = null; // { route, instance }
let pending = null; // changes merged since the last redraw
let frameScheduled = false;

function routeFromHash() {
  const id = (location.hash.match(/^#\/([\w-]+)/) || [])[1];
  return ROUTES.find((r) => r.id === id) || null;
}

function mountRoute(focus) {
  let route = routeFromHash();
  if (!route) {
    history.replaceState(null, '', `#/${DEFAULT_ROUTE}`);
    route = ROUTES.find((r) => r.id === DEFAULT_ROUTE);
  }
  if (current?.route === route) return;
  if (current) current.instance.destroy?.();
  const root = $('#view');
  root.replaceChildren();
  root.dataset.view = route.id;
  setText($('#view-title'), route.title);
  setText($('#view-desc'), route.description);
  document.title = `${route.title} · ledgerflow`;
  for (const a of nav.querySelectorAll('a')) {
    if (a.dataset.route === route.id) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  $('#store-picker').hidden = !route.usesStore;
  current = { route, instance: route.mount(root, ctx) };
  current.instance.update(fullChanges());
  if (focus) $('#view-title').focus({ preventScroll: false });
}

function fullChanges() {
  return { reset: true, inventory: [], sales: 0, shipments: 0, deadLetters: 0, kpis: true, pipeline: true };
}

window.addEventListener('hashchange', () => mountRoute(true));

// ---- live stream ---------------------------------------------------------------------------
const statusEl = $('#live-status');
const updatedEl = $('#live-updated');

function streamUrl() {
  return `/api/v1/stream?store=${ctx.store}`;
}

const live = new LiveStream({
  url: streamUrl(),
  onFrame(frame) {
    const t0 = performance.now();
    pending = combineChanges(pending, applyFrame(state, frame));
    performance.measure('lf-merge', { start: t0, end: performance.now() });
    // A hidden tab keeps merging but draws nothing (and keeps no change list): it redraws
    // everything when it becomes visible again.
    if (document.hidden) {
      pending = null;
      redrawAllOnShow = true;
      return;
    }
    scheduleRedraw();
  },
  onStatus(s) {
    if (s === 'live') refreshStores();
    statusEl.dataset.state = s;
    document.body.dataset.live = s;
    $('#offline-banner').hidden = s !== 'reconnecting';
    if (s === 'reconnecting' && state.serverTimeMs) setText($('#offline-since'), `${formatClock(state.serverTimeMs, { seconds: true })} UTC`);
    setText(statusEl.querySelector('.status-text'), STATUS_TEXT[s] || s);
  },
});

let redrawAllOnShow = false;
document.addEventListener('visibilitychange', () => {
  if (document.hidden || !redrawAllOnShow) return;
  redrawAllOnShow = false;
  pending = combineChanges(pending, fullChanges());
  scheduleRedraw();
});

function scheduleRedraw() {
  if (frameScheduled) return;
  frameScheduled = true;
  requestAnimationFrame(() => {
    frameScheduled = false;
    const changes = pending;
    pending = null;
    if (!changes || !current) return;
    const t0 = performance.now();
    current.instance.update(changes);
    // Merge and redraw costs, visible in the browser's performance timeline (and to tests).
    performance.measure('lf-render', { start: t0, end: performance.now() });
    trimMeasures();
    document.body.dataset.seq = String(state.seq); // the stream frame now on screen
    // Time from navigation start to the first live figures on screen (read by the browser test).
    if (!document.body.dataset.firstDataMs && state.kpis) document.body.dataset.firstDataMs = String(Math.round(performance.now()));
    if (state.serverTimeMs) setText(updatedEl, `Updated ${formatClock(state.serverTimeMs, { seconds: true })} UTC`);
  });
}

let measures = 0;
function trimMeasures() {
  if (++measures % 600 === 0) performance.clearMeasures(); // keep the timeline bounded
}

// ---- stores --------------------------------------------------------------------------------
const storeSel = $('#store-select');

function chooseStore(id) {
  if (id === ctx.store) return;
  ctx.store = id;
  localStorage.setItem('lf.store', String(id));
  storeSel.value = String(id);
  // Show the new store as empty until its first frame arrives, never the old store's rows.
  resetStoreData(state);
  pending = combineChanges(pending, fullChanges());
  scheduleRedraw();
  live.setUrl(streamUrl());
}

storeSel.addEventListener('change', () => chooseStore(Number(storeSel.value)));

async function refreshStores() {
  try {
    const res = await fetch('/api/v1/stores', { cache: 'no-store' });
    if (!res.ok) return;
    const stores = await res.json();
    if (!Array.isArray(stores) || stores.length === 0) return;
    if (stores.join() !== ctx.stores.join()) {
      ctx.stores = stores;
      storeSel.replaceChildren(...stores.map((s) => h('option', { value: s, text: `Store ${s}` })));
    }
    storeSel.value = String(ctx.store);
    if (!stores.includes(ctx.store)) chooseStore(stores[0]);
  } catch {
    // The engine is restarting; the live status already says so.
  }
}

storeSel.append(h('option', { value: ctx.store, text: `Store ${ctx.store}` }));
storeSel.value = String(ctx.store);
mountRoute(false);
live.start();
refreshStores();
setInterval(refreshStores, 10_000);
