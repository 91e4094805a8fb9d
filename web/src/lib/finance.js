// The Finance view's data shaping: API answers (docs/FINANCE_API.md) -> chart series, table
// rows and plan figures. Pure functions, no DOM.
import { formatNumber, formatMoney } from './format.js';

export const AGING_BUCKETS = ['current', '1-30', '31-60', '61-90', '90+'];
export const BUCKET_LABELS = { current: 'Current', '1-30': '1–30 days', '31-60': '31–60 days', '61-90': '61–90 days', '90+': '90+ days' };

// Money from the API is an exact decimal with up to 6 fraction digits (micro-units); sums and
// differences are done in integer micro-units so that no binary floating-point drift shows.
const MICRO = 1_000_000;
function micros(x) {
  return typeof x === 'number' && Number.isFinite(x) ? Math.round(x * MICRO) : 0;
}
export function sumMicros(values) {
  let m = 0;
  for (const v of values) m += micros(v);
  return m / MICRO;
}
export function subMoney(a, b) {
  return (micros(a) - micros(b)) / MICRO;
}

function label(r) {
  const name = r?.name ?? r?.supplier_name;
  const id = r?.id ?? r?.supplier_id ?? r?.supplier;
  return name ? String(name) : String(id ?? '?');
}

function arr(x, n) {
  const a = Array.isArray(x) ? x : [];
  return Array.from({ length: n }, (_, i) => (typeof a[i] === 'number' ? a[i] : 0));
}

// The DataCo block of the receivables aging answer ("dataco": PENDING_PAYMENT order lines aged on
// the DataCo clock, docs/FINANCE_API.md) as an aging answer of its own, for agingChart; null
// when the engine does not send it.
export function datacoAging(recv) {
  const d = recv?.dataco;
  if (!d || typeof d !== 'object') return null;
  return { side: 'receivables', buckets: recv.buckets, as_of: d.as_of ?? null, terms_days: d.terms_days, total: d.total, by_counterparty: d.by_counterparty };
}

