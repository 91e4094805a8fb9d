// Ranking and ordering of inventory rows: best sellers, and which products the stock chart
// shows first. Pure functions.

function byProdId(a, b) {
  return a.prod_id - b.prod_id;
}

// The k largest rows by `value(row)`, largest first, ties by prod_id. O(n log k).
export function topK(rows, k, value) {
  if (k <= 0) return [];
  const heap = []; // kept sorted ascending (smallest first); small k, so insertion is fine
  const worse = (a, b) => value(a) - value(b) || b.prod_id - a.prod_id; // <0: a ranks below b
  for (const r of rows) {
    if (heap.length < k) {
      insertSorted(heap, r, worse);
    } else if (worse(r, heap[0]) > 0) {
      heap.shift();
      insertSorted(heap, r, worse);
    }
  }
  return heap.reverse();
}

function insertSorted(arr, x, cmp) {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cmp(arr[mid], x) < 0) lo = mid + 1;
    else hi = mid;
  }
  arr.splice(lo, 0, x);
}

export function bestSellers(rows, k = 10) {
  const sold = rows.filter((r) => r.total_sold > 0);
  return {
    byUnits: topK(sold, k, (r) => r.total_sold),
    byRevenue: topK(sold, k, (r) => r.revenue),
  };
}

// How close a product is to running out: units left per unit of reorder point (0 = empty,
// 1 = exactly at the reorder point). Products with no reorder point sort last.
export function stockRatio(r) {
  if (!(r.reorder_point > 0)) return Number.POSITIVE_INFINITY;
  return r.unit_left / r.reorder_point;
}

export const CHART_ORDERS = {
  risk: { label: 'Most at risk first', cmp: (a, b) => stockRatio(a) - stockRatio(b) || a.unit_left - b.unit_left || byProdId(a, b) },
  lowest: { label: 'Fewest units first', cmp: (a, b) => a.unit_left - b.unit_left || byProdId(a, b) },
  highest: { label: 'Most units first', cmp: (a, b) => b.unit_left - a.unit_left || byProdId(a, b) },
  product: { label: 'Product id', cmp: byProdId },
};

// Rows for the stock chart: ordered by `order`, at most `limit`.
export function chartRows(rows, { order = 'risk', limit = 25 } = {}) {
  const o = CHART_ORDERS[order] || CHART_ORDERS.risk;
  const sorted = rows.slice().sort(o.cmp);
  return sorted.length > limit ? sorted.slice(0, limit) : sorted;
}
