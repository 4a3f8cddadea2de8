// @spike/sdk/server against node:crypto, real Request objects and the emulator on 127.0.0.1.
import assert from 'node:assert/strict';
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import * as server from '../../build/package/dist/server.node.mjs';
import { startEmulator } from '../../build/package/dist/testing.mjs';
import { SpikeClient, SpikeError } from '../../build/package/dist/index.mjs';
import { fingerprint } from '../lib/tokens.mjs';

const API_KEY = 'sk_test_super_secret_api_key_0123456789';
let emu;
before(async () => {
  emu = await startEmulator({ apiKey: API_KEY, tokenTtlSeconds: 600 });
});
after(() => emu.close());

const nodeHmac = (key, data) => createHmac('sha256', key).update(data).digest('hex');

/** Random strings mixing ASCII, Latin-1, CJK, emoji (surrogate pairs) and combining marks. */
function randomText(maxLen = 40) {
  const pools = ['abcXYZ019-_ .', 'éüßøñ', '日本語中文한국어', '🚀👩‍💻🎉', '\u0301\u0308', '"\\/\n\t{}'];
  let s = '';
  for (let i = randomInt(1, maxLen); i > 0; i -= 1) {
    const pool = [...pools[randomInt(pools.length)]];
    s += pool[randomInt(pool.length)];
  }
  return s;
}

function assertNoSecret(err, ...secrets) {
  const seen = [err.message, err.stack, JSON.stringify(err), String(err.cause ?? '')].join('\n');
  for (const secret of secrets) assert.ok(!seen.includes(secret), `secret leaked: ${seen}`);
}

const isCode = (code) => (err) => err instanceof SpikeError && err.code === code;

describe('signUserId', () => {
  test('is byte-identical to node:crypto for 500 random and Unicode user IDs and keys', () => {
    for (let i = 0; i < 500; i += 1) {
      // Random inside; a key may not start or end with whitespace (server-security.test.mjs).
      const key = `k${randomText(10)}${'k'.repeat(16)}`;
      const user = randomText();
      assert.equal(server.signUserId(key, user), nodeHmac(key, user), JSON.stringify({ key, user }));
    }
  });

  test('refuses keys under 16 characters without echoing them', () => {
    for (const key of ['', 'short', '0123456789abcde', 'ééééééééééééééé']) {
      assert.throws(() => server.signUserId(key, 'user'), (err) => isCode('invalid_options')(err) && (assertNoSecret(err, key || 'x-never'), true));
    }
    assert.throws(() => server.signUserId('0123456789abcdef', 42), isCode('invalid_options'));
    assert.equal(server.signUserId('0123456789abcdef', 'u'), nodeHmac('0123456789abcdef', 'u'));
  });
});

