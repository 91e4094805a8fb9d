import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agingChart, datacoAging, cashBars, commitmentBars, delayBars, earlyPaymentPlan, planMethodText, sumMicros, subMoney, AGING_BUCKETS, workingCapitalTiles, workingCapitalCaption, formatDays } from '../src/lib/finance.js';

const aging = {
  side: 'payables',
  as_of: '2027-06-24',
  buckets: ['current', '1-30', '31-60', '61-90', '90+'],
  total: { amount: [1000.1, 200.2, 0, 0, 50], count: [4, 1, 0, 0, 1], total: 1250.3 },
  by_counterparty: [
    { id: 'S2', name: 'Beta', amount: [100, 0, 0, 0, 0], count: [1, 0, 0, 0, 0], total: 100 },
    { id: 'S1', name: 'Acme', amount: [700, 0.1, 0, 0, 0], count: [2, 1, 0, 0, 0], total: 700.1 },
    { id: 'S3', name: '<b>Gamma</b>', amount: [200.1, 0.1, 0, 0, 50], count: [1, 0, 0, 0, 1], total: 250.2 },
    { id: 'S4', name: 'Delta', amount: [0, 200, 0, 0, 0], count: [0, 1, 0, 0, 0], total: 200 },
  ],
};

test('agingChart: suppliers largest first, one series per bucket, the rest summed', () => {
  const c = agingChart(aging, { top: 2 });
  assert.deepEqual(c.buckets, AGING_BUCKETS);
  assert.deepEqual(c.labels, ['Current', '1–30 days', '31–60 days', '61–90 days', '90+ days']);
  assert.deepEqual(c.categories, ['Acme', '<b>Gamma</b>', 'Other suppliers (2)']);
  assert.equal(c.series.length, 5);
  assert.deepEqual(c.series[0], { bucket: 'current', data: [700, 200.1, 100] });
  assert.deepEqual(c.series[1].data, [0.1, 0.1, 200]);
  assert.deepEqual(c.series[4].data, [0, 50, 0]);
  assert.equal(c.rows[2].total, 300);
  assert.deepEqual(c.rows[2].count, [1, 1, 0, 0, 0]);
  assert.equal(c.suppliers, 4);
  assert.deepEqual(c.total, { amount: [1000.1, 200.2, 0, 0, 50], count: [4, 1, 0, 0, 1], total: 1250.3 });
  // Stacked per supplier, the bars add up to the supplier's total.
  for (let i = 0; i < c.rows.length; i++) assert.equal(sumMicros(c.series.map((s) => s.data[i])), c.rows[i].total);
});

test('agingChart: all suppliers fit, empty and partial answers', () => {
  assert.equal(agingChart(aging, { top: 10 }).categories.length, 4);
  const e = agingChart({});
  assert.deepEqual(e.categories, []);
  assert.deepEqual(e.total, { amount: [0, 0, 0, 0, 0], count: [0, 0, 0, 0, 0], total: 0 });
  const noName = agingChart({ by_counterparty: [{ id: 'S9', amount: [1, 2] }] });
  assert.deepEqual(noName.categories, ['S9']);
  assert.equal(noName.rows[0].total, 3);
  assert.deepEqual(noName.rows[0].amount, [1, 2, 0, 0, 0]);
});

test('money sums are exact in micro-units', () => {
  assert.equal(0.1 + 0.2 === 0.3, false);
  assert.equal(sumMicros([0.1, 0.2]), 0.3);
  assert.equal(sumMicros([1.000001, 2.000002, null, 'x']), 3.000003);
  assert.equal(subMoney(20.3, 20.1), 0.2);
});

const cash = {
  as_of: '2027-06-24',
  horizons_days: [7, 30, 90],
  total: { due: [500, 1500, 4000], overdue: 100, ordered_not_invoiced: 2500, invoiced_not_paid: 4100, open_commitments: 6600 },
  by_supplier: [
    { id: 'S2', name: 'Beta', due: [0, 0, 0], overdue: 0, ordered_not_invoiced: 100, invoiced_not_paid: 0, open_commitments: 100 },
    { id: 'S1', name: 'Acme', due: [500, 1500, 4000], overdue: 100, ordered_not_invoiced: 2400, invoiced_not_paid: 4100, open_commitments: 6500 },
  ],
};

test('cashBars: overdue then the cumulative horizons', () => {
  assert.deepEqual(cashBars(cash), { labels: ['Overdue', '≤ 7 days', '≤ 30 days', '≤ 90 days'], keys: ['overdue', 'due_7', 'due_30', 'due_90'], values: [100, 500, 1500, 4000] });
  assert.deepEqual(cashBars({}).values, [0, 0, 0, 0]);
});

