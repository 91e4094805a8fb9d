// Sales: units and revenue per minute over the last hour of event time, updating live.
import { h, panel, tile, setText } from '../ui/dom.js';
import { createChart, baseOption, axisName, valueAxisStyle, categoryAxisStyle, COLORS } from '../ui/charts.js';
import { createDataTable } from '../ui/datatable.js';
import { formatMoney, formatNumber, formatClock, formatCompact, formatCompactMoney } from '../lib/format.js';
import { salesSeries, seriesTotals } from '../lib/state.js';

export default {
  id: 'sales',
  title: 'Sales',
  description: 'Units and revenue per minute over the last hour, all stores.',
  usesStore: false,
  icon: '<path d="M3.5 18.49l6-6.01 4 4L22 6.92l-1.41-1.41-7.09 7.97-4-4L2 16.99z"/>',

  mount(root, ctx) {
    const tiles = {
      units: tile({ id: 'sales_units_hour', label: 'Units, last hour' }),
      revenue: tile({ id: 'sales_revenue_hour', label: 'Revenue, last hour' }),
      perMin: tile({ id: 'sales_revenue_per_min', label: 'Revenue per minute' }),
      peak: tile({ id: 'sales_peak', label: 'Busiest minute' }),
    };
    const chartPanel = panel({ title: 'Units and revenue per minute', note: 'Last 60 one-minute windows of event time (UTC). Paler bars: windows still open (not yet past the watermark).', id: 'sales-chart-panel' });
    const legend = h(
      'ul',
      { class: 'legend', 'aria-label': 'Legend' },
      h('li', null, h('span', { class: 'swatch', style: `background:${COLORS.primary}` }), 'Units sold (left axis)'),
      h('li', null, h('span', { class: 'swatch line', style: `background:${COLORS.revenue}` }), 'Revenue (right axis)'),
    );
    const chartEl = h('div', { class: 'chart chart-lg', id: 'sales-chart', role: 'img', 'aria-label': 'Units and revenue per minute over the last hour' });
    chartPanel.body.append(legend, chartEl);
    const chart = createChart(chartEl);

    const table = createDataTable({
      id: 'sales-table',
      caption: 'Sales per minute',
      rowKey: (w) => String(w.window_start_ms),
      searchFields: [(w) => formatClock(w.window_start_ms)],
      searchLabel: 'Search minutes',
      searchPlaceholder: 'Find a minute, e.g. 14:05',
      pageSize: 10,
      sort: { key: 'window_start_ms', dir: 'desc' },
      columns: [
        { key: 'window_start_ms', label: 'Minute (UTC)', defaultDir: 'desc', html: (w) => `${formatClock(w.window_start_ms)}–${formatClock(w.window_end_ms)}` },
        { key: 'units', label: 'Units', num: true, html: (w) => formatNumber(w.units) },
        { key: 'revenue', label: 'Revenue', num: true, html: (w) => formatMoney(w.revenue) },
        { key: 'sale_lines', label: 'Sale lines', num: true, html: (w) => formatNumber(w.sale_lines) },
        { key: 'units_received', label: 'Units received', num: true, html: (w) => formatNumber(w.units_received) },
        { key: 'final', label: 'Window', html: (w) => (w.final ? '<span class="badge badge-muted">Final</span>' : '<span class="badge badge-live">Open</span>') },
        { key: 'late_updates', label: 'Late updates', num: true, html: (w) => formatNumber(w.late_updates) },
      ],
      emptyText: 'No sales yet.',
    });
    const tablePanel = panel({ title: 'Minute by minute', note: 'Late events update their window and raise its version', id: 'sales-table-panel' });
    tablePanel.body.append(table.el);

    root.append(h('div', { class: 'tiles tiles-4' }, Object.values(tiles).map((t) => t.el)), h('div', { class: 'grid grid-1' }, chartPanel.el, tablePanel.el));

    function render() {
      const series = salesSeries(ctx.state, 60);
      const t = seriesTotals(series);
      const active = series.filter((w) => !w.empty).length || 1;
      tiles.units.set(formatNumber(t.units), `${formatNumber(series.reduce((n, w) => n + w.sale_lines, 0))} sale lines`);
      tiles.revenue.set(formatMoney(t.revenue), 'all stores');
      tiles.perMin.set(formatMoney(t.revenue / active), `average over ${active} active minute${active === 1 ? '' : 's'}`);
      tiles.peak.set(t.peak ? formatClock(t.peak.window_start_ms) : '—', t.peak ? `${formatMoney(t.peak.revenue)} · ${formatNumber(t.peak.units)} units` : 'no sales yet');
      chartEl.dataset.points = String(series.length);
      chartEl.dataset.lastUnits = String(series.length ? series[series.length - 1].units : 0);
      chart.set({
        ...baseOption,
        grid: { left: 56, right: 72, top: 36, bottom: 48 },
        tooltip: {
          ...baseOption.tooltip,
          formatter(params) {
            const w = series[params[0].dataIndex];
            if (!w) return '';
            return `<strong>${formatClock(w.window_start_ms)}–${formatClock(w.window_end_ms)} UTC</strong>${w.final ? '' : ' <em>(open)</em>'}<br>Units: <b>${formatNumber(w.units)}</b><br>Revenue: <b>${formatMoney(w.revenue)}</b><br>Sale lines: ${formatNumber(w.sale_lines)}`;
          },
        },
        xAxis: {
          type: 'category',
          data: series.map((w) => formatClock(w.window_start_ms)),
          ...categoryAxisStyle,
          ...axisName('Minute (UTC)'),
          nameLocation: 'middle',
          nameGap: 30,
          axisLabel: { ...categoryAxisStyle.axisLabel, interval: (i, v) => v.endsWith('0') || v.endsWith('5') },
        },
        yAxis: [
          {
            type: 'value',
            ...valueAxisStyle,
            ...axisName('Units / min'),
            axisLabel: { ...valueAxisStyle.axisLabel, formatter: (v) => formatCompact(v) },
          },
          {
            type: 'value',
            ...valueAxisStyle,
            ...axisName('Revenue / min'),
            alignTicks: true,
            splitLine: { show: false },
            axisLabel: { ...valueAxisStyle.axisLabel, formatter: (v) => formatCompactMoney(v) },
          },
        ],
        series: [
          {
            name: 'Units',
            type: 'bar',
            barMaxWidth: 14,
            data: series.map((w) => ({ value: w.units, itemStyle: { color: w.final ? COLORS.primary : COLORS.primarySoft, borderRadius: [2, 2, 0, 0] } })),
          },
          {
            name: 'Revenue',
            type: 'line',
            yAxisIndex: 1,
                        showSymbol: false,
            data: series.map((w) => w.revenue),
            lineStyle: { width: 2, color: COLORS.revenue },
            itemStyle: { color: COLORS.revenue },
          },
        ],
      });
      table.setRows(series.filter((w) => !w.empty));
    }

    return {
      update(changes) {
        if (changes.sales || changes.reset || changes.pipeline) render();
      },
      destroy() {
        chart.dispose();
      },
    };
  },
};
