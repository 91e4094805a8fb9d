// Fraud: the finance ledger's alerts (docs/FINANCE_API.md, rules in docs/FINANCE.md "Fraud
// detectors") — each with the sentence that explains it, filterable by rule, severity and
// subject (the filters are query parameters of /api/v1/alerts, applied by the engine), counts by
// rule, and a per-supplier Benford first-digit chart with the flagged suppliers marked.
// Re-read at most once a second while the pipeline reports new events.
import { h, panel, tile, setText, esc } from '../ui/dom.js';
import { createChart, baseOption, valueAxisStyle, categoryAxisStyle, axisName, COLORS } from '../ui/charts.js';
import { formatNumber, formatPercent } from '../lib/format.js';
import { getJson } from '../lib/api.js';
import { createRefresher, createLatest } from '../lib/refresh.js';
import { SEVERITIES, alertsQuery, ruleCounts, ruleLabel, ruleOptions, severityTone, benfordSuppliers, pickSupplier, benfordChart } from '../lib/fraud.js';

const LIMITS = [100, 500, 2000];

function alertHtml(a) {
  const sev = String(a.severity ?? '');
  const evidence = (Array.isArray(a.evidence_ids) ? a.evidence_ids : []).map((id) => `<code class="chip">${esc(id)}</code>`).join(' ');
  const subject = a.subject_name && a.subject_name !== a.subject ? `${esc(a.subject_name)} <small>${esc(a.subject)}</small>` : esc(a.subject);
  return (
    `<li class="alert-item" data-seq="${esc(a.seq)}" data-severity="${esc(sev)}" data-rule="${esc(a.rule_id)}" data-subject="${esc(a.subject)}">` +
    `<div class="alert-head"><span class="badge badge-${severityTone(sev)}">${esc(sev)}</span>` +
    `<span class="alert-rule">${esc(ruleLabel(a.rule_id))}</span> <code class="muted">${esc(a.rule_id)}</code>` +
    `${a.standing ? ' <span class="chip" title="Judges the supplier\'s whole history">standing</span>' : ''}` +
    `<span class="alert-score" title="Score in [0, 1]">score ${esc(formatNumber(a.score, { digits: 2 }))}</span></div>` +
    `<p class="alert-msg">${esc(a.message)}</p>` +
    `<p class="alert-meta"><span>Subject: ${subject}</span><span>Day: <time datetime="${esc(a.day)}">${esc(a.day)}</time></span>` +
    `${evidence ? `<span>Evidence: ${evidence}</span>` : ''}<span class="muted">#${esc(a.seq)}${typeof a.offset === 'number' ? ` · log offset ${esc(a.offset)}` : ''}</span></p></li>`
  );
}

