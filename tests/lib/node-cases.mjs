// The shared cases (tests/cases/*.js, also run in Chromium) as node:test tests: one test per case,
// and the env the client and input cases read, backed by a harness started before them.
import { after, before, test } from 'node:test';
import { runCases } from '../cases/check.js';
import { startHarness } from './harness.mjs';

/** Each `[name, fn]` case as a test of its own. */
export function testEachCase(cases, prefix = '') {
  for (const [name, fn] of cases) {
    test(`${prefix}${name}`, async () => {
      const [result] = await runCases([[name, fn]]);
      if (!result.ok) throw new Error(result.error);
    });
  }
}

/**
 * The Node env of the harness cases. Cases are listed before the harness exists, so each reads
 * the env lazily through these getters; `extra` adds fields (e.g. `otherRealm`).
 */
export function harnessEnv(extra = {}) {
  let harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());
  return {
    get harness() { return harness; },
    get base() { return harness.url; },
    get emulatorUrl() { return harness.emulator.url; },
    inBrowser: false,
    ...extra,
  };
}
