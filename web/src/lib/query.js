// Query strings and user-typed figures for the views that re-request the API with parameters.
// Pure functions, no DOM.

// { rule: 'x', severity: '', subject: 'S 1' } -> '?rule=x&subject=S%201'. Empty, null and
// undefined values are left out (the API then uses its default); keys keep the given order.
export function buildQuery(params) {
  const parts = [];
  for (const [k, v] of Object.entries(params || {})) {
    if (v === null || v === undefined) continue;
    const s = typeof v === 'string' ? v.trim() : String(v);
    if (s === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(s)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

// A money amount as a user types it: "50000", "50,000.50", "$1,250", " 12.5 ". Returns
// { value } with the amount as a plain decimal string the API takes exactly ("50000.5"
// stays as typed, without separators), { empty: true } for a blank field, or { error }.
// Negative amounts and more than six decimals (the engine's micro-units) are refused.
export function parseMoneyInput(text) {
  const s = String(text ?? '').trim();
  if (s === '') return { empty: true };
  const m = s.replace(/^\$\s*/, '').match(/^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,6}))?$/);
  if (!m) return { error: 'Enter an amount such as 50000 or 50,000.00 (not negative).' };
  const whole = m[1].replace(/,/g, '').replace(/^0+(?=\d)/, '');
  const value = m[2] ? `${whole}.${m[2]}` : whole;
  return { value, number: Number(value) };
}

// A rate typed as a percentage ("10", "12.5 %", "0") -> { value: ratio as a decimal string
// ("0.1", "0.125", "0"), number }. Between 0 and 1000 %, at most 4 decimals of a percent.
export function parsePercentInput(text) {
  const s = String(text ?? '').trim();
  if (s === '') return { empty: true };
  const m = s.match(/^(\d{1,4})(?:\.(\d{1,4}))?\s*%?$/);
  if (!m || Number(s.replace('%', '')) > 1000) return { error: 'Enter a rate in percent per year, such as 10 or 12.5 (0 to 1000).' };
  // Shift the decimal point two places left on the digits, so the ratio is exact text.
  const digits = (m[1] + (m[2] || '')).replace(/^0+(?=\d)/, '');
  const scale = (m[2] || '').length + 2;
  const padded = digits.padStart(scale + 1, '0');
  const intPart = padded.slice(0, padded.length - scale);
  const frac = padded.slice(padded.length - scale).replace(/0+$/, '');
  const value = frac ? `${intPart}.${frac}` : intPart;
  return { value, number: Number(value) };
}

// A ratio from the API (0.1) -> the text of the percentage a user would type ("10").
export function ratioToPercentText(r) {
  if (typeof r !== 'number' || !Number.isFinite(r)) return '';
  return String(Math.round(r * 100 * 10000) / 10000);
}