describe('verifyWebhookSignature', () => {
  test('agrees with node:crypto for string, Uint8Array, Buffer, ArrayBuffer and DataView bodies, either hex case', () => {
    for (let i = 0; i < 200; i += 1) {
      const key = `whsec_${randomBytes(12).toString('hex')}`;
      const text = randomText(200);
      const bytes = randomBytes(randomInt(0, 4096));
      const sigText = nodeHmac(key, text);
      const sigBytes = nodeHmac(key, bytes);
      assert.equal(server.verifyWebhookSignature(key, text, sigText), true);
      assert.equal(server.verifyWebhookSignature(key, new TextEncoder().encode(text), sigText.toUpperCase()), true);
      assert.equal(server.verifyWebhookSignature(key, bytes, sigBytes), true);
      assert.equal(server.verifyWebhookSignature(key, new Uint8Array(bytes), sigBytes), true);
      // What `await request.arrayBuffer()` gives, and other views of the same bytes.
      const copy = new Uint8Array(bytes);
      assert.equal(server.verifyWebhookSignature(key, copy.buffer, sigBytes), true, 'ArrayBuffer');
      assert.equal(server.verifyWebhookSignature(key, new DataView(copy.buffer), sigBytes), true, 'DataView');
      assert.equal(server.verifyWebhookSignature(key, `${text}x`, sigText), false);
      assert.equal(server.verifyWebhookSignature(`${key}x`, text, sigText), false);
    }
  });

  test('malformed headers are false, never an exception', () => {
    const key = 'whsec_0123456789';
    const sig = nodeHmac(key, 'body');
    for (const header of [undefined, null, 42, {}, [], '', ' ', 'sha256=', sig.slice(0, 63), `${sig}0`, `${sig.slice(0, 63)}g`, `${sig.slice(0, 62)}é`, sig.replace(/./g, 'z')]) {
      assert.equal(server.verifyWebhookSignature(key, 'body', header), false, String(header));
    }
    assert.equal(server.verifyWebhookSignature(key, 12345, sig), false);
    assert.throws(() => server.verifyWebhookSignature('', 'body', sig), isCode('invalid_options'));
  });

  test("takes the header as Node and Express type it (string | string[] | undefined): one value is that value, several are false", () => {
    const key = 'whsec_0123456789';
    const sig = nodeHmac(key, 'body');
    assert.equal(server.verifyWebhookSignature(key, 'body', [sig]), true);
    assert.equal(server.verifyWebhookSignature(key, 'body', [sig.toUpperCase()]), true);
    assert.equal(server.verifyWebhookSignature(key, 'body', [nodeHmac(key, 'other')]), false);
    assert.equal(server.verifyWebhookSignature(key, 'body', [sig, sig]), false);
    assert.equal(server.verifyWebhookSignature(key, 'body', [42]), false);
  });

  test("a node:http request's req.headers['x-body-signature'] and Buffer body, as the README's by-hand check passes them", async () => {
    const key = 'whsec_0123456789';
    const sig = nodeHmac(key, 'body');
    const http = createServer(async (req, res) => {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const ok = server.verifyWebhookSignature(key, Buffer.concat(chunks), req.headers['x-body-signature']);
      res.writeHead(ok ? 200 : 401).end();
    });
    await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${http.address().port}/`;
      const post = (headers) => fetch(url, { method: 'POST', body: 'body', headers }).then((r) => r.status);
      assert.equal(await post({ 'x-body-signature': sig }), 200);
      assert.equal(await post({}), 401);
      assert.equal(await post([['x-body-signature', sig], ['x-body-signature', sig]]), 401, 'two headers arrive joined: not one signature');
    } finally {
      await new Promise((resolve) => http.close(resolve));
    }
  });
});

describe('webhooks', () => {
  const key = 'whsec_webhook_key_123456';
  const events = [
    { application_user_id: 'u1', event_type: 'record_change', timestamp: '2026-11-23T10:00:00Z', provider_slug: 'garmin', metrics: ['steps'], activity_types: ['running'], earliest_record_start_at: '2026-11-22T00:00:00Z', latest_record_end_at: '2026-11-23T00:00:00Z' },
    { application_user_id: 'u2', event_type: 'provider_integration_created', timestamp: '2026-11-23T10:00:01Z', provider_slug: 'oura' },
  ];
  const signed = (body, k = key) => new Request('http://127.0.0.1/webhooks/spike', { method: 'POST', body, headers: { 'x-body-signature': nodeHmac(k, body) } });

  test('parseWebhookEvents returns the typed events', () => {
    assert.deepEqual(server.parseWebhookEvents(JSON.stringify(events)), events);
    assert.deepEqual(server.parseWebhookEvents(Buffer.from(JSON.stringify({ events }))), events);
    assert.deepEqual(server.parseWebhookEvents(new TextEncoder().encode(JSON.stringify(events)).buffer), events, 'ArrayBuffer');
    assert.deepEqual(server.parseWebhookEvents(JSON.stringify(events[1])), [events[1]]);
    for (const bad of ['', '{', '[1]', '{"event_type":"record_change"}']) {
      assert.throws(() => server.parseWebhookEvents(bad), isCode('invalid_options'), bad);
    }
  });

  test('createWebhookHandler: 200 at once then onEvents; 401 bad signature; 400 bad body; 405', async () => {
    let resolveEvents;
    const received = new Promise((r) => (resolveEvents = r));
    const handler = server.createWebhookHandler({ signatureKey: key, onEvents: (e) => resolveEvents(e) });
    const ok = await handler(signed(JSON.stringify(events)));
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { received: 2 });
    assert.deepEqual(await received, events);
    assert.equal((await handler(signed(JSON.stringify(events), 'whsec_other_key'))).status, 401);
    const unsigned = new Request('http://127.0.0.1/', { method: 'POST', body: '[]' });
    assert.equal((await handler(unsigned)).status, 401);
    assert.equal((await handler(signed('not json'))).status, 400);
    assert.equal((await handler(new Request('http://127.0.0.1/'))).status, 405);
  });

  test('slow or failing onEvents does not delay the 200 and goes to onError', async () => {
    let failure;
    const reported = new Promise((r) => (failure = r));
    const handler = server.createWebhookHandler({
      signatureKey: key,
      onEvents: async () => {
        await new Promise((r) => setTimeout(r, 50));
        throw new Error('db down');
      },
      onError: failure,
    });
    const started = performance.now();
    assert.equal((await handler(signed(JSON.stringify(events)))).status, 200);
    assert.ok(performance.now() - started < 50, 'answered before onEvents finished');
    assert.equal((await reported).message, 'db down');
  });

  test('bad handler options throw invalid_options', () => {
    assert.throws(() => server.createWebhookHandler({ onEvents() {} }), isCode('invalid_options'));
    assert.throws(() => server.createWebhookHandler({ signatureKey: key }), isCode('invalid_options'));
  });
});

describe('mintToken', () => {
  test('mints through the documented endpoint', async () => {
    const { token, expires_at } = await server.mintToken({ apiKey: API_KEY, baseUrl: emu.url, userId: 'user-7', name: 'Ana', scopes: ['x'], expSeconds: 120 });
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));
    assert.equal(claims.user_id, 'user-7');
    assert.equal(claims.exp - claims.iat, 120);
    assert.deepEqual(claims.scopes, ['x']);
    assert.equal(new Date(expires_at).getTime(), claims.exp * 1000);
  });

  test('validates before sending: nothing reaches the API', async () => {
    const before = emu.stats.requests;
    for (const bad of [
      { baseUrl: emu.url, userId: 'u' },
      { apiKey: API_KEY, baseUrl: emu.url },
      { apiKey: API_KEY, baseUrl: emu.url, userId: '' },
      { apiKey: API_KEY, baseUrl: emu.url, userId: 'u', expSeconds: 0 },
      { apiKey: API_KEY, baseUrl: emu.url, userId: 'u', expSeconds: 86401 },
      { apiKey: API_KEY, baseUrl: emu.url, userId: 'u', expSeconds: 1.5 },
      { apiKey: API_KEY, baseUrl: emu.url, userId: 'u', scopes: 'x' },
      { apiKey: API_KEY, baseUrl: 'not a url', userId: 'u' },
      null,
    ]) {
      await assert.rejects(server.mintToken(bad), (err) => isCode('invalid_options')(err) && (assertNoSecret(err, API_KEY), true), JSON.stringify(bad));
    }
    assert.equal(emu.stats.requests, before);
  });

  test('API errors keep their status and code; the key never leaks', async () => {
    const wrong = 'sk_test_wrong_key_that_must_not_leak';
    await assert.rejects(server.mintToken({ apiKey: wrong, baseUrl: emu.url, userId: 'u' }), (err) => {
      assert.equal(err.code, 'unauthorized');
      assert.equal(err.status, 401);
      assertNoSecret(err, wrong);
      return true;
    });
    await assert.rejects(server.mintToken({ apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9', userId: 'u' }), (err) => {
      assert.equal(err.code, 'network_error');
      assertNoSecret(err, API_KEY);
      return true;
    });
  });

  test('uses a custom fetch', async () => {
    const calls = [];
    const fetch = async (url, init) => {
      calls.push({ url, init });
      return new Response(JSON.stringify({ token: 'a.b.c', expires_at: '2030-01-01T00:00:00Z' }), { status: 200 });
    };
    assert.deepEqual(await server.mintToken({ apiKey: 'k', userId: 'u', fetch }), { token: 'a.b.c', expires_at: '2030-01-01T00:00:00Z' });
    assert.equal(calls[0].url, 'https://api.spikelabs.com/tenant/api/tokens/mint');
    assert.equal(calls[0].init.method, 'POST');
    assert.equal(calls[0].init.headers.authorization, 'Bearer k');
    assert.equal(calls[0].init.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(calls[0].init.body), { user_id: 'u' });
  });
});

describe('createTokenHandler', () => {
  const request = (user) => new Request('http://127.0.0.1/api/spike-token', { headers: user ? { cookie: `demo_user=${user}` } : {} });
  const getUser = (req) => /demo_user=([^;]+)/.exec(req.headers.get('cookie') ?? '')?.[1] ?? null;

  test('200 { token, expires_at } for the user; 401 when getUser returns null', async () => {
    const handler = server.createTokenHandler({ apiKey: API_KEY, baseUrl: emu.url, getUser, expSeconds: 300 });
    const res = await handler(request('alice'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const { token, expires_at } = await res.json();
    assert.equal(JSON.parse(Buffer.from(token.split('.')[1], 'base64url')).user_id, 'alice');
    assert.equal(typeof expires_at, 'string');
    const anon = await handler(request(null));
    assert.equal(anon.status, 401);
    assert.equal((await anon.json()).error, 'unauthorized');
  });

  test('reuses a fresh token per user: 20 reloads and 50 concurrent requests mint once', async () => {
    const handler = server.createTokenHandler({ apiKey: API_KEY, baseUrl: emu.url, getUser: async (req) => ({ id: getUser(req), name: 'Bo' }) });
    const before = emu.stats.mints;
    const burst = await Promise.all(Array.from({ length: 50 }, () => handler(request('bob'))));
    assert.ok(burst.every((r) => r.status === 200));
    const tokens = new Set(await Promise.all(burst.map(async (r) => (await r.json()).token)));
    assert.equal(tokens.size, 1);
    for (let i = 0; i < 20; i += 1) assert.equal((await handler(request('bob'))).status, 200);
    assert.equal(emu.stats.mints - before, 1);
    await handler(request('carol'));
    assert.equal(emu.stats.mints - before, 2, 'another user gets their own token');
  });

  test('expires_in says how long a (cached) token has left, so clients do not take it for new', async () => {
    const handler = server.createTokenHandler({ apiKey: API_KEY, baseUrl: emu.url, getUser, expSeconds: 300 });
    const first = await (await handler(request('frank'))).json();
    assert.equal(first.expires_in, 300);
    await new Promise((r) => setTimeout(r, 1100));
    const cached = await (await handler(request('frank'))).json();
    assert.equal(cached.token, first.token);
    assert.ok(cached.expires_in >= 298 && cached.expires_in <= 299, `expires_in ${cached.expires_in}`);
  });

  test('Cache-Control: no-cache re-mints, at most once per user per second', async () => {
    const handler = server.createTokenHandler({ apiKey: API_KEY, baseUrl: emu.url, getUser });
    const forced = () => new Request('http://127.0.0.1/api/spike-token', { headers: { cookie: 'demo_user=gina', 'cache-control': 'no-cache' } });
    const first = await (await handler(request('gina'))).json();
    assert.equal((await (await handler(forced())).json()).token, first.token, 'within a second: cached');
    await new Promise((r) => setTimeout(r, 1100));
    const fresh = await (await handler(forced())).json();
    assert.notEqual(fresh.token, first.token, 'after a second: a new token');
    assert.equal((await (await handler(request('gina'))).json()).token, fresh.token, 'the new one is cached');
  });

  test('a forced refresh that names the cached token as refused gets a new one at once; an anonymous no-cache flood is still throttled', async () => {
    const handler = server.createTokenHandler({ apiKey: API_KEY, baseUrl: emu.url, getUser });
    const forced = (refused) =>
      new Request('http://127.0.0.1/api/spike-token', { headers: { cookie: 'demo_user=ines', 'cache-control': refused ? `no-cache, spike-refused-token=${fingerprint(refused)}` : 'no-cache' } });
    const mints = emu.stats.mints;
    const first = (await (await handler(request('ines'))).json()).token;
    // A flood of no-cache requests without a refused token (or naming another one): one token.
    const flood = await Promise.all(Array.from({ length: 20 }, (_, i) => handler(forced(i % 2 ? 'not.the.token' : null))));
    assert.deepEqual(new Set(await Promise.all(flood.map(async (r) => (await r.json()).token))), new Set([first]));
    assert.equal(emu.stats.mints - mints, 1, 'the flood was throttled');
    // Naming the cached token, well within a second of its mint: a new token; 10 such requests share one mint.
    const named = await Promise.all(Array.from({ length: 10 }, () => handler(forced(first))));
    const renewed = new Set(await Promise.all(named.map(async (r) => (await r.json()).token)));
    assert.equal(renewed.size, 1);
    const [second] = renewed;
    assert.notEqual(second, first, 'never the refused token');
    assert.equal(emu.stats.mints - mints, 2);
    // Late requests that name the old token share the new one.
    assert.equal((await (await handler(forced(first))).json()).token, second);
    assert.equal(emu.stats.mints - mints, 2);
    // Naming every new token as refused is bounded: the next re-mint waits out the second.
    const started = Date.now();
    const third = (await (await handler(forced(second))).json()).token;
    assert.notEqual(third, second);
    assert.ok(Date.now() - started >= 800, `waited ${Date.now() - started} ms`);
    assert.equal(emu.stats.mints - mints, 3);
  });

  test('a SpikeClient behind createTokenHandler gets a new token when the API revokes one within a second of its mint', async () => {
    const handler = server.createTokenHandler({ apiKey: API_KEY, baseUrl: emu.url, getUser: () => 'jon' });
    const http = createServer(server.toNodeHandler(handler));
    await new Promise((r) => http.listen(0, '127.0.0.1', r));
    try {
      const client = new SpikeClient({ baseUrl: emu.url, tokenEndpoint: `http://127.0.0.1:${http.address().port}/api/spike-token` });
      await client.get('/platform/api/workspaces');
      const before = client.tokenInfo().claims;
      emu.inject({ expireTokens: true });
      assert.deepEqual(await client.get('/platform/api/workspaces'), { workspaces: [] });
      assert.notDeepEqual(client.tokenInfo().claims, before);
      // Again right away, with a burst: 50 requests, one token fetch, all answered.
      emu.inject({ expireTokens: true });
      let fetches = 0;
      client.on('tokenRefreshed', () => (fetches += 1));
      const burst = await Promise.allSettled(Array.from({ length: 50 }, () => client.get('/platform/api/workspaces')));
      assert.equal(burst.filter((r) => r.status === 'fulfilled').length, 50);
      assert.equal(fetches, 1);
    } finally {
      emu.reset();
      await new Promise((r) => http.close(r));
    }
  });

  test('a SpikeClient behind createTokenHandler recovers when the API rejects a cached token', async () => {
    const handler = server.createTokenHandler({ apiKey: API_KEY, baseUrl: emu.url, getUser: () => 'hana' });
    const http = createServer(server.toNodeHandler(handler));
    await new Promise((r) => http.listen(0, '127.0.0.1', r));
    try {
      const client = new SpikeClient({ baseUrl: emu.url, tokenEndpoint: `http://127.0.0.1:${http.address().port}/api/spike-token` });
      await client.get('/platform/api/workspaces');
      await new Promise((r) => setTimeout(r, 1100));
      emu.inject({ expireTokens: true });
      assert.deepEqual(await client.get('/platform/api/workspaces'), { workspaces: [] });
    } finally {
      emu.reset();
      await new Promise((r) => http.close(r));
    }
  });

  test('502 JSON when minting fails, without the API key; 500 when getUser throws', async () => {
    const wrong = 'sk_test_this_key_is_wrong_and_secret';
    const handler = server.createTokenHandler({ apiKey: wrong, baseUrl: emu.url, getUser: () => 'dave' });
    const res = await handler(request('dave'));
    assert.equal(res.status, 502);
    const text = await res.text();
    assert.equal(JSON.parse(text).error, 'mint_failed');
    assert.ok(!text.includes(wrong));
    const throwing = server.createTokenHandler({ apiKey: API_KEY, baseUrl: emu.url, getUser: () => { throw new Error('session store down'); } });
    assert.equal((await throwing(request('x'))).status, 500);
  });

  test('bad options throw invalid_options at creation', () => {
    assert.throws(() => server.createTokenHandler({ baseUrl: emu.url, getUser }), isCode('invalid_options'));
    assert.throws(() => server.createTokenHandler({ apiKey: API_KEY }), isCode('invalid_options'));
    assert.throws(() => server.createTokenHandler({ apiKey: API_KEY, getUser, expSeconds: 0 }), isCode('invalid_options'));
  });

  describe('cors', () => {
    const APP = 'https://app.example.com';
    const cors = (extra = {}) => server.createTokenHandler({ apiKey: API_KEY, baseUrl: emu.url, getUser, cors: { origins: [APP, 'http://localhost:5173'], ...extra } });
    const from = (origin, init = {}) =>
      new Request('http://127.0.0.1/api/spike-token', { ...init, headers: { cookie: 'demo_user=cora', ...(origin ? { origin } : {}), ...init.headers } });
    const corsHeaders = (res) => [...res.headers].filter(([name]) => name.startsWith('access-control-'));

    test('off by default: no CORS headers, whoever asks', async () => {
      const handler = server.createTokenHandler({ apiKey: API_KEY, baseUrl: emu.url, getUser });
      const res = await handler(from(APP));
      assert.equal(res.status, 200);
      assert.deepEqual(corsHeaders(res), []);
    });

    test('a listed origin gets itself back, with credentials and Vary: Origin; never *', async () => {
      const res = await cors()(from(APP));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), APP);
      assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
      assert.equal(res.headers.get('vary'), 'Origin');
      assert.ok((await res.json()).token);
      const second = await cors()(from('http://localhost:5173'));
      assert.equal(second.headers.get('access-control-allow-origin'), 'http://localhost:5173');
      // Errors carry them too, so the page can read the 401 instead of a CORS failure.
      const anon = await cors()(new Request('http://127.0.0.1/api/spike-token', { headers: { origin: APP } }));
      assert.equal(anon.status, 401);
      assert.equal(anon.headers.get('access-control-allow-origin'), APP);
    });

    test('credentials: false leaves out Access-Control-Allow-Credentials', async () => {
      const res = await cors({ credentials: false })(from(APP));
      assert.equal(res.headers.get('access-control-allow-origin'), APP);
      assert.equal(res.headers.get('access-control-allow-credentials'), null);
    });

    test('an origin not on the list, or none, gets no CORS headers (Vary: Origin still)', async () => {
      for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'http://app.example.com', 'null', undefined]) {
        const res = await cors()(from(origin));
        assert.deepEqual(corsHeaders(res), [], String(origin));
        assert.equal(res.headers.get('vary'), 'Origin', String(origin));
      }
    });

    test('preflight: 204 without calling getUser; the listed origin gets methods, headers and max-age', async () => {
      let calls = 0;
      const handler = server.createTokenHandler({
        apiKey: API_KEY,
        baseUrl: emu.url,
        getUser: () => { calls += 1; return 'pia'; },
        cors: { origins: [APP], allowHeaders: ['X-CSRF-Token'] },
      });
      const preflight = (origin) => handler(from(origin, { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, cache-control' } }));
      const ok = await preflight(APP);
      assert.equal(ok.status, 204);
      assert.equal(ok.headers.get('access-control-allow-origin'), APP);
      assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');
      assert.equal(ok.headers.get('access-control-allow-methods'), 'GET, POST');
      assert.equal(ok.headers.get('access-control-allow-headers'), 'authorization, cache-control, content-type, x-csrf-token');
      assert.equal(ok.headers.get('access-control-max-age'), '600');
      assert.equal(ok.headers.get('vary'), 'Origin');
      const refused = await preflight('https://evil.example');
      assert.equal(refused.status, 204);
      assert.deepEqual(corsHeaders(refused), []);
      assert.equal(calls, 0, 'getUser never ran for a preflight');
    });

    test('through toNodeHandler on node:http', async () => {
      const http = createServer(server.toNodeHandler(cors()));
      await new Promise((r) => http.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${http.address().port}/api/spike-token`;
      try {
        const pre = await fetch(url, { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'GET' } });
        assert.equal(pre.status, 204);
        assert.equal(pre.headers.get('access-control-allow-origin'), APP);
        const res = await fetch(url, { headers: { origin: APP, cookie: 'demo_user=cora' } });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('access-control-allow-origin'), APP);
      } finally {
        await new Promise((r) => http.close(r));
      }
    });

    test('bad cors options throw invalid_options at creation', () => {
      const make = (value) => () => server.createTokenHandler({ apiKey: API_KEY, getUser, cors: value });
      for (const bad of [
        true,
        [APP],
        {},
        { origins: [] },
        { origins: APP },
        { origins: ['*'] },
        { origins: ['https://*.example.com'] },
        { origins: ['app.example.com'] },
        { origins: ['https://app.example.com/'] },
        { origins: ['https://app.example.com/token'] },
        { origins: ['https://user@app.example.com'] },
        { origins: ['null'] },
        { origins: [42] },
        { origins: [APP], credentials: 'yes' },
        { origins: [APP], allowHeaders: ['x header'] },
        { origins: [APP], allowHeaders: 'x-csrf-token' },
      ]) {
        assert.throws(make(bad), isCode('invalid_options'), JSON.stringify(bad));
      }
      assert.doesNotThrow(make({ origins: ['HTTPS://App.Example.com', 'http://127.0.0.1:8080', 'http://[::1]:3000'] }));
    });
  });

  test('works behind node:http through toNodeHandler', async () => {
    const handler = server.createTokenHandler({ apiKey: API_KEY, baseUrl: emu.url, getUser });
    const http = createServer(server.toNodeHandler(handler));
    await new Promise((r) => http.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${http.address().port}/api/spike-token`, { headers: { cookie: 'demo_user=erin' } });
      assert.equal(res.status, 200);
      assert.ok((await res.json()).token);
    } finally {
      await new Promise((r) => http.close(r));
    }
  });
});

