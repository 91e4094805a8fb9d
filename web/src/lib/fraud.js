// The Fraud view's data shaping: alert filters -> query strings, counts by rule, Benford
// figures (docs/FINANCE_API.md, docs/FINANCE.md "Fraud detectors"). Pure functions, no DOM.
import { buildQuery } from './query.js';

export const SEVERITIES = ['critical', 'warning', 'info'];

// The detectors' stable rule ids, in the order of docs/FINANCE.md, with a human label.
export const RULES = {
  duplicate_invoice: 'Duplicate invoice',
  near_duplicate_invoice_number: 'Near-duplicate invoice number',
  split_invoice: 'Split invoice',
  three_way_mismatch: 'Three-way mismatch',
  invoice_not_received: 'Invoiced, not received',
  invoice_without_po: 'Invoice without PO',
  payment_already_paid: 'Paid twice',
  payment_exceeds_invoice: 'Payment exceeds invoice',
  payment_before_invoice: 'Payment before invoice',
  payment_bank_account_changed: 'Bank account changed',
  payment_bank_account_mismatch: 'Bank account mismatch',
  payment_without_invoice: 'Payment without invoice',
  round_amount_invoices: 'Round amounts',
  benford_deviation: 'Benford deviation',
  order_amount_outlier: 'Order amount outlier',
  order_velocity: 'Order velocity',
};

// A label for any rule id, known or not: 'order_velocity' -> 'Order velocity'.
export function ruleLabel(id) {
  const s = String(id ?? '');
  if (RULES[s]) return RULES[s];
  const t = s.replace(/_/g, ' ').trim();
  return t ? t[0].toUpperCase() + t.slice(1) : '?';
}

// The rule ids for the filter: the known ones, then any others the engine reported, sorted.
export function ruleOptions(seen = []) {
  const extra = [...new Set(seen.map(String))].filter((r) => r && !RULES[r]).sort();
  return [...Object.keys(RULES), ...extra];
}

// The filter form -> the alerts query. Only known severities pass; subject is trimmed (the
// API matches it exactly); limit only when it is a positive integer.
export function alertsQuery({ rule = '', severity = '', subject = '', limit = null } = {}) {
  return buildQuery({
    rule: rule || '',
    severity: SEVERITIES.includes(severity) ? severity : '',
    subject: String(subject ?? '').trim(),
    limit: Number.isInteger(limit) && limit > 0 ? limit : '',
  });
}

// by_rule {rule: count} -> [{ rule, label, count }], most alerts first, then by rule id.
export function ruleCounts(byRule) {
  return Object.entries(byRule && typeof byRule === 'object' ? byRule : {})
    .filter(([, c]) => typeof c === 'number' && c > 0)
    .map(([rule, count]) => ({ rule, label: ruleLabel(rule), count }))
    .sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

export function severityTone(s) {
  return s === 'critical' ? 'danger' : s === 'warning' ? 'warn' : 'muted';
}

// Benford's expected first-digit shares log10(1 + 1/d), d = 1..9.
export const BENFORD_EXPECTED = Array.from({ length: 9 }, (_, i) => Math.log10(1 + 1 / (i + 1)));

// The supplier list (GET /api/v1/finance/benford) -> picker entries, flagged first, then by
// the number of amounts counted (most first), then id. Accepts {suppliers:[...]} or a bare
// array, and `supplier` or `id` as the key.
export function benfordSuppliers(answer) {
  const list = Array.isArray(answer) ? answer : Array.isArray(answer?.suppliers) ? answer.suppliers : [];
  return list
    .map((r) => ({
      id: String(r.supplier ?? r.id ?? r.supplier_id ?? ''),
      name: r.name ?? r.supplier_name ?? '',
      n: typeof r.n === 'number' ? r.n : 0,
      mad: typeof r.mad === 'number' ? r.mad : null,
      conformity: r.conformity ?? '',
      flagged: r.flagged === true,
    }))
    .filter((r) => r.id)
    .sort((a, b) => Number(b.flagged) - Number(a.flagged) || b.n - a.n || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

// Which supplier the picker shows: the chosen one while it is listed, else the first of the
// list (a flagged one when there is any).
export function pickSupplier(list, wanted) {
  if (wanted && list.some((r) => r.id === wanted)) return wanted;
  return list[0]?.id ?? '';
}

// One supplier's answer -> chart figures: digits 1-9, observed and expected shares, counts.
export function benfordChart(b) {
  const share = (x, fallback) => Array.from({ length: 9 }, (_, i) => (Array.isArray(x) && typeof x[i] === 'number' ? x[i] : fallback(i)));
  const counts = share(b?.counts, () => 0);
  const n = typeof b?.n === 'number' ? b.n : counts.reduce((a, c) => a + c, 0);
  return {
    digits: ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
    observed: share(b?.observed_share, (i) => (n ? counts[i] / n : 0)),
    expected: share(b?.expected_share, (i) => BENFORD_EXPECTED[i]),
    counts,
    n,
    mad: typeof b?.mad === 'number' ? b.mad : null,
    conformity: b?.conformity ?? '',
    flagged: b?.flagged === true,
    enough: typeof b?.min_count === 'number' ? n >= b.min_count : true,
    minCount: typeof b?.min_count === 'number' ? b.min_count : null,
  };
}