export default {
  id: 'fraud',
  title: 'Fraud',
  description: 'Fraud and anomaly alerts that explain themselves, and Benford first-digit checks per supplier.',
  usesStore: false,
  icon: '<path d="M12 1 3 5v6c0 5.55 3.84 10.74 9 12 5.16-1.26 9-6.45 9-12V5l-9-4zm-1 6h2v6h-2V7zm0 8h2v2h-2v-2z"/>',

  mount(root, ctx) {
    const tiles = {
      total: tile({ id: 'fraud_alerts', label: 'Alerts' }),
      critical: tile({ id: 'fraud_critical', label: 'Critical' }),
      warning: tile({ id: 'fraud_warning', label: 'Warning' }),
      benford: tile({ id: 'fraud_benford_flagged', label: 'Benford: flagged suppliers' }),
    };
    const notice = h('p', { class: 'empty', id: 'fraud-empty', hidden: true });

    // Filters.
    const ruleSel = h('select', { id: 'alerts-rule', class: 'select' });
    const sevSel = h('select', { id: 'alerts-severity', class: 'select' }, h('option', { value: '', text: 'All severities' }), SEVERITIES.map((s) => h('option', { value: s, text: s[0].toUpperCase() + s.slice(1) })));
    const subjectIn = h('input', { id: 'alerts-subject', class: 'input input-short', type: 'search', placeholder: 'e.g. S003', autocomplete: 'off', spellcheck: 'false', list: 'alerts-subjects' });
    const subjects = h('datalist', { id: 'alerts-subjects' });
    const limitSel = h('select', { id: 'alerts-limit', class: 'select' }, LIMITS.map((n) => h('option', { value: n, text: `Newest ${formatNumber(n)}`, selected: n === 500 })));
    const clearBtn = h('button', { type: 'button', class: 'btn', id: 'alerts-clear', text: 'Clear filters' });
    const filterForm = h(
      'form',
      { class: 'form-row', id: 'alerts-filters', role: 'search', 'aria-label': 'Filter alerts' },
      h('div', { class: 'field' }, h('label', { for: 'alerts-rule', text: 'Rule' }), ruleSel),
      h('div', { class: 'field' }, h('label', { for: 'alerts-severity', text: 'Severity' }), sevSel),
      h('div', { class: 'field' }, h('label', { for: 'alerts-subject', text: 'Subject (exact id)' }), subjectIn, subjects),
      h('div', { class: 'field' }, h('label', { for: 'alerts-limit', text: 'Show' }), limitSel),
      clearBtn,
    );
    const listPanel = panel({ title: 'Alerts', note: 'Newest first', cls: 'span-2', id: 'fraud-alerts' });
    const count = h('p', { class: 'chart-summary', id: 'alerts-count', 'aria-live': 'polite' });
    const list = h('ul', { class: 'alert-list', id: 'alert-list' });
    const filterError = h('p', { class: 'form-error', id: 'alerts-error', role: 'alert' });
    listPanel.body.append(filterForm, filterError, count, list);

    // Counts by rule (click one to filter by it).
    const rulesPanel = panel({ title: 'Alerts by rule', note: 'All alerts; choose a rule to show only its alerts', id: 'fraud-rules' });
    const ruleList = h('ol', { class: 'rank-list rule-counts', id: 'rule-counts' });
    rulesPanel.body.append(ruleList);

    // Benford.
    const supSel = h('select', { id: 'benford-supplier', class: 'select select-wide' });
    const benPanel = panel({ title: 'Benford first digits', note: 'Share of invoice amounts by first digit, observed against Benford\'s law; flagged suppliers marked ⚑', id: 'fraud-benford' });
    const benFacts = h('p', { class: 'chart-summary', id: 'benford-facts' });
    const benLegend = h(
      'ul',
      { class: 'legend', 'aria-label': 'Legend' },
      h('li', null, h('span', { class: 'swatch', style: `background:${COLORS.primary}` }), 'Observed share'),
      h('li', null, h('span', { class: 'swatch', style: `background:${COLORS.danger}` }), 'Observed, flagged supplier'),
      h('li', null, h('span', { class: 'swatch line', style: `background:${COLORS.ink}` }), 'Expected (Benford)'),
    );
    const benEl = h('div', { class: 'chart chart-md', id: 'benford-chart', role: 'img', 'aria-label': 'First-digit shares, observed and expected' });
    const flaggedList = h('ul', { class: 'chips', id: 'benford-flagged', 'aria-label': 'Flagged suppliers' });
    benPanel.body.append(h('div', { class: 'field field-wide' }, h('label', { for: 'benford-supplier', text: 'Supplier' }), supSel), benFacts, benLegend, benEl, flaggedList);

    root.append(h('div', { class: 'tiles tiles-4' }, Object.values(tiles).map((t) => t.el)), notice, h('div', { class: 'grid grid-2' }, listPanel.el, rulesPanel.el, benPanel.el));
    const chart = createChart(benEl);

    // ---- filters -> query ----------------------------------------------------------------
    const filter = { rule: '', severity: '', subject: '', limit: 500 };
    let knownRules = [];
    function fillRules() {
      const opts = ruleOptions(knownRules);
      const key = opts.join();
      if (ruleSel.dataset.opts === key) return;
      ruleSel.dataset.opts = key;
      ruleSel.replaceChildren(h('option', { value: '', text: 'All rules' }), ...opts.map((r) => h('option', { value: r, text: ruleLabel(r) })));
      ruleSel.value = filter.rule;
    }
    fillRules();

    function readFilters() {
      filter.rule = ruleSel.value;
      filter.severity = sevSel.value;
      filter.subject = subjectIn.value.trim();
      filter.limit = Number(limitSel.value) || 500;
      alerts.request(true);
    }
    ruleSel.addEventListener('change', readFilters);
    sevSel.addEventListener('change', readFilters);
    limitSel.addEventListener('change', readFilters);
    let typing = null;
    subjectIn.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(readFilters, 400);
    });
    filterForm.addEventListener('submit', (e) => {
      e.preventDefault();
      clearTimeout(typing);
      readFilters();
    });
    clearBtn.addEventListener('click', () => {
      ruleSel.value = '';
      sevSel.value = '';
      subjectIn.value = '';
      readFilters();
    });
    ruleList.addEventListener('click', (e) => {
      const b = e.target.closest('button[data-rule]');
      if (!b) return;
      ruleSel.value = b.dataset.rule;
      readFilters();
    });

    // ---- alerts --------------------------------------------------------------------------
    const latestAlerts = createLatest();
    let lastListHtml = null;
    async function loadAlerts() {
      const query = alertsQuery(filter);
      const t = latestAlerts.next();
      const r = await getJson(`/api/v1/alerts${query}`);
      if (!latestAlerts.isCurrent(t)) return;
      if (!r.ok) {
        if (r.status === 404) {
          notice.hidden = false;
          setText(notice, 'This engine does not serve /api/v1/alerts.');
        } else if (r.status === 400) setText(filterError, `The engine refused the filter: ${r.error}`);
        return;
      }
      notice.hidden = true;
      setText(filterError, '');
      renderAlerts(r.data, query);
    }

    function renderAlerts(ans, query) {
      const rows = Array.isArray(ans.alerts) ? ans.alerts : [];
      const total = typeof ans.total === 'number' ? ans.total : rows.length;
      // by_severity and by_rule count every alert, whatever the filter (the engine's answer);
      // total counts the alerts matching it.
      const sev = ans.by_severity ?? {};
      const all = SEVERITIES.reduce((a, k) => a + (typeof sev[k] === 'number' ? sev[k] : 0), 0);
      const filtered = Boolean(filter.rule || filter.severity || filter.subject);
      const scope = filtered ? 'matching the filter' : 'in all';
      tiles.total.set(formatNumber(all), `${filtered ? `${formatNumber(total)} match the filter` : 'all rules'}${ans.as_of ? ` · as of ${ans.as_of}` : ''}`, all ? 'warn' : 'ok');
      tiles.critical.set(formatNumber(sev.critical ?? 0), 'all alerts', sev.critical ? 'danger' : 'ok');
      tiles.warning.set(formatNumber(sev.warning ?? 0), `all alerts · ${formatNumber(sev.info ?? 0)} info`, sev.warning ? 'warn' : 'ok');
      setText(count, total > rows.length ? `Showing the newest ${formatNumber(rows.length)} of ${formatNumber(total)} alerts ${scope}` : `${formatNumber(total)} alert${total === 1 ? '' : 's'} ${scope}`);
      Object.assign(list.dataset, { total: String(total), shown: String(rows.length), query });
      const html = rows.length ? rows.map(alertHtml).join('') : `<li class="empty">${esc(filtered ? 'No alert matches the filter.' : 'No alerts yet.')}</li>`;
      if (html !== lastListHtml) {
        list.innerHTML = html;
        lastListHtml = html;
      }
      // Counts by rule.
      const counts = ruleCounts(ans.by_rule);
      knownRules = [...new Set([...knownRules, ...counts.map((c) => c.rule)])];
      fillRules();
      const max = counts[0]?.count || 1;
      ruleList.innerHTML = counts.length
        ? counts
            .map(
              (c) =>
                `<li data-rule="${esc(c.rule)}"><button type="button" class="rule-btn${c.rule === filter.rule ? ' is-active' : ''}" data-rule="${esc(c.rule)}" aria-pressed="${c.rule === filter.rule}">${esc(c.label)}</button><span class="rank-val">${esc(formatNumber(c.count))}</span><span class="meter"><span style="width:${((100 * c.count) / max).toFixed(1)}%"></span></span></li>`,
            )
            .join('')
        : `<li class="empty">${esc('No alerts.')}</li>`;
      // Subjects seen, for the subject field's suggestions.
      for (const a of rows) addSubject(a.subject, a.subject_name);
    }

    const subjectNames = new Map();
    function addSubject(id, name) {
      if (!id || subjectNames.has(String(id)) || subjectNames.size >= 1000) return;
      subjectNames.set(String(id), name ? String(name) : '');
      subjects.append(h('option', { value: String(id), label: name ? String(name) : null }));
    }

    // ---- Benford -------------------------------------------------------------------------
    let supplier = '';
    let suppliersKey = '';
    let minCount = 50; // the Benford rule's minimum (docs/FINANCE.md); the engine's value once known
    supSel.addEventListener('change', () => {
      supplier = supSel.value;
      benford.request(true);
    });
    flaggedList.addEventListener('click', (e) => {
      const b = e.target.closest('button[data-supplier]');
      if (!b) return;
      supSel.value = b.dataset.supplier;
      supplier = supSel.value;
      benford.request(true);
    });

    const latestBenford = createLatest();
    async function loadBenford() {
      const t = latestBenford.next();
      const listAns = await getJson('/api/v1/finance/benford');
      if (!latestBenford.isCurrent(t) || !listAns.ok) return;
      const sups = benfordSuppliers(listAns.data);
      for (const s of sups) addSubject(s.id, s.name);
      const flagged = sups.filter((s) => s.flagged);
      tiles.benford.set(formatNumber(flagged.length), `of ${formatNumber(sups.length)} suppliers with counted amounts`, flagged.length ? 'warn' : 'ok');
      const key = JSON.stringify([minCount, sups.map((s) => [s.id, s.name, s.n, s.flagged, s.conformity])]);
      if (key !== suppliersKey) {
        suppliersKey = key;
        supSel.replaceChildren(
          ...sups.map((s) => h('option', { value: s.id, dataset: { flagged: String(s.flagged) }, text: `${s.flagged ? '⚑ ' : ''}${s.id}${s.name ? ` ${s.name}` : ''} · n=${formatNumber(s.n)}${s.n < minCount ? ' · too few to judge' : s.conformity ? ` · ${s.conformity}` : ''}${s.flagged ? ' (flagged)' : ''}` })),
        );
        flaggedList.innerHTML = flagged.length
          ? flagged.map((s) => `<li><button type="button" class="chip chip-danger chip-btn" data-supplier="${esc(s.id)}" title="Show this supplier's chart">⚑ ${esc(s.name || s.id)} <small>${esc(s.id)}</small></button></li>`).join('')
          : `<li class="empty">${esc('No supplier is flagged by the Benford rule.')}</li>`;
      }
      supplier = pickSupplier(sups, supplier);
      supSel.value = supplier;
      if (!supplier) {
        setText(benFacts, 'No supplier has counted invoice amounts yet.');
        return;
      }
      const one = await getJson(`/api/v1/finance/benford?supplier=${encodeURIComponent(supplier)}`);
      if (!latestBenford.isCurrent(t) || !one.ok) return;
      renderBenford(one.data);
    }

    function renderBenford(b) {
      const c = benfordChart(b);
      if (c.minCount !== null) minCount = c.minCount;
      const name = b.name ? `${b.name} (${b.supplier})` : b.supplier;
      setText(benFacts, `${name}: ${formatNumber(c.n)} amounts, MAD ${c.mad === null ? '—' : formatNumber(c.mad, { digits: 4 })} — ${c.conformity || '—'}${c.flagged ? ' · FLAGGED' : ''}${c.enough ? '' : ` · fewer than ${formatNumber(c.minCount)} amounts: not judged`}`);
      benFacts.dataset.flagged = String(c.flagged);
      const data = JSON.stringify({ supplier: b.supplier, observed: c.observed, expected: c.expected, counts: c.counts, flagged: c.flagged });
      if (data === benEl.dataset.series) return;
      benEl.dataset.series = data;
      benEl.dataset.supplier = String(b.supplier ?? '');
      chart.set({
        ...baseOption,
        grid: { left: 8, right: 16, top: 16, bottom: 28, containLabel: true },
        tooltip: {
          ...baseOption.tooltip,
          formatter(params) {
            const i = params[0]?.dataIndex;
            if (i === undefined) return '';
            return `First digit <b>${i + 1}</b><br>Observed: <b>${esc(formatPercent(c.observed[i]))}</b> (${esc(formatNumber(c.counts[i]))})<br>Expected: ${esc(formatPercent(c.expected[i]))}`;
          },
        },
        xAxis: { type: 'category', data: c.digits, ...categoryAxisStyle, ...axisName('First digit'), nameLocation: 'middle', nameGap: 22 },
        yAxis: { type: 'value', ...valueAxisStyle, axisLabel: { ...valueAxisStyle.axisLabel, formatter: (v) => formatPercent(v, { digits: 0 }) } },
        series: [
          { name: 'Observed', type: 'bar', data: c.observed, itemStyle: { color: c.flagged ? COLORS.danger : COLORS.primary, borderRadius: [3, 3, 0, 0] }, barMaxWidth: 34 },
          { name: 'Expected', type: 'line', data: c.expected, symbol: 'circle', symbolSize: 6, lineStyle: { width: 2, color: COLORS.ink }, itemStyle: { color: COLORS.ink } },
        ],
      });
    }

    // ---- refresh while events flow -------------------------------------------------------
    const alerts = createRefresher(loadAlerts);
    const benford = createRefresher(loadBenford);
    let lastSeen = -1;

    return {
      update(changes) {
        const seen = ctx.state.pipeline?.events_accepted ?? -1;
        if (changes?.reset || seen !== lastSeen) {
          lastSeen = seen;
          alerts.request(Boolean(changes?.reset));
          benford.request(Boolean(changes?.reset));
        }
      },
      destroy() {
        clearTimeout(typing);
        alerts.stop();
        benford.stop();
        latestAlerts.next();
        latestBenford.next();
        chart.dispose();
      },
    };
  },
};
