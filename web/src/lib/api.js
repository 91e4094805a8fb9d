// Reading the JSON API from a view: one answer shape for every outcome, so a view can tell
// "not served by this engine" (404), "refused" (400, with the engine's message) and "away"
// (network error) apart without try/catch at each call.
//   { ok: true, status, data }  |  { ok: false, status, error, code }
// status is 0 when the engine could not be reached.
export async function getJson(url, { fetchImpl = globalThis.fetch, signal } = {}) {
  let res;
  try {
    res = await fetchImpl(url, { cache: 'no-store', signal, headers: { Accept: 'application/json' } });
  } catch (e) {
    return { ok: false, status: 0, code: 'unreachable', error: e?.name === 'AbortError' ? 'aborted' : 'The engine is not reachable.' };
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (res.ok && body !== null) return { ok: true, status: res.status, data: body };
  const err = body && typeof body === 'object' ? body.error : null;
  return {
    ok: false,
    status: res.status,
    code: typeof err?.code === 'string' ? err.code : res.status === 404 ? 'not_found' : 'http_error',
    error: typeof err?.message === 'string' ? err.message : res.ok ? 'The answer was not JSON.' : `HTTP ${res.status}`,
  };
}
