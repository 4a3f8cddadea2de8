// The shared decode cases against the Node builds, through both module systems.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeCases } from '../cases/decode.js';
import { VECTORS, b64url, makeToken, malformedInputs } from '../cases/tokens.js';
import { testEachCase } from '../lib/node-cases.mjs';

const require = createRequire(import.meta.url);
const esm = await import('../../build/package/dist/index.mjs');
const cjs = require('../../build/package/dist/index.cjs');

for (const [flavour, api] of [['ESM', esm], ['CJS', cjs]]) {
  testEachCase(decodeCases(api), `${flavour}: `);
}

test('ESM and CJS copies: a SpikeError from either is instanceof the other\'s class; subclasses still narrow', () => {
  const fromEsm = (() => { try { esm.decodeToken('x'); } catch (err) { return err; } })();
  const fromCjs = (() => { try { cjs.decodeToken('x'); } catch (err) { return err; } })();
  for (const [err, Class] of [[fromEsm, cjs.SpikeError], [fromCjs, esm.SpikeError], [fromEsm, esm.SpikeError], [fromCjs, cjs.SpikeError]]) {
    if (!(err instanceof Class) || !(err instanceof Error) || err.code !== 'invalid_token') throw new Error(`not recognised: ${err}`);
  }
  for (const impostor of [new Error('x'), { code: 'invalid_token' }, null, 'SpikeError', Object.create(null)]) {
    if (impostor instanceof esm.SpikeError) throw new Error(`accepted ${String(impostor)}`);
  }
  class AppError extends esm.SpikeError {}
  if (fromEsm instanceof AppError) throw new Error('a plain SpikeError passed as a subclass');
  if (!(new AppError('http_error', 'x') instanceof esm.SpikeError)) throw new Error('a subclass instance is not a SpikeError');
});

