// Runs the bundle `wrangler deploy --dry-run --outdir <dir>` wrote in the real workerd, through
// miniflare, and prints the worker's answer as the SPIKE_RESULTS line. Node >= 22 (miniflare's).
// Usage: node run-workerd.mjs <outdir>; MINIFLARE_DIR names the folder whose node_modules has
// miniflare; SPIKE_API_URL, SPIKE_API_KEY, SPIKE_EXPECT become the worker's vars.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const outdir = resolve(process.argv[2]);
const require = createRequire(join(process.env.MINIFLARE_DIR, 'package.json'));
const { Miniflare } = await import(pathToFileURL(require.resolve('miniflare')).href);

// Wrangler's config names the entry and the compatibility date; the bundle holds the entry (named
// like `main`) and every module it imports, `.wasm` files included, which must load as modules.
const config = JSON.parse(readFileSync('wrangler.jsonc', 'utf8').replace(/^\s*\/\/.*$/gm, ''));
const files = (function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
})(outdir);
const typeOf = (file) => (/\.m?js$/.test(file) ? 'ESModule' : /\.wasm$/.test(file) ? 'CompiledWasm' : null);
const entryName = config.main.split('/').pop();
const entry = files.find((f) => relative(outdir, f) === entryName);
if (!entry) throw new Error(`no ${entryName} in ${outdir}: ${files.map((f) => relative(outdir, f)).join(', ')}`);
const modules = [entry, ...files.filter((f) => f !== entry)]
  .filter((f) => typeOf(f))
  .map((path) => ({ type: typeOf(path), path }));

const mf = new Miniflare({
  modules,
  modulesRoot: outdir,
  compatibilityDate: config.compatibility_date,
  compatibilityFlags: [],
  bindings: {
    SPIKE_API_URL: process.env.SPIKE_API_URL,
    SPIKE_API_KEY: process.env.SPIKE_API_KEY,
    SPIKE_EXPECT: process.env.SPIKE_EXPECT,
  },
  host: '127.0.0.1',
});
try {
  const res = await mf.dispatchFetch('http://worker.test/');
  const text = await res.text();
  if (res.status !== 200) throw new Error(`worker answered ${res.status}: ${text.slice(0, 3000)}`);
  console.log(`SPIKE_RESULTS ${JSON.stringify(JSON.parse(text))}`);
} finally {
  await mf.dispose();
}
