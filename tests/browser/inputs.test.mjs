// The input-table cases (tests/cases/inputs.js, issue 19 item 1) in headless Chromium: the page is
// served by the harness, whose /echo reports what Chromium's fetch sent; the emulator is cross-origin.
import { after, before, test } from 'node:test';
import { collectPageResults, launchChromium } from '../lib/chromium.mjs';
import { startHarness } from '../lib/harness.mjs';

let harness;
let browser;
let outcome;

before(async () => {
  harness = await startHarness();
  browser = await launchChromium();
  outcome = await collectPageResults(browser, `${harness.url}/tests/browser/inputs.html`, { timeoutMs: 150_000 });
});

after(async () => {
  await browser?.close();
  await harness?.close();
});

test('the inputs page ran every case', () => {
  if (outcome.results.length < 40) throw new Error(`only ${outcome.results.length} cases ran`);
});

test('every body and headers input case passes in Chromium', () => {
  const failed = outcome.results.filter((r) => !r.ok);
  if (failed.length) throw new Error(failed.map((r) => `${r.name}: ${r.error}`).join('\n\n'));
});
