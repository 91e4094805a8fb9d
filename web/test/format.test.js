import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatNumber, formatMoney, formatCompact, formatCompactMoney, formatRate, formatPercent,
  formatDurationMs, formatSeconds, formatClock, formatDateTime, formatAgo, formatBytes,
  addMoney, sumMoney, plural,
} from '../src/lib/format.js';

test('numbers get thousands separators', () => {
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(999), '999');
  assert.equal(formatNumber(1234), '1,234');
  assert.equal(formatNumber(1234567), '1,234,567');
  assert.equal(formatNumber(-45210), '-45,210');
  assert.equal(formatNumber(1234.5678, { digits: 2 }), '1,234.57');
  assert.equal(formatNumber(2.5), '3'); // rounds to whole units by default
});

test('missing or non-finite values show a dash', () => {
  for (const v of [null, undefined, NaN, Infinity, '12', {}]) {
    assert.equal(formatNumber(v), '—');
    assert.equal(formatMoney(v), '—');
    assert.equal(formatRate(v), '—');
    assert.equal(formatDurationMs(v), '—');
  }
});

test('money has a currency symbol, separators and two decimals', () => {
  assert.equal(formatMoney(0), '$0.00');
  assert.equal(formatMoney(245.7), '$245.70');
  assert.equal(formatMoney(1234567.891), '$1,234,567.89');
  assert.equal(formatMoney(-12.5), '-$12.50');
  assert.equal(formatMoney(0.1 + 0.2), '$0.30');
  assert.equal(formatMoney(1500, { currency: 'EUR', locale: 'de-DE' }), '1.500,00\u00a0€');
});

test('compact forms for chart axes', () => {
  assert.equal(formatCompact(950), '950');
  assert.equal(formatCompact(1200), '1.2K');
  assert.equal(formatCompact(2_500_000), '2.5M');
  assert.equal(formatCompactMoney(0), '$0');
  assert.equal(formatCompactMoney(30), '$30');
  assert.equal(formatCompactMoney(12.5), '$12.50');
  assert.equal(formatCompactMoney(150_000), '$150K');
  assert.equal(formatCompactMoney(1_250_000), '$1.3M');
});

test('rates and percentages', () => {
  assert.equal(formatRate(20.9576), '21.0');
  assert.equal(formatRate(1234.56), '1,235');
  assert.equal(formatPercent(0.1234), '12.3%');
});

test('durations read naturally', () => {
  assert.equal(formatDurationMs(850), '850 ms');
  assert.equal(formatDurationMs(4200), '4.2 s');
  assert.equal(formatDurationMs(15061), '15 s');
  assert.equal(formatDurationMs(185_000), '3 min 05 s');
  assert.equal(formatDurationMs(7_440_000), '2 h 04 min');
  assert.equal(formatDurationMs(3 * 86_400_000 + 4 * 3_600_000), '3 d 4 h');
  assert.equal(formatDurationMs(-2000), '−2.0 s');
  assert.equal(formatSeconds(1.1), '1.1 s');
  assert.equal(formatSeconds(null), '—');
});

test('times are shown in UTC', () => {
  const t = Date.UTC(2024, 4, 1, 14, 5, 9, 123);
  assert.equal(formatClock(t), '14:05');
  assert.equal(formatClock(t, { seconds: true }), '14:05:09');
  assert.equal(formatClock('2024-05-01T14:05:09.123Z'), '14:05');
  assert.equal(formatDateTime('2024-05-01T04:05:09.123Z'), '2024-05-01 04:05:09');
  assert.equal(formatClock(null), '—');
  assert.equal(formatClock('not a time'), '—');
});

test('relative ages', () => {
  const now = Date.UTC(2024, 4, 1, 12, 0, 0);
  assert.equal(formatAgo(now - 500, now), 'just now');
  assert.equal(formatAgo(now - 12_000, now), '12 s ago');
  assert.equal(formatAgo(now - 5 * 60_000, now), '5 min ago');
  assert.equal(formatAgo(now - 3 * 3_600_000, now), '3 h ago');
  assert.equal(formatAgo(new Date(now - 2 * 86_400_000).toISOString(), now), '2 d ago');
});

test('bytes use binary units', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.50 KiB');
  assert.equal(formatBytes(798_925), '780.2 KiB');
  assert.equal(formatBytes(12.3 * 1024 * 1024), '12.3 MiB');
});

test('money sums are exact to the cent', () => {
  assert.equal(0.1 + 0.2 === 0.3, false);
  assert.equal(addMoney(0.1, 0.2), 0.3);
  assert.equal(sumMoney([2.75, 2.75, 2.75, 1.1, 2.2]), 11.55);
  assert.equal(sumMoney(Array(1000).fill(0.01)), 10);
  assert.equal(sumMoney([1, null, undefined, 2.5]), 3.5);
});

test('plural', () => {
  assert.equal(plural(1, 'product'), '1 product');
  assert.equal(plural(1200, 'product'), '1,200 products');
});
