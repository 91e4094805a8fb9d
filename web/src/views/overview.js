// Overview: the business at a glance — today's KPIs, revenue per minute, what needs reordering.
import { h, panel, tile, setText, esc } from '../ui/dom.js';
import { createChart, baseOption, axisName, valueAxisStyle, categoryAxisStyle, COLORS } from '../ui/charts.js';
import { formatMoney, formatNumber, formatRate, formatClock, formatCompactMoney, formatAgo, plural } from '../lib/format.js';
import { salesSeries, seriesTotals, storeRows } from '../lib/state.js';
import { chartRows } from '../lib/rank.js';

export default {
  id: 'overview',
  title: 'Overview',
  description: 'Today across all stores, live.',
  usesStore: true,
  icon: '<path d="M3 13h8V3H3zm0 8h8v-6H3zm10 0h8V11h-8zm0-18v6h8V3z"/>',

  mount(root, ctx) {
    const tiles = {
      revenue: tile({ id: 'revenue_today', label: 'Revenue today' }),
      units: tile({ id: 'units_sold_today', label: 'Units sold today' }),
      value: tile({ id: 'inventory_value_at_cost', label: 'Inventory value at cost' }),
      below: tile({ id: 'below_reorder', label: 'Below reorder point' }),
      shipments: tile({ id: 'shipments_today', label: 'Shipments received today' }),
      eps: tile({ id: 'events_per_s', label: 'Events per second' }),
    };
    const tileGrid = h('div', { class: 'tiles tiles-6' }, Object.values(tiles).map((t) => t.el));

    const salesPanel = panel({ title: 'Revenue per minute', note: 'Last 60 minutes of event time, all stores (UTC)', cls: 'span-2', id: 'ov-sales' });
    const chartEl = h('div', { class: 'chart chart-md', role: 'img', 'aria-label': 'Revenue per minute over the last hour' });
    const salesSummary = h('p', { class: 'chart-summary' });
    salesPanel.body.append(salesSummary, chartEl);
    const chart = createChart(chartEl);

    const reorderPanel = panel({ title: 'Needs reordering', note: '', id: 'ov-reorder' });
    const reorderList = h('ol', { class: 'rank-list' });
    reorderPanel.body.append(reorderList);

    const shipPanel = panel({ title: 'Latest shipments', note: '', id: 'ov-ship' });
    const shipList = h('ul', { class: 'feed' });
    shipPanel.body.append(shipList);

    root.append(tileGrid, h('div', { class: 'grid grid-3' }, salesPanel.el, h('div', { class: 'stack' }, reorderPanel.el, shipPanel.el)));

    function renderTiles() {
      const k = ctx.state.kpis;
      const p = ctx.state.pipeline;
      if (!k) return;
      tiles.revenue.set(formatMoney(k.revenue_today), `${k.day} (UTC)`);
      tiles.units.set(formatNumber(k.units_sold_today), 'units across all stores');
      tiles.value.set(formatMoney(k.inventory_value_at_cost), `${formatNumber(k.products)} product × store lines`);
      tiles.below.set(formatNumber(k.below_reorder), k.below_reorder ? 'product × store lines to reorder' : 'all stock above reorder point', k.below_reorder ? 'danger' : 'ok');
      tiles.shipments.set(formatNumber(k.shipments_today), `${formatNumber(k.units_received_today)} units received`);
      tiles.eps.set(formatRate(k.events_per_s), p ? `${formatNumber(p.events_accepted)} events accepted` : '');
    }

    function renderSales() {
      const series = salesSeries(ctx.state, 60);
      const t = seriesTotals(series);
      setText(salesSummary, series.length ? `${formatMoney(t.revenue)} from ${formatNumber(t.units)} units in the last hour` : 'Waiting for sales…');
      chart.set({
        ...baseOption,
        grid: { left: 64, right: 16, top: 24, bottom: 44 },
        xAxis: {
          type: 'category',
          data: series.map((w) => formatClock(w.window_start_ms)),
          ...categoryAxisStyle,
          ...axisName('Minute (UTC)'),
          nameLocation: 'middle',
          nameGap: 28,
          axisLabel: { ...categoryAxisStyle.axisLabel, interval: (i, v) => v.endsWith('0') },
          boundaryGap: false,
        },
        yAxis: {
          type: 'value',
          ...valueAxisStyle,
          ...axisName('Revenue / min'),
          axisLabel: { ...valueAxisStyle.axisLabel, formatter: (v) => formatCompactMoney(v) },
        },
        tooltip: { ...baseOption.tooltip, axisPointer: { type: 'line' }, valueFormatter: (v) => formatMoney(v) },
        series: [
          {
            name: 'Revenue',
            type: 'line',
                        showSymbol: false,
            data: series.map((w) => w.revenue),
            lineStyle: { width: 2, color: COLORS.primary },
            itemStyle: { color: COLORS.primary },
            areaStyle: { color: 'rgba(37,99,235,0.10)' },
          },
        ],
      });
    }

    function renderReorder() {
      const store = ctx.store;
      setText(reorderPanel.el.querySelector('.panel-note'), store ? `Store ${store}, most urgent first` : '');
      const all = storeRows(ctx.state, store);
      const rows = all.filter((r) => r.below_reorder);
      const top = chartRows(rows, { order: 'risk', limit: 5 });
      if (!top.length) {
        reorderList.innerHTML = `<li class="empty">${all.length ? 'Every product is above its reorder point.' : 'Waiting for this store’s stock…'}</li>`;
        return;
      }
      reorderList.innerHTML = top
        .map((r) => {
          const pct = r.reorder_point > 0 ? Math.max(0, Math.min(100, (100 * r.unit_left) / r.reorder_point)) : 0;
          return `<li><span class="rank-name">${esc(r.prod_name)}</span><span class="rank-val num">${formatNumber(r.unit_left)} <small>left</small></span><span class="meter danger" aria-hidden="true"><span style="width:${pct.toFixed(1)}%"></span></span><span class="rank-sub">reorder at ${formatNumber(r.reorder_point)}</span></li>`;
        })
        .join('') + (rows.length > top.length ? `<li class="more"><a href="#/inventory">${plural(rows.length - top.length, 'more product')} below reorder point →</a></li>` : '');
    }

    function renderShipments() {
      const store = ctx.store;
      setText(shipPanel.el.querySelector('.panel-note'), store ? `Received at store ${store}` : '');
      const now = ctx.state.serverTimeMs;
      const list = ctx.state.shipments.slice(0, 5);
      shipList.innerHTML = list.length
        ? list
            .map(
              (s) =>
                `<li><span class="feed-main">${esc(s.prod_name)}</span><span class="feed-qty num">+${formatNumber(s.units)} <small>units</small></span><time datetime="${esc(s.dt)}" class="feed-time">${formatClock(s.dt, { seconds: true })} UTC · ${formatAgo(s.dt, now)}</time></li>`,
            )
            .join('')
        : '<li class="empty">No shipments yet.</li>';
    }

    return {
      update(changes) {
        if (changes.kpis || changes.reset) renderTiles();
        if (changes.sales || changes.reset || changes.pipeline) renderSales();
        if (changes.inventory.length || changes.reset) renderReorder();
        if (changes.shipments || changes.reset || changes.pipeline) renderShipments();
      },
      destroy() {
        chart.dispose();
      },
    };
  },
};