test('commitmentBars: largest open commitment first, both parts and the totals', () => {
  const c = commitmentBars(cash);
  assert.deepEqual(c.categories, ['Acme', 'Beta']);
  assert.deepEqual(c.ordered, [2400, 100]);
  assert.deepEqual(c.invoiced, [4100, 0]);
  assert.deepEqual(c.total, { ordered: 2500, invoiced: 4100, open: 6600 });
  assert.deepEqual(commitmentBars(cash, { top: 1 }).ids, ['S1']);
});

test('delayBars: slowest first by p90, then mean; weighted mean over settled invoices', () => {
  const d = delayBars({
    suppliers: [
      { id: 'S1', name: 'Acme', count: 40, mean_days: 2.5, p90_days: 9 },
      { id: 'S2', name: 'Beta', count: 10, mean_days: -3.333333, p90_days: 0 },
      { id: 'S3', name: 'Gamma', count: 10, mean_days: 12, p90_days: 9 },
    ],
  });
  assert.deepEqual(d.categories, ['Gamma', 'Acme', 'Beta']);
  assert.deepEqual(d.mean, [12, 2.5, -3.33]);
  assert.deepEqual(d.p90, [9, 9, 0]);
  assert.equal(d.settled, 60);
  assert.ok(Math.abs(d.weightedMean - (100 - 33.33333 + 120) / 60) < 1e-6);
  assert.equal(delayBars({}).weightedMean, null);
});

const ep = {
  as_of: '2027-06-24',
  budget: 2000,
  hurdle: 0.1,
  opportunities: [
    { invoice_id: 'I1', supplier_id: 'S1', supplier_name: 'Acme', number: 'INV-1', amount: 1000, discount: 20, pay_now: 980, simple_annual_return: 0.3724, in_plan: true },
    { invoice_id: 'I2', supplier_id: 'S2', supplier_name: 'Beta', number: 'INV-2', amount: 2000, discount: 20, pay_now: 1980, simple_annual_return: 0.2, in_plan: false },
    { invoice_id: 'I3', supplier_id: 'S2', supplier_name: 'Beta', number: 'INV-3', amount: 500, discount: 5, pay_now: 495, simple_annual_return: 0.05, in_plan: false },
  ],
  total_opportunities: 4,
  plan: { invoice_ids: ['I1', 'I9'], cash_needed: 1475, savings: 25.000001, upper_bound: 25.000001, exact: true, candidates: 3 },
};

test('earlyPaymentPlan marks the plan rows and reports the figures', () => {
  const p = earlyPaymentPlan(ep);
  assert.deepEqual(p.rows.map((r) => [r.invoice_id, r.in_plan, r.rank]), [['I1', true, 1], ['I2', false, 2], ['I3', false, 3]]);
  assert.equal(p.planCount, 2);
  assert.equal(p.unlistedInPlan, 1, 'I9 is in the plan but beyond the listed opportunities');
  assert.deepEqual(p.mismatched, []);
  assert.equal(p.savings, 25.000001);
  assert.equal(p.cashNeeded, 1475);
  assert.equal(p.budget, 2000);
  assert.equal(p.exact, true);
  assert.equal(p.gap, 0);
  assert.equal(p.total, 4);
  assert.equal(planMethodText(p, String), 'Exact: the best plan over 3 candidates');
});

test('earlyPaymentPlan: heuristic plan with its gap to the upper bound; disagreements surface', () => {
  const p = earlyPaymentPlan({ ...ep, opportunities: [{ ...ep.opportunities[1], in_plan: true }], plan: { invoice_ids: [], cash_needed: 0, savings: 20.1, upper_bound: 20.3, exact: false, candidates: 1 } });
  assert.equal(p.gap, 0.2);
  assert.deepEqual(p.mismatched, ['I2']);
  assert.equal(p.rows[0].in_plan, false, 'the plan list decides');
  assert.equal(planMethodText(p, (x) => `$${x.toFixed(2)}`), 'Heuristic (greedy) over 1 candidate: at most $0.20 below the best possible plan (upper bound $20.30)');
  const empty = earlyPaymentPlan({});
  assert.deepEqual(empty.rows, []);
  assert.equal(empty.savings, 0);
  assert.equal(empty.budget, null);
});

test('agingChart: receivables name the rest "Other customers"', () => {
  const c = agingChart({ ...aging, side: 'receivables' }, { top: 2, others: 'customers' });
  assert.equal(c.categories[2], 'Other customers (2)');
  assert.equal(c.suppliers, 4);
});

