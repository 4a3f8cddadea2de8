// The tokenEndpoint object cases (tests/cases/endpoint.js) in Node, against the backend of
// tests/lib/cross-origin.mjs (createTokenHandler with `cors`). The cookie and third-origin cases
// need a browser: tests/browser/endpoint.test.mjs.
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { after, before, test } from 'node:test';
import * as api from '../../build/package/dist/index.mjs';
import { endpointCases } from '../cases/endpoint.js';
import { startCrossOrigin } from '../lib/cross-origin.mjs';
import { testEachCase } from '../lib/node-cases.mjs';

let servers;
before(async () => {
  servers = await startCrossOrigin();
});
after(() => servers.close());

const env = {
  get backend() { return servers.backendDirect; },
  get emulatorUrl() { return servers.emulator.url; },
  inBrowser: false,
  role: 'page',
};

testEachCase(endpointCases(api, env));

// The README's limit for tokenEndpoint.body (unlike a request's body): another realm's classes are
// refused; its plain objects and typed arrays are taken. Checked at construction, nothing fetched.
test("tokenEndpoint.body from another realm (a vm context's): an ArrayBuffer is invalid_options; a plain object and a typed array are taken", () => {
  const make = (body) => new api.SpikeClient({ baseUrl: servers.emulator.url, tokenEndpoint: { url: `${servers.backendDirect}/post-token`, method: 'POST', body } });
  assert.throws(() => make(vm.runInNewContext('new ArrayBuffer(2)')), (e) => e instanceof api.SpikeError && e.code === 'invalid_options' && /ArrayBuffer/.test(e.message));
  assert.equal(make(vm.runInNewContext('({ user: "u" })')).tokenSource, 'tokenEndpoint');
  assert.equal(make(vm.runInNewContext('new Uint8Array([123, 125])')).tokenSource, 'tokenEndpoint');
});
