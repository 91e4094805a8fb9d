// Development server: serves web/dist and forwards /api, /healthz, /readyz and /metrics to a
// running engine, so the dashboard can be changed without rebuilding the binary.
//   ledgerflow demo --port 8080 &      # the engine
//   npm run watch &                    # rebuild dist/ on change
//   node dev-server.mjs [--port 5173] [--engine http://127.0.0.1:8080]
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : def;
};
const port = Number(arg('--port', 5173));
const engine = new URL(arg('--engine', 'http://127.0.0.1:8080'));
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml' };

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (/^\/(api\/|healthz|readyz|metrics)/.test(url.pathname)) {
      const up = http.request({ host: engine.hostname, port: engine.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      });
      up.on('error', () => {
        res.writeHead(502, { 'Content-Type': 'application/json' });
        res.end('{"error":{"code":"engine_unreachable","message":"the engine is not running"}}');
      });
      req.pipe(up);
      return;
    }
    const file = path.join(here, 'dist', url.pathname === '/' ? 'index.html' : path.normalize(url.pathname));
    if (!file.startsWith(path.join(here, 'dist'))) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":{"code":"not_found"}}');
    }
  })
  .listen(port, '127.0.0.1', () => console.log(`dashboard on http://127.0.0.1:${port}/ (engine ${engine.origin})`));