const wc = {
  as_of: '2026-11-29', window_days: 30, dpo_basis: 'purchases', revenue: 76126.22, cogs: 8448.01, purchases: 3852153.33,
  average_receivables: 121413.392333, average_inventory: 53531.09, average_payables: 4236052.366333,
  dso: 47.8469, dio: 190.096, dpo: 32.9897, ccc: 204.953,
};

test('workingCapitalTiles: days with one decimal, the formula parts, the basis', () => {
  const t = workingCapitalTiles(wc);
  assert.deepEqual(t.map((x) => x.key), ['dso', 'dio', 'dpo', 'ccc']);
  assert.deepEqual(t.map((x) => x.text), ['47.8 days', '190.1 days', '33.0 days', '205.0 days']);
  assert.deepEqual(t.map((x) => x.value), [47.8469, 190.096, 32.9897, 204.953]);
  assert.equal(t[0].sub, '$121,413.39 avg receivables / $76,126.22 revenue');
  assert.equal(t[2].sub, '$4,236,052.37 avg payables / $3,852,153.33 purchases');
  assert.match(t[2].title, /purchases × 30 = 33\.0 days/);
  const c = workingCapitalTiles({ ...wc, dpo_basis: 'cogs', dpo: 14952.2, ccc: -14715.6 });
  assert.equal(c[2].sub, '$4,236,052.37 avg payables / $8,448.01 COGS');
  assert.equal(c[2].text, '14,952.2 days');
  assert.equal(c[3].text, '-14,715.6 days');
  assert.equal(c[3].tone, 'ok');
  assert.equal(workingCapitalCaption(wc), 'Over the last 30 days to 2026-11-29 · DPO on purchases');
  assert.equal(workingCapitalCaption({ ...wc, dpo_basis: 'cogs' }), 'Over the last 30 days to 2026-11-29 · DPO on COGS');
});

test('workingCapitalTiles: null figures show "—" with the reason as tooltip', () => {
  const t = workingCapitalTiles({ ...wc, window_days: 7, revenue: 0, cogs: 0, dso: null, dio: null, dpo: 12, ccc: null });
  assert.deepEqual(t.map((x) => x.text), ['—', '—', '12.0 days', '—']);
  assert.deepEqual(t.map((x) => x.value), [null, null, 12, null]);
  assert.match(t[0].title, /No customer invoice was issued in the last 7 days/);
  assert.equal(t[0].sub, t[0].title);
  assert.equal(t[2].sub, '$4,236,052.37 avg payables / $3,852,153.33 purchases');
  assert.match(t[1].title, /COGS is 0/);
  assert.match(t[3].title, /defined only when DSO, DIO and DPO all are/);
  const d = workingCapitalTiles({ ...wc, dpo_basis: 'cogs', dpo: null });
  assert.match(d[2].title, /COGS basis is undefined/);
  const e = workingCapitalTiles({});
  assert.deepEqual(e.map((x) => x.text), ['—', '—', '—', '—']);
  assert.equal(formatDays(undefined), '—');
  assert.equal(formatDays(0), '0.0');
});

test('datacoAging: the DataCo block of the receivables answer, aged as its own answer', () => {
  const recv = {
    side: 'receivables',
    as_of: '2027-06-24',
    buckets: ['current', '1-30', '31-60', '61-90', '90+'],
    total: { amount: [0, 0, 0, 0, 0], count: [0, 0, 0, 0, 0], total: 0 },
    by_counterparty: [],
    dataco: {
      as_of: '2017-06-30',
      terms_days: 30,
      total: { amount: [0, 7.25, 0, 0, 150.5], count: [0, 1, 0, 0, 2], total: 157.75 },
      by_counterparty: [
        { id: '2', name: '2', amount: [0, 7.25, 0, 0, 0], count: [0, 1, 0, 0, 0], total: 7.25 },
        { id: '1', name: '1', amount: [0, 0, 0, 0, 150.5], count: [0, 0, 0, 0, 2], total: 150.5 },
      ],
    },
  };
  const d = datacoAging(recv);
  assert.equal(d.as_of, '2017-06-30');
  assert.equal(d.terms_days, 30);
  const c = agingChart(d, { top: 10, others: 'DataCo customers' });
  assert.deepEqual(c.categories, ['1', '2']);
  assert.deepEqual(c.series[4].data, [150.5, 0]);
  assert.equal(c.total.total, 157.75);
  assert.equal(datacoAging({ side: 'receivables', buckets: [] }), null);
  assert.equal(datacoAging(null), null);
});
