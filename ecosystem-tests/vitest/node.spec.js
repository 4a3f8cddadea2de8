// Vitest 4, node environment (the default), ESM: import the SDK and its server entry as a Node
// app's test suite does, with no Vitest config at all, and run every shared case as its own
// test, in order (the first client case meets the two token_expired answers queued in the
// emulator).
import { expect, test } from 'vitest';
import * as sdk from '@spike/sdk';
import * as server from '@spike/sdk/server';
import { clientCases, serverCases, envFromProcess } from './spike-cases.js';

const env = envFromProcess();

test('environment: node', () => {
  expect(typeof window).toBe('undefined');
  expect(server.SpikeError).toBe(sdk.SpikeError);
});

for (const [name, fn] of [...clientCases(sdk, env), ...serverCases(server, env)]) {
  test(name, fn, 30_000);
}
