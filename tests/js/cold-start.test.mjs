// Cold start: importing the client entry and decoding a token must not pull in Node's fetch stack
// (undici, ~35 ms): touching `FormData`, `Blob`, `Headers`, `Request`... at import does that.
// A regression here multiplied the Node cold start (bench row 6a) by four.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeToken } from '../cases/tokens.js';

const dist = fileURLToPath(new URL('../../build/package/dist/', import.meta.url));
const token = makeToken({ sub: 't:u', user_id: 'u', iat: 1795454562, exp: 1795458162 });

const loadsUndici = (script, type) => {
  const run = spawnSync(process.execPath, [`--input-type=${type}`, '-e', script], { encoding: 'utf8', cwd: dist });
  assert.equal(run.status, 0, run.stderr);
  const [claims, undici] = run.stdout.trim().split('\n');
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
