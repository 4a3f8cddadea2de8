// The shared decode cases against the Node builds, through both module systems.
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { runCases } from '../cases/check.js';
import { decodeCases } from '../cases/decode.js';

const require = createRequire(import.meta.url);
const esm = await import('../../build/package/dist/index.mjs');
const cjs = require('../../build/package/dist/index.cjs');

for (const [flavour, api] of [['ESM', esm], ['CJS', cjs]]) {
  for (const [name, fn] of decodeCases(api)) {
    test(`${flavour}: ${name}`, async () => {
      const [result] = await runCases([[name, fn]]);
      if (!result.ok) throw new Error(result.error);
    });
  }
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
