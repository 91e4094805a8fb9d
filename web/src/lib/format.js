// Number, money, time and duration formatting for the dashboard. Pure functions, no DOM.
// One place decides the locale and currency so every view shows figures the same way.

export const DEFAULT_LOCALE = 'en-US';
export const DEFAULT_CURRENCY = 'USD';

const cache = new Map();
function nf(locale, options) {
  const key = locale + JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

const DASH = '—';

function isNum(x) {
  return typeof x === 'number' && Number.isFinite(x);
}

// 1234567 -> "1,234,567"; fractional input is rounded to `digits` decimals (default 0).
export function formatNumber(x, { digits = 0, locale = DEFAULT_LOCALE } = {}) {
  if (!isNum(x)) return DASH;
  return nf(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
}

// Money arrives as a JSON number whose text is an exact decimal (e.g. 245.70); two decimals
// are always shown: 1234.5 -> "$1,234.50".
export function formatMoney(x, { currency = DEFAULT_CURRENCY, locale = DEFAULT_LOCALE, digits = 2 } = {}) {
  if (!isNum(x)) return DASH;
  return nf(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(x);
}

// Short form for chart axes and tight spaces: 1234 -> "1.2K", 2500000 -> "2.5M".
export function formatCompact(x, { locale = DEFAULT_LOCALE } = {}) {
  if (!isNum(x)) return DASH;
  if (Math.abs(x) < 1000) return formatNumber(x, { locale, digits: Number.isInteger(x) ? 0 : 1 });
  return nf(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(x);
}

export function formatCompactMoney(x, { currency = DEFAULT_CURRENCY, locale = DEFAULT_LOCALE } = {}) {
  if (!isNum(x)) return DASH;
  if (Math.abs(x) < 1000) return formatMoney(x, { currency, locale, digits: Number.isInteger(x) ? 0 : 2 });
  return nf(locale, { style: 'currency', currency, notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 }).format(x);
}

// Events per second: one decimal below 100, none above. 1234.56 -> "1,235".
export function formatRate(x, { locale = DEFAULT_LOCALE } = {}) {
  if (!isNum(x)) return DASH;
  return formatNumber(x, { locale, digits: Math.abs(x) < 100 ? 1 : 0 });
}

export function formatPercent(x, { digits = 1, locale = DEFAULT_LOCALE } = {}) {
  if (!isNum(x)) return DASH;
  return nf(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
}

// Milliseconds -> "850 ms", "4.2 s", "3 min 05 s", "2 h 04 min", "3 d 4 h".
export function formatDurationMs(ms) {
  if (!isNum(ms)) return DASH;
  const neg = ms < 0;
  let v = Math.abs(ms);
  let out;
  if (v < 1000) out = `${Math.round(v)} ms`;
  else if (v < 60_000) out = `${(v / 1000).toFixed(v < 10_000 ? 1 : 0)} s`;
  else if (v < 3_600_000) {
    const m = Math.floor(v / 60_000);
    const s = Math.floor((v % 60_000) / 1000);
    out = `${m} min ${String(s).padStart(2, '0')} s`;
  } else if (v < 86_400_000) {
    const h = Math.floor(v / 3_600_000);
    const m = Math.floor((v % 3_600_000) / 60_000);
    out = `${h} h ${String(m).padStart(2, '0')} min`;
  } else {
    const d = Math.floor(v / 86_400_000);
    const h = Math.floor((v % 86_400_000) / 3_600_000);
    out = `${d} d ${h} h`;
  }
  return neg ? `−${out}` : out;
}

export function formatSeconds(s) {
  return isNum(s) ? formatDurationMs(s * 1000) : DASH;
}

function toDate(t) {
  if (t === null || t === undefined || t === '') return null;
  const d = typeof t === 'number' ? new Date(t) : new Date(t);
  return Number.isNaN(d.getTime()) ? null : d;
}

function pad2(n) {
  return String(n).padStart(2, '0');
}

// Event times are shown in UTC (the engine's business time is UTC): "14:05" / "14:05:09".
export function formatClock(t, { seconds = false } = {}) {
  const d = toDate(t);
  if (!d) return DASH;
  const hm = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  return seconds ? `${hm}:${pad2(d.getUTCSeconds())}` : hm;
}

// "2024-05-01 14:05:09"
export function formatDateTime(t) {
  const d = toDate(t);
  if (!d) return DASH;
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${formatClock(d, { seconds: true })}`;
}

// Relative age of a timestamp against `now` (ms): "just now", "12 s ago", "5 min ago".
export function formatAgo(t, now) {
  const d = toDate(t);
  if (!d || !isNum(now)) return DASH;
  const age = now - d.getTime();
  if (age < 1500) return 'just now';
  if (age < 60_000) return `${Math.round(age / 1000)} s ago`;
  if (age < 3_600_000) return `${Math.round(age / 60_000)} min ago`;
  if (age < 86_400_000) return `${Math.round(age / 3_600_000)} h ago`;
  return `${Math.round(age / 86_400_000)} d ago`;
}

// Bytes -> "512 B", "1.5 KiB", "12.3 MiB".
export function formatBytes(n) {
  if (!isNum(n)) return DASH;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

// Adds two money values exactly (cents as integers), avoiding binary floating-point drift.
export function addMoney(a, b) {
  return (Math.round(a * 100) + Math.round(b * 100)) / 100;
}

export function sumMoney(values) {
  let cents = 0;
  for (const v of values) if (isNum(v)) cents += Math.round(v * 100);
  return cents / 100;
}

// "dead letter" / "dead letters"
export function plural(n, one, many = `${one}s`) {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}
