import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRefresher, createLatest } from '../src/lib/refresh.js';

// A fake clock and timer queue.
function fakeTime() {
  let t = 0;
  let timers = [];
  let id = 0;
  return {
    now: () => t,
    setTimer(fn, ms) {
      timers.push({ id: ++id, at: t + ms, fn });
      return id;
    },
    clearTimer(i) {
      timers = timers.filter((x) => x.id !== i);
    },
    async advance(ms) {
      const end = t + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        t = next.at;
        next.fn();
        await flush();
      }
      t = end;
    },
    pending: () => timers.length,
  };
}
const flush = () => new Promise((r) => setImmediate(r));

test('at most one read per interval, with a trailing read for the last request', async () => {
  const clock = fakeTime();
  const reads = [];
  const r = createRefresher(async () => reads.push(clock.now()), { intervalMs: 1000, now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer });
  r.request();
  await flush();
  assert.deepEqual(reads, [0]);
  await clock.advance(300);
  r.request();
  r.request();
  await clock.advance(100);
  assert.deepEqual(reads, [0], 'no read within the interval');
  await clock.advance(600);
  assert.deepEqual(reads, [0, 1000], 'one trailing read at the end of the interval');
  await clock.advance(5000);
  assert.deepEqual(reads, [0, 1000], 'nothing more without requests');
  r.request();
  await flush();
  assert.deepEqual(reads, [0, 1000, 6000], 'a request after a quiet period reads at once');
});

test('never two reads at once; a request during a read is served after it', async () => {
  const clock = fakeTime();
  let inFlight = 0;
  let maxInFlight = 0;
  let release;
  const reads = [];
  const r = createRefresher(
    () =>
      new Promise((resolve) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        reads.push(clock.now());
        release = () => {
          inFlight--;
          resolve();
        };
      }),
    { intervalMs: 1000, now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer },
  );
  r.request();
  await clock.advance(2000);
  r.request();
  r.request(true);
  assert.equal(reads.length, 1);
  release();
  await flush();
  await clock.advance(0);
  assert.equal(reads.length, 2, 'the forced request runs right after the running read');
  assert.equal(reads[1], 2000);
  release();
  await flush();
  assert.equal(maxInFlight, 1);
});

test('force reads at once within the interval; stop cancels the trailing read', async () => {
  const clock = fakeTime();
  const reads = [];
  const r = createRefresher(async () => reads.push(clock.now()), { intervalMs: 1000, now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer });
  r.request();
  await flush();
  await clock.advance(100);
  r.request(true);
  await flush();
  assert.deepEqual(reads, [0, 100]);
  await clock.advance(100);
  r.request();
  assert.equal(clock.pending(), 1);
  r.stop();
  assert.equal(clock.pending(), 0);
  await clock.advance(5000);
  r.request(true);
  await flush();
  assert.deepEqual(reads, [0, 100]);
});

test('a failing read does not stop later reads', async () => {
  const clock = fakeTime();
  let n = 0;
  const r = createRefresher(
    async () => {
      n++;
      throw new Error('engine away');
    },
    { intervalMs: 1000, now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer },
  );
  r.request();
  await flush();
  r.request();
  await clock.advance(1000);
  assert.equal(n, 2);
});

test('createLatest keeps only the newest answer', () => {
  const l = createLatest();
  const a = l.next();
  const b = l.next();
  assert.equal(l.isCurrent(a), false);
  assert.equal(l.isCurrent(b), true);
});
