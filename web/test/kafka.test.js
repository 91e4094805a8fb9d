import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaFacts } from '../src/lib/kafka.js';

test('no Kafka: no facts', () => {
  assert.deepEqual(kafkaFacts(null), []);
  assert.deepEqual(kafkaFacts(undefined), []);
});

test('consumer facts count assigned and lagging partitions and sum the lag', () => {
  const k = {
    group_id: 'g1',
    consumed: 12345,
    skipped_redeliveries: 7,
    lag: 1500,
    partitions: [
      { topic: 'sale_transaction', partition: 0, lag: 0 },
      { topic: 'sale_transaction', partition: 1, lag: 1500 },
      { topic: 'inventory_shipment', partition: 0, lag: null },
    ],
  };
  const f = Object.fromEntries(kafkaFacts(k));
  assert.equal(f['Kafka group'], 'g1');
  assert.equal(f['Kafka partitions'], '3 assigned · 1 behind');
  assert.equal(f['Kafka lag'], '1,500 messages');
  assert.equal(f['Kafka consumed'], '12,345 · 7 redeliveries skipped');
  assert.equal(f['Kafka sink'], undefined);
});

test('unknown lag shows a dash; the sink line counts deliveries', () => {
  const f = Object.fromEntries(kafkaFacts({ group_id: 'g', consumed: 0, skipped_redeliveries: 0, lag: null, partitions: [], sink: { delivered: 2000, failed: 1, in_flight: 3 } }));
  assert.equal(f['Kafka lag'], '—');
  assert.equal(f['Kafka sink'], '2,000 delivered · 1 failed · 3 in flight');
});
