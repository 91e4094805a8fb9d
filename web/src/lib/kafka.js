import { formatNumber } from './format.js';

// Kafka consumer and sink figures, when the engine runs with Kafka (docs/KAFKA.md).
export function kafkaFacts(k) {
  if (!k) return [];
  const f = [];
  if (k.group_id !== undefined) {
    const behind = (k.partitions || []).filter((x) => x.lag > 0).length;
    f.push(['Kafka group', k.group_id]);
    f.push(['Kafka partitions', `${formatNumber((k.partitions || []).length)} assigned · ${formatNumber(behind)} behind`]);
    f.push(['Kafka lag', k.lag === null || k.lag === undefined ? '—' : `${formatNumber(k.lag)} messages`]);
    f.push(['Kafka consumed', `${formatNumber(k.consumed)} · ${formatNumber(k.skipped_redeliveries)} redeliveries skipped`]);
  }
  if (k.sink) {
    f.push(['Kafka sink', `${formatNumber(k.sink.delivered)} delivered · ${formatNumber(k.sink.failed)} failed · ${formatNumber(k.sink.in_flight)} in flight`]);
  }
  return f;
}
