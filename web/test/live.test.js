import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveStream, STATUS_TEXT } from '../src/lib/live.js';

// A stand-in for the browser's EventSource.
class FakeEventSource {
  static instances = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.listeners = {};
    this.closed = false;
    FakeEventSource.instances.push(this);
  }
  addEventListener(type, fn) {
    (this.listeners[type] ||= []).push(fn);
  }
  emit(type, ev = {}) {
    for (const fn of this.listeners[type] || []) fn(ev);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
}

function setup(opts = {}) {
  FakeEventSource.instances = [];
  const frames = [];
  const statuses = [];
  const live = new LiveStream({ url: '/s', EventSourceImpl: FakeEventSource, onFrame: (f) => frames.push(f), onStatus: (s) => statuses.push(s), retryMs: 5, ...opts });
  return { live, frames, statuses, last: () => FakeEventSource.instances.at(-1) };
}

test('connecting, then live on the first frame', () => {
  const { live, frames, statuses, last } = setup();
  live.open();
  assert.deepEqual(statuses, ['connecting']);
  last().emit('update', { data: '{"seq":1}' });
  assert.deepEqual(statuses, ['connecting', 'live']);
  assert.deepEqual(frames, [{ seq: 1 }]);
  live.stop();
});

test('an error after being live shows reconnecting; the next frame shows live again', () => {
  const { live, statuses, last } = setup();
  live.open();
  last().emit('update', { data: '{"seq":1}' });
  last().readyState = 0; // the browser retries by itself
  last().emit('error');
  assert.equal(live.status, 'reconnecting');
  assert.equal(FakeEventSource.instances.length, 1);
  last().emit('update', { data: '{"seq":1}' });
  assert.deepEqual(statuses, ['connecting', 'live', 'reconnecting', 'live']);
  live.stop();
});

test('a closed EventSource is reopened by the class', async () => {
  const { live, last } = setup();
  live.open();
  last().emit('update', { data: '{"seq":1}' });
  last().readyState = 2;
  last().emit('error');
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(FakeEventSource.instances.length, 2);
  assert.equal(FakeEventSource.instances[0].closed, true);
  assert.equal(live.status, 'reconnecting');
  live.stop();
});

test('a stream that goes quiet is replaced', () => {
  const { live } = setup({ staleMs: 1000 });
  live.open();
  live.es.emit('update', { data: '{"seq":1}' });
  live.lastFrameAt = Date.now() - 5000;
  live.checkStale();
  assert.equal(FakeEventSource.instances.length, 2);
  assert.equal(live.status, 'reconnecting');
  live.stop();
});

test('changing the URL reconnects; events of the old stream are ignored', () => {
  const { live, frames } = setup();
  live.open();
  const old = live.es;
  live.setUrl('/s?store=2');
  assert.equal(old.closed, true);
  assert.equal(live.es.url, '/s?store=2');
  old.emit('update', { data: '{"seq":9}' });
  assert.deepEqual(frames, []);
  live.setUrl('/s?store=2'); // same URL: no new connection
  assert.equal(FakeEventSource.instances.length, 2);
  live.stop();
});

test('malformed frames are skipped', () => {
  const { live, frames } = setup();
  live.open();
  live.es.emit('update', { data: '{"seq":' });
  assert.deepEqual(frames, []);
  assert.equal(live.status, 'connecting');
  live.stop();
});

test('every status has a label', () => {
  for (const s of ['idle', 'connecting', 'live', 'reconnecting']) assert.ok(STATUS_TEXT[s]);
});
