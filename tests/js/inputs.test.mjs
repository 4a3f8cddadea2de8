// The input-table cases (tests/cases/inputs.js, issue 19 item 1) in Node, through the harness.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import vm from 'node:vm';
import * as api from '../../build/package/dist/index.mjs';
import { runCases } from '../cases/check.js';
import { inputCases } from '../cases/inputs.js';
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
  // Another realm's objects (issue #19, F5): a `vm` context's.
  otherRealm: (source) => vm.runInNewContext(source),
};

for (const [name, fn] of inputCases(api, env)) {
  test(name, async () => {
    const [result] = await runCases([[name, fn]]);
    if (!result.ok) throw new Error(result.error);
  });
}

test("body a Node Readable (an async iterable of bytes): streamed once", async () => {
  const c = new api.SpikeClient({ baseUrl: harness.url, tokenProvider: async () => (await fetch(`${harness.url}/token`)).json() });
  const echo = await c.post('/echo', Readable.from([Buffer.from('r-1,'), Buffer.from('r-2')]));
  assert.equal(echo.body, 'r-1,r-2');
  assert.equal(echo.chunked, true);
});
