// Small DOM helpers: element creation, cheap text updates, HTML escaping.

export function h(tag, attrs = null, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Sets text only when it differs (no needless layout work on every frame).
export function setText(el, text) {
  const s = String(text);
  if (el.textContent !== s) el.textContent = s;
}

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ESC[c]);
}

// A panel (card) with a heading, optional note and actions, and a body.
export function panel({ title, note = null, actions = null, cls = '', id = null }) {
  const headingId = id ? `${id}-title` : null;
  const body = h('div', { class: 'panel-body' });
  const el = h(
    'section',
    { class: `panel ${cls}`.trim(), id, 'aria-labelledby': headingId },
    h(
      'header',
      { class: 'panel-head' },
      h('div', null, h('h2', { id: headingId, text: title }), h('p', { class: 'panel-note', text: note || '' })),
      actions ? h('div', { class: 'panel-actions' }, actions) : null,
    ),
    body,
  );
  return { el, body };
}

// A KPI tile: label, big value, a line of context.
export function tile({ id, label, icon = '' }) {
  const value = h('p', { class: 'tile-value', 'data-kpi': id, text: '—' });
  const sub = h('p', { class: 'tile-sub', text: '\u00a0' });
  const el = h('article', { class: 'tile', 'aria-label': label }, h('h3', { class: 'tile-label' }, icon ? h('span', { class: 'tile-icon', 'aria-hidden': 'true', text: icon }) : null, label), value, sub);
  return {
    el,
    set(v, s = null, tone = null) {
      setText(value, v);
      if (s !== null) setText(sub, s);
      el.dataset.tone = tone || '';
    },
  };
}

export function emptyState(text) {
  return h('p', { class: 'empty', text });
}
