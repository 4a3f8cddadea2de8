// How the wasm loads: nothing at import, a SpikeError naming the cause at the first call when the
// runtime cannot run wasm (Node --jitless has no WebAssembly; a page CSP without
// 'wasm-unsafe-eval' forbids compiling), and the README's CSP line holds in Chromium.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { root } from '../../scripts/lib/paths.mjs';
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { collectPageResults, launchChromium } from '../lib/chromium.mjs';

let server;
let browser;

before(async () => {
  server = await startStaticServer(root);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const probe = `
  const sdk = await import(process.argv[1]);
  let out = { imported: true };
  try { sdk.decodeToken('a.b.c'); } catch (err) { out = { ...out, spikeError: err instanceof sdk.SpikeError, code: err.code, message: err.message }; }
  console.log(JSON.stringify(out));
`;

for (const entry of ['index.mjs', 'index.cjs', 'server.mjs']) {
  test(`without WebAssembly (node --jitless), dist/${entry} imports and the first call is unsupported_runtime`, () => {
    const out = execFileSync(process.execPath, ['--jitless', '--input-type=module', '-e', probe, `${root}/build/package/dist/${entry}`], { encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').at(-1));
    assert.equal(result.imported, true);
    if (entry === 'server.mjs') {
      // decodeToken is not a server export; the server entry must still import cleanly.
      return;
    }
    assert.deepEqual([result.spikeError, result.code], [true, 'unsupported_runtime'], JSON.stringify(result));
    assert.match(result.message, /WebAssembly/);
  });
}

test('without Buffer or Uint8Array.fromHex, the hex decodes by hand and the SDK works', () => {
  const script = `
    globalThis.Buffer = undefined;
    Uint8Array.fromHex = undefined;
    const sdk = await import(process.argv[1]);
    console.log(JSON.stringify(sdk.decodeToken('eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjoiemFjayJ9.c2ln')));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, `${root}/build/package/dist/index.mjs`], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out.trim()), { user_id: 'zack' });
});

test('without WebAssembly, mintToken rejects (never throws) with unsupported_runtime', () => {
  const script = `
    const server = await import(process.argv[1]);
    let outcome;
    try {
      outcome = await server.mintToken({ apiKey: 'sk_test_x', userId: 'u' }).then(() => 'resolved', (err) => 'rejected ' + err.code);
    } catch (err) {
      outcome = 'threw ' + err.code;
    }
    console.log(outcome);
  `;
  const out = execFileSync(process.execPath, ['--jitless', '--input-type=module', '-e', script, `${root}/build/package/dist/server.mjs`], { encoding: 'utf8' });
  assert.equal(out.trim(), 'rejected unsupported_runtime');
});

async function underPolicy(policy) {
  const url = `${server.url}/tests/browser/csp.html?csp=${encodeURIComponent(policy)}`;
  const { results, page } = await collectPageResults(browser, url);
  await page.close();
  return results[0];
}

test("a CSP with 'wasm-unsafe-eval' runs the SDK", async () => {
  const result = await underPolicy("script-src 'self' 'wasm-unsafe-eval'");
  assert.equal(result.ok, true, JSON.stringify(result));
  assert.equal(result.claims.foo, 'bar');
});

test("a CSP without 'wasm-unsafe-eval' gets a SpikeError unsupported_runtime naming it", async () => {
  const result = await underPolicy("script-src 'self'");
  assert.deepEqual([result.ok, result.spikeError, result.code], [false, true, 'unsupported_runtime'], JSON.stringify(result));
  assert.match(result.message, /wasm-unsafe-eval/);
});
