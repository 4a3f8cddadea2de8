// `npm run demo` as a user runs it, then headless Chromium clicks through every action and checks
// what the page shows. Leaves screenshots in tests/artifacts/ (demo.png, demo-refresh.png).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { root } from '../../scripts/lib/paths.mjs';
import { launchChromium } from '../lib/chromium.mjs';

let demo;
let url;
let browser;
let page;
const problems = [];

before(async () => {
  demo = spawn('npm', ['run', 'demo'], { cwd: root, env: { ...process.env, PORT: '0' }, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no Demo: line within 5 minutes:\n${out}`)), 300_000);
    demo.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /Demo: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    demo.on('exit', (code) => reject(new Error(`npm run demo exited with ${code}:\n${out}`)));
  });
  browser = await launchChromium();
  // A context of its own, so a second tab can open in it (the shareAcrossTabs test).
  page = await (await browser.newContext({ viewport: { width: 1280, height: 1100 } })).newPage();
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  // Chromium logs every non-2xx fetch; the demo provokes 401s and 503s on purpose.
  const expected = /Failed to load resource: the server responded with a status of (401|503)/;
  page.on('console', (msg) => msg.type() === 'error' && !expected.test(msg.text()) && problems.push(`console: ${msg.text()}`));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
});

after(async () => {
  await browser?.close();
  if (demo?.pid) {
    try {
      process.kill(-demo.pid, 'SIGTERM');
    } catch {}
  }
});

function artifact(name) {
  const dir = join(root, 'tests', 'artifacts');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

const kinds = () => page.$$eval('#log li', (lis) => lis.map((li) => li.dataset.kind));
const clearLog = () => page.click('#clear-log');
/** Waits until the log has an entry of `kind` after clicking. */
const waitForLog = (kind, count = 1) =>
  page.waitForFunction(([k, n]) => [...document.querySelectorAll('#log li')].filter((li) => li.dataset.kind === k).length >= n, [kind, count]);

test('signing in shows the decoded claims and a countdown', async () => {
  await page.fill('#user', 'ana');
  await page.click('#signin-button');
  await page.waitForSelector('#signed-in:not([hidden])');
  await page.click('#list');
  await waitForLog('ok');
  const claim = (name) => page.textContent(`dd[data-claim="${name}"]`);
  assert.equal(await claim('user_id'), 'ana');
  assert.equal(await claim('tenant_id'), 'tenant_emulator');
  assert.equal(await claim('sub'), 'tenant_emulator:ana');
  assert.match(await claim('scopes'), /workspaces:read/);
  assert.match(await claim('exp'), /^\d{10} /);
  assert.match(await page.textContent('#expires-in'), /expires in (2\d|30) s/);
  assert.match(await page.textContent('#refresh-in'), /refresh due in \d+ s/);
  assert.equal(await page.textContent('#fetch-count'), '1');
});

test('create and list workspaces', async () => {
  await page.selectOption('#tier', 'lg');
  await page.click('#create');
  await page.waitForFunction(() => /Created ws_/.test(document.querySelector('#action-result').textContent));
  await page.click('#list');
  await page.waitForFunction(() => document.querySelectorAll('#workspaces li:not(.empty)').length === 1);
  assert.match(await page.textContent('#workspaces'), /ws_\w+ · lg/);
});

test('expire all tokens on the server: the log shows 401 token_expired twice -> refresh -> retry -> 200', async () => {
  await clearLog();
  // createTokenHandler re-mints a rejected token at most once per user per second; a person
  // does not click this fast, the test does.
  await new Promise((r) => setTimeout(r, 1100));
  await page.click('#expire');
  await waitForLog('ok');
  const seq = (await kinds()).filter((k) => k !== 'backoff');
  assert.deepEqual(seq, ['expired', 'expired', 'refresh', 'retry', 'ok']);
  const expired = await page.$$eval('#log li[data-kind="expired"]', (lis) => lis.map((li) => li.textContent));
  assert.match(expired[0], /token_expired .* sent once more as is/);
  assert.match(expired[1], /token_expired .* again: the token is replaced/);
  await page.screenshot({ path: artifact('demo-refresh.png') });
});

test('burst 50 requests: one token fetch', async () => {
  await clearLog();
  await page.click('#burst');
  await page.waitForSelector('#action-result[data-burst-fetches]');
  assert.equal(await page.getAttribute('#action-result', 'data-burst-fetches'), '1');
  assert.match(await page.textContent('#log'), /50 concurrent requests · 50 succeeded · 1 token fetch/);
});

test('503 storm: retries with their backoff delays, then 200', async () => {
  await clearLog();
  await page.click('#storm');
  await waitForLog('ok');
  const retries = await page.$$eval('#log li[data-kind="backoff"]', (lis) => lis.map((li) => li.textContent));
  const delays = retries.filter((t) => /503retry #\d/.test(t)).map((t) => Number(/in (\d+) ms/.exec(t)?.[1]));
  assert.equal(delays.length, 2, retries.join('\n'));
  assert.ok(delays[0] >= 375 && delays[0] <= 500 && delays[1] >= 750 && delays[1] <= 1000, `delays ${delays}`);
});

test('tokenProvider and static token sources work too', async () => {
  for (const source of ['tokenProvider', 'token']) {
    await clearLog();
    await page.check(`input[name="source"][value="${source}"]`);
    await page.waitForFunction((s) => document.querySelector('#source-note').textContent.length > 20 && document.querySelector(`input[value="${s}"]`).checked, source);
    await page.click('#list');
    await waitForLog('ok');
    assert.equal(await page.textContent('dd[data-claim="user_id"]'), 'ana', source);
    // The page shows the SDK's tokenInfo().refreshAt: a static token is never refreshed.
    if (source === 'token') await page.waitForFunction(() => /never refreshed/.test(document.querySelector('#refresh-in').textContent));
    else assert.match(await page.textContent('#refresh-in'), /refresh due in \d+ s/, source);
  }
});

test('webhook panel signs the body and checks a header', async () => {
  const body = await page.inputValue('#wh-body');
  const key = await page.inputValue('#wh-key');
  const expected = createHmac('sha256', key).update(body).digest('hex');
  await page.click('#webhook button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('#wh-signature').textContent !== '-');
  assert.equal(await page.textContent('#wh-signature'), expected);
  assert.equal(await page.textContent('#wh-verified'), 'no');
  await page.fill('#wh-header', expected.toUpperCase());
  await page.click('#webhook button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('#wh-verified').textContent === 'yes');
});

test('two tabs fetch one token between them (shareAcrossTabs)', async () => {
  // A fresh tokenEndpoint client (the source radio was on 'token'): no token yet.
  await page.check('input[name="source"][value="tokenEndpoint"]');
  await clearLog();
  const second = await page.context().newPage();
  second.on('pageerror', (err) => problems.push(`second tab pageerror: ${err.message}`));
  try {
    await second.goto(url);
    await second.waitForSelector('body[data-ready="true"]');
    await page.click('#list');
    await waitForLog('ok');
    assert.equal(await page.textContent('#token-from'), 'fetched here');
    await second.click('#list');
    await second.waitForFunction(() => document.querySelector('#log li[data-kind="ok"]'));
    assert.equal(await second.textContent('#token-from'), 'another tab');
    assert.equal(await second.textContent('#fetch-count'), '0', 'the second tab fetched no token');
    assert.match(await second.textContent('#log'), /from another tab for ana/);
    const claim = (p, name) => p.textContent(`dd[data-claim="${name}"]`);
    assert.equal(await claim(second, 'iat'), await claim(page, 'iat'), 'both tabs hold the same token');
    assert.equal(await claim(second, 'exp'), await claim(page, 'exp'));
  } finally {
    await second.close();
  }
});

test('no page errors; screenshot saved', async () => {
  await page.check('input[name="source"][value="tokenEndpoint"]');
  await page.click('#list');
  await waitForLog('ok');
  await page.screenshot({ path: artifact('demo.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
