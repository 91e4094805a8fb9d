// Inventory of one store: stock on hand against reorder points, best sellers, incoming
// shipments, and every product in a searchable, sortable table.
import { h, panel, setText, esc } from '../ui/dom.js';
import { createChart, baseOption, axisName, valueAxisStyle, categoryAxisStyle, COLORS } from '../ui/charts.js';
import { createDataTable } from '../ui/datatable.js';
import { formatMoney, formatNumber, formatClock, formatDateTime, formatAgo, formatCompact } from '../lib/format.js';
import { storeRows } from '../lib/state.js';
import { chartRows, bestSellers, CHART_ORDERS } from '../lib/rank.js';

const ROW_PX = 24;

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

    root.append(
      h('div', { class: 'grid grid-3' }, chartPanel.el, h('div', { class: 'stack' }, bsPanel.el, shipPanel.el)),
      h('div', { class: 'grid grid-1' }, tablePanel.el),
    );

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

    return {
      update(changes) {
        if (changes.inventory.length > 0 || changes.reset) pending = true;
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
        chart.dispose();
      },
    };
  },
};
