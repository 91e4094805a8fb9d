import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getJson } from '../src/lib/api.js';

function fakeFetch(status, body, { throws = false } = {}) {
  const calls = [];
  const fn = async (url, opts) => {
    calls.push({ url, opts });
    if (throws) throw new TypeError('Failed to fetch');
    return {
      ok: status >= 200 && status < 300,
      status,
      json: async () => {
        if (typeof body === 'string') throw new SyntaxError('not json');
        return body;
      },
    };
  };
  fn.calls = calls;
  return fn;
}

test('getJson: a JSON answer', async () => {
  const f = fakeFetch(200, { total: 3 });
  assert.deepEqual(await getJson('/api/v1/alerts?rule=x', { fetchImpl: f }), { ok: true, status: 200, data: { total: 3 } });
  assert.equal(f.calls[0].url, '/api/v1/alerts?rule=x');
  assert.equal(f.calls[0].opts.cache, 'no-store');
});

test('getJson: the engine refuses with its error message', async () => {
  const r = await getJson('/x', { fetchImpl: fakeFetch(400, { error: { code: 'bad_request', message: 'budget: not a number' } }) });
  assert.deepEqual(r, { ok: false, status: 400, code: 'bad_request', error: 'budget: not a number' });
});

test('getJson: not served, not JSON, unreachable', async () => {
  assert.deepEqual(await getJson('/x', { fetchImpl: fakeFetch(404, 'Not Found') }), { ok: false, status: 404, code: 'not_found', error: 'HTTP 404' });
  assert.deepEqual(await getJson('/x', { fetchImpl: fakeFetch(200, '<html>') }), { ok: false, status: 200, code: 'http_error', error: 'The answer was not JSON.' });
  const away = await getJson('/x', { fetchImpl: fakeFetch(0, null, { throws: true }) });
  assert.equal(away.ok, false);
  assert.equal(away.status, 0);
  assert.equal(away.code, 'unreachable');
});
