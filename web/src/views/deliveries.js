// Deliveries & orders: the DataCo order-line marts (docs/MARTS.md) — late rate by shipping mode
// and market, delay by delivery status, committed funds by department and market, monthly
// sales and profit, customer retention and the suspected-fraud share. The marts are read from
// /api/v1/marts/* (they are not in the live stream); the view re-reads them at most once a
// second while the pipeline reports new events, so they follow a file as it streams in.
import { h, panel, tile, esc } from '../ui/dom.js';
import { createChart, baseOption, axisName, valueAxisStyle, categoryAxisStyle, COLORS } from '../ui/charts.js';
import { formatNumber, formatPercent, formatCompactMoney, formatMoney } from '../lib/format.js';

const MARTS = ['payment_delays', 'financial_commitments', 'fraud_detection?limit=10', 'overall_performance', 'customer_retention'];
const PALETTE = [COLORS.primary, COLORS.revenue, COLORS.ok, COLORS.warn, COLORS.danger, COLORS.muted];

async function fetchMarts() {
  const answers = await Promise.all(MARTS.map((m) => fetch(`/api/v1/marts/${m}`).then((r) => (r.ok ? r.json() : null))));
  return Object.fromEntries(MARTS.map((m, i) => [m.split('?')[0], answers[i]]));
}

function ratio(a, b) {
  return b ? a / b : 0;
}

// A horizontal bar per category: rates (0..1) or plain values.
function barOption(names, values, { percent = false, color = COLORS.primary, label = '' } = {}) {
  return {
    ...baseOption,
    grid: { left: 128, right: 40, top: 16, bottom: 36 },
    xAxis: { type: 'value', ...valueAxisStyle, ...axisName(label), nameLocation: 'middle', nameGap: 24, axisLabel: { ...valueAxisStyle.axisLabel, formatter: (v) => (percent ? formatPercent(v, { digits: 0 }) : formatNumber(v, { digits: 1 })) } },
    yAxis: { type: 'category', data: names, inverse: true, ...categoryAxisStyle },
    tooltip: { ...baseOption.tooltip, valueFormatter: (v) => (percent ? formatPercent(v) : formatNumber(v, { digits: 2 })) },
    series: [{ type: 'bar', data: values, itemStyle: { color, borderRadius: [0, 3, 3, 0] }, barMaxWidth: 22 }],
  };
}

