// Headless Debian Chromium driven by playwright-core (Playwright's own browser download cannot
// work on a machine without internet, so we point it at /usr/bin/chromium).
import { chromium } from 'playwright-core';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ARGS,
  });
}

/**
 * Opens `url`, waits until the page sets `window.__results` (an array of { name, ok, error }),
 * and returns it with any console errors and page errors the page produced.
 */
export async function collectPageResults(browser, url, { timeoutMs = 30_000 } = {}) {
  const page = await browser.newPage();
  const problems = [];
  // An uncaught error (e.g. the wasm failed to load) means results will never come: stop waiting.
  let failFast;
  const pageFailed = new Promise((_, reject) => (failFast = reject));
  page.on('pageerror', (err) => {
    problems.push(`pageerror: ${err.message}`);
    failFast(new Error('uncaught error in the page'));
  });
  page.on('console', (msg) => msg.type() === 'error' && problems.push(`console: ${msg.text()}`));
  page.on('response', (res) => res.status() >= 400 && problems.push(`HTTP ${res.status()} for ${res.url()}`));
  try {
    await page.goto(url);
    await Promise.race([page.waitForFunction(() => Array.isArray(window.__results), null, { timeout: timeoutMs }), pageFailed]);
    return { results: await page.evaluate(() => window.__results), problems, page };
  } catch (err) {
    throw new Error(`${url} did not report results: ${err.message}\n${problems.join('\n')}`);
  }
}
