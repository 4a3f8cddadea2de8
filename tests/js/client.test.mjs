// The shared client cases in Node, against the emulator behind the harness.
import { after, before, test } from 'node:test';
import * as api from '../../build/package/dist/index.mjs';
import { runCases } from '../cases/check.js';
import { clientCases } from '../cases/client.js';
import { startHarness } from '../lib/harness.mjs';

let harness;
before(async () => {
  harness = await startHarness();
});
after(() => harness.close());

// Cases are listed before the harness exists; each reads env lazily through this object.
const env = {
  get base() { return harness.url; },
  get emulatorUrl() { return harness.emulator.url; },
  inBrowser: false,
};

for (const [name, fn] of clientCases(api, env)) {
  test(name, async () => {
    const [result] = await runCases([[name, fn]]);
    if (!result.ok) throw new Error(result.error);
  });
}
