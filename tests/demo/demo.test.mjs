// `npm run demo` as a user runs it, then headless Chromium clicks every button with every token
// source and checks what the page shows, runs axe-core at desktop and phone sizes, and leaves
// screenshots in tests/artifacts/ (demo.png: after "Expire" with the default source, the one the
// README shows as docs/demo.png; demo-phone.png).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { root } from '../../scripts/lib/paths.mjs';
import { launchChromium } from '../lib/chromium.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SOURCES = ['tokenEndpoint', 'tokenProvider', 'token'];

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
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  // Chromium logs every non-2xx fetch; the demo provokes 401s (API, and the token endpoint
  // before sign-in) and 503s on purpose.
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

const text = (selector) => page.textContent(selector);
const logEntries = () => page.$$eval('#log li', (lis) => lis.map((li) => ({ kind: li.dataset.kind, tag: li.querySelector('.tag').textContent, text: li.textContent })));
const clearLog = () => page.click('#clear-log');
const focused = () => page.evaluate(() => document.activeElement?.id ?? null);

/** Clicks an action button, waits until the action is over, and checks the focus stayed on it. */
async function act(id) {
  await page.click(`#${id}`);
  await page.waitForSelector('body[data-idle="true"]');
  assert.equal(await focused(), id, `the focus stays on #${id}`);
}

async function pickSource(source) {
  await page.check(`input[name="source"][value="${source}"]`);
  await page.waitForSelector(`body[data-client="${source}"]`);
  assert.match(await text('#client-code'), source === 'token' ? /new SpikeClient\(\{ baseUrl, token \}\)/ : new RegExp(`${source}:`), 'the code of the chosen source');
}

async function axe(label) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  // Open every <details>, so what they hold is checked too.
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `axe-core at ${label}`,
  );
}

const stat = async (id) => Number(await text(`#stat-${id}`));

test('before sign-in, every source says to sign in, where the eye is', async () => {
  for (const source of SOURCES) {
    await pickSource(source);
    await clearLog();
    await act('list');
    assert.match(await text('#action-result'), /[Ss]ign in first/, source);
    if (source !== 'token') {
      assert.equal(await page.isVisible('#token-alert'), true, `${source}: the token card shows the failure`);
      assert.match(await text('#token-alert'), /token_provider_failed.*Sign in first/, source);
      assert.match((await logEntries()).at(-1).text, /token_provider_failed.*Sign in first/, source);
    } else {
      assert.match(await text('#source-note'), /Sign in first/);
    }
  }
  await pickSource('tokenEndpoint');
});

test('signing in keeps the focus on the form and shows the decoded claims, raw JWT and the exchange', async () => {
  await page.fill('#user', 'ana');
  await page.click('#signin-button');
  await page.waitForSelector('#signed-in:not([hidden])');
  assert.equal(await focused(), 'signout-button');
  await act('list');
  assert.equal(await page.isVisible('#token-alert'), false, 'the failure is gone');
  const claim = (name) => text(`dd[data-claim="${name}"]`);
  assert.equal(await claim('user_id'), 'ana');
  assert.equal(await claim('tenant_id'), 'tenant_emulator');
  assert.equal(await claim('sub'), 'tenant_emulator:ana');
  assert.deepEqual(await page.$$eval('dd[data-claim="scopes"] .scope', (els) => els.map((e) => e.textContent)), ['workspaces:read', 'workspaces:write']);
  assert.match(await claim('exp'), /^\d{10} /);
  assert.match(await text('#expires-in'), /expires in (2\d|30) s/);
  assert.match(await text('#refresh-in'), /refresh due in \d+ s/);
  assert.equal(await text('#fetch-count'), '1');
  const jwt = (await text('#jwt')).split('.');
  assert.equal(jwt.length, 3, 'the raw JWT, three parts');
  assert.equal(JSON.parse(Buffer.from(jwt[1], 'base64url')).user_id, 'ana');
  assert.match(await text('#exchange-request'), /GET \/api\/spike-token/);
  assert.match(await text('#exchange-answer'), /← 200[\s\S]*"expires_in"/);
  assert.ok((await stat('mints')) >= 1 && (await stat('token-requests')) >= 1 && (await stat('api')) >= 1, 'the server counts');
});

