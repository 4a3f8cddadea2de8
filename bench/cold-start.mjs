// Row 6: cold start. Node: a fresh process, from the import to the first decoded token.
// Chromium: a fresh browser context, from `import()` of the browser entry (which fetches,
// compiles and instantiates the wasm) to the first decoded token. jwt-decode beside it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageDir, root } from '../scripts/lib/paths.mjs';
import { wasmHex } from '../scripts/size.mjs';
import { startStaticServer } from '../scripts/lib/static-server.mjs';
import { launchChromium } from '../tests/lib/chromium.mjs';
import { interleave, median } from './lib/measure.mjs';

// A fixed, well-formed token (claims only matter for decoding).
const TOKEN = [{ alg: 'RS256', typ: 'JWT' }, { sub: 't:u', user_id: 'u', iat: 1795454562, exp: 1795458162 }]
  .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
  .concat('c2ln')
  .join('.');

const SDK = pathToFileURL(join(packageDir, 'dist', 'index.mjs')).href;
/** [module URL, function to call once imported (null: import only)]. */
const NODE_IMPORTS = {
  sdk: [SDK, 'decodeToken'],
  'jwt-decode': [pathToFileURL(join(root, 'node_modules', 'jwt-decode', 'build', 'esm', 'index.js')).href, 'jwtDecode'],
  // Row 6a's split, beside it in the same run: what any module costs, the entry without its first
  // call, and the wasm's hex text alone as a module (see `hexModule`).
  'empty ES module': [new URL('./lib/empty-module.mjs', import.meta.url).href, 'call'],
  'sdk, import only': [SDK, null],
};

/** Where the hex text alone costs what it costs in the entry: a module holding just that string. */
function hexModule(dir) {
  const file = join(dir, 'hex.mjs');
  writeFileSync(file, `const hex = "${wasmHex()}";\nexport const call = () => hex.length;\n`);
  return [pathToFileURL(file).href, 'call'];
}

/**
 * What the entry's JS needs at least, measured (bench/README.md, row 6a): the three files bundled
 * into one, without the hex string, ~2.3 ms above an empty module on the machine of the runs before
 * 2026-11-30's c2b7c8d (the three files as shipped: ~4.3), ~1.6 ms on the twice-as-fast one since
 * (a reviewer's measure). The lower one decides the verdict below.
 */
const ONE_FILE_JS_MS = 1.6;

function nodeColdStartMs([url, name]) {
  const call = name === null ? '' : `m.${name}(${JSON.stringify(TOKEN)});`;
  const script = `const t0 = performance.now(); const m = await import(${JSON.stringify(url)}); ${call} console.log(performance.now() - t0);`;
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
  const rounds = smoke ? 1 : 15;
  const dir = mkdtempSync(join(tmpdir(), 'spike-cold-'));
  let node;
  try {
    node = await interleave({ ...NODE_IMPORTS, 'wasm hex string alone': hexModule(dir) }, rounds, (spec) => nodeColdStartMs(spec));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  // The split, from this run: what 1.5x leaves above an empty module, and what the wasm takes of it.
  const budget = 1.5 * jwt - empty;
  const hexMs = median(node['wasm hex string alone']) - empty;
  const firstCall = sdk - median(node['sdk, import only']);
  const wasmPart = hexMs + firstCall;
  const js = median(node['sdk, import only']) - median(node['wasm hex string alone']);
  const split = `1.5x leaves ${ms(budget)} above an empty ES module; the wasm's own part takes ${ms(wasmPart)} (its hex string ${ms(hexMs)}, then hex to bytes, compile, instantiate and the first decode ${ms(firstCall)}) and the entry's JS ${ms(js)}`;
  const left = Math.max(0, budget - wasmPart);
  const importOnly = median(node['sdk, import only']);
  const verdict = left < ONE_FILE_JS_MS
    ? `not reachable with the logic in this wasm: importing the entry, before its wasm is even compiled, takes ${ms(importOnly)}, ${(importOnly / jwt).toFixed(2)}x jwt-decode (the loader, the hex string every entry must import statically, since service workers refuse import() and entries may not await at the top, and the entry's JS); the wasm's part leaves ${ms(left)} for the entry's JS, which needs ~${ONE_FILE_JS_MS}-2.3 ms even bundled into one file (not in this run); a wasm for decodeToken alone in its place measured 2.11x (~25 KB instead of ~60 KB), and with the entry's three files bundled into one too, 1.81x (node bench/cold-floor.mjs at 537b303 on this machine, not in this run)`
    : `reachable only with the entry's JS under ${ms(left)}`;
  return [
    {
      id: '6a', measure: 'cold start, Node: import to first `decodeToken`', unit: 'ms', sdk, peers: { 'jwt-decode': jwt, 'empty ES module': empty }, show: ms,
      ratio: sdk / jwt, ratioOf: 'jwt-decode', goal: '<= 1.5x', met,
      split: { budgetMs: budget, wasmMs: wasmPart, hexStringMs: hexMs, firstCallMs: firstCall, jsMs: js },
      note: met ? undefined : `${ms(sdk - 1.5 * jwt)} over 1.5x: ${split}; ${verdict}; tried: no multi-value returns, fewer import signatures, native hex decoding; one file (~1.9x), not adopted (bench/README.md, row 6a)`,
    },
    {
      id: '6b', measure: 'cold start, headless Chromium: `import()` (wasm fetch + compile + instantiate) to first decode', unit: 'ms',
      sdk: median(web.sdk), peers: { 'jwt-decode': median(web['jwt-decode']) }, show: ms, goal: null, met: null,
    },
  ];
}
