// The tokenEndpoint object cases (tests/cases/endpoint.js) in Node, against the backend of
// tests/lib/cross-origin.mjs (createTokenHandler with `cors`). The cookie and third-origin cases
// need a browser: tests/browser/endpoint.test.mjs.
import { after, before, test } from 'node:test';
import * as api from '../../build/package/dist/index.mjs';
import { runCases } from '../cases/check.js';
import { endpointCases } from '../cases/endpoint.js';
import { startCrossOrigin } from '../lib/cross-origin.mjs';

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

for (const [name, fn] of endpointCases(api, env)) {
  test(name, async () => {
    const [result] = await runCases([[name, fn]]);
    if (!result.ok) throw new Error(result.error);
  });
}
