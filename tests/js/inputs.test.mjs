// The input-table cases (tests/cases/inputs.js, issue 19 item 1) in Node, through the harness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import vm from 'node:vm';
import * as api from '../../build/package/dist/index.mjs';
import { inputCases } from '../cases/inputs.js';
import { harnessEnv, testEachCase } from '../lib/node-cases.mjs';

// Another realm's objects (issue #19, F5): a `vm` context's.
const env = harnessEnv({ otherRealm: (source) => vm.runInNewContext(source) });
testEachCase(inputCases(api, env));

test("body a Node Readable (an async iterable of bytes): streamed once", async () => {
  const c = new api.SpikeClient({ baseUrl: env.base, tokenProvider: async () => (await fetch(`${env.base}/token`)).json() });
  const echo = await c.post('/echo', Readable.from([Buffer.from('r-1,'), Buffer.from('r-2')]));
  assert.equal(echo.body, 'r-1,r-2');
  assert.equal(echo.chunked, true);
});
