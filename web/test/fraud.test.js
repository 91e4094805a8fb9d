import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertsQuery, ruleCounts, ruleLabel, ruleOptions, RULES, severityTone, benfordSuppliers, pickSupplier, benfordChart, BENFORD_EXPECTED } from '../src/lib/fraud.js';

test('alertsQuery builds the filter query, dropping empty and unknown values', () => {
  assert.equal(alertsQuery(), '');
  assert.equal(alertsQuery({ rule: 'duplicate_invoice' }), '?rule=duplicate_invoice');
  assert.equal(alertsQuery({ severity: 'critical', subject: ' S0003 ' }), '?severity=critical&subject=S0003');
  assert.equal(alertsQuery({ severity: 'bogus', subject: '' }), '');
  assert.equal(alertsQuery({ rule: 'split_invoice', severity: 'warning', subject: 'C 1', limit: 500 }), '?rule=split_invoice&severity=warning&subject=C%201&limit=500');
  assert.equal(alertsQuery({ limit: 0 }), '');
  assert.equal(alertsQuery({ limit: 1.5 }), '');
});

test('ruleCounts: most alerts first, ties by rule id, zero counts left out', () => {
  assert.deepEqual(ruleCounts({ split_invoice: 3, duplicate_invoice: 3, order_velocity: 7, benford_deviation: 0 }), [
    { rule: 'order_velocity', label: 'Order velocity', count: 7 },
    { rule: 'duplicate_invoice', label: 'Duplicate invoice', count: 3 },
    { rule: 'split_invoice', label: 'Split invoice', count: 3 },
  ]);
  assert.deepEqual(ruleCounts(null), []);
});

test('rule labels and filter options include rules the engine adds later', () => {
  assert.equal(ruleLabel('three_way_mismatch'), 'Three-way mismatch');
  assert.equal(ruleLabel('brand_new_rule'), 'Brand new rule');
  assert.equal(ruleLabel(''), '?');
  const opts = ruleOptions(['zz_rule', 'duplicate_invoice', 'aa_rule', 'zz_rule']);
  assert.deepEqual(opts.slice(0, Object.keys(RULES).length), Object.keys(RULES));
  assert.deepEqual(opts.slice(Object.keys(RULES).length), ['aa_rule', 'zz_rule']);
  assert.equal(severityTone('critical'), 'danger');
  assert.equal(severityTone('warning'), 'warn');
  assert.equal(severityTone('info'), 'muted');
});

test('benfordSuppliers: flagged first, then most amounts; either answer shape', () => {
  const list = [
    { supplier: 'S1', name: 'Acme', n: 70, mad: 0.011, conformity: 'acceptable', flagged: false },
    { supplier: 'S2', name: 'Beta', n: 900, mad: 0.02, conformity: 'nonconformity', flagged: true },
    { supplier: 'S3', name: 'Gamma', n: 120, mad: 0.005, conformity: 'close', flagged: false },
  ];
  const a = benfordSuppliers({ suppliers: list });
  assert.deepEqual(a.map((r) => r.id), ['S2', 'S3', 'S1']);
  assert.deepEqual(benfordSuppliers(list.map(({ supplier, ...r }) => ({ id: supplier, ...r }))).map((r) => r.id), ['S2', 'S3', 'S1']);
  assert.deepEqual(benfordSuppliers(null), []);
  assert.equal(pickSupplier(a, 'S1'), 'S1');
  assert.equal(pickSupplier(a, 'S9'), 'S2');
  assert.equal(pickSupplier(a, ''), 'S2');
  assert.equal(pickSupplier([], 'S1'), '');
});

test('benfordChart: shares from the answer, or from counts and the law when missing', () => {
  const b = benfordChart({ supplier: 'S1', n: 70, counts: [21, 12, 9, 7, 6, 5, 4, 3, 3], expected_share: [0.301, 0.176, 0.125, 0.097, 0.079, 0.067, 0.058, 0.051, 0.046], observed_share: [0.3, 0.171, 0.129, 0.1, 0.086, 0.071, 0.057, 0.043, 0.043], mad: 0.011, conformity: 'acceptable', flagged: false, min_count: 50 });
  assert.deepEqual(b.digits, ['1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.equal(b.observed[0], 0.3);
  assert.equal(b.expected[8], 0.046);
  assert.equal(b.enough, true);
  const c = benfordChart({ counts: [1, 1, 0, 0, 0, 0, 0, 0, 2], min_count: 50 });
  assert.equal(c.n, 4);
  assert.deepEqual(c.observed, [0.25, 0.25, 0, 0, 0, 0, 0, 0, 0.5]);
  assert.deepEqual(c.expected, BENFORD_EXPECTED);
  assert.equal(c.enough, false);
  assert.ok(Math.abs(BENFORD_EXPECTED.reduce((a, x) => a + x, 0) - 1) < 1e-12);
  assert.ok(Math.abs(BENFORD_EXPECTED[0] - 0.30103) < 1e-5);
});
