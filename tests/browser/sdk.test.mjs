// The shared cases in headless Chromium, against the browser build (plain ESM + wasm).
import { after, before, test } from 'node:test';
import { root } from '../../scripts/lib/paths.mjs';
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { collectPageResults, launchChromium } from '../lib/chromium.mjs';

let server;
let browser;
let outcome;

before(async () => {
  server = await startStaticServer(root);
  browser = await launchChromium();
  outcome = await collectPageResults(browser, `${server.url}/tests/browser/sdk.html`);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the page loaded the SDK without errors and ran the cases', () => {
  if (outcome.problems.length) throw new Error(outcome.problems.join('\n'));
  if (outcome.results.length < 8) throw new Error(`only ${outcome.results.length} cases ran`);
});

test('every case passes in Chromium', () => {
  const failed = outcome.results.filter((r) => !r.ok);
  if (failed.length) throw new Error(failed.map((r) => `${r.name}: ${r.error}`).join('\n\n'));
});
