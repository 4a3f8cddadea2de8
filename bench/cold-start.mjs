// Row 6: cold start. Node: a fresh process, from the import to the first decoded token.
// Chromium: a fresh browser context, from `import()` of the browser entry (which fetches,
// compiles and instantiates the wasm) to the first decoded token. jwt-decode beside it.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageDir, root } from '../scripts/lib/paths.mjs';
import { startStaticServer } from '../scripts/lib/static-server.mjs';
import { launchChromium } from '../tests/lib/chromium.mjs';
import { interleave, median } from './lib/measure.mjs';

// A fixed, well-formed token (claims only matter for decoding).
const TOKEN = [{ alg: 'RS256', typ: 'JWT' }, { sub: 't:u', user_id: 'u', iat: 1795454562, exp: 1795458162 }]
  .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
  .concat('c2ln')
  .join('.');

const NODE_IMPORTS = {
  sdk: [pathToFileURL(join(packageDir, 'dist', 'index.mjs')).href, 'decodeToken'],
  'jwt-decode': [pathToFileURL(join(root, 'node_modules', 'jwt-decode', 'build', 'esm', 'index.js')).href, 'jwtDecode'],
  'empty ES module': [new URL('./lib/empty-module.mjs', import.meta.url).href, 'call'],
};

function nodeColdStartMs([url, name]) {
  const script = `const t0 = performance.now(); const m = await import(${JSON.stringify(url)}); m.${name}(${JSON.stringify(TOKEN)}); console.log(performance.now() - t0);`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim());
}

const BROWSER_IMPORTS = {
  sdk: ['/build/package/dist/index.mjs', 'decodeToken'],
  'jwt-decode': ['/node_modules/jwt-decode/build/esm/index.js', 'jwtDecode'],
};

async function browserColdStartMs(browser, origin, [path, name]) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/bench/blank.html`);
    return await page.evaluate(
      async ({ path, name, token }) => {
        const t0 = performance.now();
        const m = await import(path);
        m[name](token);
        return performance.now() - t0;
      },
      { path, name, token: TOKEN },
    );
  } finally {
    await context.close();
  }
}

export async function coldStartRows({ smoke }) {
  const rounds = smoke ? 1 : 9;
  const node = await interleave(NODE_IMPORTS, rounds, (spec) => nodeColdStartMs(spec));
  const server = await startStaticServer(root);
  const browser = await launchChromium();
  let web;
  try {
    web = await interleave(BROWSER_IMPORTS, rounds, (spec) => browserColdStartMs(browser, server.url, spec));
  } finally {
    await browser.close();
    await server.close();
  }
  const ms = (x) => `${x.toFixed(1)} ms`;
  const [sdk, jwt, empty] = [median(node.sdk), median(node['jwt-decode']), median(node['empty ES module'])];
  const met = sdk / jwt <= 1.5;
  return [
    {
      id: '6a', measure: 'cold start, Node: import to first `decodeToken`', unit: 'ms', sdk, peers: { 'jwt-decode': jwt, 'empty ES module': empty }, show: ms,
      ratio: sdk / jwt, ratioOf: 'jwt-decode', goal: '<= 1.5x', met,
      note: met ? undefined : `${(sdk - 1.5 * jwt).toFixed(1)} ms over 1.5x; not reachable with the logic in this wasm: 1.5x leaves ${(1.5 * jwt - empty).toFixed(1)} ms above an empty ES module, and the entry measured ~7 ms above it: ~5 ms the wasm's own part (hex literal, compile, instantiate, first call), ~2.3 ms its JS; tried: no multi-value returns, fewer import signatures, native hex decoding; one file: 1.89x, not adopted (bench/README.md, row 6a)`,
    },
    {
      id: '6b', measure: 'cold start, headless Chromium: `import()` (wasm fetch + compile + instantiate) to first decode', unit: 'ms',
      sdk: median(web.sdk), peers: { 'jwt-decode': median(web['jwt-decode']) }, show: ms, goal: null, met: null,
    },
  ];
}
