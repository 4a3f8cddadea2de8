// shareAcrossTabs (issue 13) in headless Chromium: several pages of one browser context (tabs of
// one origin) against the emulator, behind the harness's token endpoint, which counts fetches.
// Each test gets its own context: contexts share no channel and no lock.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchChromium } from '../lib/chromium.mjs';
import { startHarness } from '../lib/harness.mjs';

let harness;
let browser;

before(async () => {
  harness = await startHarness();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await harness?.close();
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const control = async (path, body) => (await fetch(`${harness.url}/control/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) })).json();
const tokenHits = async () => (await control('stats')).tokenHits;

/** A tab: a page of `context` with the test client, its options in the query (see tabs.html). */
async function openTab(context, query = {}) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(err.message));
  await page.goto(`${harness.url}/tests/browser/tabs.html?${new URLSearchParams(query)}`);
  await page.waitForFunction(() => window.tab !== undefined, null, { timeout: 30_000 });
  page.problems = problems;
  return page;
}

const all = (pages, fn, arg) => Promise.all(pages.map((page) => page.evaluate(fn, arg)));
const call = (pages) => all(pages, () => window.tab.call());
const tokens = (pages) => all(pages, () => window.tab.token());
const events = (pages) => all(pages, () => window.tab.events.splice(0));

/** The channel name of `shareAcrossTabs: name` (js/client/tabs.js). */
const channelName = (name) => `spike-sdk-tabs:${JSON.stringify(['name', name])}`;

/** Sends `messages` on channel `name` from `page`, as another tab would, and gives them 300 ms to land. */
const postAs = (page, name, messages) =>
  page.evaluate(
    async ({ name, messages }) => {
      const channel = new BroadcastChannel(name);
      for (const message of messages) channel.postMessage(message);
      await new Promise((resolve) => setTimeout(resolve, 300));
      channel.close();
    },
    { name, messages },
  );

async function assertNoStorage(pages) {
  for (const page of pages) {
    const seen = await page.evaluate(async () => ({
      writes: window.__storageWrites,
      local: localStorage.length,
      session: sessionStorage.length,
      databases: (await indexedDB.databases()).length,
      cookies: document.cookie,
    }));
    assert.deepEqual(seen, { writes: [], local: 0, session: 0, databases: 0, cookies: '' });
    assert.deepEqual(page.problems, []);
  }
}

test('5 tabs: 1 fetch at start, 0 for a tab opened later, 1 per refresh, 1 for a token_expired storm, 1 after invalidateToken', async () => {
  const context = await browser.newContext();
  try {
    // 10 s tokens refreshed 4 s before expiry: a scheduled refresh 6 s after each fetch.
    const query = { endpoint: '/token?ttl=10', leeway: '4' };
    const pages = [];
    for (let i = 0; i < 5; i += 1) pages.push(await openTab(context, query));
    await control('reset', {});

    // Start: every tab calls at once; one fetch, the others receive its token.
    assert.deepEqual(await call(pages), Array(5).fill('ok'));
    assert.equal(await tokenHits(), 1, 'one token fetch for 5 tabs at start');
    const first = await tokens(pages);
    assert.equal(new Set(first).size, 1, 'every tab holds the same token');
    const starting = (await events(pages)).flat();
    assert.deepEqual(starting.map((e) => e.fromTab).sort(), [false, true, true, true, true], 'one tab fetched, four got it from another tab');

    // A tab opened later asks the others instead of fetching.
    const late = await openTab(context, query);
    pages.push(late);
    assert.equal(await late.evaluate(() => window.tab.call()), 'ok');
    assert.equal(await tokenHits(), 1, 'the later tab fetched nothing');
    assert.equal(await late.evaluate(() => window.tab.token()), first[0]);
    assert.deepEqual(await late.evaluate(() => window.tab.events.splice(0)), [{ fromTab: true, user: 'user_1' }]);

    // Scheduled refresh: once every tab is past refreshAt, all call at once: one fetch.
    const refreshAt = Math.max(...(await all(pages, () => window.tab.current().refreshAt)));
    await sleep(Math.max(0, refreshAt - Date.now()) + 200);
    assert.deepEqual(await call(pages), Array(6).fill('ok'));
    assert.equal(await tokenHits(), 2, 'one fetch for the refresh of 6 tabs');
    const second = await tokens(pages);
    assert.equal(new Set(second).size, 1);
    assert.notEqual(second[0], first[0]);

    // A token_expired storm: the API refuses every token issued so far; every tab calls twice at
    // once. One forced refresh between them, and nobody takes back the refused token.
    await control('inject', { expireTokens: true });
    const storm = await all(pages, () => Promise.all([window.tab.call(), window.tab.call()]));
    assert.deepEqual(storm.flat(), Array(12).fill('ok'));
    assert.equal(await tokenHits(), 3, 'one fetch for a token_expired storm in 6 tabs');
    const third = await tokens(pages);
    assert.equal(new Set(third).size, 1);
    assert.ok(!second.includes(third[0]), 'the refused token was not taken back');

    // invalidateToken() in one tab reaches the others: the next call anywhere refreshes, once.
    await pages[0].evaluate(() => window.tab.client.invalidateToken());
    await sleep(300);
    assert.notEqual(await pages[3].evaluate(() => window.tab.token()), third[0], 'another tab dropped the invalidated token');
    assert.deepEqual(await call(pages), Array(6).fill('ok'));
    assert.equal(await tokenHits(), 4, 'one fetch after invalidateToken()');
    const fourth = await tokens(pages);
    assert.equal(new Set(fourth).size, 1);
    assert.notEqual(fourth[0], third[0]);

    await assertNoStorage(pages);
  } finally {
    await context.close();
  }
});

test('invalidateToken() in one tab while 5 others wait for a slow refresh: 2 fetches (the dropped one, then one forced), and every tab ends with the new user\'s token', async () => {
  const context = await browser.newContext();
  try {
    // The backend takes 800 ms and mints for whoever is signed in when the request comes.
    const query = { endpoint: '/token?user=session&delay=800' };
    const pages = [];
    for (let i = 0; i < 6; i += 1) pages.push(await openTab(context, query));
    await control('reset', {});
    await control('session', { user: 'alice' });
    // Tabs 1-5 call: one holds the lock and fetches alice's token, the others wait.
    const calls = call(pages.slice(1));
    for (let i = 0; (await tokenHits()) < 1; i += 1) {
      if (i > 100) throw new Error('no tab fetched');
      await sleep(20);
    }
    await sleep(100);
    // Mid-fetch, the user switches and tab 0 invalidates: the fetch under way is dropped, and the
    // waiting tabs must not each fetch in a row; one forced fetch serves all of them.
    await control('session', { user: 'bob' });
    await pages[0].evaluate(() => window.tab.client.invalidateToken());
    assert.deepEqual(await calls, Array(5).fill('ok'));
    assert.equal(await tokenHits(), 2, 'the dropped fetch, then one forced fetch for the 5 waiting tabs');
    const users = await all(pages, async () => {
      await window.tab.token();
      return window.tab.current().claims.user_id;
    });
    assert.deepEqual(users, Array(6).fill('bob'), "every tab holds the new user's token");
    const shared = await tokens(pages);
    assert.equal(new Set(shared).size, 1, 'one token for all tabs');
    assert.equal(await tokenHits(), 2, 'tab 0 took it from the others');
    const seen = (await events(pages)).flat();
    assert.deepEqual([...new Set(seen.map((e) => e.user))], ['bob'], "alice's dropped token was never announced");
    assert.equal(seen.filter((e) => !e.fromTab).length, 1, 'one tab fetched, the others got it from another tab');
    // An invalidated token is never offered: a tab opened after the next invalidateToken() asks
    // the 6 others, gets "none" from each, and fetches.
    await pages[0].evaluate(() => window.tab.client.invalidateToken());
    await sleep(300);
    const late = await openTab(context, query);
    assert.notEqual(await late.evaluate(() => window.tab.token()), shared[0], 'nobody offered the invalidated token');
    assert.equal(await tokenHits(), 3, 'the later tab fetched');
    await assertNoStorage([...pages, late]);
  } finally {
    await context.close();
  }
});

/** Starts a refresh in a tab whose endpoint never answers, and waits until it holds the lock and fetched. */
async function stuckHolder(context, channel) {
  const holder = await openTab(context, { endpoint: '/token?mode=stall', share: channel, timeout: '60000' });
  await control('reset', {});
  await holder.evaluate(() => void window.tab.token().catch(() => {}));
  for (let i = 0; (await tokenHits()) < 1; i += 1) {
    if (i > 100) throw new Error('the holder never fetched');
    await sleep(50);
  }
  return holder;
}

test('a tab closed in the middle of a refresh blocks the others only until it is gone', async (t) => {
  const context = await browser.newContext();
  try {
    const holder = await stuckHolder(context, 'closing');
    const waiter = await openTab(context, { endpoint: '/token?ttl=3600', share: 'closing', timeout: '30000' });
    const waited = waiter.evaluate(async () => {
      const t0 = performance.now();
      await window.tab.token();
      return { ms: performance.now() - t0, at: Date.now() };
    });
    // A second waiter, freed while it waits in the queue: it must never fetch.
    const freed = await openTab(context, { endpoint: '/token?ttl=3600', share: 'closing', timeout: '30000' });
    const freedResult = freed.evaluate(() => window.tab.token().then(() => 'token', (err) => err.code));
    await sleep(1000);
    assert.equal(await tokenHits(), 1, 'the waiters wait for the tab holding the lock');
    await freed.evaluate(() => window.tab.client.free());
    assert.equal(await freedResult, 'invalid_options', 'the freed client stopped waiting');
    const closed = Date.now();
    await holder.close();
    const { ms, at } = await waited;
    t.diagnostic(`the waiter got its token ${at - closed} ms after the holder's tab was closed`);
    assert.ok(ms >= 1000 && at - closed < 4000, `the waiter got a token ${at - closed} ms after the close (its timeoutMs is 30000)`);
    assert.equal(await tokenHits(), 2, 'the waiter fetched once the holder was gone');
    await sleep(500);
    assert.equal(await tokenHits(), 2, 'the freed client fetched nothing');
    await assertNoStorage([waiter]);
  } finally {
    await context.close();
  }
});

test('a frozen tab holding the lock blocks the others for timeoutMs at most; then one fetches and the lock is free again', async (t) => {
  const context = await browser.newContext();
  try {
    const holder = await stuckHolder(context, 'frozen');
    const cdp = await context.newCDPSession(holder);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    const query = { endpoint: '/token?ttl=3600', share: 'frozen', timeout: '2000' };
    const waiters = [await openTab(context, query), await openTab(context, query), await openTab(context, query)];
    const waited = await all(waiters, async () => {
      const t0 = performance.now();
      const token = await window.tab.token();
      return { ms: performance.now() - t0, token };
    });
    t.diagnostic(`waiters got a token after ${waited.map((w) => Math.round(w.ms)).join(', ')} ms (timeoutMs 2000)`);
    for (const { ms } of waited) assert.ok(ms >= 1800 && ms < 6000, `a waiter got a token after ${Math.round(ms)} ms (timeoutMs 2000)`);
    assert.equal(new Set(waited.map((w) => w.token)).size, 1, 'the waiters share one token');
    assert.equal(await tokenHits(), 2, 'one fetch between the waiters');
    // The lock was taken from the frozen tab: a new tab is not held up.
    const later = await openTab(context, query);
    const ms = await later.evaluate(async () => {
      const t0 = performance.now();
      await window.tab.token();
      return performance.now() - t0;
    });
    assert.ok(ms < 1500, `a later tab waited ${Math.round(ms)} ms`);
    assert.equal(await tokenHits(), 2, 'the later tab got the token from the others');
  } finally {
    await context.close();
  }
});

test('two channels never mix: per token source by default, per name when named', async () => {
  const context = await browser.newContext();
  try {
    const alice = await openTab(context, { endpoint: '/token?user=alice' });
    const bob = await openTab(context, { endpoint: '/token?user=bob' });
    const carol = await openTab(context, { endpoint: '/token?user=carol', share: 'one' });
    const dave = await openTab(context, { endpoint: '/token?user=dave', share: 'two' });
    await control('reset', {});
    const pages = [alice, bob, carol, dave];
    assert.deepEqual(await call(pages), Array(4).fill('ok'));
    assert.equal(await tokenHits(), 4, 'each channel fetched its own token');
    const users = await all(pages, () => window.tab.current().claims.user_id);
    assert.deepEqual(users, ['alice', 'bob', 'carol', 'dave']);
    const bobToken = await bob.evaluate(() => window.tab.token());

    // Within a channel, tokens are shared: a second alice tab fetches nothing.
    const alice2 = await openTab(context, { endpoint: '/token?user=alice' });
    assert.equal(await alice2.evaluate(() => window.tab.call()), 'ok');
    assert.equal(await alice2.evaluate(() => window.tab.current().claims.user_id), 'alice');
    assert.equal(await tokenHits(), 4);

    // Invalidation in one channel does not reach another.
    await alice.evaluate(() => window.tab.client.invalidateToken());
    await sleep(300);
    assert.equal(await bob.evaluate(() => window.tab.token()), bobToken);
    assert.equal(await tokenHits(), 4);
    assert.deepEqual((await events([bob])).flat(), [{ fromTab: false, user: 'bob' }]);
    await assertNoStorage(pages);
  } finally {
    await context.close();
  }
});

test('a module web worker shares with the tabs of its origin', async () => {
  const context = await browser.newContext();
  try {
    const page = await openTab(context, { endpoint: '/token?user=wendy' });
    await control('reset', {});
    assert.equal(await page.evaluate(() => window.tab.call()), 'ok');
    const token = await page.evaluate(() => window.tab.token());
    const inWorker = await page.evaluate(() => window.tab.worker());
    assert.deepEqual(inWorker, { token, fromTab: true });
    assert.equal(await tokenHits(), 1, 'the worker fetched nothing');
  } finally {
    await context.close();
  }
});

test('a token from another tab passes the same checks as one from the source', async () => {
  const context = await browser.newContext();
  try {
    const page = await openTab(context, { endpoint: '/token?user=erin', share: 'checked' });
    // A lone tab asks nobody before it fetches (no 100 ms wait for answers), and sends its token.
    const sent = await page.evaluate(async (name) => {
      const seen = [];
      const channel = new BroadcastChannel(name);
      channel.onmessage = ({ data }) => seen.push(data.type);
      const result = await window.tab.call();
      await new Promise((resolve) => setTimeout(resolve, 200));
      channel.close();
      return [result, ...seen];
    }, channelName('checked'));
    assert.deepEqual(sent, ['ok', 'token']);
    const before = await page.evaluate(() => window.tab.token());
    const info = await page.evaluate(() => window.tab.current());
    const name = channelName('checked');
    // Not a JWT; the current token again; an already-expired lifetime; a token expiring earlier.
    const bad = [
      { type: 'token', token: 'not-a-jwt', expires_in: 3600 },
      { type: 'token', token: before, expires_in: 3600 },
      { type: 'token', token: (await (await fetch(`${harness.url}/token?user=mallory`)).json()).token, expires_in: -5 },
      { type: 'token', token: (await (await fetch(`${harness.url}/token?user=mallory&ttl=60`)).json()).token, expires_in: 60 },
    ];
    await postAs(page, name, bad);
    assert.equal(await page.evaluate(() => window.tab.token()), before, 'no bad token was installed');
    assert.deepEqual((await events([page])).flat(), [{ fromTab: false, user: 'erin' }]);
    // The same channel with a good, newer token: installed (so the bad ones reached the client).
    const good = (await (await fetch(`${harness.url}/token?user=erin&ttl=7200`)).json()).token;
    await postAs(page, name, [{ type: 'token', token: good, expires_in: 7000 }]);
    assert.equal(await page.evaluate(() => window.tab.token()), good);
    assert.deepEqual((await events([page])).flat(), [{ fromTab: true, user: 'erin' }]);
    assert.ok(info.expiresAt < Date.now() + 3600_000 + 5000);
    // The token it replaced, offered again by a tab that has not heard (as in a token_expired
    // storm, where a refused token and its replacement can be minted within the same second), with
    // a lifetime that would pass the expiry check: never taken back.
    await postAs(page, name, [{ type: 'token', token: before, expires_in: 7100 }]);
    assert.equal(await page.evaluate(() => window.tab.token()), good, 'a token this tab held before was not taken back');
    assert.deepEqual((await events([page])).flat(), []);
  } finally {
    await context.close();
  }
});