test('without TextEncoder/TextDecoder (jsdom): long ASCII and non-ASCII strings reach the wasm intact', () => {
  // The glue copies long strings with the native encoder; the fallback must keep the loop.
  const entry = new URL('../../build/package/dist/index.mjs', import.meta.url).href;
  const script = `
    globalThis.TextEncoder = undefined;
    globalThis.TextDecoder = undefined;
    const { decodeToken, SpikeClient } = await import(${JSON.stringify(entry)});
    const claims = { sub: 't:u', name: 'Zoë 日本 🚀'.repeat(20), exp: 2000000000 };
    const token = [{ alg: 'RS256' }, claims].map((p) => Buffer.from(JSON.stringify(p)).toString('base64url')).join('.') + '.sig';
    if (decodeToken(token).name !== claims.name) throw new Error('decoded name differs');
    const baseUrl = 'https://example.com/' + 'é'.repeat(100);
    const client = new SpikeClient({ token, baseUrl });
    if (client.baseUrl !== baseUrl) throw new Error('baseUrl differs');
    console.log('ok');
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const error = run.stderr.split('\n').find((line) => /^\w*Error\b/.test(line));
  if (run.stdout.trim() !== 'ok') throw new Error(`the run failed: ${error ?? run.stderr.slice(-300)}`);
});

test('valid tokens decode in the wasm memory, not through the glue (also after the memory grew); invalid ones get the glue\'s error', async () => {
  // js/client/decode.js over the built glue and wasm, with the glue's decodeToken counted: a broken
  // in-memory path would still decode (through the glue), so only the count can tell.
  const { tokenDecoder } = await import('../../js/client/decode.js');
  const { SpikeError } = await import('../../js/shared/error.js');
  const glue = await import('../../build/gen/client-glue.js');
  glue.initSync({ module: new WebAssembly.Module(readFileSync(new URL('../../build/client/spike_sdk_bg.wasm', import.meta.url))) });
  glue.__setErrorClass(SpikeError);
  let throughGlue = 0;
  const decodeToken = tokenDecoder({
    ...glue,
    decodeToken(token) {
      throughGlue += 1;
      return glue.decodeToken(token);
    },
  });
  const glueCalls = (input) => {
    const before = throughGlue;
    try {
      decodeToken(input);
    } catch (err) {
      if (!(err instanceof SpikeError) || err.code !== 'invalid_token') throw err;
    }
    return throughGlue - before;
  };
  const pages = glue.__memoryPages();
  assert.equal(glueCalls(VECTORS.basic.token), 0, 'a valid token');
  assert.deepEqual(decodeToken(VECTORS.basic.token), VECTORS.basic.claims);
  assert.equal(glueCalls(makeToken({ blob: 'x'.repeat(40000) })), 0, 'a longer one (the scratch moves)');
  // The memory grows outside decodeToken: the glue copies a 1 MiB string in before refusing it.
  assert.throws(() => glue.decodeToken('x'.repeat(1 << 20)), SpikeError);
  assert.ok(glue.__memoryPages() > pages + 16, 'the memory grew');
  assert.equal(glueCalls(VECTORS.basic.token), 0, 'a valid token after the memory grew');
  assert.deepEqual(decodeToken(VECTORS.basic.token), VECTORS.basic.claims);
  for (const [what, input] of malformedInputs()) assert.equal(glueCalls(input), 1, what);

  // A token whose UTF-8 outgrows the room it asked for (room counts UTF-16 units) is cut short by
  // encodeInto; only the whole token may be decoded. Each with a decoder of its own (room 0).
  for (const [token, why] of [
    [`${b64url('{}')}.${b64url('{}')}.${'é'.repeat(20)}.x`, 'expected three dot-separated parts'],
    [`${b64url('{}')}.${b64url('{}')}.`.padEnd(65535, 's') + 'é', 'longer than 65536 bytes'],
  ]) {
    assert.throws(() => tokenDecoder(glue)(token), (err) => err instanceof SpikeError && err.message.includes(why), why);
  }

  // Were JSON.parse ever to refuse what Rust accepted, its SyntaxError (which quotes the payload)
  // must not escape: a glue whose in-place decode "accepts" bytes that are not JSON.
  const memory = glue.__decodeMemory();
  let scratch = 0;
  const liar = tokenDecoder({
    ...glue,
    __decodeScratch(len) {
      scratch = glue.__decodeScratch(len);
      return scratch;
    },
    __decodeInPlace(len) {
      new Uint8Array(memory.buffer).set(new TextEncoder().encode('{"secret":'), scratch + len);
      return 10;
    },
    decodeToken: () => 'the glue decided',
  });
  assert.equal(liar(VECTORS.basic.token), 'the glue decided');

  // A TextEncoder without encodeInto (some polyfills): the glue's path, which has its own.
  const Native = globalThis.TextEncoder;
  globalThis.TextEncoder = class extends Native {
    get encodeInto() {
      return undefined;
    }
  };
  try {
    assert.equal(tokenDecoder(glue), glue.decodeToken);
  } finally {
    globalThis.TextEncoder = Native;
  }
});

test('with polyfilled encoders (no encodeInto; a TextDecoder that refuses options): long non-ASCII strings reach the wasm intact, errors stay SpikeErrors', () => {
  // wasm-bindgen's stand-in for a missing encodeInto cannot stop at the end of a short buffer: the
  // glue must not hand it strings it sized for ASCII (it threw a RangeError past 64 characters).
  const entry = new URL('../../build/package/dist/index.mjs', import.meta.url).href;
  const script = `
    globalThis.TextEncoder = class { encode(s = '') { return new Uint8Array(Buffer.from(s)); } };
    const Native = globalThis.TextDecoder;
    globalThis.TextDecoder = class extends Native { constructor(label, options) { if (options) throw new TypeError('no options'); super(label); } };
    const { decodeToken, SpikeClient, SpikeError } = await import(${JSON.stringify(entry)});
    const claims = { sub: 't:u', name: 'Zoë 日本 🚀'.repeat(20), exp: 2000000000 };
    const token = [{ alg: 'RS256' }, claims].map((p) => Buffer.from(JSON.stringify(p)).toString('base64url')).join('.') + '.' + 'sïg'.repeat(30);
    if (decodeToken(token).name !== claims.name) throw new Error('decoded name differs');
    try {
      decodeToken('é'.repeat(65));
      throw new Error('accepted');
    } catch (err) {
      if (!(err instanceof SpikeError) || err.code !== 'invalid_token') throw err;
    }
    const baseUrl = 'https://example.com/' + 'é'.repeat(100);
    if (new SpikeClient({ token, baseUrl }).baseUrl !== baseUrl) throw new Error('baseUrl differs');
    console.log('ok');
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const error = run.stderr.split('\n').find((line) => /^\w*Error\b/.test(line));
  if (run.stdout.trim() !== 'ok') throw new Error(`the run failed: ${error ?? run.stderr.slice(-300)}`);
});
