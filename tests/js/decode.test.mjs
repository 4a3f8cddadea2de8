// The shared decode cases against the Node builds, through both module systems.
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { runCases } from '../cases/check.js';
import { decodeCases } from '../cases/decode.js';

const require = createRequire(import.meta.url);
const esm = await import('../../build/package/dist/index.node.mjs');
const cjs = require('../../build/package/dist/index.cjs');

for (const [flavour, api] of [['ESM', esm], ['CJS', cjs]]) {
  for (const [name, fn] of decodeCases(api)) {
    test(`${flavour}: ${name}`, async () => {
      const [result] = await runCases([[name, fn]]);
      if (!result.ok) throw new Error(result.error);
    });
  }
}

test('ESM and CJS share one module instance and one SpikeError class', () => {
  if (esm.SpikeError !== cjs.SpikeError || esm.decodeToken !== cjs.decodeToken) {
    throw new Error('the ESM entry loaded a second copy of the module');
  }
});
