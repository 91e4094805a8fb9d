// Reorder recommendations (GET /api/v1/reorder, docs/API.md) -> table rows for the Inventory
// view, and the service-level field. Pure functions, no DOM.
import { formatNumber } from './format.js';

function num(x) {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

// Rows in the API's order (most urgent first: reorder-now rows, then by projected stock-out day)
// with that order kept as `rank`, so a table sorted by rank shows the API's order.
export function reorderRows(answer) {
  const products = Array.isArray(answer?.products) ? answer.products : [];
  return products.map((p, i) => ({
    rank: i + 1,
    key: `${p.store_id}:${p.prod_id}`,
    store_id: p.store_id,
    prod_id: p.prod_id,
    prod_name: p.prod_name == null || p.prod_name === '' ? `#${p.prod_id}` : String(p.prod_name),
    on_hand: num(p.on_hand),
    demand_days: num(p.demand_days),
    lead_time_days: num(p.lead_time_days),
    lead_time_supplier: typeof p.lead_time_supplier === 'string' ? p.lead_time_supplier : '',
    demand_mean: num(p.demand_mean),
    demand_stddev: num(p.demand_stddev),
    z: num(p.z),
    safety_stock: num(p.safety_stock),
    reorder_point: num(p.reorder_point),
    eoq: num(p.eoq),
    days_of_supply: num(p.days_of_supply),
    stockout_day: typeof p.stockout_day === 'string' ? p.stockout_day : null,
    reorder_now: p.reorder_now === true,
  }));
}

// Units as shown in the table: whole units from 100 up, one decimal below ("79.1"), "—" for null.
export function formatUnits(x) {
  if (num(x) === null) return '—';
  return formatNumber(x, { digits: Math.abs(x) >= 100 || Number.isInteger(x) ? 0 : 1 });
}

// Mean daily demand ± standard deviation: "10.0 ± 2.1 /day".
export function formatDemand(mean, sd) {
  if (num(mean) === null) return '—';
  const m = formatNumber(mean, { digits: 1 });
  return num(sd) === null ? m : `${m} ± ${formatNumber(sd, { digits: 1 })}`;
}

// Lead time and whose it is: "12 d · S002" (the supplier's), "7 d · default" (the config's).
export function formatLeadTime(days, supplier) {
  if (num(days) === null) return '—';
  const d = `${formatNumber(days, { digits: Number.isInteger(days) ? 0 : 1 })} d`;
  return `${d} · ${supplier ? supplier : 'default'}`;
}

// Days of supply: one decimal, "—" when undefined (no demand).
export function formatSupplyDays(x) {
  return num(x) === null ? '—' : formatNumber(x, { digits: 1 });
}

// Header line: "3 of 25 products to reorder now · 28-day demand, 95 % service level, 7-day lead time".
export function reorderSummary(answer, listed) {
  const n = num(answer?.reorder_now) ?? 0;
  const sl = num(answer?.service_level);
  const lt = num(answer?.lead_time_days);
  const wd = num(answer?.window_days);
  const parts = [`${formatNumber(n)} to reorder now${listed !== undefined ? ` (${formatNumber(listed)} listed)` : ''}`];
  if (wd !== null) parts.push(`demand over up to ${formatNumber(wd)} days`);
  if (sl !== null) parts.push(`${formatServiceLevel(sl)} service level`);
  if (lt !== null) parts.push(`${formatNumber(lt, { digits: Number.isInteger(lt) ? 0 : 1 })}-day lead time where no supplier is known`);
  return parts.join(' · ');
}

// 0.95 -> "95 %", 0.999 -> "99.9 %".
export function formatServiceLevel(r) {
  if (num(r) === null) return '—';
  return `${String(Math.round(r * 100 * 100) / 100)} %`;
}

export const SERVICE_LEVEL_MIN = 0.5;
export const SERVICE_LEVEL_MAX = 0.999;

// The service level as typed: a ratio "0.95" (or ".95") or a percentage "95 %" / "99.5%".
// -> { value: ratio as decimal text the API takes exactly, number } | { empty: true } | { error }.
// Between 0.5 and 0.999, at most 4 decimals of the ratio.
export function parseServiceLevel(text) {
  const s = String(text ?? '').trim();
  if (s === '') return { empty: true };
  const error = { error: `Enter a service level between ${SERVICE_LEVEL_MIN} and ${SERVICE_LEVEL_MAX} (or 50 % to 99.9 %).` };
  let value;
  const pct = s.match(/^(\d{1,2})(?:\.(\d{1,2}))?\s*%$/);
  if (pct) {
    // Shift the decimal point two places left on the digits (exact text).
    const frac = (pct[1].padStart(2, '0') + (pct[2] || '')).replace(/0+$/, '');
    value = frac ? `0.${frac}` : '0';
  } else {
    const m = s.match(/^0?\.(\d{1,4})$/);
    if (!m) return error;
    const frac = m[1].replace(/0+$/, '');
    value = frac ? `0.${frac}` : '0';
  }
  const number = Number(value);
  if (!(number >= SERVICE_LEVEL_MIN && number <= SERVICE_LEVEL_MAX)) return error;
  return { value, number };
}