// Aging (payables by supplier, receivables by customer) -> a stacked bar per counterparty
// (largest total first, top `top`, the rest summed in one "Other suppliers" / "Other customers"
// bar: `others` names them) and the total bar. Series are per bucket, in the API's order.
export function agingChart(aging, { top = 10, others = 'suppliers' } = {}) {
  const buckets = Array.isArray(aging?.buckets) && aging.buckets.length ? aging.buckets.map(String) : AGING_BUCKETS;
  const n = buckets.length;
  const rows = (Array.isArray(aging?.by_counterparty) ? aging.by_counterparty : []).map((r) => ({
    id: String(r.id ?? ''),
    name: label(r),
    amount: arr(r.amount, n),
    count: arr(r.count, n),
    total: typeof r.total === 'number' ? r.total : sumMicros(arr(r.amount, n)),
  }));
  rows.sort((a, b) => b.total - a.total || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const shown = rows.slice(0, Math.max(0, top));
  const rest = rows.slice(shown.length);
  if (rest.length) {
    shown.push({
      id: '',
      name: `Other ${others} (${rest.length})`,
      other: true,
      amount: buckets.map((_, i) => sumMicros(rest.map((r) => r.amount[i]))),
      count: buckets.map((_, i) => rest.reduce((a, r) => a + r.count[i], 0)),
      total: sumMicros(rest.map((r) => r.total)),
    });
  }
  const t = aging?.total ?? {};
  const total = { amount: arr(t.amount, n), count: arr(t.count, n), total: typeof t.total === 'number' ? t.total : sumMicros(arr(t.amount, n)) };
  return {
    buckets,
    labels: buckets.map((b) => BUCKET_LABELS[b] || b),
    categories: shown.map((r) => r.name),
    rows: shown,
    suppliers: rows.length,
    series: buckets.map((b, i) => ({ bucket: b, data: shown.map((r) => r.amount[i]) })),
    total,
  };
}

// Cash required by due date: overdue, then the cumulative horizons (7/30/90 days).
export function cashBars(cash) {
  const t = cash?.total ?? {};
  const horizons = Array.isArray(cash?.horizons_days) ? cash.horizons_days : [7, 30, 90];
  const due = arr(t.due, horizons.length);
  return {
    labels: ['Overdue', ...horizons.map((d) => `≤ ${d} days`)],
    keys: ['overdue', ...horizons.map((d) => `due_${d}`)],
    values: [typeof t.overdue === 'number' ? t.overdue : 0, ...due],
  };
}

// Open commitments per supplier (largest first, top `top`): ordered-not-invoiced and
// invoiced-not-paid stacked, with the totals.
export function commitmentBars(cash, { top = 10 } = {}) {
  const rows = (Array.isArray(cash?.by_supplier) ? cash.by_supplier : []).map((r) => ({
    id: String(r.id ?? ''),
    name: label(r),
    ordered: num(r.ordered_not_invoiced),
    invoiced: num(r.invoiced_not_paid),
    open: typeof r.open_commitments === 'number' ? r.open_commitments : sumMicros([r.ordered_not_invoiced, r.invoiced_not_paid]),
  }));
  rows.sort((a, b) => b.open - a.open || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const shown = rows.slice(0, top);
  const t = cash?.total ?? {};
  return {
    categories: shown.map((r) => r.name),
    ids: shown.map((r) => r.id),
    ordered: shown.map((r) => r.ordered),
    invoiced: shown.map((r) => r.invoiced),
    suppliers: rows.length,
    total: { ordered: num(t.ordered_not_invoiced), invoiced: num(t.invoiced_not_paid), open: typeof t.open_commitments === 'number' ? t.open_commitments : sumMicros([t.ordered_not_invoiced, t.invoiced_not_paid]) },
  };
}

function num(x) {
  return typeof x === 'number' && Number.isFinite(x) ? x : 0;
}

// Payment delay per supplier: slowest first (by p90, then mean), top `top`.
export function delayBars(pd, { top = 15 } = {}) {
  const rows = (Array.isArray(pd?.suppliers) ? pd.suppliers : [])
    .filter((r) => typeof r.mean_days === 'number')
    .map((r) => ({ id: String(r.id ?? ''), name: label(r), count: num(r.count), mean: r.mean_days, p90: num(r.p90_days) }));
  rows.sort((a, b) => b.p90 - a.p90 || b.mean - a.mean || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const shown = rows.slice(0, top);
  const settled = rows.reduce((a, r) => a + r.count, 0);
  const weightedMean = settled ? rows.reduce((a, r) => a + r.mean * r.count, 0) / settled : null;
  return {
    categories: shown.map((r) => r.name),
    ids: shown.map((r) => r.id),
    mean: shown.map((r) => Math.round(r.mean * 100) / 100),
    p90: shown.map((r) => r.p90),
    counts: shown.map((r) => r.count),
    suppliers: rows.length,
    settled,
    weightedMean,
  };
}

// The early-payment answer -> table rows with the plan marked, and the plan's figures.
// A row is in the plan when the plan lists its invoice id; `in_plan` from the API must agree
// (disagreements are returned, for a test or a console to notice, never hidden).
export function earlyPaymentPlan(ep) {
  const plan = ep?.plan ?? {};
  const ids = new Set((Array.isArray(plan.invoice_ids) ? plan.invoice_ids : []).map(String));
  const opportunities = Array.isArray(ep?.opportunities) ? ep.opportunities : [];
  const mismatched = [];
  const rows = opportunities.map((o, i) => {
    const inPlan = ids.has(String(o.invoice_id));
    if (typeof o.in_plan === 'boolean' && o.in_plan !== inPlan) mismatched.push(String(o.invoice_id));
    return { ...o, rank: i + 1, in_plan: inPlan };
  });
  const listed = new Set(rows.map((r) => String(r.invoice_id)));
  const savings = num(plan.savings);
  const exact = plan.exact === true;
  const upper = typeof plan.upper_bound === 'number' ? plan.upper_bound : savings;
  return {
    rows,
    inPlan: ids,
    planCount: ids.size,
    unlistedInPlan: [...ids].filter((id) => !listed.has(id)).length,
    mismatched,
    savings,
    cashNeeded: num(plan.cash_needed),
    budget: typeof ep?.budget === 'number' ? ep.budget : null,
    hurdle: typeof ep?.hurdle === 'number' ? ep.hurdle : null,
    exact,
    upperBound: upper,
    gap: exact ? 0 : Math.max(0, subMoney(upper, savings)),
    candidates: num(plan.candidates),
    total: typeof ep?.total_opportunities === 'number' ? ep.total_opportunities : rows.length,
  };
}

// "Exact: the best plan over 12 candidates" / "Heuristic (greedy) over 40 candidates: at most
// $12.34 below the best possible plan (upper bound $1,000.00)". `money` formats amounts.
export function planMethodText(p, money) {
  const c = `${p.candidates} candidate${p.candidates === 1 ? '' : 's'}`;
  if (p.exact) return `Exact: the best plan over ${c}`;
  return `Heuristic (greedy) over ${c}: at most ${money(p.gap)} below the best possible plan (upper bound ${money(p.upperBound)})`;
}

// ---- working capital (GET /api/v1/finance/working-capital) -------------------------------

export const DPO_BASES = { purchases: 'Purchases', cogs: 'COGS' };

function numOrNull(x) {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

// Days as shown on a tile: one decimal ("47.8"); null (undefined figure) -> "—".
export function formatDays(x) {
  return numOrNull(x) === null ? '—' : formatNumber(x, { digits: 1 });
}

// The working-capital answer -> four tiles (DSO, DIO, DPO, CCC) with the figure, a line of
// context (numerator / denominator of the formula) and a tooltip that says why a figure is
// undefined when the API gives null. `money` formats amounts (default: full money format).
export function workingCapitalTiles(wc, { money = formatMoney } = {}) {
  const days = numOrNull(wc?.window_days);
  const w = days === null ? 'the window' : `the last ${formatNumber(days)} day${days === 1 ? '' : 's'}`;
  const basis = wc?.dpo_basis === 'cogs' ? 'cogs' : 'purchases';
  const basisLabel = basis === 'cogs' ? 'COGS' : 'purchases';
  const dpoDenominator = basis === 'cogs' ? wc?.cogs : wc?.purchases;
  const specs = [
    {
      key: 'dso',
      label: 'DSO',
      name: 'Days sales outstanding',
      sub: `${money(wc?.average_receivables)} avg receivables / ${money(wc?.revenue)} revenue`,
      formula: `average receivables / revenue (customer invoices issued) × ${days ?? 'days'}`,
      why: `No customer invoice was issued in ${w} (revenue is 0), so DSO is undefined.`,
    },
    {
      key: 'dio',
      label: 'DIO',
      name: 'Days inventory outstanding',
      sub: `${money(wc?.average_inventory)} inventory / ${money(wc?.cogs)} COGS`,
      formula: `inventory at cost (today's value) / COGS × ${days ?? 'days'}`,
      why: `Nothing was sold in ${w} (COGS is 0), so DIO is undefined.`,
    },
    {
      key: 'dpo',
      label: 'DPO',
      name: 'Days payables outstanding',
      sub: `${money(wc?.average_payables)} avg payables / ${money(dpoDenominator)} ${basisLabel}`,
      formula: `average payables / ${basisLabel} × ${days ?? 'days'}`,
      why:
        basis === 'cogs'
          ? `Nothing was sold in ${w} (COGS is 0), so DPO on a COGS basis is undefined.`
          : `No supplier invoice was received in ${w} (purchases are 0), so DPO is undefined.`,
    },
    {
      key: 'ccc',
      label: 'CCC',
      name: 'Cash conversion cycle',
      sub: 'Cash conversion cycle: DIO + DSO − DPO',
      formula: 'DIO + DSO − DPO',
      why: 'The cash conversion cycle is defined only when DSO, DIO and DPO all are.',
    },
  ];
  return specs.map((s) => {
    const value = numOrNull(wc?.[s.key]);
    return {
      key: s.key,
      label: s.label,
      value,
      text: value === null ? '—' : `${formatDays(value)} days`,
      // An undefined figure says why on the tile too (not only on hover: keyboard and touch).
      sub: value === null ? s.why : s.sub,
      title: value === null ? s.why : `${s.name}: ${s.formula} = ${formatDays(value)} days`,
      tone: value === null ? null : s.key === 'ccc' && value < 0 ? 'ok' : null,
    };
  });
}

// "Over the last 30 days to 2026-11-29 · DPO on purchases"
export function workingCapitalCaption(wc) {
  const days = numOrNull(wc?.window_days);
  const basis = DPO_BASES[wc?.dpo_basis] ?? '—';
  return `Over the last ${days === null ? '—' : formatNumber(days)} days to ${wc?.as_of ?? '—'} · DPO on ${basis.toLowerCase() === 'cogs' ? 'COGS' : basis.toLowerCase()}`;
}
