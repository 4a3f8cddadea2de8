// Issue #19 item 2: a state change that comes while a token fetch is running (invalidateToken(),
// a token_expired that forces a refresh) must win over that fetch: the token it brings is never
// handed out, installed or announced, and everyone waiting for it gets a fresh token from one
// new forced fetch. Each case runs with a tokenProvider and with a tokenEndpoint, both deliberately
// slow (a gate the test opens), against the emulator over real HTTP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { SpikeClient } from '../../build/package/dist/index.mjs';
import { IO, turn } from '../lib/fake-io.mjs';
import { tokenAt, userOf } from '../lib/tokens.mjs';
import { startEmulator } from '../../build/package/dist/testing.mjs';
import { listenLocal, sendJson } from '../../scripts/lib/local-server.mjs';

let emulator;
let endpointServer;
let source; // the source the running case uses (one case at a time)

before(async () => {
  emulator = await startEmulator();
  // The app backend's token endpoint: answers through the same `source` as the provider.
  endpointServer = await listenLocal(
    createServer(async (req, res) => {
      try {
        // A forced fetch says no-cache (and names the refused token: `no-cache, spike-refused-token=...`).
        sendJson(res, 200, await source.answer(/^no-cache\b/.test(req.headers['cache-control'] ?? '')));
      } catch (err) {
        sendJson(res, 500, { error: String(err) });
      }
    }),
  );
});
after(async () => {
  await endpointServer?.close();
  await emulator?.close();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A token source for the signed-in `user`. It reads the user when a fetch starts (that fetch is
 * for them, however long it takes), then waits while `hold()` is on. `caching`: an unforced fetch
 * answers the token it gave last, as a backend with a token cache does.
 */
function makeSource({ caching = false } = {}) {
  let gate = null;
  let cached = null;
  const s = {
    user: 'user_a',
    calls: [], // { forced, user }
    failNext: false,
    hold() {
      let open;
      gate = new Promise((r) => (open = r));
      return () => {
        gate = null;
        open();
      };
    },
    async answer(forced) {
      const user = s.user;
      const fail = s.failNext;
      s.failNext = false;
      s.calls.push({ forced, user });
      if (gate) await gate;
      if (fail) throw new Error('token backend down');
      if (caching && !forced && cached) return cached;
      cached = emulator.issueToken({ userId: user });
      return cached;
    },
  };
  return s;
}

const KINDS = ['tokenProvider', 'tokenEndpoint'];

function clientFor(kind, s, options = {}) {
  source = s;
  const tokenOption = kind === 'tokenProvider' ? { tokenProvider: ({ forceRefresh }) => s.answer(forceRefresh) } : { tokenEndpoint: endpointServer.url };
  return new SpikeClient({ baseUrl: emulator.url, ...tokenOption, ...options });
}

/** Polls `check` until it holds (for a source call or an answer to arrive). */
async function until(check, what, ms = 5000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

for (const kind of KINDS) {
  test(`${kind}: invalidateToken() during the first fetch (user switch): waiters get the new user's token from one forced fetch`, async () => {
    emulator.reset();
    const s = makeSource();
    const c = clientFor(kind, s);
    const announced = [];
    c.on('tokenRefreshed', (info) => announced.push(info.claims.user_id));
    const release = s.hold();
    const waiting = [c.getToken(), c.getToken(), c.get('/platform/api/workspaces'), c.getToken()];
    await until(() => s.calls.length === 1, 'the fetch for user A');
    s.user = 'user_b';
    c.invalidateToken();
    release();
    const [t1, t2, list, t3] = await Promise.all(waiting);
    for (const t of [t1, t2, t3]) assert.equal(userOf(t), 'user_b', 'a waiter got the token fetched before the invalidation');
    assert.deepEqual(list, { workspaces: [] });
    assert.deepEqual(s.calls, [
      { forced: false, user: 'user_a' },
      { forced: true, user: 'user_b' },
    ], 'one new forced fetch for every waiter');
    assert.equal(userOf(await c.getToken()), 'user_b', 'the next call');
    assert.equal(s.calls.length, 2, 'no fetch after that');
    assert.equal(c.tokenInfo().claims.user_id, 'user_b');
    assert.deepEqual(announced, ['user_b'], "user A's token was never announced");
  });

  test(`${kind}: invalidateToken() during a forced refresh, then nobody waiting: the next call fetches again instead of using it`, async () => {
    emulator.reset();
    const s = makeSource();
    const c = clientFor(kind, s);
    assert.equal(userOf(await c.getToken()), 'user_a');
    // Sign-out: invalidate; something (a background poll) starts the refresh for A.
    c.invalidateToken();
    const release = s.hold();
    const poll = c.getToken();
    await until(() => s.calls.length === 2, 'the refresh for user A');
    // Sign-in as B while that refresh runs.
    s.user = 'user_b';
    c.invalidateToken();
    release();
    assert.equal(userOf(await poll), 'user_b', 'the poll that waited');
    assert.equal(userOf(await c.getToken()), 'user_b', 'the next call');
    assert.deepEqual(s.calls.map((x) => x.forced), [false, true, true]);
    assert.equal(s.calls.length, 3, 'one fetch per invalidation, none more');
    assert.equal(c.tokenInfo().claims.user_id, 'user_b');
  });

  test(`${kind}: a stale fetch that fails does not fail its waiters: they get a fresh token, with no back-off`, async () => {
    emulator.reset();
    const s = makeSource();
    const c = clientFor(kind, s);
    const release = s.hold();
    s.failNext = true;
    const waiting = [c.getToken(), c.getToken()];
    await until(() => s.calls.length === 1, 'the fetch for user A');
    s.user = 'user_b';
    c.invalidateToken();
    release();
    const started = Date.now();
    for (const t of await Promise.all(waiting)) assert.equal(userOf(t), 'user_b');
    assert.ok(Date.now() - started < 200, `waited ${Date.now() - started} ms: a stale failure must not start a back-off`);
    assert.deepEqual(s.calls, [
      { forced: false, user: 'user_a' },
      { forced: true, user: 'user_b' },
    ]);
  });

  test(`${kind}: a token_expired that forces a refresh while an unforced refresh runs: that refresh's (cached) token is not used`, async () => {
    emulator.reset();
    const s = makeSource({ caching: true });
    const c = clientFor(kind, s);
    const first = await c.getToken();
    const realNow = Date.now;
    try {
      // Two requests go out with the first token; the API will reject both (two rejections in a
      // row: the token is stale, and the refresh that replaces it must be forced).
      emulator.inject({ tokenExpired: 2, latencyMs: 300 });
      const requests = [c.get('/platform/api/workspaces'), c.get('/platform/api/workspaces')];
      await sleep(50);
      // Meanwhile the token enters its refresh window (10 s left by the local clock): an unforced
      // refresh starts, and the caching source will answer it with the same token.
      Date.now = () => realNow.call(Date) + 3590e3;
      const release = s.hold();
      const poll = c.getToken();
      await until(() => s.calls.length === 2, 'the unforced refresh');
      await until(() => (emulator.stats.routes['GET /platform/api/workspaces']?.[401] ?? 0) === 2, 'both rejections');
      await sleep(20);
      release();
      const token = await poll;
      assert.notEqual(token, first, 'the rejected token came back from the unforced refresh and was handed out');
      for (const r of await Promise.all(requests)) assert.deepEqual(r, { workspaces: [] });
      assert.deepEqual(s.calls.map((x) => x.forced), [false, false, true], 'the refresh after the rejections is forced');
      assert.notEqual(await c.getToken(), first);
      assert.equal(s.calls.length, 3);
    } finally {
      Date.now = realNow;
    }
  });
}

// Found in review (issue 14): the superseded refresh's `finally` cleared the driver's handle of the
// refresh a call had begun in the same tick; the next waiter then began a second, overlapping one.

test('invalidateToken() during a refresh, then a call in the very tick the superseded refresh ends: the superseded refresh does not clear the new one, provider calls never overlap', async () => {
  // A clock whose next reading queues `hook` as a microtask (the driver reads the clock right
  // before installFromProvider, so the hook runs after the install and before the refresh's finally).
  let hook = null;
  const io = {
    now() {
      if (hook) {
        queueMicrotask(hook);
        hook = null;
      }
      return Date.now();
    },
  };
  let inFlight = 0;
  let maxInFlight = 0;
  const pending = [];
  const tokenProvider = () => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise((resolve) => pending.push((t) => { inFlight -= 1; resolve(t); }));
  };
  const fetch = async () => Response.json({});
  const spike = new SpikeClient({ baseUrl: 'https://api.test', tokenProvider, fetch, [IO]: io });

  const first = spike.get('/a'); // refresh #1 starts
  await turn();
  assert.equal(pending.length, 1);
  spike.invalidateToken(); // user switch: refresh #1 is superseded
  let second;
  hook = () => {
    second = spike.get('/b'); // another part of the app calls in that same tick
  };
  pending[0](tokenAt(Date.now(), { user: 'old' })); // refresh #1 ends (dropped)
  for (let i = 0; i < 5; i += 1) await turn();
  // Settle whatever was started so the test ends either way.
  const calls = pending.length;
  const overlap = maxInFlight;
  for (let i = 1; i < pending.length; i += 1) pending[i](tokenAt(Date.now(), { user: `new-${i}` }));
  for (let i = 0; i < 5; i += 1) await turn();
  for (let i = 1; i < pending.length; i += 1) pending[i](tokenAt(Date.now(), { user: `new-${i}` }));
  await Promise.allSettled([first, second]);
  spike.free();
  assert.equal(overlap, 1, `provider calls in flight at once: ${overlap} (provider called ${calls} times)`);
  assert.equal(calls, 2, 'one superseded fetch, then one forced fetch for everyone');
});
