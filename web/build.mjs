// Bundles and minifies the dashboard into dist/: index.html plus app-<hash>.js / .css, each
// with brotli and gzip copies (the server sends those as they are). The C++ build embeds every
// file of dist/ into the ledgerflow binary. `--watch` rebuilds on change (no compression).
import { build, context } from 'esbuild';
import { mkdir, readFile, writeFile, rm } from 'node:fs/promises';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
const watch = process.argv.includes('--watch');

const options = {
  entryPoints: { app: path.join(here, 'src/main.js') },
  outdir: dist,
  entryNames: watch ? '[name]' : '[name]-[hash]',
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome100', 'firefox100', 'safari15'],
  legalComments: 'none',
  sourcemap: false,
  define: { 'process.env.NODE_ENV': '"production"', __DEV__: 'false' },
  logLevel: 'warning',
  metafile: true,
};

async function writeIndex(names) {
  let html = await readFile(path.join(here, 'src/index.html'), 'utf8');
  html = html.replace('/app.css', `/${names.css}`).replace('/app.js', `/${names.js}`);
  await writeFile(path.join(dist, 'index.html'), html.replace(/\n\s*/g, '\n'));
}

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

if (watch) {
  await writeIndex({ js: 'app.js', css: 'app.css' });
  const ctx = await context(options);
  await ctx.watch();
  console.log('watching web/src for changes…');
} else {
  const result = await build(options);
  const outputs = Object.keys(result.metafile.outputs).map((f) => path.basename(f));
  const names = { js: outputs.find((f) => f.endsWith('.js')), css: outputs.find((f) => f.endsWith('.css')) };
  await writeIndex(names);
  const report = [];
  for (const name of [names.js, names.css]) {
    const file = path.join(dist, name);
    const data = await readFile(file);
    const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
    const gz = gzipSync(data, { level: 9 });
    await writeFile(`${file}.br`, br);
    await writeFile(`${file}.gz`, gz);
    report.push(`${name} ${(data.length / 1024).toFixed(0)} KiB (br ${(br.length / 1024).toFixed(0)} KiB)`);
  }
  if (process.env.VERBOSE) console.log(`web/dist: ${report.join(', ')}`);
}
