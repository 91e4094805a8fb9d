// Inventory of one store: stock on hand against reorder points, best sellers, incoming
// shipments, reorder recommendations (/api/v1/reorder: safety stock, reorder point, EOQ and
// projected stock-out from the product's own daily demand, at a service level the user can
// change) and every product in a searchable, sortable table.
import { h, panel, setText, esc } from '../ui/dom.js';
import { createChart, baseOption, axisName, valueAxisStyle, categoryAxisStyle, COLORS } from '../ui/charts.js';
import { createDataTable } from '../ui/datatable.js';
import { formatMoney, formatNumber, formatClock, formatDateTime, formatAgo, formatCompact } from '../lib/format.js';
import { storeRows } from '../lib/state.js';
import { chartRows, bestSellers, CHART_ORDERS } from '../lib/rank.js';
import { getJson } from '../lib/api.js';
import { createRefresher, createLatest } from '../lib/refresh.js';
import { buildQuery } from '../lib/query.js';
import { reorderRows, reorderSummary, formatUnits, formatDemand, formatSupplyDays, formatLeadTime, parseServiceLevel } from '../lib/reorder.js';

const ROW_PX = 24;
const REORDER_LIMIT = 200; // the most urgent lines of the store; the API counts all reorder-now lines

function timed(name, fn) {
  const t0 = performance.now();
  fn();
  performance.measure(name, { start: t0, end: performance.now() });
}

