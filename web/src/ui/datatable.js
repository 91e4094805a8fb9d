// A data table with search, sortable columns and pagination. Only the visible page is in the
// DOM, so it stays fast with tens of thousands of rows.
import { filterRows, sortRows, paginate, nextSort } from '../lib/table.js';
import { h, esc, setText } from './dom.js';

let counter = 0;

// columns: [{ key, label, num, sortable = true, defaultDir, value(row), html(row) }]
export function createDataTable({
  columns,
  rowKey,
  searchFields,
  searchLabel = 'Search',
  searchPlaceholder = 'Search…',
  pageSize = 25,
  sort = null,
  tieKey = null,
  caption,
  rowClass = null,
  filters = [],
  emptyText = 'Nothing to show yet.',
  id = `dt${++counter}`,
}) {
  let all = [];
  let view = [];
  let page = 1;
  let query = '';
  let sortState = sort;
  let dirty = true;
  let lastHtml = null;
  const active = new Map(filters.map((f) => [f.id, false]));

  const search = h('input', {
    type: 'search',
    id: `${id}-search`,
    class: 'input',
    placeholder: searchPlaceholder,
    autocomplete: 'off',
    spellcheck: 'false',
  });
  search.addEventListener('input', () => {
    query = search.value;
    page = 1;
    dirty = true;
    render();
  });
  const filterEls = filters.map((f) => {
    const cb = h('input', { type: 'checkbox', id: `${id}-${f.id}` });
    cb.addEventListener('change', () => {
      active.set(f.id, cb.checked);
      page = 1;
      dirty = true;
      render();
    });
    return h('label', { class: 'check', for: `${id}-${f.id}` }, cb, h('span', { text: f.label }));
  });
  const count = h('p', { class: 'dt-count', 'aria-live': 'polite' });
  const toolbar = h(
    'div',
    { class: 'dt-toolbar' },
    h('label', { class: 'sr-only', for: `${id}-search`, text: searchLabel }),
    h('div', { class: 'search-wrap' }, search),
    filterEls,
    count,
  );

  const headCells = columns.map((c) => {
    const th = h('th', { scope: 'col', class: c.num ? 'num' : null, dataset: { key: c.key } });
    if (c.sortable === false) {
      th.textContent = c.label;
    } else {
      const btn = h('button', { type: 'button', class: 'sort' }, h('span', { text: c.label }), h('span', { class: 'sort-icon', 'aria-hidden': 'true' }));
      btn.addEventListener('click', () => {
        sortState = nextSort(sortState, c.key, c.defaultDir || (c.num ? 'desc' : 'asc'));
        dirty = true;
        render();
      });
      th.append(btn);
    }
    return th;
  });
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'dt', id },
    caption ? h('caption', { class: 'sr-only', text: caption }) : null,
    h('thead', null, h('tr', null, headCells)),
    tbody,
  );
  const prev = h('button', { type: 'button', class: 'btn', text: '‹ Previous', 'aria-controls': id });
  const next = h('button', { type: 'button', class: 'btn', text: 'Next ›', 'aria-controls': id });
  const pageInfo = h('span', { class: 'dt-page' });
  prev.addEventListener('click', () => {
    page--;
    render();
  });
  next.addEventListener('click', () => {
    page++;
    render();
  });
  const pager = h('nav', { class: 'dt-pager', 'aria-label': 'Table pages' }, prev, pageInfo, next);
  const el = h('div', { class: 'dt-wrap' }, toolbar, h('div', { class: 'dt-scroll', tabindex: '0', 'aria-label': caption || 'table' }, table), pager);

  const colByKey = new Map(columns.map((c) => [c.key, c]));

  function recompute() {
    let rows = all;
    for (const f of filters) if (active.get(f.id)) rows = rows.filter(f.test);
    rows = filterRows(rows, query, searchFields);
    if (sortState) {
      const c = colByKey.get(sortState.key);
      rows = sortRows(rows, c?.value || sortState.key, sortState.dir, tieKey);
    }
    view = rows;
    dirty = false;
  }

  function render() {
    if (dirty) recompute();
    const pg = paginate(view, page, pageSize);
    page = pg.page;
    let html = '';
    for (const r of pg.rows) {
      const cls = rowClass ? rowClass(r) : '';
      html += `<tr data-key="${esc(rowKey(r))}"${cls ? ` class="${cls}"` : ''}>`;
      for (const c of columns) {
        const content = c.html ? c.html(r) : esc(c.value ? c.value(r) : r[c.key]);
        html += c.num ? `<td class="num" data-col="${c.key}">${content}</td>` : `<td data-col="${c.key}">${content}</td>`;
      }
      html += '</tr>';
    }
    if (pg.total === 0) html = `<tr class="dt-empty"><td colspan="${columns.length}">${esc(all.length ? 'No rows match.' : emptyText)}</td></tr>`;
    if (html !== lastHtml) {
      tbody.innerHTML = html;
      lastHtml = html;
    }
    for (const th of headCells) {
      const on = sortState && th.dataset.key === sortState.key;
      if (on) th.setAttribute('aria-sort', sortState.dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    const shownFrom = pg.total ? pg.start + 1 : 0;
    const shownTo = pg.start + pg.rows.length;
    setText(count, pg.total === all.length ? `${shownFrom.toLocaleString('en-US')}–${shownTo.toLocaleString('en-US')} of ${pg.total.toLocaleString('en-US')}` : `${pg.total.toLocaleString('en-US')} of ${all.length.toLocaleString('en-US')} match`);
    setText(pageInfo, `Page ${pg.page} of ${pg.pages}`);
    prev.disabled = pg.page <= 1;
    next.disabled = pg.page >= pg.pages;
    pager.hidden = pg.pages <= 1;
  }

  return {
    el,
    search,
    setRows(rows) {
      all = rows;
      dirty = true;
      render();
    },
    visibleRows() {
      return paginate(view, page, pageSize).rows;
    },
  };
}