describe('redirects', () => {
  const allowed = ['app.example.com', '*.example.org', 'localhost:3000', 'myapp://'];

  test('isAllowedRedirect allows listed hosts and refuses 25 adversarial URLs', () => {
    for (const ok of ['https://app.example.com/done', 'https://deep.sub.example.org/x', 'http://localhost:3000/cb', 'myapp://connected?user_id=1']) {
      assert.equal(server.isAllowedRedirect(ok, allowed), true, ok);
    }
    const adversarial = [
      'https://evil.com/', 'https://app.example.com.evil.com/', 'https://app.example.com@evil.com/',
      'https://evil.com@app.example.com/', 'https://user:pass@app.example.com/', 'https://evil.com\\@app.example.com/',
      'https:\\\\evil.com', 'https://app.example.com%2f@evil.com/', 'https://evil.com%2f.app.example.com/',
      'https://app.example.com%252f@evil.com/', 'https://example.org/', 'https://notexample.org/', 'https://аpp.example.com/',
      'https://app.example.com./', 'http://localhost:3001/', 'javascript:alert(document.domain)//app.example.com',
      'data:text/html;base64,PHNjcmlwdD4=', '//app.example.com/path', '/just/a/path', ' https://app.example.com/',
      'https://app.example.com\n.evil.com/', 'https://app.example.com\u0000.evil.com', 'ftp://app.example.com/',
      'otherapp://connected', 'https://[::1]/',
    ];
    for (const bad of adversarial) assert.equal(server.isAllowedRedirect(bad, allowed), false, JSON.stringify(bad));
    for (const [url, list] of [[null, allowed], [42, allowed], ['https://app.example.com/', null], ['https://app.example.com/', 'app.example.com'], [{}, [{}]]]) {
      assert.equal(server.isAllowedRedirect(url, list), false);
    }
  });

  test('buildRedirectUrl fills and percent-encodes; parseIntegrationRedirect reads it back', () => {
    const url = server.buildRedirectUrl('https://app.example.com/done?user_id={application_user_id}&provider_slug={provider_slug}', {
      application_user_id: 'ü 1&2', provider_slug: 'garmin',
    });
    assert.equal(url, `https://app.example.com/done?user_id=${encodeURIComponent('ü 1&2')}&provider_slug=garmin`);
    assert.deepEqual(server.parseIntegrationRedirect(url), { userId: 'ü 1&2', providerSlug: 'garmin' });
    assert.deepEqual(server.parseIntegrationRedirect('/done?user_id=u&provider_slug=oura&error=access_denied'), { userId: 'u', providerSlug: 'oura', error: 'access_denied' });
    for (const bad of ['https://x/{user_id}', 'https://x/{', '/relative/{provider_slug}']) {
      assert.throws(() => server.buildRedirectUrl(bad, { provider_slug: 'p' }), isCode('invalid_options'), bad);
    }
    assert.throws(() => server.buildRedirectUrl('https://x/{provider_user_id}', {}), isCode('invalid_options'));
    assert.throws(() => server.parseIntegrationRedirect('https://app.example.com/'), isCode('invalid_options'));
  });
});

