// Finance: payables and receivables from the finance ledger (docs/FINANCE_API.md) — open and
// overdue payables, working-capital days (DSO, DIO, DPO on a chosen basis, CCC), open
// receivables, aging by bucket per supplier and per customer, cash required by due date, open
// commitments, payment delay per supplier, and the early-payment plan under a cash budget the
// user can change. Read from /api/v1/finance/* and /api/v1/early-payments (not in the live
// stream) at most once a second while the pipeline reports new events, like the Deliveries view.
import { h, panel, tile, setText, esc } from '../ui/dom.js';
import { createChart, baseOption, axisName, valueAxisStyle, categoryAxisStyle, COLORS } from '../ui/charts.js';
import { createDataTable } from '../ui/datatable.js';
import { formatMoney, formatCompactMoney, formatNumber, formatPercent } from '../lib/format.js';
import { getJson } from '../lib/api.js';
import { createRefresher, createLatest } from '../lib/refresh.js';
import { buildQuery, parseMoneyInput, parsePercentInput, ratioToPercentText } from '../lib/query.js';
import { agingChart, datacoAging, cashBars, commitmentBars, delayBars, earlyPaymentPlan, planMethodText, workingCapitalTiles, workingCapitalCaption, DPO_BASES } from '../lib/finance.js';

const BUCKET_COLORS = [COLORS.ok, '#f2c14e', COLORS.warn, '#ea580c', COLORS.danger];
const TOP = 10;
const ROW_PX = 26;

const money = (v) => formatMoney(v);
const moneyAxis = { ...valueAxisStyle, axisLabel: { ...valueAxisStyle.axisLabel, formatter: (v) => formatCompactMoney(v) } };

// Horizontal stacked bars, one category per row (suppliers), height following the rows.
function sizeTo(el, chart, rows) {
  const height = `${Math.max(140, rows * ROW_PX + 64)}px`;
  if (el.style.height !== height) {
    el.style.height = height;
    chart.chart.resize();
  }
}