for (const source of SOURCES) {
  test(`${source}: every button, and what the page shows`, async () => {
    await pickSource(source);
    await clearLog();
    await act('list');
    const last = (await logEntries()).at(-1);
    assert.equal(last.tag, '200 OK', source);
    assert.equal(await text('dd[data-claim="user_id"]'), 'ana', source);
    if (source === 'token') await page.waitForFunction(() => /never refreshed/.test(document.querySelector('#refresh-in').textContent));
    else assert.match(await text('#refresh-in'), /refresh due in \d+ s/, source);
    assert.doesNotMatch(await text('#refresh-in'), source === 'token' ? /refresh due/ : /never/);

    // Create: logged with its real status, and the list updates by itself.
    await page.selectOption('#tier', 'lg');
    await act('create');
    assert.ok((await logEntries()).some((e) => e.tag === '201 Created' && /POST \/platform\/api\/workspaces/.test(e.text)), `${source}: 201 Created`);
    const created = /Created (ws_\w+)/.exec(await text('#action-result'))?.[1];
    assert.ok(created, await text('#action-result'));
    assert.match(await text('#workspaces'), new RegExp(`${created} · lg`), `${source}: the list shows the new workspace`);

    // 503 storm: retries with their backoff delays, then 200.
    await clearLog();
    await act('storm');
    const retries = (await logEntries()).filter((e) => e.kind === 'backoff' && /retry #\d/.test(e.text));
    const delays = retries.map((e) => Number(/in (\d+) ms/.exec(e.text)?.[1]));
    assert.equal(delays.length, 2, retries.map((e) => e.text).join('\n'));
    assert.ok(delays[0] >= 375 && delays[0] <= 500 && delays[1] >= 750 && delays[1] <= 1000, `delays ${delays}`);
    assert.equal((await logEntries()).at(-1).tag, '200 OK');

    // Expire, then at once a burst.
    await clearLog();
    const mints = await stat('mints');
    await act('expire');
    const seq = (await logEntries()).map((e) => e.kind).filter((k) => k !== 'backoff');
    if (source === 'token') {
      // A fixed token cannot be replaced: the page says so on the token card, not only in the log.
      assert.deepEqual(seq, ['error'], source);
      assert.equal(await page.isVisible('#token-alert'), true);
      assert.match(await text('#token-alert'), /401 token_expired.*cannot be refreshed/);
      assert.match(await text('#token-state'), /failed/);
      await act('burst');
      assert.equal(await page.getAttribute('#action-result', 'data-burst-ok'), '0');
      assert.equal(await page.getAttribute('#action-result', 'data-burst-fetches'), '0');
      assert.match(await text('#token-alert'), /token_expired/);
      return;
    }
    assert.deepEqual(seq, ['expired', 'expired', 'refresh', 'retry', 'ok'], source);
    const expired = (await logEntries()).filter((e) => e.kind === 'expired');
    assert.match(expired[0].text, /token_expired .* sent once more as is/);
    assert.match(expired[1].text, /token_expired .* again: the token is replaced/);
    assert.equal(await page.isVisible('#token-alert'), false, `${source}: no failure`);
    assert.match(await text('#token-state'), /Live/);
    assert.match(await text('#exchange-request'), /Cache-Control: no-cache, spike-refused-token=[0-9a-f]{16}/, `${source}: the forced refresh names the refused token`);
    if (source === 'tokenEndpoint') {
      // The README's docs/demo.png: the page down to the end of the request log.
      const bottom = await page.$eval('#log-scroll', (el) => el.closest('section').getBoundingClientRect().bottom + window.scrollY);
      await page.screenshot({ path: artifact('demo.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom + 16) } });
    }
    // Within a second of that mint: invalidateToken() + 50 requests = one token fetch, all succeed.
    await clearLog();
    await act('burst');
    assert.equal(await page.getAttribute('#action-result', 'data-burst-ok'), '50', await text('#action-result'));
    assert.equal(await page.getAttribute('#action-result', 'data-burst-fetches'), '1');
    assert.match(await text('#log'), /50 concurrent requests · 50 succeeded · 1 token fetch/);
    await page.waitForFunction((n) => Number(document.querySelector('#stat-mints').textContent) === n, mints + 2);
  });
}

test('a fixed token is fetched again when its source is picked again', async () => {
  await pickSource('tokenEndpoint');
  await pickSource('token');
  await act('list');
  assert.equal(await page.isVisible('#token-alert'), false, await text('#token-alert'));
  assert.equal((await logEntries()).at(-1).tag, '200 OK');
});

test('"Keep the token fresh" refreshes at the refresh point with no call waiting', { timeout: 60_000 }, async () => {
  await pickSource('tokenEndpoint');
  await act('list');
  const before = Number(await text('#fetch-count'));
  await page.check('#keep-fresh');
  // 30-second tokens are refreshed 15 s before expiry.
  await page.waitForFunction(() => [...document.querySelectorAll('#log li')].some((li) => /keep fresh/.test(li.textContent)), null, { timeout: 25_000 });
  await page.waitForFunction(() => /refresh due in \d+ s/.test(document.querySelector('#refresh-in').textContent));
  assert.equal(Number(await text('#fetch-count')), before + 1, `one token fetch:\n${(await logEntries()).map((e) => e.text).join('\n')}`);
  await page.uncheck('#keep-fresh');
});

test('two tabs fetch one token between them (shareAcrossTabs)', async () => {
  // A fresh tokenEndpoint client: no token yet.
  await pickSource('token');
  await pickSource('tokenEndpoint');
  await clearLog();
  const second = await page.context().newPage();
  second.on('pageerror', (err) => problems.push(`second tab pageerror: ${err.message}`));
  try {
    await second.goto(url);
    await second.waitForSelector('body[data-client="tokenEndpoint"]');
    await act('list');
    assert.equal(await text('#token-from'), 'fetched here');
    await second.click('#list');
    await second.waitForFunction(() => document.querySelector('#log li[data-kind="ok"]'));
    assert.equal(await second.textContent('#token-from'), 'another tab');
    assert.equal(await second.textContent('#fetch-count'), '0', 'the second tab fetched no token');
    assert.match(await second.textContent('#log'), /from another tab for ana/);
    const claim = (p, name) => p.textContent(`dd[data-claim="${name}"]`);
    assert.equal(await claim(second, 'iat'), await claim(page, 'iat'), 'both tabs hold the same token');
    assert.equal(await claim(second, 'exp'), await claim(page, 'exp'));
    await second.waitForFunction(() => document.querySelector('#jwt').textContent.split('.').length === 3);
    assert.equal(await second.textContent('#jwt'), await text('#jwt'), 'the raw JWT of the shared token');
  } finally {
    await second.close();
  }
});

test('webhook panel signs the body and checks a header', async () => {
  const body = await page.inputValue('#wh-body');
  const key = await page.inputValue('#wh-key');
  const expected = createHmac('sha256', key).update(body).digest('hex');
  await page.click('#webhook button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('#wh-signature').textContent !== '-');
  assert.equal(await text('#wh-signature'), expected);
  assert.equal(await text('#wh-verified'), 'no');
  await page.fill('#wh-header', expected.toUpperCase());
  await page.click('#webhook button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('#wh-verified').textContent === 'yes');
});

test('the docs links open the README at their section', async () => {
  const links = await page.$$eval('header a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.length >= 3);
  const docs = await browser.newPage();
  try {
    for (const href of links) {
      await docs.goto(new URL(href, url).href);
      const id = href.split('#')[1];
      assert.equal(await docs.locator(`[id="${id}"]`).count(), 1, `${href}: the anchor exists`);
    }
  } finally {
    await docs.close();
  }
});

test('axe-core: no serious or critical violations at 1280x800 and 390x844; the phone layout does not overlap', async () => {
  await act('list');
  await axe('1280x800');
  await page.setViewportSize({ width: 390, height: 844 });
  await axe('390x844');
  // The log's time and tag sit side by side without overlapping; scopes never break mid-word.
  const overlaps = await page.$$eval('#log li', (lis) =>
    lis.filter((li) => li.querySelector('.time').getBoundingClientRect().right > li.querySelector('.tag').getBoundingClientRect().left + 0.5).length,
  );
  assert.equal(overlaps, 0);
  const broken = await page.$$eval('dd[data-claim="scopes"] .scope', (chips) => chips.filter((c) => c.getClientRects().length !== 1).length);
  assert.equal(broken, 0);
  await page.screenshot({ path: artifact('demo-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('no page errors', () => {
  assert.deepEqual(problems, []);
});