export default {
  id: 'deliveries',
  title: 'Deliveries & orders',
  description: 'DataCo order lines: delivery delays, late rates, committed funds, monthly sales and profit, retention and suspected fraud.',
  usesStore: false,
  icon: '<path d="M20 8h-3V4H3c-1.1 0-2 .9-2 2v11h2a3 3 0 006 0h6a3 3 0 006 0h2v-5l-3-4zM6 18.5a1.5 1.5 0 110-3 1.5 1.5 0 010 3zm13.5-9l1.96 2.5H17V9.5h2.5zM18 18.5a1.5 1.5 0 110-3 1.5 1.5 0 010 3z"/>',

  mount(root, ctx) {
    const tiles = {
      lines: tile({ id: 'dataco_lines', label: 'Order lines' }),
      late: tile({ id: 'dataco_late_rate', label: 'Late-delivery rate' }),
      committed: tile({ id: 'dataco_committed', label: 'Committed funds' }),
      fraud: tile({ id: 'dataco_fraud_share', label: 'Suspected-fraud orders' }),
    };
    const charts = {};
    const marketLegend = h('ul', { class: 'legend', 'aria-label': 'Markets' });
    const panels = [
      ['late_mode', 'Late-delivery rate by shipping mode', 'Share of lines with Late_delivery_risk = 1'],
      ['late_market', 'Late-delivery rate by market', 'Share of lines with Late_delivery_risk = 1'],
      ['delay', 'Shipping delay by delivery status', 'Average of real − scheduled shipping days per line'],
      ['fraud', 'Suspected-fraud share of orders', 'By payment type and by market'],
      ['commitments', 'Committed funds by department and market', 'Sum of Order Item Total; markets stacked'],
      ['monthly', 'Sales and profit by month', 'Bars: sales; line: profit (order date, UTC)'],
      ['retention', 'Customer retention by month', 'Customers with an order in an earlier month, share of the month\'s customers'],
    ].map(([key, title, note]) => {
      const p = panel({ title, note, id: `dc-${key}`, cls: ['commitments', 'monthly', 'retention'].includes(key) ? 'span-2' : '' });
      const el = h('div', { class: 'chart chart-md', id: `dataco-${key}-chart`, role: 'img', 'aria-label': title });
      if (key === 'commitments') p.body.append(marketLegend);
      p.body.append(el);
      charts[key] = createChart(el);
      return p.el;
    });
    const empty = h('p', { class: 'empty', id: 'dataco-empty', text: 'No order lines yet: load a DataCo file with `ledgerflow ingest FILE.csv --format dataco --to http://HOST:PORT`.' });
    root.append(h('div', { class: 'tiles tiles-4' }, Object.values(tiles).map((t) => t.el)), empty, h('div', { class: 'grid grid-2' }, panels));

    function render(m) {
      const pd = m.payment_delays;
      if (!pd) return;
      empty.hidden = pd.lines > 0;
      const modes = pd.late_rate_by_shipping_mode;
      const late = modes.reduce((a, r) => a + r.late_lines, 0);
      tiles.lines.set(formatNumber(pd.lines), `${formatNumber(m.fraud_detection?.customers_total ?? 0)} customers`);
      tiles.late.set(formatPercent(ratio(late, pd.lines)), `${formatNumber(late)} late lines`, ratio(late, pd.lines) > 0.5 ? 'warn' : null);
      const rows = m.financial_commitments?.rows ?? [];
      const committed = rows.reduce((a, r) => a + r.committed, 0);
      const fulfilled = rows.reduce((a, r) => a + r.fulfilled_lines, 0);
      tiles.committed.set(formatCompactMoney(committed), `${formatPercent(ratio(fulfilled, pd.lines))} of lines fulfilled`);
      const byType = m.fraud_detection?.by_payment_type ?? [];
      const orders = byType.reduce((a, r) => a + r.orders, 0);
      const fraud = byType.reduce((a, r) => a + r.suspected_fraud_orders, 0);
      tiles.fraud.set(formatPercent(ratio(fraud, orders)), `${formatNumber(fraud)} of ${formatNumber(orders)} orders`, fraud ? 'danger' : 'ok');

      charts.late_mode.set(barOption(modes.map((r) => r.shipping_mode), modes.map((r) => r.late_rate), { percent: true, color: COLORS.warn }));
      const markets = pd.late_rate_by_market;
      charts.late_market.set(barOption(markets.map((r) => r.market), markets.map((r) => r.late_rate), { percent: true, color: COLORS.warn }));
      const ds = pd.by_delivery_status;
      charts.delay.set(barOption(ds.map((r) => r.delivery_status), ds.map((r) => r.avg_delay_days), { label: 'Days' }));
      renderCommitments(rows);
      renderMonthly(m.overall_performance?.months ?? []);
      renderRetention(m.customer_retention?.months ?? []);
      const fm = m.fraud_detection?.by_market ?? [];
      const fraudRows = [...byType.map((r) => [r.payment_type, r]), ...fm.map((r) => [r.market, r])];
      charts.fraud.set(barOption(fraudRows.map(([n]) => n), fraudRows.map(([, r]) => r.suspected_fraud_share), { percent: true, color: COLORS.danger }));
    }

    function renderCommitments(rows) {
      const depts = [...new Set(rows.map((r) => r.department))].sort();
      const markets = [...new Set(rows.map((r) => r.market))].sort();
      marketLegend.innerHTML = markets.map((mk, i) => `<li><span class="swatch" style="background:${PALETTE[i % PALETTE.length]}"></span>${esc(mk)}</li>`).join('');
      const sum = new Map();
      for (const r of rows) sum.set(`${r.department}|${r.market}`, (sum.get(`${r.department}|${r.market}`) ?? 0) + r.committed);
      charts.commitments.set({
        ...baseOption,
        grid: { left: 72, right: 16, top: 16, bottom: 56 },
        tooltip: { ...baseOption.tooltip, valueFormatter: (v) => formatMoney(v) },
        xAxis: { type: 'category', data: depts, ...categoryAxisStyle, axisLabel: { ...categoryAxisStyle.axisLabel, interval: 0, rotate: 30 } },
        yAxis: { type: 'value', ...valueAxisStyle, axisLabel: { ...valueAxisStyle.axisLabel, formatter: (v) => formatCompactMoney(v) } },
        series: markets.map((mk, i) => ({ name: mk, type: 'bar', stack: 'm', data: depts.map((d) => Math.round((sum.get(`${d}|${mk}`) ?? 0) * 100) / 100), itemStyle: { color: PALETTE[i % PALETTE.length] } })),
      });
    }

    function renderMonthly(months) {
      charts.monthly.set({
        ...baseOption,
        grid: { left: 72, right: 16, top: 24, bottom: 44 },
        tooltip: { ...baseOption.tooltip, valueFormatter: (v) => formatMoney(v) },
        xAxis: { type: 'category', data: months.map((r) => r.month), ...categoryAxisStyle, axisLabel: { ...categoryAxisStyle.axisLabel, hideOverlap: true } },
        yAxis: { type: 'value', ...valueAxisStyle, axisLabel: { ...valueAxisStyle.axisLabel, formatter: (v) => formatCompactMoney(v) } },
        series: [
          { name: 'Sales', type: 'bar', data: months.map((r) => r.sales), itemStyle: { color: COLORS.primary } },
          { name: 'Profit', type: 'line', showSymbol: false, data: months.map((r) => r.profit), lineStyle: { width: 2, color: COLORS.revenue }, itemStyle: { color: COLORS.revenue } },
        ],
      });
    }

    function renderRetention(months) {
      charts.retention.set({
        ...baseOption,
        grid: { left: 56, right: 16, top: 24, bottom: 44 },
        tooltip: { ...baseOption.tooltip, valueFormatter: (v) => formatPercent(v) },
        xAxis: { type: 'category', data: months.map((r) => r.month), ...categoryAxisStyle, axisLabel: { ...categoryAxisStyle.axisLabel, hideOverlap: true } },
        yAxis: { type: 'value', min: 0, max: 1, ...valueAxisStyle, axisLabel: { ...valueAxisStyle.axisLabel, formatter: (v) => formatPercent(v, { digits: 0 }) } },
        series: [{ name: 'Retention rate', type: 'line', showSymbol: false, data: months.map((r) => r.retention_rate), lineStyle: { width: 2, color: COLORS.ok }, areaStyle: { color: 'rgba(14,159,110,0.08)' } }],
      });
    }

    let lastSeen = -1;
    let lastFetch = 0;
    let pending = false;
    async function refresh(force = false) {
      if (pending || (!force && Date.now() - lastFetch < 1000)) return;
      pending = true;
      lastFetch = Date.now();
      try {
        render(await fetchMarts());
      } catch {
        // The connection state in the header already says when the engine is away.
      } finally {
        pending = false;
      }
    }
    refresh(true);

    return {
      update(changes) {
        const seen = ctx.state.pipeline?.events_accepted ?? -1;
        if (changes?.reset || seen !== lastSeen) {
          lastSeen = seen;
          refresh(Boolean(changes?.reset));
        }
      },
      destroy() {
        Object.values(charts).forEach((c) => c.dispose());
      },
    };
  },
};