export default {
  id: 'finance',
  title: 'Finance',
  description: 'Payables and receivables: working capital, aging, cash required, open commitments, payment delays and early-payment discounts.',
  usesStore: false,
  icon: '<path d="M11.8 10.9c-2.27-.59-3-1.2-3-2.15 0-1.09 1.01-1.85 2.7-1.85 1.78 0 2.44.85 2.5 2.1h2.21c-.07-1.72-1.12-3.3-3.21-3.81V3h-3v2.16c-1.94.42-3.5 1.68-3.5 3.61 0 2.31 1.91 3.46 4.7 4.13 2.5.6 3 1.48 3 2.41 0 .69-.49 1.79-2.7 1.79-2.06 0-2.87-.92-2.98-2.1h-2.2c.12 2.19 1.76 3.42 3.68 3.83V21h3v-2.15c1.95-.37 3.5-1.5 3.5-3.55 0-2.84-2.43-3.81-4.7-4.4z"/>',

  mount(root, ctx) {
    const tiles = {
      open: tile({ id: 'fin_open_payables', label: 'Open payables' }),
      overdue: tile({ id: 'fin_overdue_payables', label: 'Overdue payables' }),
      due30: tile({ id: 'fin_due_30', label: 'Cash due ≤ 30 days' }),
      commitments: tile({ id: 'fin_open_commitments', label: 'Open commitments' }),
      alerts: tile({ id: 'fin_alerts', label: 'Fraud alerts' }),
      savings: tile({ id: 'fin_ep_savings', label: 'Early-payment savings' }),
    };
    const asOf = h('p', { class: 'muted as-of', id: 'fin-as-of' });
    const notice = h('p', { class: 'empty', id: 'fin-empty', hidden: true });

    // Working capital: open receivables and the days (DSO, DIO, DPO, CCC), DPO on a basis the
    // user picks (purchases, the default, or COGS), re-requested on a change.
    const wcTiles = {
      receivables: tile({ id: 'fin_open_receivables', label: 'Open receivables' }),
      dso: tile({ id: 'fin_dso', label: 'DSO' }),
      dio: tile({ id: 'fin_dio', label: 'DIO' }),
      dpo: tile({ id: 'fin_dpo', label: 'DPO' }),
      ccc: tile({ id: 'fin_ccc', label: 'CCC' }),
    };
    let dpoBasis = 'purchases';
    const basisButtons = Object.entries(DPO_BASES).map(([b, text]) => {
      const btn = h('button', { type: 'button', class: 'seg', 'aria-pressed': String(b === dpoBasis), dataset: { basis: b }, text });
      btn.addEventListener('click', () => {
        if (dpoBasis === b) return;
        dpoBasis = b;
        for (const x of basisButtons) x.setAttribute('aria-pressed', String(x.dataset.basis === dpoBasis));
        wcRefresh.request(true);
      });
      return btn;
    });
    const basisGroup = h('div', { class: 'wc-basis' }, h('span', { class: 'wc-basis-label', id: 'fin-wc-basis-label', text: 'DPO basis' }), h('div', { class: 'segmented', role: 'group', 'aria-labelledby': 'fin-wc-basis-label', id: 'fin-wc-basis' }, basisButtons));
    const wcPanel = panel({ title: 'Working capital', note: 'Days of working capital over a trailing window', actions: basisGroup, cls: 'wc-panel', id: 'fin-wc' });
    const wcError = h('p', { class: 'form-error', id: 'fin-wc-error', role: 'alert' });
    const wcFoot = h('p', { class: 'chart-foot muted', id: 'fin-wc-foot', text: 'DSO = average receivables / revenue × days; DIO = inventory at cost / COGS × days (the engine keeps no inventory history, so today\'s value stands in for the average); DPO = average payables / purchases (or COGS) × days; CCC = DIO + DSO − DPO. "—": undefined; the tile says why.' });
    wcPanel.body.append(h('div', { class: 'tiles tiles-5', id: 'fin-wc-tiles' }, Object.values(wcTiles).map((t) => t.el)), wcError, wcFoot);

    // Aging: payables by supplier, receivables by customer, side by side in the same style.
    function agingBlock({ id, title, note, who, others, what }) {
      const p = panel({ title, note, id });
      const legend = h('ul', { class: 'legend', id: `${id}-legend`, 'aria-label': `Aging buckets, all ${others}` });
      const totalEl = h('div', { class: 'chart chart-xs', id: `${id}-total-chart`, role: 'img', 'aria-label': `All open ${what} by aging bucket` });
      const chartEl = h('div', { class: 'chart', id: `${id}-chart`, role: 'img', 'aria-label': `Open ${what} per ${who} by aging bucket` });
      p.body.append(legend, totalEl, chartEl);
      return { panel: p, legend, totalEl, chartEl, who, others, what };
    }
    const payAging = agingBlock({ id: 'fin-aging', title: 'Payables aging', note: 'Open supplier invoices by days past due', who: 'supplier', others: 'suppliers', what: 'payables' });
    const recvAging = agingBlock({ id: 'fin-recv-aging', title: 'Receivables aging', note: 'Open customer invoices by days past due', who: 'customer', others: 'customers', what: 'receivables' });
    // DataCo PENDING_PAYMENT lines: receivables too, but aged on the DataCo clock (years before
    // the ledger's), so in a block of their own rather than summed with the ledger's customers.
    const datacoRecvAging = agingBlock({ id: 'fin-dataco-recv-aging', title: 'DataCo receivables aging', note: 'PENDING_PAYMENT order lines by days past due', who: 'DataCo customer', others: 'DataCo customers', what: 'DataCo receivables' });

    // Cash and commitments.
    const cashPanel = panel({ title: 'Cash required by due date', note: 'Open invoice amounts already overdue and due within 7, 30 and 90 days (cumulative)', id: 'fin-cash' });
    const cashEl = h('div', { class: 'chart chart-md', id: 'fin-cash-chart', role: 'img', 'aria-label': 'Cash required by due date' });
    cashPanel.body.append(cashEl);
    const comPanel = panel({ title: 'Open commitments', note: 'Ordered, not yet invoiced + invoiced, not yet paid; largest suppliers', id: 'fin-commitments' });
    const comSummary = h('p', { class: 'chart-summary', id: 'fin-commitments-summary' });
    const comEl = h('div', { class: 'chart', id: 'fin-commitments-chart', role: 'img', 'aria-label': 'Open commitments per supplier' });
    comPanel.body.append(comSummary, comEl);

    // Payment delay.
    const delayPanel = panel({ title: 'Payment delay per supplier', note: 'Settled invoices: paid day − due day (negative: paid early). Slowest first by p90', cls: 'span-2', id: 'fin-delays' });
    const delayLegend = h(
      'ul',
      { class: 'legend', 'aria-label': 'Legend' },
      h('li', null, h('span', { class: 'swatch', style: `background:${COLORS.primary}` }), 'Mean delay (days)'),
      h('li', null, h('span', { class: 'diamond', 'aria-hidden': 'true' }), 'p90 delay (days)'),
    );
    const delaySummary = h('p', { class: 'chart-summary', id: 'fin-delays-summary' });
    const delayEl = h('div', { class: 'chart', id: 'fin-delays-chart', role: 'img', 'aria-label': 'Mean and p90 payment delay per supplier' });
    delayPanel.body.append(delaySummary, delayLegend, delayEl);

    // Early payments.
    const epPanel = panel({ title: 'Early-payment discounts', note: 'Open invoices whose discount can still be taken, ranked by simple annual return; the plan picks the most savings within the cash budget', cls: 'span-2', id: 'fin-early' });
    const budgetIn = h('input', { id: 'ep-budget', class: 'input input-num', type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'ep-error' });
    const hurdleIn = h('input', { id: 'ep-hurdle', class: 'input input-num input-short', type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'ep-error' });
    const applyBtn = h('button', { type: 'submit', class: 'btn btn-primary', id: 'ep-apply', text: 'Plan' });
    const epError = h('p', { class: 'form-error', id: 'ep-error', role: 'alert' });
    const form = h(
      'form',
      { class: 'form-row', id: 'ep-form', novalidate: true },
      h('div', { class: 'field' }, h('label', { for: 'ep-budget', text: 'Cash budget' }), budgetIn),
      h('div', { class: 'field' }, h('label', { for: 'ep-hurdle', text: 'Hurdle rate (% per year)' }), hurdleIn),
      applyBtn,
    );
    const planEl = h('dl', { class: 'facts facts-4', id: 'ep-plan', 'aria-live': 'polite' });
    const planFacts = {};
    for (const [key, label] of [
      ['savings', 'Plan savings'],
      ['cash', 'Cash needed'],
      ['budget', 'Budget · hurdle'],
      ['count', 'Invoices in plan'],
    ]) {
      planFacts[key] = h('dd', { id: `ep-${key}`, text: '—' });
      planEl.append(h('div', null, h('dt', { text: label }), planFacts[key]));
    }
    const planMethod = h('p', { class: 'chart-foot muted', id: 'ep-method' });
    const table = createDataTable({
      id: 'ep-table',
      caption: 'Early-payment opportunities',
      rowKey: (r) => r.invoice_id,
      searchFields: ['number', 'invoice_id', 'supplier_name', 'supplier_id'],
      searchLabel: 'Search invoices',
      searchPlaceholder: 'Search invoice or supplier…',
      pageSize: 15,
      sort: { key: 'rank', dir: 'asc' },
      tieKey: 'invoice_id',
      rowClass: (r) => (r.in_plan ? 'row-plan' : ''),
      filters: [{ id: 'plan', label: 'In plan only', test: (r) => r.in_plan }],
      columns: [
        { key: 'rank', label: '#', num: true, defaultDir: 'asc' },
        { key: 'in_plan', label: 'Plan', defaultDir: 'desc', html: (r) => (r.in_plan ? '<span class="badge badge-ok">Pay now</span>' : '<span class="badge badge-muted">—</span>') },
        { key: 'number', label: 'Invoice', html: (r) => `${esc(r.number)} <small>${esc(r.invoice_id)}</small>` },
        { key: 'supplier_name', label: 'Supplier', html: (r) => `${esc(r.supplier_name || r.supplier_id)} <small>${esc(r.supplier_id)}</small>` },
        { key: 'amount', label: 'Amount', num: true, html: (r) => esc(money(r.amount)) },
        { key: 'discount', label: 'Discount', num: true, html: (r) => esc(money(r.discount)) },
        { key: 'pay_now', label: 'Pay now', num: true, html: (r) => esc(money(r.pay_now)) },
        { key: 'discount_deadline', label: 'Pay by', defaultDir: 'asc' },
        { key: 'due', label: 'Due', defaultDir: 'asc' },
        { key: 'days_gained', label: 'Days early', num: true, html: (r) => esc(formatNumber(r.days_gained)) },
        { key: 'simple_annual_return', label: 'Return (simple)', num: true, html: (r) => esc(formatPercent(r.simple_annual_return)) },
        { key: 'compound_annual_return', label: 'Compounded', num: true, html: (r) => esc(formatPercent(r.compound_annual_return)) },
      ],
      emptyText: 'No open invoice with a discount that can still be taken.',
    });
    const epCount = h('p', { class: 'chart-foot muted', id: 'ep-count' });
    epPanel.body.append(form, epError, planEl, planMethod, table.el, epCount);

    root.append(
      h('div', { class: 'tiles tiles-6' }, Object.values(tiles).map((t) => t.el)),
      h('div', { class: 'subline' }, asOf),
      notice,
      h('div', { class: 'grid grid-1' }, wcPanel.el),
      h('div', { class: 'grid grid-2' }, payAging.panel.el, recvAging.panel.el, datacoRecvAging.panel.el, cashPanel.el, comPanel.el, delayPanel.el, epPanel.el),
    );

    const charts = {
      total: createChart(payAging.totalEl),
      aging: createChart(payAging.chartEl),
      recvTotal: createChart(recvAging.totalEl),
      recvAging: createChart(recvAging.chartEl),
      datacoRecvTotal: createChart(datacoRecvAging.totalEl),
      datacoRecvAging: createChart(datacoRecvAging.chartEl),
      cash: createChart(cashEl),
      commitments: createChart(comEl),
      delays: createChart(delayEl),
    };
    payAging.charts = [charts.total, charts.aging];
    recvAging.charts = [charts.recvTotal, charts.recvAging];
    datacoRecvAging.charts = [charts.datacoRecvTotal, charts.datacoRecvAging];

    // ---- summary, aging, cash, delays ----------------------------------------------------
    function showNotice(text) {
      notice.hidden = !text;
      setText(notice, text || '');
    }

    async function loadBooks() {
      const [summary, aging, cash, delays, recv] = await Promise.all(
        ['/api/v1/finance/summary', '/api/v1/finance/aging', '/api/v1/finance/cash', '/api/v1/finance/payment-delays', '/api/v1/finance/aging?side=receivables'].map((u) => getJson(u)),
      );
      if (!summary.ok) {
        if (summary.status === 404) showNotice('This engine does not serve the finance API (/api/v1/finance/*).');
        else if (summary.status) showNotice(`The finance summary could not be read: ${summary.error}`);
        return; // unreachable: the connection state in the header says so
      }
      const s = summary.data;
      showNotice(s.suppliers || s.invoices ? '' : 'No finance events yet: post suppliers, purchase orders, receipts, invoices and payments to /api/v1/events (docs/FINANCE_EVENTS.md), or run `ledgerflow demo`.');
      renderSummary(s, cash.ok ? cash.data : null);
      if (aging.ok) renderAging(payAging, aging.data);
      if (recv.ok) renderAging(recvAging, recv.data);
      const dataco = recv.ok ? datacoAging(recv.data) : null;
      datacoRecvAging.panel.el.hidden = !dataco;
      if (dataco) renderAging(datacoRecvAging, dataco);
      if (cash.ok) renderCash(cash.data);
      if (delays.ok) renderDelays(delays.data);
      root.dataset.asOf = s.as_of ?? '';
    }

    function renderSummary(s, cash) {
      setText(asOf, `As of ${s.as_of ?? '—'} (the ledger's latest business day) · ${formatNumber(s.suppliers)} suppliers, ${formatNumber(s.invoices)} invoices, ${formatNumber(s.payments)} payments${s.events_dropped > 0 ? ` · ${formatNumber(s.events_dropped)} finance events over the ledger's capacity were dropped` : ''}`);
      tiles.open.set(money(s.open_payables), `${formatNumber(s.invoices)} invoices, ${formatNumber(s.purchase_orders)} orders`);
      const share = s.open_payables ? s.overdue_payables / s.open_payables : 0;
      tiles.overdue.set(money(s.overdue_payables), `${formatPercent(share)} of open payables`, s.overdue_payables > 0 ? 'warn' : 'ok');
      const a = s.alerts ?? {};
      tiles.alerts.set(formatNumber(a.total ?? 0), `${formatNumber(a.critical ?? 0)} critical · ${formatNumber(a.warning ?? 0)} warning`, a.critical ? 'danger' : a.total ? 'warn' : 'ok');
      if (cash) {
        const bars = cashBars(cash);
        const i30 = bars.keys.indexOf('due_30');
        tiles.due30.set(money(i30 >= 0 ? bars.values[i30] : null), `plus ${money(bars.values[0])} overdue`);
        const c = cash.total ?? {};
        tiles.commitments.set(money(c.open_commitments), `${formatCompactMoney(c.ordered_not_invoiced)} ordered · ${formatCompactMoney(c.invoiced_not_paid)} invoiced`);
      }
      if (typeof s.open_receivables === 'number') {
        wcTiles.receivables.set(money(s.open_receivables), `${formatNumber(s.customer_invoices)} customer invoices, ${formatNumber(s.customer_payments)} payments`);
      } else {
        wcTiles.receivables.set('—', 'not served by this engine');
      }
    }

    function renderAging(block, aging) {
      const c = agingChart(aging, { top: TOP, others: block.others });
      const [totalChart, chart] = block.charts;
      block.legend.innerHTML = c.labels
        .map((l, i) => `<li data-bucket="${esc(c.buckets[i])}"><span class="swatch" style="background:${BUCKET_COLORS[i % BUCKET_COLORS.length]}"></span>${esc(l)}: <strong>${esc(money(c.total.amount[i]))}</strong> <small>(${esc(formatNumber(c.total.count[i]))})</small></li>`)
        .join('');
      setText(
        block.panel.el.querySelector('.panel-note'),
        c.suppliers
          ? `Open ${block.who} invoices by days past due on ${aging.as_of ?? '—'}: ${money(c.total.total)} in all; the ${Math.min(TOP, c.suppliers)} largest of ${formatNumber(c.suppliers)} ${block.others}`
          : `No open ${block.who} invoice on ${aging.as_of ?? '—'}.`,
      );
      const data = JSON.stringify({ categories: c.categories, series: c.series, total: c.total });
      if (data === block.chartEl.dataset.series) return;
      block.chartEl.dataset.series = data;
      const tooltip = { ...baseOption.tooltip, valueFormatter: (v) => money(v) };
      totalChart.set({
        ...baseOption,
        tooltip,
        grid: { left: 8, right: 16, top: 4, bottom: 4, containLabel: true },
        xAxis: { type: 'value', show: false, max: 'dataMax' },
        yAxis: { type: 'category', data: [`All ${block.others}`], ...categoryAxisStyle },
        series: c.labels.map((l, i) => ({ name: l, type: 'bar', stack: 'a', data: [c.total.amount[i]], itemStyle: { color: BUCKET_COLORS[i % BUCKET_COLORS.length] }, barMaxWidth: 26 })),
      });
      sizeTo(block.chartEl, chart, c.categories.length);
      chart.set(
        {
          ...baseOption,
          tooltip,
          grid: { left: 8, right: 24, top: 8, bottom: 28, containLabel: true },
          xAxis: { type: 'value', ...moneyAxis },
          yAxis: { type: 'category', data: c.categories, inverse: true, ...categoryAxisStyle, axisLabel: { ...categoryAxisStyle.axisLabel, width: 130, overflow: 'truncate' } },
          series: c.series.map((s, i) => ({ name: c.labels[i], type: 'bar', stack: 'a', data: s.data, itemStyle: { color: BUCKET_COLORS[i % BUCKET_COLORS.length] }, barMaxWidth: 20 })),
        },
        { replaceMerge: ['series', 'yAxis'] },
      );
    }

    // ---- working capital -----------------------------------------------------------------
    const wcLatest = createLatest();
    async function loadWc() {
      const query = buildQuery({ dpo_basis: dpoBasis });
      const t = wcLatest.next();
      const r = await getJson(`/api/v1/finance/working-capital${query}`);
      if (!wcLatest.isCurrent(t)) return;
      if (!r.ok) {
        if (r.status === 404) setText(wcError, 'This engine does not serve /api/v1/finance/working-capital.');
        else if (r.status) setText(wcError, `Working capital could not be read: ${r.error}`);
        return;
      }
      setText(wcError, '');
      renderWc(r.data, query);
    }

    function renderWc(wc, query) {
      setText(wcPanel.el.querySelector('.panel-note'), workingCapitalCaption(wc));
      for (const t of workingCapitalTiles(wc, { money: formatCompactMoney })) {
        const el = wcTiles[t.key];
        el.set(t.text, t.sub, t.tone);
        el.el.title = t.title;
        el.el.dataset.null = String(t.value === null);
      }
      // The figures as the API gave them, for tests and anyone inspecting the page.
      wcPanel.el.dataset.query = query;
      wcPanel.el.dataset.wc = JSON.stringify({ as_of: wc.as_of, window_days: wc.window_days, dpo_basis: wc.dpo_basis, dso: wc.dso, dio: wc.dio, dpo: wc.dpo, ccc: wc.ccc });
    }

    function renderCash(cash) {
      const b = cashBars(cash);
      cashEl.dataset.values = JSON.stringify(b.values);
      charts.cash.set({
        ...baseOption,
        grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
        tooltip: { ...baseOption.tooltip, valueFormatter: (v) => money(v) },
        xAxis: { type: 'category', data: b.labels, ...categoryAxisStyle, axisLabel: { ...categoryAxisStyle.axisLabel, interval: 0 } },
        yAxis: { type: 'value', ...moneyAxis },
        series: [
          {
            name: 'Amount',
            type: 'bar',
            data: b.values.map((v, i) => ({ value: v, itemStyle: { color: i === 0 ? COLORS.danger : COLORS.primary } })),
            barMaxWidth: 56,
            label: { show: true, position: 'top', fontSize: 11, color: COLORS.muted, formatter: (p) => formatCompactMoney(p.value) },
          },
        ],
      });
      const c = commitmentBars(cash, { top: TOP });
      setText(comSummary, `${money(c.total.open)} open: ${money(c.total.ordered)} ordered not invoiced + ${money(c.total.invoiced)} invoiced not paid`);
      comEl.dataset.series = JSON.stringify({ categories: c.categories, ordered: c.ordered, invoiced: c.invoiced });
      sizeTo(comEl, charts.commitments, c.categories.length);
      charts.commitments.set(
        {
          ...baseOption,
          grid: { left: 8, right: 24, top: 8, bottom: 28, containLabel: true },
          tooltip: { ...baseOption.tooltip, valueFormatter: (v) => money(v) },
          xAxis: { type: 'value', ...moneyAxis },
          yAxis: { type: 'category', data: c.categories, inverse: true, ...categoryAxisStyle, axisLabel: { ...categoryAxisStyle.axisLabel, width: 120, overflow: 'truncate' } },
          series: [
            { name: 'Ordered, not invoiced', type: 'bar', stack: 'c', data: c.ordered, itemStyle: { color: COLORS.primarySoft }, barMaxWidth: 20 },
            { name: 'Invoiced, not paid', type: 'bar', stack: 'c', data: c.invoiced, itemStyle: { color: COLORS.primary }, barMaxWidth: 20 },
          ],
        },
        { replaceMerge: ['yAxis'] },
      );
    }

    function renderDelays(pd) {
      const d = delayBars(pd, { top: 15 });
      const avg = d.weightedMean ?? 0;
      const avgText = Math.abs(avg) < 0.05 ? 'on the due day on average' : `${formatNumber(Math.abs(avg), { digits: 1 })} days ${avg > 0 ? 'late' : 'early'} on average`;
      setText(delaySummary, d.settled ? `${formatNumber(d.settled)} settled invoices from ${formatNumber(d.suppliers)} suppliers, paid ${avgText}` : 'No settled invoice yet.');
      delayEl.dataset.series = JSON.stringify({ categories: d.categories, mean: d.mean, p90: d.p90 });
      sizeTo(delayEl, charts.delays, d.categories.length);
      charts.delays.set(
        {
          ...baseOption,
          grid: { left: 8, right: 24, top: 8, bottom: 36, containLabel: true },
          tooltip: {
            ...baseOption.tooltip,
            formatter(params) {
              const i = params[0]?.dataIndex;
              if (i === undefined) return '';
              return `<strong>${esc(d.categories[i])}</strong><br>Mean: <b>${esc(formatNumber(d.mean[i], { digits: 1 }))} days</b><br>p90: ${esc(formatNumber(d.p90[i]))} days<br>${esc(formatNumber(d.counts[i]))} settled invoices`;
            },
          },
          xAxis: { type: 'value', ...valueAxisStyle, ...axisName('Days after due'), nameLocation: 'middle', nameGap: 24 },
          yAxis: { type: 'category', data: d.categories, inverse: true, ...categoryAxisStyle, axisLabel: { ...categoryAxisStyle.axisLabel, width: 150, overflow: 'truncate' } },
          series: [
            { name: 'Mean', type: 'bar', data: d.mean, itemStyle: { color: COLORS.primary, borderRadius: 3 }, barMaxWidth: 16 },
            { name: 'p90', type: 'scatter', data: d.p90, symbol: 'diamond', symbolSize: 11, itemStyle: { color: COLORS.ink } },
          ],
        },
        { replaceMerge: ['yAxis'] },
      );
    }

    // ---- early payments ------------------------------------------------------------------
    const params = { budget: '', hurdle: '' }; // as sent (exact decimal text), '' = the engine's default
    const latest = createLatest();
    let planQuery = null;

    function readForm() {
      const b = parseMoneyInput(budgetIn.value);
      const r = parsePercentInput(hurdleIn.value);
      budgetIn.toggleAttribute('aria-invalid', Boolean(b.error));
      hurdleIn.toggleAttribute('aria-invalid', Boolean(r.error));
      const error = b.error ? `Budget: ${b.error}` : r.error ? `Hurdle: ${r.error}` : '';
      setText(epError, error);
      if (error) return false;
      params.budget = b.value ?? '';
      params.hurdle = r.value ?? '';
      return true;
    }

    async function loadPlan() {
      const query = buildQuery({ budget: params.budget, hurdle: params.hurdle });
      const t = latest.next();
      const r = await getJson(`/api/v1/early-payments${query}`);
      if (!latest.isCurrent(t)) return;
      if (!r.ok) {
        if (r.status === 400) setText(epError, `The engine refused the plan: ${r.error}`);
        else if (r.status === 404) setText(epError, 'This engine does not serve /api/v1/early-payments.');
        return;
      }
      if (query !== planQuery) setText(epError, '');
      planQuery = query;
      renderPlan(r.data, query);
    }

    function renderPlan(ep, query) {
      const p = earlyPaymentPlan(ep);
      setText(planFacts.savings, money(p.savings));
      setText(planFacts.cash, money(p.cashNeeded));
      setText(planFacts.budget, `${p.budget === null ? '—' : money(p.budget)} · ${p.hurdle === null ? '—' : formatPercent(p.hurdle)}`);
      setText(planFacts.count, `${formatNumber(p.planCount)} of ${formatNumber(p.total)}`);
      setText(planMethod, `${planMethodText(p, money)}. Rows in the plan are highlighted.${p.unlistedInPlan ? ` ${formatNumber(p.unlistedInPlan)} invoices of the plan are beyond the listed opportunities.` : ''}`);
      if (!budgetIn.value && p.budget !== null) budgetIn.placeholder = `${formatNumber(p.budget, { digits: 2 })} (default)`;
      if (!hurdleIn.value && p.hurdle !== null) hurdleIn.placeholder = `${ratioToPercentText(p.hurdle)} (default)`;
      // The figures as the API gave them, for tests and anyone inspecting the page.
      Object.assign(planEl.dataset, { savings: String(p.savings), cashNeeded: String(p.cashNeeded), budget: String(p.budget ?? ''), exact: String(p.exact), upperBound: String(p.upperBound), query, inPlan: [...p.inPlan].join(' ') });
      if (p.mismatched.length) planEl.dataset.mismatched = p.mismatched.join(' ');
      else delete planEl.dataset.mismatched;
      tiles.savings.set(money(p.savings), `${formatNumber(p.planCount)} invoices for ${formatCompactMoney(p.cashNeeded)} now`, p.savings > 0 ? 'ok' : null);
      table.setRows(p.rows);
      setText(epCount, p.total > p.rows.length ? `Listing ${formatNumber(p.rows.length)} of ${formatNumber(p.total)} opportunities; the plan considers all of them.` : '');
    }

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (readForm()) plan.request(true);
    });

    // ---- refresh while events flow -------------------------------------------------------
    const books = createRefresher(loadBooks);
    const plan = createRefresher(loadPlan);
    const wcRefresh = createRefresher(loadWc);
    let lastSeen = -1;

    return {
      update(changes) {
        const seen = ctx.state.pipeline?.events_accepted ?? -1;
        if (changes?.reset || seen !== lastSeen) {
          lastSeen = seen;
          books.request(Boolean(changes?.reset));
          plan.request(Boolean(changes?.reset));
          wcRefresh.request(Boolean(changes?.reset));
        }
      },
      destroy() {
        books.stop();
        plan.stop();
        wcRefresh.stop();
        latest.next(); // drop any answer still on its way
        wcLatest.next();
        Object.values(charts).forEach((c) => c.dispose());
      },
    };
  },
};
