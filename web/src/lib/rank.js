// Ranking and ordering of inventory rows: best sellers, and which products the stock chart
// shows first. Pure functions.

function byProdId(a, b) {
  return a.prod_id - b.prod_id;
}

// The first k rows in the order `cmp` (a sort comparator) defines, without sorting them all:
// O(n log k) with a kept-sorted buffer of k rows. Same result as rows.slice().sort(cmp).slice(0, k)
// when cmp is a total order.
export function selectFirst(rows, k, cmp) {
  if (k <= 0) return [];
  const best = []; // ascending by cmp; best[best.length - 1] is the worst kept
  for (const r of rows) {
    if (best.length < k) {
      insertSorted(best, r, cmp);
    } else if (cmp(r, best[best.length - 1]) < 0) {
      best.pop();
      insertSorted(best, r, cmp);
    }
  }
  return best;
}

// The k largest rows by `value(row)`, largest first, ties by prod_id.
export function topK(rows, k, value) {
  return selectFirst(rows, k, (a, b) => value(b) - value(a) || a.prod_id - b.prod_id);
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

// Rows for the stock chart: the first `limit` in the order `order`. O(n log limit).
export function chartRows(rows, { order = 'risk', limit = 25 } = {}) {
  const o = CHART_ORDERS[order] || CHART_ORDERS.risk;
  return selectFirst(rows, limit, o.cmp);
}
