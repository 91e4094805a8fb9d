// Search, sort and pagination for data tables. Pure functions; the DOM side is in ui/table.js.

// Case-insensitive search over the given fields; several words must all match.
export function filterRows(rows, query, fields) {
  const words = String(query || '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return rows;
  return rows.filter((r) => {
    let hay = '';
    for (const f of fields) {
      const v = typeof f === 'function' ? f(r) : r[f];
      if (v !== null && v !== undefined) hay += ` ${String(v).toLowerCase()}`;
    }
    return words.every((w) => hay.includes(w));
  });
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

// Compares two cell values: numbers numerically, booleans false < true, strings naturally
// ("Item 2" < "Item 10"); null and undefined always last whatever the direction.
export function compareValues(a, b) {
  const an = a === null || a === undefined || (typeof a === 'number' && Number.isNaN(a));
  const bn = b === null || b === undefined || (typeof b === 'number' && Number.isNaN(b));
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  return collator.compare(String(a), String(b));
}

// Stable sort by `key` (a field name or a function) in `dir` ('asc' | 'desc'), ties broken by
// `tieKey` ascending. Returns a new array. Nulls last in both directions.
export function sortRows(rows, key, dir = 'asc', tieKey = null) {
  const get = typeof key === 'function' ? key : (r) => r[key];
  const tie = tieKey ? (typeof tieKey === 'function' ? tieKey : (r) => r[tieKey]) : null;
  const sign = dir === 'desc' ? -1 : 1;
  const decorated = rows.map((r, i) => ({ r, i, v: get(r) }));
  decorated.sort((x, y) => {
    const xn = x.v === null || x.v === undefined;
    const yn = y.v === null || y.v === undefined;
    let c;
    if (xn || yn) c = xn === yn ? 0 : xn ? 1 : -1; // nulls last regardless of direction
    else c = sign * compareValues(x.v, y.v);
    if (c === 0 && tie) c = compareValues(tie(x.r), tie(y.r));
    return c || x.i - y.i;
  });
  return decorated.map((d) => d.r);
}

// One page of rows; `page` is clamped into range. Pages count from 1.
export function paginate(rows, page, pageSize) {
  const total = rows.length;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const p = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const start = (p - 1) * pageSize;
  return { rows: rows.slice(start, start + pageSize), page: p, pages, total, start };
}

// Next sort state when a column header is activated: a new column starts in its default
// direction, the same column flips.
export function nextSort(current, key, defaultDir = 'asc') {
  if (!current || current.key !== key) return { key, dir: defaultDir };
  return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
}
