// Cold start: importing the client entry and decoding a token must not pull in Node's fetch stack
// (undici, ~35 ms): touching `FormData`, `Blob`, `Headers`, `Request`... at import does that.
// A regression here multiplied the Node cold start (bench row 6a) by four.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeToken } from '../cases/tokens.js';
import { wasmFunctionTypes } from '../../scripts/lib/wasm-types.mjs';

const dist = fileURLToPath(new URL('../../build/package/dist/', import.meta.url));
const token = makeToken({ sub: 't:u', user_id: 'u', iat: 1795454562, exp: 1795458162 });

/** Runs `script` in a fresh Node process in dist/; its stdout. */
const nodeIn = (script, type = 'module') => {
  const run = spawnSync(process.execPath, [`--input-type=${type}`, '-e', script], { encoding: 'utf8', cwd: dist });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
};

const loadsUndici = (script, type) => {
  const [claims, undici] = nodeIn(script, type).trim().split('\n');
  assert.equal(claims, 'u', 'decodeToken decoded the token');
  return undici === 'true';
};
const probe = `console.log(process.moduleLoadList.some((m) => m.includes('undici')));`;

for (const [type, script] of [
  ['module', `const { decodeToken } = await import('./index.mjs'); console.log(decodeToken(${JSON.stringify(token)}).user_id); ${probe}`],
  ['commonjs', `const { decodeToken } = require('./index.cjs'); console.log(decodeToken(${JSON.stringify(token)}).user_id); ${probe}`],
]) {
  test(`${type}: import + decodeToken leaves Node's fetch stack unloaded`, () => {
    assert.equal(loadsUndici(script, type), false);
  });
}

test('the probe can fail: touching FormData loads undici', () => {
  assert.equal(loadsUndici(`void globalThis.FormData; console.log('u'); ${probe}`, 'module'), true);
});

// What V8 compiles before the first call (bench/README, row 6a). Node 20's generic JS-to-wasm
// wrapper takes one result at most: an export returning more gets a TurboFan wrapper of its own
// when the module is compiled (the build turns wasm-bindgen's multi-value returns off). And V8
// compiles a wasm-to-JS wrapper per import signature assuming the JS function's arity matches:
// one that does not costs another wrapper at instantiation (patchGlue gives the glue's catch
// imports their parameters).
const clientWasm = wasmFunctionTypes(readFileSync(join(dist, 'client.wasm')));

test('the client wasm exports return one value at most', () => {
  const { exports } = clientWasm;
  assert.ok(exports.length > 10, 'the exports were read');
  assert.deepEqual(exports.filter((e) => e.type.results.length > 1).map((e) => e.name), []);
});

test('the client glue hands the wasm import functions of the arity the wasm declares', () => {
  // The imports object the glue gives `new WebAssembly.Instance`, each function's `length`.
  const script = `const I = WebAssembly.Instance; let seen;
    WebAssembly.Instance = new Proxy(I, { construct(t, args, n) { seen = args[1]; return Reflect.construct(t, args, n); } });
    const { decodeToken } = await import('./index.mjs'); decodeToken(${JSON.stringify(token)});
    console.log(JSON.stringify(Object.fromEntries(Object.entries(seen).map(([m, fns]) => [m, Object.fromEntries(Object.entries(fns).map(([k, f]) => [k, f.length]))]))));`;
  const arity = JSON.parse(nodeIn(script));
  const { imports } = clientWasm;
  assert.ok(imports.length > 10, 'the imports were read');
  const mismatched = imports.filter((i) => arity[i.module]?.[i.name] !== i.type.params.length).map((i) => `${i.name}: ${arity[i.module]?.[i.name]} for ${i.type.params.length}`);
  assert.deepEqual(mismatched, []);
});