test('validateAppSettings lists every problem and nothing for valid settings', () => {
  assert.deepEqual(server.validateAppSettings({ maxBackfillDays: 30, retentionDays: 90, webhookUrl: 'https://h.example.com/spike', defaultRedirectUrl: 'https://app.example.com/?u={application_user_id}', allowedRedirectDomains: ['app.example.com'] }), []);
  const problems = server.validateAppSettings({ maxBackfillDays: 60, retentionDays: 30, webhookUrl: 'http://h.example.com', defaultRedirectUrl: 'https://x/{nope}', allowedRedirectDomains: ['bad domain'] });
  assert.deepEqual(problems.map((p) => p.field), ['maxBackfillDays', 'webhookUrl', 'defaultRedirectUrl', 'allowedRedirectDomains[0]']);
  assert.ok(problems.every((p) => typeof p.problem === 'string' && p.problem.length > 5));
  for (const bad of [0, 91, 2.5, '7', undefined]) {
    assert.deepEqual(server.validateAppSettings({ maxBackfillDays: bad }).map((p) => p.field), ['maxBackfillDays'], String(bad));
  }
  const cyclic = {};
  cyclic.self = cyclic;
  assert.deepEqual(server.validateAppSettings(cyclic).map((p) => p.field), ['settings']);
  assert.deepEqual(server.validateAppSettings(null).map((p) => p.field), ['settings']);
  // A misspelled field is a problem, not skipped (issue 22 review F7): its bad value went unchecked.
  const typo = server.validateAppSettings({ maxBackfillDays: 10, webhookURL: 'http://x' });
  assert.deepEqual(typo.map((p) => p.field), ['webhookURL']);
  assert.match(typo[0].problem, /^is not a setting \(did you mean 'webhookUrl'\?\)/);
  assert.deepEqual(server.validateAppSettings({ maxBackfillDays: 10, webhookUrl: undefined, retentionDays: null }), []);
});