export default {
  id: 'inventory',
  title: 'Inventory',
  description: 'Stock on hand per product against its reorder point.',
  usesStore: true,
  icon: '<path d="M20 2H4c-1 0-2 .9-2 2v3.01c0 .72.43 1.34 1 1.69V20c0 1.1 1.1 2 2 2h14c.9 0 2-.9 2-2V8.7c.57-.35 1-.97 1-1.69V4c0-1.1-1-2-2-2zm-5 12H9v-2h6v2zm5-7H4V4h16v3z"/>',

  mount(root, ctx) {
    const prefs = { order: localStorage.getItem('lf.inv.order') || 'risk', limit: Number(localStorage.getItem('lf.inv.limit')) || 25 };
    if (!CHART_ORDERS[prefs.order]) prefs.order = 'risk';

    // Stock chart.
    const orderSel = h('select', { id: 'inv-order', class: 'select' }, Object.entries(CHART_ORDERS).map(([k, o]) => h('option', { value: k, text: o.label, selected: k === prefs.order })));
    const limitSel = h('select', { id: 'inv-limit', class: 'select' }, [25, 50, 100].map((n) => h('option', { value: n, text: `Top ${n}`, selected: n === prefs.limit })));
    const controls = h(
      'div',
      { class: 'controls' },
      h('label', { for: 'inv-order', class: 'sr-only', text: 'Order products by' }),
      orderSel,
      h('label', { for: 'inv-limit', class: 'sr-only', text: 'Products shown' }),
      limitSel,
    );
    const chartPanel = panel({ title: 'Units left vs reorder point', note: '', actions: controls, cls: 'span-2', id: 'inv-stock' });
    const legend = h(
      'ul',
      { class: 'legend', 'aria-label': 'Legend' },
      h('li', null, h('span', { class: 'swatch', style: `background:${COLORS.primary}` }), 'Units left'),
      h('li', null, h('span', { class: 'swatch', style: `background:${COLORS.danger}` }), 'At or below reorder point'),
      h('li', null, h('span', { class: 'diamond', 'aria-hidden': 'true' }), 'Reorder point'),
    );
    const chartEl = h('div', { class: 'chart', id: 'inventory-chart', role: 'img', 'aria-label': 'Units left per product with reorder points' });
    const chartNote = h('p', { class: 'chart-foot muted' });
    chartPanel.body.append(legend, chartEl, chartNote);
    const chart = createChart(chartEl);
    orderSel.addEventListener('change', () => {
      prefs.order = orderSel.value;
      localStorage.setItem('lf.inv.order', prefs.order);
      renderChart();
    });
    limitSel.addEventListener('change', () => {
      prefs.limit = Number(limitSel.value);
      localStorage.setItem('lf.inv.limit', String(prefs.limit));
      renderChart();
    });

    // Best sellers, by units or by revenue.
    let bsMode = 'units';
    const bsButtons = ['units', 'revenue'].map((m) => {
      const b = h('button', { type: 'button', class: 'seg', 'aria-pressed': String(m === bsMode), dataset: { mode: m }, text: m === 'units' ? 'By units' : 'By revenue' });
      b.addEventListener('click', () => {
        bsMode = m;
        for (const x of bsButtons) x.setAttribute('aria-pressed', String(x.dataset.mode === bsMode));
        renderBest();
      });
      return b;
    });
    const bsPanel = panel({ title: 'Best sellers', note: '', actions: h('div', { class: 'segmented', role: 'group', 'aria-label': 'Rank best sellers' }, bsButtons), id: 'inv-best' });
    const bsList = h('ol', { class: 'rank-list', id: 'best-sellers' });
    bsPanel.body.append(bsList);

    // Incoming shipments.
    const shipPanel = panel({ title: 'Incoming shipments', note: 'Newest first', id: 'inv-ship' });
    const shipList = h('ul', { class: 'feed', id: 'inv-shipments' });
    shipPanel.body.append(shipList);

    // Every product.
    const table = createDataTable({
      id: 'inventory-table',
      caption: 'Inventory by product',
      rowKey: (r) => `${r.store_id}:${r.prod_id}`,
      searchFields: ['prod_name', 'prod_id'],
      searchLabel: 'Search products',
      searchPlaceholder: 'Search product name or id…',
      pageSize: 25,
      sort: { key: 'unit_left', dir: 'asc' },
      tieKey: 'prod_id',
      rowClass: (r) => (r.below_reorder ? 'row-alert' : ''),
      filters: [{ id: 'below', label: 'Below reorder point only', test: (r) => r.below_reorder }],
      columns: [
        { key: 'prod_id', label: 'ID', num: true, defaultDir: 'asc' },
        { key: 'prod_name', label: 'Product', html: (r) => `${esc(r.prod_name)}${r.unknown_product ? ' <span class="chip">not in catalog</span>' : ''}` },
        { key: 'unit_left', label: 'Units left', num: true, defaultDir: 'asc', html: (r) => formatNumber(r.unit_left) },
        { key: 'reorder_point', label: 'Reorder at', num: true, html: (r) => formatNumber(r.reorder_point) },
        {
          key: 'below_reorder',
          label: 'Status',
          defaultDir: 'desc',
          html: (r) => (r.below_reorder ? '<span class="badge badge-danger">Reorder</span>' : '<span class="badge badge-ok">OK</span>'),
        },
        { key: 'total_sold', label: 'Sold', num: true, html: (r) => formatNumber(r.total_sold) },
        { key: 'total_received', label: 'Received', num: true, html: (r) => formatNumber(r.total_received) },
        { key: 'revenue', label: 'Revenue', num: true, html: (r) => formatMoney(r.revenue) },
        { key: 'value_at_cost', label: 'Value at cost', num: true, html: (r) => formatMoney(r.value_at_cost) },
        { key: 'last_event_time', label: 'Last event', defaultDir: 'desc', html: (r) => `<time datetime="${esc(r.last_event_time)}" title="${esc(formatDateTime(r.last_event_time))} UTC">${esc(formatClock(r.last_event_time, { seconds: true }))}</time>` },
      ],
      emptyText: 'No products in this store yet.',
    });
    const tablePanel = panel({ title: 'All products', note: '', id: 'inv-table' });
    tablePanel.body.append(table.el);

    // Reorder recommendations for the selected store, most urgent first (the API's order).
    const slIn = h('input', { id: 'reorder-sl', class: 'input input-sl', type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'reorder-error' });
    const slForm = h(
      'form',
      { class: 'form-row reorder-form', id: 'reorder-form', novalidate: true },
      h('div', { class: 'field' }, h('label', { for: 'reorder-sl', text: 'Service level (0.5–0.999)' }), slIn),
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'reorder-apply', text: 'Apply' }),
    );
    const slError = h('p', { class: 'form-error', id: 'reorder-error', role: 'alert' });
    const reorderTable = createDataTable({
      id: 'reorder-table',
      caption: 'Reorder recommendations',
      rowKey: (r) => r.key,
      searchFields: ['prod_name', 'prod_id'],
      searchLabel: 'Search reorder recommendations',
      searchPlaceholder: 'Search product name or id…',
      pageSize: 10,
      sort: { key: 'rank', dir: 'asc' },
      tieKey: 'rank',
      rowClass: (r) => (r.reorder_now ? 'row-reorder' : ''),
      filters: [{ id: 'now', label: 'Reorder now only', test: (r) => r.reorder_now }],
      columns: [
        { key: 'rank', label: '#', num: true, defaultDir: 'asc' },
        { key: 'reorder_now', label: 'Action', defaultDir: 'desc', html: (r) => (r.reorder_now ? '<span class="badge badge-danger" data-reorder-now="true">Reorder now</span>' : '<span class="badge badge-ok">OK</span>') },
        { key: 'prod_name', label: 'Product', html: (r) => `${esc(r.prod_name)} <small>#${esc(r.prod_id)}</small>` },
        { key: 'store_id', label: 'Store', num: true, html: (r) => esc(formatNumber(r.store_id)) },
        { key: 'on_hand', label: 'On hand', num: true, defaultDir: 'asc', html: (r) => esc(formatUnits(r.on_hand)) },
        { key: 'demand_mean', label: 'Demand/day ± sd', num: true, html: (r) => `<span title="${esc(`${formatNumber(r.demand_days)} days of demand`)}">${esc(formatDemand(r.demand_mean, r.demand_stddev))}</span>` },
        { key: 'lead_time_days', label: 'Lead time', num: true, html: (r) => `<span title="${esc(r.lead_time_supplier ? `supplier ${r.lead_time_supplier}'s lead time` : 'no supplier known: the configured lead time')}">${esc(formatLeadTime(r.lead_time_days, r.lead_time_supplier))}</span>` },
        { key: 'safety_stock', label: 'Safety stock', num: true, html: (r) => esc(formatUnits(r.safety_stock)) },
        { key: 'reorder_point', label: 'Reorder point', num: true, html: (r) => esc(formatUnits(r.reorder_point)) },
        { key: 'eoq', label: 'EOQ', num: true, html: (r) => esc(formatUnits(r.eoq)) },
        { key: 'days_of_supply', label: 'Days of supply', num: true, defaultDir: 'asc', html: (r) => esc(formatSupplyDays(r.days_of_supply)) },
        { key: 'stockout_day', label: 'Stock-out', defaultDir: 'asc', html: (r) => (r.stockout_day ? `<time datetime="${esc(r.stockout_day)}">${esc(r.stockout_day)}</time>` : '—') },
      ],
      emptyText: 'No product of this store has sold yet: no demand to plan from.',
    });
    const reorderPanel = panel({ title: 'Reorder recommendations', note: '', id: 'inv-reorder' });
    const reorderFoot = h('p', { class: 'chart-foot muted', id: 'reorder-foot' });
    reorderPanel.body.append(slForm, slError, reorderTable.el, reorderFoot);

    root.append(
      h('div', { class: 'grid grid-3' }, chartPanel.el, h('div', { class: 'stack' }, bsPanel.el, shipPanel.el)),
      h('div', { class: 'grid grid-1' }, reorderPanel.el),
      h('div', { class: 'grid grid-1' }, tablePanel.el),
    );

    // ---- reorder recommendations: re-read while events arrive -----------------------------
    let serviceLevel = ''; // as sent (exact decimal text), '' = the engine's default
    const reorderLatest = createLatest();
    async function loadReorder() {
      const store = ctx.store;
      const query = buildQuery({ store, limit: REORDER_LIMIT, service_level: serviceLevel });
      const t = reorderLatest.next();
      const r = await getJson(`/api/v1/reorder${query}`);
      if (!reorderLatest.isCurrent(t) || store !== ctx.store) return;
      if (!r.ok) {
        if (r.status === 404) setText(slError, 'This engine does not serve /api/v1/reorder.');
        else if (r.status) setText(slError, `The reorder recommendations could not be read: ${r.error}`);
        return;
      }
      setText(slError, '');
      const rows = reorderRows(r.data);
      setText(reorderPanel.el.querySelector('.panel-note'), `Store ${store} · ${reorderSummary(r.data, rows.length)} · most urgent first`);
      setText(
        reorderFoot,
        `As of ${r.data.as_of ?? '—'}. Safety stock = z × sd × √lead time (z ${formatNumber(rows[0]?.z, { digits: 3 })}); reorder point = mean × lead time + safety stock; EOQ = √(2 × demand × order cost / holding cost); "Reorder now": on hand at or below the reorder point.${rows.length >= REORDER_LIMIT ? ` Showing the ${REORDER_LIMIT} most urgent products.` : ''}`,
      );
      if (!slIn.value && typeof r.data.service_level === 'number') slIn.placeholder = `${r.data.service_level} (default)`;
      Object.assign(reorderPanel.el.dataset, { query, store: String(store), asOf: r.data.as_of ?? '', reorderNow: String(r.data.reorder_now ?? ''), serviceLevel: String(r.data.service_level ?? '') });
      reorderTable.setRows(rows);
    }
    const reorder = createRefresher(loadReorder);
    slForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = parseServiceLevel(slIn.value);
      slIn.toggleAttribute('aria-invalid', Boolean(v.error));
      if (v.error) {
        setText(slError, v.error);
        return;
      }
      setText(slError, '');
      serviceLevel = v.value ?? '';
      reorder.request(true);
    });

    let rows = [];

    function renderChart() {
      const shown = chartRows(rows, { order: prefs.order, limit: prefs.limit });
      const below = rows.reduce((n, r) => n + (r.below_reorder ? 1 : 0), 0);
      setText(chartPanel.el.querySelector('.panel-note'), `Store ${ctx.store ?? '—'} · ${formatNumber(below)} of ${formatNumber(rows.length)} products at or below reorder point`);
      setText(chartNote, rows.length > shown.length ? `Showing ${shown.length} of ${formatNumber(rows.length)} products (${CHART_ORDERS[prefs.order].label.toLowerCase()}). The table below lists all of them.` : rows.length ? `All ${formatNumber(rows.length)} products.` : 'Waiting for inventory…');
      // The bar values as rendered, for tests and for anyone inspecting the page.
      const bars = JSON.stringify(shown.map((r) => ({ prod_id: r.prod_id, name: r.prod_name, unit_left: r.unit_left, reorder_point: r.reorder_point, below: r.below_reorder })));
      chartEl.dataset.store = String(ctx.store ?? '');
      if (bars === chartEl.dataset.bars) return; // nothing on the chart changed
      chartEl.dataset.bars = bars;
      const height = `${Math.max(160, shown.length * ROW_PX + 72)}px`;
      if (chartEl.style.height !== height) {
        chartEl.style.height = height;
        chart.chart.resize();
      }
      chart.set(
        {
          ...baseOption,
          grid: { left: 8, right: 12, top: 8, bottom: 40, containLabel: true },
          tooltip: {
            ...baseOption.tooltip,
            formatter(params) {
              const r = shown[params[0].dataIndex];
              if (!r) return '';
              return `<strong>${esc(r.prod_name)}</strong><br>Units left: <b>${formatNumber(r.unit_left)}</b><br>Reorder point: ${formatNumber(r.reorder_point)}<br>${r.below_reorder ? '<span style="color:#fca5a5">At or below reorder point</span>' : 'Above reorder point'}`;
            },
          },
          yAxis: [
            {
              type: 'category',
              inverse: true,
              data: shown.map((r) => r.prod_name),
              ...categoryAxisStyle,
              axisLabel: { ...categoryAxisStyle.axisLabel, width: 150, overflow: 'truncate' },
            },
            {
              // Units left as a column on the right: always legible, never under a diamond.
              type: 'category',
              inverse: true,
              position: 'right',
              data: shown.map((r) => r.unit_left),
              axisLine: { show: false },
              axisTick: { show: false },
              axisLabel: {
                fontSize: 11,
                margin: 10,
                formatter: (v, i) => (shown[i]?.below_reorder ? `{low|${formatNumber(Number(v))}}` : `{ok|${formatNumber(Number(v))}}`),
                rich: { ok: { color: '#334155', fontWeight: 600, fontSize: 11 }, low: { color: COLORS.danger, fontWeight: 700, fontSize: 11 } },
              },
            },
          ],
          xAxis: {
            type: 'value',
            ...valueAxisStyle,
            ...axisName('Units left'),
            nameLocation: 'middle',
            nameGap: 26,
            axisLabel: { ...valueAxisStyle.axisLabel, formatter: (v) => formatCompact(v) },
          },
          series: [
            {
              name: 'Units left',
              type: 'bar',
              barMaxWidth: 16,
              data: shown.map((r) => ({
                value: r.unit_left,
                itemStyle: { color: r.below_reorder ? COLORS.danger : COLORS.primary, borderRadius: [0, 3, 3, 0] },
              })),
            },
            {
              name: 'Reorder point',
              type: 'scatter',
              symbol: 'diamond',
              symbolSize: 13,
              z: 5,
              data: shown.map((r) => r.reorder_point),
              itemStyle: { color: COLORS.ink, borderColor: '#ffffff', borderWidth: 1.5 },
            },
          ],
        },
      );
    }

    function renderBest() {
      const { byUnits, byRevenue } = bestSellers(rows, 10);
      const list = bsMode === 'units' ? byUnits : byRevenue;
      setText(bsPanel.el.querySelector('.panel-note'), `Store ${ctx.store ?? '—'}, top ${list.length || 10} ${bsMode === 'units' ? 'by units sold' : 'by revenue'}`);
      bsList.dataset.mode = bsMode;
      if (!list.length) {
        bsList.innerHTML = '<li class="empty">No sales yet.</li>';
        return;
      }
      const max = bsMode === 'units' ? list[0].total_sold : list[0].revenue;
      bsList.innerHTML = list
        .map((r, i) => {
          const v = bsMode === 'units' ? r.total_sold : r.revenue;
          const pct = max > 0 ? (100 * v) / max : 0;
          const main = bsMode === 'units' ? `${formatNumber(r.total_sold)} <small>units</small>` : formatMoney(r.revenue);
          const other = bsMode === 'units' ? formatMoney(r.revenue) : `${formatNumber(r.total_sold)} units`;
          return `<li data-prod-id="${r.prod_id}"><span class="rank-pos">${i + 1}</span><span class="rank-name">${esc(r.prod_name)}</span><span class="rank-val num">${main}</span><span class="meter" aria-hidden="true"><span style="width:${pct.toFixed(1)}%"></span></span><span class="rank-sub">${other}</span></li>`;
        })
        .join('');
    }

    function renderShipments() {
      const now = ctx.state.serverTimeMs;
      const list = ctx.state.shipments.slice(0, 7);
      shipList.innerHTML = list.length
        ? list
            .map(
              (s) =>
                `<li><span class="feed-main">${esc(s.prod_name)}</span><span class="feed-qty num">+${formatNumber(s.units)} <small>units</small></span><time datetime="${esc(s.dt)}" class="feed-time">${formatClock(s.dt, { seconds: true })} UTC · ${formatAgo(s.dt, now)}</time></li>`,
            )
            .join('')
        : '<li class="empty">No shipments yet.</li>';
    }

    function renderTable() {
      setText(tablePanel.el.querySelector('.panel-note'), `Store ${ctx.store ?? '—'} · sort by any column, search by name or id · times in UTC`);
      table.setRows(rows);
    }

    // A store with thousands of products redraws at most once a second (each redraw ranks and
    // sorts every row); small stores redraw on every frame.
    let pending = false;
    let lastDraw = 0;
    let lastSeen = -1;

    return {
      update(changes) {
        if (changes.inventory.length > 0 || changes.reset) pending = true;
        // Reorder lines depend on the store's stock and on the day of the newest event (their
        // demand window and stock-out days): re-read while events arrive, at most once a second.
        const seen = ctx.state.pipeline?.events_accepted ?? -1;
        if (changes.reset || seen !== lastSeen) {
          lastSeen = seen;
          reorder.request(Boolean(changes.reset));
        }
        const now = performance.now();
        const heavy = (ctx.state.byStore.get(ctx.store)?.size || 0) > 3000;
        if (pending && (changes.reset || !heavy || now - lastDraw >= 1000)) {
          pending = false;
          lastDraw = now;
          rows = storeRows(ctx.state, ctx.store);
          timed('lf-inventory-chart', renderChart);
          timed('lf-inventory-best', renderBest);
          timed('lf-inventory-table', renderTable);
        }
        if (changes.shipments || changes.reset || changes.pipeline) renderShipments();
      },
      destroy() {
        reorder.stop();
        reorderLatest.next(); // drop any answer still on its way
        chart.dispose();
      },
    };
  },
};
