// One page of shared cases (tests/cases/*.js) in headless Chromium: the page is served by the
// harness (so a tokenEndpoint path resolves against it, and /echo reports what Chromium's fetch
// sent) and calls the emulator cross-origin. Two tests: enough cases ran, and every case passed.
import { after, before, test } from 'node:test';
import { collectPageResults, launchChromium } from '../lib/chromium.mjs';
import { startHarness } from '../lib/harness.mjs';

export function testHarnessPage({ page, what, atLeast }) {
  let harness;
  let browser;
  let outcome;

  before(async () => {
    harness = await startHarness();
    browser = await launchChromium();
    outcome = await collectPageResults(browser, `${harness.url}/tests/browser/${page}`, { timeoutMs: 150_000 });
  });

  after(async () => {
    await browser?.close();
    await harness?.close();
  });

  test(`the ${what} page ran every case`, () => {
    if (outcome.results.length < atLeast) throw new Error(`only ${outcome.results.length} cases ran`);
  });

  test(`every ${what} case passes in Chromium`, () => {
    const failed = outcome.results.filter((r) => !r.ok);
    if (failed.length) throw new Error(failed.map((r) => `${r.name}: ${r.error}`).join('\n\n'));
  });
}