test('the browser wasm carries none of the server helpers', () => {
  const browserWasm = readFileSync(new URL('../../build/package/dist/client.wasm', import.meta.url));
  const nodeWasm = readFileSync(new URL('../../build/package/dist/server.wasm', import.meta.url));
  for (const marker of ['/tenant/api/tokens/mint', 'HMAC key must be at least', 'application_user_id']) {
    assert.ok(nodeWasm.includes(marker), `node wasm should contain ${marker}`);
    assert.ok(!browserWasm.includes(marker), `browser wasm contains ${marker}`);
  }
});

test('key-holding helpers refuse when a DOM is present (Node entry bundled into a page, jsdom)', async () => {
  globalThis.window = {};
  globalThis.document = {};
  try {
    await assert.rejects(server.mintToken({ apiKey: API_KEY, baseUrl: emu.url, userId: 'u' }), isCode('invalid_options'));
    assert.throws(() => server.createTokenHandler({ apiKey: API_KEY, getUser: () => 'u' }), isCode('invalid_options'));
  } finally {
    delete globalThis.window;
    delete globalThis.document;
  }
  assert.ok((await server.mintToken({ apiKey: API_KEY, baseUrl: emu.url, userId: 'u' })).token);
});

// Issue 15, items 7-9: bounded bodies, headers that survive the adapter, exact single flight.
describe('hardening (issue 15)', () => {
  const key = 'whsec_webhook_key_123456';
  const MiB = 1024 * 1024;

  /** Serves `nodeHandler` on 127.0.0.1 for the duration of `run(url)`. */
  async function serving(nodeHandler, run) {
    const http = createServer(nodeHandler);
    await new Promise((r) => http.listen(0, '127.0.0.1', r));
    try {
      return await run(`http://127.0.0.1:${http.address().port}`);
    } finally {
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    }
  }
  /** A body sent in chunks without Content-Length (chunked), `size` bytes in all. */
  const chunked = (size) => new ReadableStream({
    start(ctl) {
      for (let left = size; left > 0; left -= 64 * 1024) ctl.enqueue(new Uint8Array(Math.min(left, 64 * 1024)).fill(120));
      ctl.close();
    },
  });

  test('7. toNodeHandler answers 413 beyond the default 1 MiB body limit (Content-Length or chunked); the handler never runs', async () => {
    let calls = 0;
    const echo = async (request) => {
      calls += 1;
      return new Response(String((await request.arrayBuffer()).byteLength));
    };
    await serving(server.toNodeHandler(echo), async (url) => {
      const exact = await fetch(url, { method: 'POST', body: new Uint8Array(MiB) });
      assert.equal(exact.status, 200);
      assert.equal(await exact.text(), String(MiB));
      const declared = await fetch(url, { method: 'POST', body: new Uint8Array(MiB + 1) });
      assert.equal(declared.status, 413);
      assert.equal((await declared.json()).error, 'payload_too_large');
      const streamed = await fetch(url, { method: 'POST', body: chunked(2 * MiB), duplex: 'half' });
      assert.equal(streamed.status, 413);
      assert.equal(calls, 1, 'the handler ran only for the body within the limit');
    });
  });

  test('7. toNodeHandler({ maxBodyBytes }) sets the limit', async () => {
    await serving(server.toNodeHandler(async (r) => new Response(await r.text()), { maxBodyBytes: 10 }), async (url) => {
      assert.equal((await fetch(url, { method: 'POST', body: '0123456789' })).status, 200);
      assert.equal((await fetch(url, { method: 'POST', body: '0123456789x' })).status, 413);
      assert.equal((await fetch(url, { method: 'POST', body: chunked(11), duplex: 'half' })).status, 413);
    });
    for (const bad of [0, -1, 1.5, 'big', Number.NaN]) {
      assert.throws(() => server.toNodeHandler(async () => new Response(''), { maxBodyBytes: bad }), isCode('invalid_options'), String(bad));
    }
  });

  test('7. createWebhookHandler answers 413 beyond its body limit in every runtime (default 1 MiB, maxBodyBytes)', async () => {
    let called = 0;
    const handler = server.createWebhookHandler({ signatureKey: key, onEvents: () => { called += 1; } });
    const big = new Uint8Array(MiB + 1).fill(32);
    const sig = nodeHmac(key, big);
    const declared = await handler(new Request('http://127.0.0.1/', { method: 'POST', body: big, headers: { 'x-body-signature': sig } }));
    assert.equal(declared.status, 413);
    assert.equal((await declared.json()).error, 'payload_too_large');
    const streamed = await handler(new Request('http://127.0.0.1/', { method: 'POST', body: chunked(2 * MiB), duplex: 'half', headers: { 'x-body-signature': sig } }));
    assert.equal(streamed.status, 413);
    const small = server.createWebhookHandler({ signatureKey: key, onEvents: () => { called += 1; }, maxBodyBytes: 16 });
    const body = JSON.stringify([{ application_user_id: 'u', event_type: 'record_change', timestamp: '2026-11-23T10:00:00Z' }]);
    const res = await small(new Request('http://127.0.0.1/', { method: 'POST', body, headers: { 'x-body-signature': nodeHmac(key, body) } }));
    assert.equal(res.status, 413);
    assert.equal(called, 0);
    assert.throws(() => server.createWebhookHandler({ signatureKey: key, onEvents() {}, maxBodyBytes: -5 }), isCode('invalid_options'));
  });

  test('8. every Set-Cookie survives toNodeHandler', async () => {
    const handler = async () => {
      const headers = new Headers({ 'content-type': 'text/plain', 'x-one': '1' });
      headers.append('set-cookie', 'a=1; Path=/; HttpOnly');
      headers.append('set-cookie', 'b=2; Path=/');
      return new Response('ok', { status: 201, headers });
    };
    await serving(server.toNodeHandler(handler), async (url) => {
      const res = await fetch(url);
      assert.equal(res.status, 201);
      assert.deepEqual(res.headers.getSetCookie(), ['a=1; Path=/; HttpOnly', 'b=2; Path=/']);
      assert.equal(res.headers.get('x-one'), '1');
      assert.equal(await res.text(), 'ok');
    });
  });

  test('8. a response body that fails midway gives a clean 500, never a JSON error appended to a partial answer', async () => {
    const handler = async () => {
      const body = new ReadableStream({
        start(ctl) {
          ctl.enqueue(new TextEncoder().encode('partial,'));
          setTimeout(() => ctl.error(new Error('source failed')), 10);
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'text/csv' } });
    };
    await serving(server.toNodeHandler(handler), async (url) => {
      const res = await fetch(url);
      assert.equal(res.status, 500);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.equal((await res.json()).error, 'internal_error');
    });
    // A response whose headers are already out (an Express res after a write) is ended, not
    // given a second body.
    const writes = [];
    const res = { headersSent: false, writeHead() { this.headersSent = true; throw new Error('socket gone'); }, end(b) { writes.push(b); }, destroy() { writes.push('destroyed'); } };
    await server.toNodeHandler(async () => new Response('x'))({ method: 'GET', url: '/', headers: {}, async *[Symbol.asyncIterator]() {} }, res);
    assert.deepEqual(writes, ['destroyed']);
  });

  test('9. single flight is exact: a waiter never drops a newer mint for the same user', async () => {
    // Mints go through a fetch we control: the first fails, later ones wait for `release`.
    // Requests for one user arrive before, during and after the first mint fails, their getUser
    // settling over many microtask turns; then, while the second mint runs, more must join it.
    const ticks = (n) => { let p = Promise.resolve(); for (let i = 0; i < n; i += 1) p = p.then(() => {}); return p; };
    for (let offset = 0; offset < 8; offset += 1) {
      let mints = 0;
      let failFirst;
      let release;
      const held = new Promise((r) => { release = r; });
      const mintFetch = (u, init) => {
        mints += 1;
        if (mints === 1) return new Promise((_, reject) => { failFirst = () => reject(new TypeError('connection reset')); });
        return held.then(() => fetch(u, init));
      };
      const handler = server.createTokenHandler({
        apiKey: API_KEY, baseUrl: emu.url, fetch: mintFetch,
        getUser: async (req) => { await ticks(Number(req.headers.get('x-ticks'))); return 'ivy'; },
      });
      const req = (n, forced) => new Request('http://127.0.0.1/t', { headers: { 'x-ticks': String(n), ...(forced ? { 'cache-control': 'no-cache' } : {}) } });
      const first = handler(req(0));
      await ticks(20);
      assert.equal(mints, 1);
      const crowd = [];
      for (let i = 0; i < 40; i += 1) crowd.push(handler(req(i)), handler(req(i, true)));
      await ticks(offset);
      failFirst();
      assert.equal((await first).status, 502);
      await ticks(100);
      const joined = [handler(req(0)), handler(req(0, true))];
      await ticks(20);
      assert.equal(mints, 2, `offset ${offset}: one mint at a time for a user`);
      release();
      await Promise.all([...crowd, ...joined]);
    }
  });
});
