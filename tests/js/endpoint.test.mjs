// The tokenEndpoint object cases (tests/cases/endpoint.js) in Node, against the backend of
// tests/lib/cross-origin.mjs (createTokenHandler with `cors`). The cookie and third-origin cases
// need a browser: tests/browser/endpoint.test.mjs.
import { after, before } from 'node:test';
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
