// @vitest-environment jsdom
// Vitest 4, jsdom environment (chosen by the comment above, the per-file way; no Vitest config),
// ESM: import the client as a DOM test suite does and run the client cases as tests, in order
// (the first one meets the two token_expired answers queued in the emulator).
import { expect, test } from 'vitest';
import * as sdk from '@spike/sdk';
import { clientCases, envFromProcess } from './spike-cases.js';

const env = envFromProcess();

test('environment: jsdom', () => {
  expect(typeof window).toBe('object');
  expect(typeof document.createElement).toBe('function');
  expect(typeof sdk.SpikeClient).toBe('function');
});

for (const [name, fn] of clientCases(sdk, env)) {
  test(name, fn, 30_000);
}
