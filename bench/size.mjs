// Row 7: what a browser downloads for the SDK's browser entry (wasm + JS, gzip -9 and brotli),
// beside peers bundled the way an app would get them (esbuild, minified, whole package).
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { root } from '../scripts/lib/paths.mjs';
import { sizeReport } from '../scripts/size.mjs';

const BUDGET_GZIP = 25 * 1024;
const PEERS = ['jwt-decode', 'ky', '@supabase/auth-js', '@auth0/auth0-spa-js'];

async function bundledSize(pkg) {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    stdin: { contents: `export * from '${pkg}';`, resolveDir: root, loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent', legalComments: 'none',
  });
  const bytes = Buffer.from(out.outputFiles[0].contents);
  return {
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

export async function sizeRows() {
  const report = sizeReport();
  const total = report.find((r) => r.file === 'total');
  const wasm = report.find((r) => r.file.endsWith('.wasm'));
  const peers = {};
  const peersBrotli = {};
  for (const pkg of PEERS) {
    const s = await bundledSize(pkg);
    peers[pkg] = s.gzip;
    peersBrotli[pkg] = s.brotli;
  }
  const kb = (x) => `${(x / 1024).toFixed(1)} KB`;
  const over = total.gzip - BUDGET_GZIP;
  return [
    {
      id: '7a', measure: 'browser entry, wasm + JS, gzip -9', unit: 'bytes', sdk: total.gzip, peers, show: kb, goal: '<= 25 KB (stretch 15 KB)',
      met: total.gzip <= BUDGET_GZIP,
      note: `wasm ${kb(wasm.gzip)} + JS ${kb(total.gzip - wasm.gzip)}` +
        (over > 0 ? `; over budget by ${kb(over)}: our Rust (JWT/JSON, client core, redirects, Retry-After) ~27 KB raw, bindgen shims ~11 KB, messages ~8.5 KB, dlmalloc ~7.5 KB; tried: sans-IO client, no format!, opt-level z (bench/README.md)` : ''),
    },
    { id: '7b', measure: 'browser entry, wasm + JS, brotli', unit: 'bytes', sdk: total.brotli, peers: peersBrotli, show: kb, goal: null, met: null },
  ];
}
