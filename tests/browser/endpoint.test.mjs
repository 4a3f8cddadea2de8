// tokenEndpoint across real origins in headless Chromium (issue 21): the app backend on
// http://localhost:B (createTokenHandler with `cors`), the page on http://127.0.0.1:A (another
// site: bearer, POST, failing headers functions) and on http://localhost:A (the same site, another
// origin: the cookie session), and a third origin, http://localhost:C, that the backend does not
// list. The browser enforces CORS and cookies here, not our code. See tests/lib/cross-origin.mjs.
import { after, before, test } from 'node:test';
import { collectPageResults, launchChromium } from '../lib/chromium.mjs';
import { startCrossOrigin } from '../lib/cross-origin.mjs';

let servers;
let browser;
const outcomes = {};

before(async () => {
  servers = await startCrossOrigin();
  browser = await launchChromium();
  outcomes.page = await collectPageResults(browser, `${servers.pageUrl}/tests/browser/endpoint.html?role=page`, { timeoutMs: 60_000 });
  outcomes.sameSite = await collectPageResults(browser, `${servers.sameSiteUrl}/tests/browser/endpoint.html?role=same-site`, { timeoutMs: 60_000 });
  outcomes.third = await collectPageResults(browser, `${servers.thirdUrl}/tests/browser/endpoint.html?role=third`, { timeoutMs: 60_000 });
});

after(async () => {
  await browser?.close();
  await servers?.close();
});

const failures = (outcome) => outcome.results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.error}`).join('\n\n');

test('a page on another site: bearer per fetch, POST, failing headers functions, bad options', () => {
  if (outcomes.page.results.length < 4) throw new Error(`only ${outcomes.page.results.length} cases ran`);
  const failed = failures(outcomes.page);
  if (failed) throw new Error(failed);
});

test("a page on another origin of the backend's site: cookie session with credentials 'include'", () => {
  if (outcomes.sameSite.results.length < 1) throw new Error('the cookie case did not run');
  const failed = failures(outcomes.sameSite);
  if (failed) throw new Error(failed);
});

test('a third origin is refused by the browser', () => {
  if (outcomes.third.results.length < 2) throw new Error(`only ${outcomes.third.results.length} cases ran`);
  const failed = failures(outcomes.third);
  if (failed) throw new Error(failed);
  // What the page's console said is the browser's own refusal, not a guess from our code.
  const cors = outcomes.third.problems.filter((p) => /CORS policy/.test(p));
  if (cors.length < 2) throw new Error(`expected the browser's CORS refusals in the console, got:\n${outcomes.third.problems.join('\n')}`);
});
