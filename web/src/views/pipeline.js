// Pipeline health: throughput, event-time watermark and lag, late events, dead letters,
// checkpoints, queue depths and sinks (the warehouse).
import { h, panel, tile, setText, esc } from '../ui/dom.js';
import { createChart, baseOption, axisName, valueAxisStyle, categoryAxisStyle, COLORS } from '../ui/charts.js';
import { createDataTable } from '../ui/datatable.js';
import { kafkaFacts } from '../lib/kafka.js';
import { formatNumber, formatRate, formatClock, formatDateTime, formatDurationMs, formatSeconds, formatBytes, formatCompact } from '../lib/format.js';

export default {
  id: 'pipeline',
  title: 'Pipeline health',
  description: 'Throughput, event time, late data, dead letters, checkpoints and queues.',
  usesStore: false,
  icon: '<path d="M19.14 12.94a7.1 7.1 0 000-1.88l2.03-1.58a.5.5 0 00.12-.61l-1.92-3.32a.5.5 0 00-.59-.22l-2.39.96a7 7 0 00-1.62-.94l-.36-2.54A.5.5 0 0013.92 2h-3.84a.5.5 0 00-.48.41l-.36 2.54c-.59.24-1.13.57-1.62.94l-2.39-.96a.5.5 0 00-.59.22L2.72 8.47a.5.5 0 00.12.61l2.03 1.58a7.1 7.1 0 000 1.88l-2.03 1.58a.5.5 0 00-.12.61l1.92 3.32c.13.22.39.3.59.22l2.39-.96c.5.38 1.03.7 1.62.94l.36 2.54c.05.24.25.41.48.41h3.84c.24 0 .44-.17.47-.41l.36-2.54c.59-.24 1.13-.56 1.62-.94l2.39.96c.22.08.47 0 .59-.22l1.92-3.32a.5.5 0 00-.12-.61zM12 15.6a3.6 3.6 0 110-7.2 3.6 3.6 0 010 7.2z"/>',

  mount(root, ctx) {
    const tiles = {
      eps: tile({ id: 'pipeline_events_per_s', label: 'Events per second' }),
      watermark: tile({ id: 'pipeline_watermark', label: 'Watermark (UTC)' }),
      late: tile({ id: 'pipeline_late_events', label: 'Late events' }),
      dead: tile({ id: 'pipeline_dead_letters', label: 'Dead letters' }),
      checkpoint: tile({ id: 'pipeline_checkpoint_age', label: 'Checkpoint age' }),
      backlog: tile({ id: 'pipeline_backlog', label: 'Apply backlog' }),
    };

    const tpPanel = panel({ title: 'Throughput and watermark lag', note: 'Observed by this page, last 2 minutes', cls: 'span-2', id: 'pl-throughput' });
    const legend = h(
      'ul',
      { class: 'legend', 'aria-label': 'Legend' },
      h('li', null, h('span', { class: 'swatch line', style: `background:${COLORS.primary}` }), 'Events per second (left axis)'),
      h('li', null, h('span', { class: 'swatch line', style: `background:${COLORS.warn}` }), 'Watermark lag in seconds (right axis)'),
    );
    const chartEl = h('div', { class: 'chart chart-md', id: 'pipeline-chart', role: 'img', 'aria-label': 'Events per second and watermark lag over the last two minutes' });
    tpPanel.body.append(legend, chartEl);
    const chart = createChart(chartEl);

    const qPanel = panel({ title: 'Queues', note: 'Depth against capacity', id: 'pl-queues' });
    const qList = h('ul', { class: 'queues', id: 'queue-depths' });
    const facts = h('dl', { class: 'facts' });
    qPanel.body.append(qList, facts);

    const dlPanel = panel({ title: 'Dead letters', note: 'Bad events are kept with the reason, the source position and the raw bytes', id: 'pl-dead' });
    const reasons = h('ul', { class: 'chips', id: 'dead-letter-reasons', 'aria-label': 'Dead letters by reason' });
    const table = createDataTable({
      id: 'dead-letter-table',
      caption: 'Latest dead letters',
      rowKey: (d) => String(d.offset),
      searchFields: ['reason', 'message', 'source_name', 'raw'],
      searchLabel: 'Search dead letters',
      searchPlaceholder: 'Search dead letters…',
      pageSize: 10,
      sort: { key: 'offset', dir: 'desc' },
      columns: [
        { key: 'ingest_time', label: 'Received (UTC)', defaultDir: 'desc', html: (d) => esc(formatDateTime(d.ingest_time)) },
        { key: 'reason', label: 'Reason', html: (d) => `<span class="badge badge-danger">${esc(d.reason)}</span>` },
        { key: 'message', label: 'Message', html: (d) => esc(d.message) },
        { key: 'source_name', label: 'Source', html: (d) => `${esc(d.source)}${d.source_name && d.source_name !== d.source ? ` · ${esc(d.source_name)}` : ''} <span class="muted">#${esc(d.position)}</span>` },
        { key: 'raw', label: 'Raw event', sortable: false, html: (d) => `<code class="raw" title="${esc(d.raw)}">${esc(d.raw.length > 40 ? `${d.raw.slice(0, 40)}…` : d.raw)}</code>${d.raw_truncated ? ' <span class="chip">truncated</span>' : ''}` },
        { key: 'offset', label: 'Log offset', num: true, html: (d) => formatNumber(d.offset) },
      ],
      emptyText: 'No dead letters: every event so far was valid.',
    });
    dlPanel.body.append(reasons, table.el);

    root.append(h('div', { class: 'tiles tiles-6' }, Object.values(tiles).map((t) => t.el)), h('div', { class: 'grid grid-3' }, tpPanel.el, qPanel.el), h('div', { class: 'grid grid-1' }, dlPanel.el));

    function renderTiles() {
      const p = ctx.state.pipeline;
      if (!p) return;
      tiles.eps.set(formatRate(p.events_per_s), `${formatNumber(p.events_accepted)} accepted · ${formatNumber(p.duplicates)} duplicates`);
      tiles.watermark.set(p.watermark ? formatClock(p.watermark, { seconds: true }) : '—', p.watermark ? `lag ${formatDurationMs(p.watermark_lag_ms)} behind newest event` : 'no events yet');
      tiles.late.set(formatNumber(p.late_events), `${formatNumber(p.late_updates)} updated a window · ${formatNumber(p.late_dropped)} too late`, p.late_dropped ? 'warn' : null);
      const top = Object.entries(p.dead_letters_by_reason || {}).sort((a, b) => b[1] - a[1])[0];
      tiles.dead.set(formatNumber(p.dead_letters), top ? `most common: ${top[0]}` : 'none: all events valid', p.dead_letters ? 'danger' : 'ok');
      tiles.checkpoint.set(p.checkpoint_age_s === null || p.checkpoint_age_s === undefined ? 'none yet' : formatSeconds(p.checkpoint_age_s), `at log offset ${formatNumber(p.checkpoint_offset)}`);
      const backlog = Math.max(0, p.log_end_offset - p.applied_offset);
      tiles.backlog.set(`${formatNumber(backlog)} events`, `applied ${formatNumber(p.applied_offset)} of ${formatNumber(p.log_end_offset)}`, backlog > 10000 ? 'warn' : null);
    }

    function renderChart() {
      const hist = ctx.state.history;
      chart.set({
        ...baseOption,
        grid: { left: 56, right: 64, top: 32, bottom: 44 },
        tooltip: { ...baseOption.tooltip, axisPointer: { type: 'line' } },
        xAxis: {
          type: 'category',
          boundaryGap: false,
          data: hist.map((s) => formatClock(s.t, { seconds: true })),
          ...categoryAxisStyle,
          ...axisName('Time (UTC)'),
          nameLocation: 'middle',
          nameGap: 28,
          axisLabel: { ...categoryAxisStyle.axisLabel, hideOverlap: true },
        },
        yAxis: [
          { type: 'value', min: 0, ...valueAxisStyle, ...axisName('Events / s'), axisLabel: { ...valueAxisStyle.axisLabel, formatter: (v) => formatCompact(v) } },
          { type: 'value', min: 0, ...valueAxisStyle, ...axisName('Lag (s)'), alignTicks: true, splitLine: { show: false }, axisLabel: { ...valueAxisStyle.axisLabel, formatter: (v) => formatCompact(v) } },
        ],
        series: [
          { name: 'Events/s', type: 'line', showSymbol: false, data: hist.map((s) => Math.round(s.eventsPerS * 10) / 10), lineStyle: { width: 2, color: COLORS.primary }, itemStyle: { color: COLORS.primary }, areaStyle: { color: 'rgba(37,99,235,0.08)' } },
          { name: 'Watermark lag (s)', type: 'line', yAxisIndex: 1, showSymbol: false, data: hist.map((s) => (s.lagMs === null || s.lagMs === undefined ? null : Math.round(s.lagMs / 100) / 10)), lineStyle: { width: 2, color: COLORS.warn, type: 'dashed' }, itemStyle: { color: COLORS.warn } },
        ],
      });
    }

    function renderQueues() {
      const p = ctx.state.pipeline;
      if (!p) return;
      const cap = p.queue_capacity || {};
      const items = [{ name: 'Ingest', depth: p.queue_depths?.ingest ?? 0, cap: cap.ingest }];
      (p.queue_depths?.shards || []).forEach((d, i) => items.push({ name: `Shard ${i}`, depth: d, cap: cap.shard }));
      qList.innerHTML = items
        .map((q) => {
          const pct = q.cap ? Math.min(100, (100 * q.depth) / q.cap) : 0;
          const tone = pct >= 80 ? 'danger' : pct >= 50 ? 'warn' : '';
          return `<li><span class="q-name">${esc(q.name)}</span><span class="meter ${tone}" role="meter" aria-valuemin="0" aria-valuemax="${q.cap ?? 0}" aria-valuenow="${q.depth}" aria-label="${esc(q.name)} queue depth"><span style="width:${pct.toFixed(1)}%"></span></span><span class="q-val num">${formatNumber(q.depth)} / ${formatNumber(q.cap)}</span></li>`;
        })
        .join('');
      const f = [
        ['Shards', formatNumber(p.shards)],
        ['Fsync policy', p.fsync],
        ['Log written', formatBytes(p.log_bytes_written)],
        ['Newest event (UTC)', p.max_event_time ? formatDateTime(p.max_event_time) : '—'],
        ['Uptime', formatSeconds(p.uptime_s)],
        ['Ready', p.ready ? 'yes' : 'no'],
        ...kafkaFacts(p.kafka),
        // Outputs fed from the log: a degraded sink keeps its backlog in the log and catches up.
        ...(p.sinks || []).map((s) => [
          `Sink: ${s.name}`,
          s.state === 'degraded' ? `degraded (${s.message}), retry in ${formatDurationMs(s.retry_in_ms)}, ${formatNumber(s.lag_records)} records behind` : `${s.state.replace('_', ' ')}, ${formatNumber(s.lag_records)} records behind`,
        ]),
      ];
      facts.innerHTML = f.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('');
    }

    function renderDead(changes) {
      const p = ctx.state.pipeline;
      const by = Object.entries(p?.dead_letters_by_reason || {}).sort((a, b) => b[1] - a[1]);
      reasons.innerHTML = by.map(([code, n]) => `<li class="chip chip-danger"><span>${esc(code)}</span> <b>${formatNumber(n)}</b></li>`).join('');
      reasons.hidden = by.length === 0;
      if (changes.deadLetters || changes.reset) table.setRows(ctx.state.deadLetters);
    }

    table.setRows(ctx.state.deadLetters);

    return {
      update(changes) {
        if (changes.pipeline || changes.reset) {
          renderTiles();
          renderChart();
          renderQueues();
        }
        renderDead(changes);
      },
      destroy() {
        chart.dispose();
      },
    };
  },
};
