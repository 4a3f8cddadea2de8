// SpikeClient behaviour, written once and run in Node and in headless Chromium against the
// emulator, through the harness server (tests/lib/harness.mjs). Numbers refer to issue 3.
import { deepEqual, equal, ok, rejectsWith, throwsSpikeError } from './check.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `env`: { base: harness URL, emulatorUrl, inBrowser }. */
export function clientCases(api, env) {
  const { SpikeClient, SpikeError, decodeToken } = api;
  const { inBrowser } = env;
  // Read when a case runs: in Node the harness starts after the cases are listed.
  const url = (path) => `${env.base}${path}`;
  const post = (path, body) => fetch(url(path), { method: 'POST', body: JSON.stringify(body ?? {}) });
  const inject = (faults) => post('/control/inject', faults);
  const reset = () => post('/control/reset');
  const stats = async () => (await fetch(url('/control/stats'))).json();
  const routeCount = (s, route, status) => s.routes[route]?.[status] ?? 0;
  const LIST = 'GET /platform/api/workspaces';

  /** A tokenProvider that mints through the harness and counts its calls. */
  const provider = (query = '') => {
    const p = async () => {
      p.calls += 1;
      return (await fetch(url(`/token?${query}`))).json();
    };
    p.calls = 0;
    return p;
  };
  const client = (options) => new SpikeClient({ baseUrl: env.emulatorUrl, ...options });
  const endpoint = (query = '') => (inBrowser ? `/token?${query}` : url(`/token?${query}`));
  const isTokenText = (s) => /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/.test(s);

  const cases = [];
  const add = (name, fn) => cases.push([name, async () => {
    await reset();
    await fn();
  }]);

  // 1. Token sources
  add('1. exactly one token source, else invalid_options', () => {
    throwsSpikeError(() => new SpikeClient({ baseUrl: env.emulatorUrl }), SpikeError, 'invalid_options', 'none');
    throwsSpikeError(() => new SpikeClient({ token: 'a.b.c', tokenProvider: () => 'x' }), SpikeError, 'invalid_options', 'two');
    throwsSpikeError(() => new SpikeClient({ tokenProvider: () => 'x', tokenEndpoint: '/t' }), SpikeError, 'invalid_options', 'two');
    throwsSpikeError(() => new SpikeClient({ tokenProvider: 'nope' }), SpikeError, 'invalid_options', 'provider type');
    throwsSpikeError(() => new SpikeClient({ tokenProvider: () => 'x', timeoutMs: 0 }), SpikeError, 'invalid_options', 'timeoutMs');
    // Past the longest delay a timer keeps, runtimes fire at once: every attempt would time out.
    throwsSpikeError(() => new SpikeClient({ tokenProvider: () => 'x', timeoutMs: 2 ** 31 }), SpikeError, 'invalid_options', 'timeoutMs past 2^31 - 1');
    new SpikeClient({ tokenProvider: () => 'x', timeoutMs: 2 ** 31 - 1 }).free();
    throwsSpikeError(() => new SpikeClient({ tokenProvider: () => 'x', maxRetries: 1.5 }), SpikeError, 'invalid_options', 'maxRetries');
    throwsSpikeError(() => new SpikeClient({ tokenProvider: () => 'x', refreshLeewaySeconds: -1 }), SpikeError, 'invalid_options', 'leeway');
    throwsSpikeError(() => new SpikeClient({ tokenProvider: () => 'x', headers: { a: 1 } }), SpikeError, 'invalid_options', 'headers');
  });

  add('1. a provider may return a string or { token, expires_at }', async () => {
    const asObject = provider();
    deepEqual(await client({ tokenProvider: asObject }).get('/platform/api/workspaces'), { workspaces: [] }, 'object');
    const inner = provider();
    const asString = async () => (await inner()).token;
    deepEqual(await client({ tokenProvider: asString }).get('/platform/api/workspaces'), { workspaces: [] }, 'string');
  });

  add('1. tokenEndpoint: GET, JSON { token }; a path resolves against the page, Node needs an absolute URL', async () => {
    const c = client({ tokenEndpoint: endpoint('user=endpoint_user') });
    deepEqual(await c.get('/platform/api/workspaces'), { workspaces: [] }, 'list');
    equal(c.tokenInfo().claims.user_id, 'endpoint_user', 'user');
    equal((await stats()).tokenHits, 1, 'one endpoint call');
    if (!inBrowser) {
      throwsSpikeError(() => new SpikeClient({ tokenEndpoint: '/api/spike-token' }), SpikeError, 'invalid_options', 'relative in Node');
    }
  });

  add('1. a provider that throws gives token_provider_failed with the cause, then recovers', async () => {
    let fail = true;
    const good = provider();
    const flaky = async () => {
      if (fail) throw new Error('backend down');
      return good();
    };
    const c = client({ tokenProvider: flaky });
    const err = await rejectsWith(c.get('/platform/api/workspaces'), SpikeError, 'token_provider_failed', 'first');
    equal(err.cause?.message, 'backend down', 'cause attached');
    fail = false;
    const started = Date.now();
    deepEqual(await c.get('/platform/api/workspaces'), { workspaces: [] }, 'recovered');
    ok(Date.now() - started < 3000, 'recovered within seconds');
  });

  add('1. an endpoint answering 500, HTML, invalid JSON or a number gives token_provider_failed', async () => {
    for (const mode of ['500', 'html', 'badjson', 'number']) {
      const err = await rejectsWith(client({ tokenEndpoint: endpoint(`mode=${mode}`) }).get('/platform/api/workspaces'), SpikeError, 'token_provider_failed', mode);
      ok(!isTokenText(err.message), `${mode}: no token in the message`);
    }
    equal((await stats()).requests, 0, 'nothing reached the API');
  });

  // 2. Expiry
  add('2. a device clock hours off causes no refresh loop and no expired tokens', async () => {
    const realNow = Date.now;
    for (const shift of [5 * 3600e3, -5 * 3600e3]) {
      await reset();
      Date.now = () => realNow.call(Date) + shift;
      try {
        const p = provider();
        const c = client({ tokenProvider: p });
        for (let i = 0; i < 20; i += 1) await c.get('/platform/api/workspaces');
        equal(p.calls, 1, `shift ${shift / 3600e3} h: provider calls`);
        ok(c.tokenInfo().secondsLeft > 3500, 'still has its hour');
        equal(routeCount(await stats(), LIST, 401), 0, 'no 401s');
      } finally {
        Date.now = realNow;
      }
    }
  });

  add('2. leeway longer than the lifetime: short tokens are reused for half their life', async () => {
    const p = provider('ttl=4');
    const c = client({ tokenProvider: p, refreshLeewaySeconds: 600 });
    for (let i = 0; i < 10; i += 1) await c.get('/platform/api/workspaces');
    equal(p.calls, 1, 'within the first half: one fetch');
    await sleep(2100);
    await c.get('/platform/api/workspaces');
    equal(p.calls, 2, 'past half the lifetime: refreshed before expiry');
    equal(routeCount(await stats(), LIST, 401), 0, 'never sent an expired token');
  });

  // 3. Single flight
  add('3. 200 concurrent calls on a fresh client make exactly one provider call', async () => {
    const p = provider();
    const c = client({ tokenProvider: p });
    const results = await Promise.all(Array.from({ length: 200 }, () => c.get('/platform/api/workspaces')));
    equal(results.length, 200, 'all answered');
    equal(p.calls, 1, 'provider calls');
  });

  add('3. 200 concurrent calls through tokenEndpoint make one endpoint call', async () => {
    const c = client({ tokenEndpoint: endpoint() });
    await Promise.all(Array.from({ length: 200 }, () => c.get('/platform/api/workspaces')));
    equal((await stats()).tokenHits, 1, 'endpoint calls');
  });

  add('3. a failed refresh rejects all its waiters, with one provider call', async () => {
    let calls = 0;
    const c = client({ tokenProvider: async () => { calls += 1; await sleep(20); throw new Error('nope'); } });
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => c.get('/platform/api/workspaces')));
    ok(outcomes.every((o) => o.status === 'rejected' && o.reason.code === 'token_provider_failed'), 'all rejected');
    equal(calls, 1, 'provider calls');
  });

  // 4. Refresh and retry
  add('4. a token_expired storm: 100 concurrent calls, one refresh, all succeed', async () => {
    const p = provider();
    const c = client({ tokenProvider: p });
    await c.get('/platform/api/workspaces');
    await inject({ expireTokens: true });
    const results = await Promise.all(Array.from({ length: 100 }, () => c.get('/platform/api/workspaces')));
    equal(results.length, 100, 'all succeeded');
    equal(p.calls, 2, 'one initial fetch + one refresh');
    // The first rejected call sends the token once more as is; the second rejection in a row
    // replaces it, and everyone retries with the new token.
    equal(routeCount(await stats(), LIST, 401), 101, 'each was rejected once, one call twice');
    equal(routeCount(await stats(), LIST, 200), 101, 'then succeeded (plus the first call)');
  });

  add('4. a stray token_expired between successes is retried as is: no token fetch per failure', async () => {
    const p = provider();
    const c = client({ tokenProvider: p });
    const reasons = [];
    c.on('retry', (e) => reasons.push(e.reason));
    await c.get('/platform/api/workspaces');
    for (let i = 0; i < 5; i += 1) {
      await inject({ tokenExpired: 1 });
      deepEqual(await c.get('/platform/api/workspaces'), { workspaces: [] }, `call ${i}`);
    }
    equal(p.calls, 1, 'the one token was kept');
    deepEqual(reasons, Array(5).fill('token_expired'), 'one retry per stray rejection');
    equal(routeCount(await stats(), LIST, 401), 5, 'five rejections');
    // Two in a row replace it.
    await inject({ tokenExpired: 2 });
    deepEqual(await c.get('/platform/api/workspaces'), { workspaces: [] }, 'after two rejections');
    equal(p.calls, 2, 'replaced at the second rejection in a row');
  });

  add('4. a refresh after token_expired asks the source for a fresh token', async () => {
    const seen = [];
    const inner = provider();
    const contexts = [];
    const c = client({ tokenProvider: (context) => { seen.push(context?.forceRefresh); contexts.push(context); return inner(); } });
    await c.get('/platform/api/workspaces');
    await inject({ expireTokens: true });
    await c.get('/platform/api/workspaces');
    c.invalidateToken();
    await c.get('/platform/api/workspaces');
    deepEqual(seen, [false, true, true], 'forceRefresh: first fetch, rejected token, invalidated token');
    equal(contexts[0].cacheControl, undefined, 'no Cache-Control to send on a plain fetch');
    for (const { cacheControl } of contexts.slice(1)) ok(/^no-cache, spike-refused-token=[0-9a-f]{16}$/.test(cacheControl), `the Cache-Control to send names the refused token: ${cacheControl}`);
    ok(contexts[1].cacheControl !== contexts[2].cacheControl, 'each names its own refused token');
  });

  add('4. a provider that ignores forceRefresh: the refused token is not retried; token_provider_failed says so, and the client recovers', async () => {
    // Like a provider in front of a caching backend: the same token until told otherwise.
    const inner = provider();
    let cached = null;
    const stubborn = async () => {
      stubborn.calls += 1;
      if (!cached || stubborn.honest) cached = await inner();
      return cached;
    };
    stubborn.calls = 0;
    const c = client({ tokenProvider: stubborn });
    await c.get('/platform/api/workspaces');
    await inject({ expireTokens: true });
    const err = await rejectsWith(c.get('/platform/api/workspaces'), SpikeError, 'token_provider_failed', 'the refused token came back');
    ok(/forceRefresh/.test(err.message) && /just refused/.test(err.message), `the message says what to fix: ${err.message}`);
    ok(!isTokenText(err.message), 'no token in the message');
    equal(stubborn.calls, 2, 'one forced refresh, not a storm');
    equal(routeCount(await stats(), LIST, 401), 2, 'the refused token was not sent a third time');
    // Still usable: once the source gives a new token (after the short refresh back-off).
    stubborn.honest = true;
    await sleep(300);
    deepEqual(await c.get('/platform/api/workspaces'), { workspaces: [] }, 'recovered');
    equal(stubborn.calls, 3);
  });

  add('4. every method is refreshed and retried once on token_expired', async () => {
    const p = provider();
    const c = client({ tokenProvider: p });
    const created = await c.post('/platform/api/workspaces', { tier: 'md', ttlSeconds: 60 });
    for (const [method, call] of [
      ['POST', () => c.post('/platform/api/workspaces', { tier: 'sm', ttlSeconds: 60 })],
      ['GET', () => c.get(`/platform/api/workspaces/${created.id}`)],
      ['DELETE', () => c.delete(`/platform/api/workspaces/${created.id}`)],
    ]) {
      await inject({ expireTokens: true });
      await call();
      ok(p.calls >= 2, `${method}: refreshed`);
    }
    await inject({ expireTokens: true });
    await rejectsWith(c.patch('/platform/api/workspaces', { x: 1 }), SpikeError, 'http_error', 'PATCH reaches the API (405) after the refresh');
    equal(p.calls, 5, 'one refresh per expiry');
  });

  add('4. an API that rejects every token gets three attempts per request, never a loop', async () => {
    const p = provider();
    const c = client({ tokenProvider: p });
    await inject({ rates: { tokenExpired: 1 } });
    const res = await c.fetch('/platform/api/workspaces');
    equal(res.status, 401, 'fetch resolves with the third 401');
    const err = await rejectsWith(c.get('/platform/api/workspaces'), SpikeError, 'token_expired', 'request throws');
    equal(err.status, 401, 'status');
    ok(p.calls <= 3, `no loop (${p.calls} provider calls for two requests)`);
    equal(routeCount(await stats(), LIST, 401), 6, 'three attempts per request: as is, the same token again, a fresh one');
  });

  add('4. other 401 codes are not retried', async () => {
    const c = client({ tokenEndpoint: endpoint('mode=issuer') });
    const err = await rejectsWith(c.get('/platform/api/workspaces'), SpikeError, 'invalid_issuer', 'issuer');
    equal(err.status, 401, 'status');
    const s = await stats();
    equal(s.tokenHits, 1, 'no refresh');
    equal(routeCount(s, LIST, 401), 1, 'sent once');
  });

  add('4. an expired static token fails fast with token_expired and sends nothing', async () => {
    const { token } = await (await fetch(url('/control/expired-token'))).json();
    const c = client({ token });
    await rejectsWith(c.get('/platform/api/workspaces'), SpikeError, 'token_expired', 'request');
    await rejectsWith(c.fetch('/platform/api/workspaces'), SpikeError, 'token_expired', 'fetch');
    const err = await rejectsWith(c.getToken(), SpikeError, 'token_expired', 'getToken');
    equal(err.status, 401, 'the error says 401');
    equal((await stats()).requests, 0, 'nothing sent');
  });

  if (!inBrowser) {
    add('4. a streamed body is not replayed', async () => {
      const p = provider();
      const c = client({ tokenProvider: p });
      await c.get('/platform/api/workspaces');
      await inject({ expireTokens: true });
      const body = new ReadableStream({ start(ctl) { ctl.enqueue(new TextEncoder().encode('{"tier":"md","ttlSeconds":60}')); ctl.close(); } });
      const res = await c.fetch('/platform/api/workspaces', { method: 'POST', body, duplex: 'half', headers: { 'content-type': 'application/json' } });
      equal(res.status, 401, 'the 401 is returned, not retried');
      equal(p.calls, 1, 'no refresh for an unreplayable body');
    });
  }

  // 5. Transient failures
  add('5. GET retries 503s, honouring Retry-After', async () => {
    const c = client({ tokenProvider: provider() });
    const delays = [];
    c.on('retry', (e) => delays.push(e.delayMs));
    await inject({ status503: 2, retryAfter: 1 });
    const started = Date.now();
    deepEqual(await c.get('/platform/api/workspaces'), { workspaces: [] }, 'succeeded');
    deepEqual(delays, [1000, 1000], 'waited Retry-After');
    ok(Date.now() - started >= 1900, 'really waited');
  });

  add('5. Retry-After as an HTTP date', async () => {
    const c = client({ tokenProvider: provider() });
    const delays = [];
    c.on('retry', (e) => delays.push(e.delayMs));
    await inject({ status503: 1, retryAfter: new Date(Date.now() + 3000).toUTCString() });
    await c.get('/platform/api/workspaces');
    equal(delays.length, 1, 'one retry');
    ok(delays[0] > 1000 && delays[0] <= 3000, `date honoured (${delays[0]} ms)`);
  });

  add('5. maxRetries bounds the retries; backoff grows', async () => {
    const c = client({ tokenProvider: provider(), maxRetries: 2 });
    const delays = [];
    c.on('retry', (e) => delays.push(e.delayMs));
    await inject({ status503: 5 });
    const err = await rejectsWith(c.get('/platform/api/workspaces'), SpikeError, 'http_error', '503 surfaced');
    equal(err.status, 503, 'status');
    equal(delays.length, 2, 'two retries');
    ok(delays[0] >= 375 && delays[0] <= 500 && delays[1] >= 750 && delays[1] <= 1000, `backoff ${delays}`);
  });

  add('5. POST and PATCH are not retried on 503 or dropped connections, unless the request opts in', async () => {
    const c = client({ tokenProvider: provider() });
    await inject({ status503: 1 });
    await rejectsWith(c.post('/platform/api/workspaces', { tier: 'md', ttlSeconds: 60 }), SpikeError, 'http_error', 'POST 503');
    const retries = [];
    const off = c.on('retry', (e) => retries.push(e));
    await inject({ dropConnections: 1 });
    const dropped = c.post('/platform/api/workspaces', { tier: 'md', ttlSeconds: 60 });
    if (inBrowser) {
      // Chromium's network stack itself re-sends a request (even a POST) when a reused keep-alive
      // connection closes before any answer, so the outcome here is the browser's; what the SDK
      // controls is that it does not retry a POST itself.
      const outcome = await dropped.then(() => 'created', (e) => e.code);
      ok(outcome === 'created' || outcome === 'network_error', `POST dropped: ${outcome}`);
    } else {
      await rejectsWith(dropped, SpikeError, 'network_error', 'POST dropped');
      equal(routeCount(await stats(), 'POST /platform/api/workspaces', 201), 0, 'nothing created');
    }
    equal(retries.length, 0, 'the SDK did not retry the POST');
    off();
    await reset();
    await inject({ status503: 1, retryAfter: 0 });
    const created = await c.post('/platform/api/workspaces', { tier: 'md', ttlSeconds: 60 }, { retry: true });
    equal(created.tier, 'md', 'opted in: retried');
  });

  add('5. GET survives a dropped connection', async () => {
    const c = client({ tokenProvider: provider() });
    await inject({ dropConnections: 1 });
    deepEqual(await c.get('/platform/api/workspaces'), { workspaces: [] }, 'retried');
    equal((await stats()).dropped, 1, 'one dropped');
  });

  // 6. Errors
  add('6. timeoutMs -> timeout; the caller AbortSignal -> aborted', async () => {
    const c = client({ tokenProvider: provider(), timeoutMs: 150, maxRetries: 0 });
    await c.get('/platform/api/workspaces');
    await inject({ latencyMs: 600 });
    await rejectsWith(c.get('/platform/api/workspaces'), SpikeError, 'timeout', 'timeout');
    const controller = new AbortController();
    const pending = client({ tokenProvider: provider() }).get('/platform/api/workspaces', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await rejectsWith(pending, SpikeError, 'aborted', 'aborted');
    const already = new AbortController();
    already.abort();
    await rejectsWith(c.fetch('/platform/api/workspaces', { signal: already.signal }), SpikeError, 'aborted', 'already aborted');
  });

  add('6. connection failures -> network_error; other non-2xx -> http_error with status and body', async () => {
    const down = new SpikeClient({ baseUrl: 'http://127.0.0.1:9', tokenProvider: provider(), maxRetries: 0 });
    await rejectsWith(down.get('/x'), SpikeError, 'network_error', 'refused');
    const c = client({ tokenProvider: provider() });
    const err = await rejectsWith(c.post('/platform/api/workspaces', { tier: 'NOT VALID' }), SpikeError, 'http_error', '400');
    equal(err.status, 400, 'status');
    equal(err.body.error, 'invalid_request', 'parsed body');
    ok(!isTokenText(err.message) && !isTokenText(JSON.stringify(err)) && !isTokenText(err.stack ?? ''), 'no token anywhere');
  });

  // 7. API
  add('7. fetch resolves like fetch; request parses JSON; 204 is null; JSON bodies get Content-Type', async () => {
    const c = client({ tokenProvider: provider() });
    const res = await c.fetch('/platform/api/nope');
    equal(res.status, 404, 'fetch does not throw on 404');
    equal((await res.json()).error, 'not_found', 'body intact');
    const created = await c.post('/platform/api/workspaces', { tier: 'lg', ttlSeconds: 120 });
    equal(created.tier, 'lg', 'JSON-encoded body understood');
    equal(await c.delete(`/platform/api/workspaces/${created.id}`), null, '204 -> null');
    const viaRequest = await c.request('/platform/api/workspaces', { method: 'GET' });
    deepEqual(viaRequest, { workspaces: [] }, 'request');
    await rejectsWith(c.get('https://evil.example/steal'), SpikeError, 'invalid_options', 'other origins refused');
  });

  add('7. getToken, tokenInfo, invalidateToken', async () => {
    const p = provider('user=info_user');
    const c = client({ tokenProvider: p });
    equal(c.tokenInfo(), null, 'null before any token');
    const token = await c.getToken();
    ok(isTokenText(token), 'a JWT');
    const info = c.tokenInfo();
    equal(info.claims.user_id, 'info_user', 'claims');
    ok(info.secondsLeft > 3500 && info.secondsLeft <= 3600, `secondsLeft ${info.secondsLeft}`);
    ok(Math.abs(info.expiresAt - (Date.now() + info.secondsLeft * 1000)) < 2000, 'expiresAt in ms');
    equal(await c.getToken(), token, 'cached');
    c.invalidateToken();
    await c.getToken();
    equal(p.calls, 2, 'invalidate -> refetch');
  });

  add('7. on(): tokenRefreshed, retry and error events; unsubscribe', async () => {
    const c = client({ tokenProvider: provider() });
    const seen = [];
    const offRefreshed = c.on('tokenRefreshed', (info) => seen.push(['tokenRefreshed', info.claims.user_id]));
    c.on('retry', (e) => seen.push(['retry', e.reason]));
    c.on('error', (e) => seen.push(['error', e.code]));
    await c.get('/platform/api/workspaces');
    await inject({ expireTokens: true });
    await c.get('/platform/api/workspaces');
    await rejectsWith(c.get('/platform/api/nope'), SpikeError, 'http_error', '404');
    offRefreshed();
    offRefreshed();
    c.invalidateToken();
    await c.get('/platform/api/workspaces');
    deepEqual(seen, [['tokenRefreshed', 'user_1'], ['retry', 'token_expired'], ['retry', 'token_expired'], ['tokenRefreshed', 'user_1'], ['error', 'http_error']], 'events');
    throwsSpikeError(() => c.on('nope', () => {}), SpikeError, 'invalid_options', 'unknown event');
  });

  add('7. free() releases the client: later calls fail with invalid_options, a second free() is harmless', async () => {
    const c = client({ tokenProvider: provider() });
    await c.get('/platform/api/workspaces');
    c.free();
    c.free();
    await rejectsWith(c.get('/platform/api/workspaces'), SpikeError, 'invalid_options', 'get after free');
    throwsSpikeError(() => c.tokenInfo(), SpikeError, 'invalid_options', 'tokenInfo after free');
  });

  add('7. custom fetch and default headers', async () => {
    const seen = [];
    const myFetch = (url, init) => {
      seen.push({ url: String(url), headers: new Headers(init.headers) });
      return fetch(url, init);
    };
    const c = client({ tokenProvider: provider(), fetch: myFetch, headers: { 'x-app': 'demo', 'x-override': 'default' } });
    await c.get('/platform/api/workspaces', { headers: { 'x-override': 'mine' } });
    equal(seen.length, 1, 'custom fetch used');
    equal(seen[0].headers.get('x-app'), 'demo', 'default header');
    equal(seen[0].headers.get('x-override'), 'mine', 'per-request header wins');
    ok(seen[0].headers.get('authorization')?.startsWith('Bearer eyJ'), 'bearer token');
  });

  // 8. Hardening (issue 15): aborts that abort, answers that cannot hang, honest types.
  const PATH = '/platform/api/workspaces';
  /** Whether `promise` settles within `ms`: { settled, value?, error?, ms }. Never hangs a case. */
  const settleWithin = async (promise, ms) => {
    const started = Date.now();
    let timer;
    const late = new Promise((resolve) => { timer = setTimeout(() => resolve({ settled: false }), ms); });
    const outcome = await Promise.race([promise.then((value) => ({ settled: true, value }), (error) => ({ settled: true, error })), late]);
    clearTimeout(timer);
    return { ...outcome, ms: Date.now() - started };
  };
  const expectAborted = (outcome, what) => {
    ok(outcome.settled, `${what}: settled`);
    ok(outcome.error instanceof SpikeError, `${what}: a SpikeError (${outcome.error})`);
    equal(outcome.error.code, 'aborted', `${what}: code`);
  };

  add('15.1 an abort ends a 30 s Retry-After wait at once', async () => {
    const c = client({ tokenProvider: provider() });
    await c.get(PATH);
    await inject({ status503: 1, retryAfter: 30 });
    const controller = new AbortController();
    let abortedAt;
    c.on('retry', () => setTimeout(() => { abortedAt = Date.now(); controller.abort(); }, 20));
    const outcome = await settleWithin(c.get(PATH, { signal: controller.signal }), 2000);
    expectAborted(outcome, 'during Retry-After');
    ok(Date.now() - abortedAt < 500, `rejected ${Date.now() - abortedAt} ms after the abort`);
  });

  add('15.1 an abort ends the wait for a running refresh at once; the refresh still serves later calls', async () => {
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    const inner = provider();
    const c = client({ tokenProvider: async () => { await gate; return inner(); } });
    const controller = new AbortController();
    const pending = c.get(PATH, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expectAborted(await settleWithin(pending, 2000), 'waiting for the refresh');
    release();
    deepEqual(await c.get(PATH), { workspaces: [] }, 'a later call');
    equal(inner.calls, 1, 'one token fetch');
  });

  add('15.1 an abort ends the back-off after a failed refresh at once', async () => {
    let fail = true;
    const inner = provider();
    const c = client({ tokenProvider: async () => { if (fail) throw new Error('down'); return inner(); } });
    await rejectsWith(c.getToken(), SpikeError, 'token_provider_failed', 'first refresh');
    // The clock an hour behind makes the ~250 ms back-off an hour long: only the abort can end it.
    const realNow = Date.now;
    Date.now = () => realNow.call(Date) - 3600e3;
    try {
      const controller = new AbortController();
      const pending = c.get(PATH, { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      expectAborted(await settleWithin(pending, 2000), 'during the back-off');
    } finally {
      Date.now = realNow;
    }
    fail = false;
    await sleep(300);
    deepEqual(await c.get(PATH), { workspaces: [] }, 'recovers');
  });

  add('15.2 a body that stalls after the headers ends in timeout: request(), the 401 read, the token endpoint', async () => {
    const c = new SpikeClient({ baseUrl: env.base, tokenProvider: provider(), timeoutMs: 300, maxRetries: 0 });
    for (const [what, call] of [
      ['get() of a stalled 200', () => c.get('/stall?status=200')],
      ['request() of a stalled 200', () => c.request('/stall?status=200')],
      ['get() of a stalled 401', () => c.get('/stall?status=401')],
      ['fetch() of a stalled 401 (the token_expired decision)', () => c.fetch('/stall?status=401')],
    ]) {
      const outcome = await settleWithin(call(), 3000);
      ok(outcome.settled, `${what}: settled`);
      equal(outcome.error?.code, 'timeout', `${what}: code`);
    }
    const e = client({ tokenEndpoint: endpoint('mode=stall'), timeoutMs: 300 });
    const outcome = await settleWithin(e.getToken(), 3000);
    ok(outcome.settled, 'token endpoint: settled');
    equal(outcome.error?.code, 'token_provider_failed', 'token endpoint: code');
    equal(outcome.error?.cause?.code, 'timeout', 'token endpoint: cause');
  });

  /** An AbortSignal that counts the abort listeners still attached to it. */
  const countedSignal = () => {
    const { signal } = new AbortController();
    const live = new Set();
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (type, fn, options) => { if (type === 'abort') live.add(fn); return add(type, fn, options); };
    signal.removeEventListener = (type, fn, options) => { if (type === 'abort') live.delete(fn); return remove(type, fn, options); };
    return { signal, live: () => live.size };
  };

  add('15.3 one abort listener per request, not per attempt or wait', async () => {
    const c = client({ tokenProvider: provider() });
    const viaGet = countedSignal();
    await inject({ status503: 2, retryAfter: 0 });
    deepEqual(await c.get(PATH, { signal: viaGet.signal }), { workspaces: [] }, 'get after two retries');
    equal(viaGet.live(), 0, 'get(): no listener left once the answer is read');
    const viaFetch = countedSignal();
    await inject({ status503: 2, retryAfter: 0 });
    equal((await c.fetch(PATH, { signal: viaFetch.signal })).status, 200, 'fetch after two retries');
    ok(viaFetch.live() <= 1, `fetch(): at most one listener (for the body the caller reads), got ${viaFetch.live()}`);
  });

  add('15.4 one-shot bodies (streams, async iterables) are sent once, with duplex: half', async () => {
    const seen = [];
    const rejecting = async (u, init) => {
      seen.push(init);
      return new Response('{"error":"token_expired"}', { status: 401, headers: { 'content-type': 'application/json' } });
    };
    const c = client({ tokenProvider: provider(), fetch: rejecting });
    const bytes = () => new TextEncoder().encode('{"tier":"md"}');
    const bodies = {
      ReadableStream: () => new ReadableStream({ start(ctl) { ctl.enqueue(bytes()); ctl.close(); } }),
      'async generator': () => (async function* chunks() { yield bytes(); })(),
      'async iterable': () => ({ async *[Symbol.asyncIterator]() { yield bytes(); } }),
    };
    for (const [what, body] of Object.entries(bodies)) {
      seen.length = 0;
      const res = await c.fetch(PATH, { method: 'PUT', body: body(), retry: true });
      equal(res.status, 401, `${what}: the 401 is returned`);
      equal(seen.length, 1, `${what}: sent once`);
      equal(seen[0].duplex, 'half', `${what}: duplex`);
    }
    // Through a verb too: a plain object that is an async iterable is a stream, not JSON.
    seen.length = 0;
    const iterable = { async *[Symbol.asyncIterator]() { yield bytes(); } };
    await c.put(PATH, iterable, { retry: true }).catch(() => {});
    equal(seen.length, 1, 'verb with an async iterable: sent once');
    equal(seen[0].body, iterable, 'verb with an async iterable: sent as the stream, not as JSON');
    equal(seen[0].duplex, 'half', 'verb with an async iterable: duplex');
    seen.length = 0;
    await c.fetch(PATH, { method: 'PUT', body: '{"tier":"md"}' });
    equal(seen.length, 3, 'a string body is replayed');
    equal(seen[0].duplex, undefined, 'no duplex for a string body');
  });

  if (!inBrowser) {
    add('15.4 Node: an async iterable body reaches the API without duplex from the caller, and is not replayed', async () => {
      const p = provider();
      const c = client({ tokenProvider: p });
      await c.get(PATH);
      const body = async function* chunks() { yield new TextEncoder().encode('{"tier":"md","ttlSeconds":60}'); };
      const created = await c.post(PATH, body(), { headers: { 'content-type': 'application/json' } });
      equal(created.tier, 'md', 'sent');
      await inject({ expireTokens: true });
      const res = await c.fetch(PATH, { method: 'POST', body: body(), headers: { 'content-type': 'application/json' } });
      equal(res.status, 401, 'the 401 is returned, not retried');
      equal(p.calls, 1, 'no refresh for a one-shot body');
    });
  }

  add('15.5 retry events number every retry of a request once: 1, 2, ...', async () => {
    const c = client({ tokenProvider: provider() });
    await c.get(PATH);
    const seen = [];
    c.on('retry', (e) => seen.push([e.attempt, e.reason]));
    await inject({ tokenExpired: 1, status503: 1, retryAfter: 0 });
    deepEqual(await c.get(PATH), { workspaces: [] }, 'succeeded');
    deepEqual(seen.map(([attempt]) => attempt), [1, 2], `attempts (${JSON.stringify(seen)})`);
  });

  add('15.5 expires_at from a provider or an endpoint is honoured (measured from iat, not the device clock)', async () => {
    const inner = provider();
    const withExpiresAt = async () => {
      const { token } = await inner();
      return { token, expires_at: new Date((decodeToken(token).iat + 120) * 1000).toISOString() };
    };
    const realNow = Date.now;
    for (const shift of [0, 5 * 3600e3]) {
      Date.now = () => realNow.call(Date) + shift;
      try {
        const c = client({ tokenProvider: withExpiresAt });
        await c.getToken();
        const left = c.tokenInfo().secondsLeft;
        ok(left > 100 && left <= 120, `provider, clock shift ${shift / 3600e3} h: secondsLeft ${left}`);
      } finally {
        Date.now = realNow;
      }
    }
    const e = client({ tokenEndpoint: endpoint('life=90') });
    await e.getToken();
    const left = e.tokenInfo().secondsLeft;
    ok(left > 70 && left <= 90, `endpoint: secondsLeft ${left}`);
  });

  add('15.6 a Retry-After date that does not exist is ignored (the default backoff is used)', async () => {
    const c = client({ tokenProvider: provider() });
    await c.get(PATH);
    for (const date of ['Tue, 31 Feb 2099 00:00:00 GMT', 'Mon, 01 Jan 2099 00:00:00 GMT', 'Sat, 31 Apr 2099 00:00:00 GMT']) {
      const delays = [];
      const controller = new AbortController();
      const off = c.on('retry', (e) => { delays.push(e.delayMs); if (e.delayMs > 1000) controller.abort(); });
      await inject({ status503: 1, retryAfter: date });
      await c.get(PATH, { signal: controller.signal }).catch(() => {});
      off();
      equal(delays.length, 1, `${date}: one retry`);
      ok(delays[0] <= 500, `${date}: default backoff, not the date (${delays[0]} ms)`);
    }
  });

  add('15.10 tokenInfo().refreshAt says when the client refreshes', async () => {
    const c = client({ tokenProvider: provider('ttl=4'), refreshLeewaySeconds: 600 });
    await c.getToken();
    const info = c.tokenInfo();
    equal(info.refreshAt, info.expiresAt - 2000, 'half the 4 s life before expiry');
    const long = client({ tokenProvider: provider() });
    await long.getToken();
    const hour = long.tokenInfo();
    equal(hour.refreshAt, hour.expiresAt - 60_000, 'the 60 s leeway before expiry');
    const { token } = await provider()();
    equal(client({ token }).tokenInfo().refreshAt, null, 'a static token is never refreshed');
  });


  // Issue 19 item 3: every failure is a SpikeError, whatever stage the abort hits.
  add('19.3 an abort at each stage rejects with aborted (the reason as cause): before sending, waiting for headers, reading a 2xx body, reading an error body', async () => {
    const reason = new Error('user navigated away');
    const stages = [
      ['before sending', (c, signal) => c.get(PATH, { signal }), (ctl) => ctl.abort(reason)],
      ['waiting for headers', (c, signal) => c.get(PATH, { signal }), (ctl) => setTimeout(() => ctl.abort(reason), 100)],
      ['reading a 2xx body', (c, signal) => c.get('/stall?status=200', { signal }), (ctl) => setTimeout(() => ctl.abort(reason), 200)],
      ['reading an error body', (c, signal) => c.request('/stall?status=500', { signal }), (ctl) => setTimeout(() => ctl.abort(reason), 200)],
    ];
    for (const [stage, call, abortAt] of stages) {
      await reset();
      const api = stage === 'waiting for headers' ? client({ tokenProvider: provider() }) : new SpikeClient({ baseUrl: env.base, tokenProvider: provider() });
      await api.getToken();
      if (stage === 'waiting for headers') await inject({ latencyMs: 5000 });
      const controller = new AbortController();
      const pending = call(api, controller.signal);
      abortAt(controller);
      const outcome = await settleWithin(pending, 3000);
      expectAborted(outcome, stage);
      equal(outcome.error.cause, reason, `${stage}: the reason is the cause`);
    }
  });

  // Issue 19 item 4: Retry-After in every HTTP-date form (RFC 9110 5.6.7).
  add('19.4 Retry-After as an IMF-fixdate, an RFC 850 date (two-digit year) or an asctime date', async () => {
    const p2 = (n) => String(n).padStart(2, '0');
    const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
    const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const forms = (d) => {
      const time = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
      const [day, month] = [DAYS[d.getUTCDay()], MONTHS[d.getUTCMonth()]];
      return {
        'IMF-fixdate': d.toUTCString(),
        'RFC 850': `${day}, ${p2(d.getUTCDate())}-${month}-${p2(d.getUTCFullYear() % 100)} ${time} GMT`,
        asctime: `${day.slice(0, 3)} ${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${time} ${d.getUTCFullYear()}`,
      };
    };
    const c = client({ tokenProvider: provider() });
    await c.get(PATH);
    for (const [form, date] of Object.entries(forms(new Date(Date.now() + 2500)))) {
      const delays = [];
      const controller = new AbortController();
      // Only the delay the client chose matters: abort instead of waiting it out.
      const off = c.on('retry', (e) => { delays.push(e.delayMs); controller.abort(); });
      await inject({ status503: 1, retryAfter: date });
      await c.get(PATH, { signal: controller.signal }).catch(() => {});
      off();
      equal(delays.length, 1, `${form}: one retry`);
      ok(delays[0] > 1000 && delays[0] <= 3000, `${form} (${date}) honoured: ${delays[0]} ms`);
    }
  });

  // 13. shareAcrossTabs
  add('13.1 shareAcrossTabs: true, false or a channel name; never with a static token', async () => {
    const { token } = await (await fetch(url('/token'))).json();
    throwsSpikeError(() => client({ token, shareAcrossTabs: true }), SpikeError, 'invalid_options', 'static token + true');
    throwsSpikeError(() => client({ token, shareAcrossTabs: 'app' }), SpikeError, 'invalid_options', 'static token + name');
    for (const bad of ['', '  ', 42, {}, ['a']]) {
      throwsSpikeError(() => client({ tokenProvider: provider(), shareAcrossTabs: bad }), SpikeError, 'invalid_options', `shareAcrossTabs: ${JSON.stringify(bad)}`);
    }
    client({ token, shareAcrossTabs: false }).free();
    client({ token, shareAcrossTabs: null }).free();
  });

  add('13.2 shareAcrossTabs shares between the clients of a page, and changes nothing outside a browser (even Node 24, which has BroadcastChannel and Web Locks)', async () => {
    const sharing = inBrowser;
    const shareAcrossTabs = `case-13.2-${Math.random()}`;
    const [p1, p2] = [provider(), provider()];
    const [a, b] = [client({ tokenProvider: p1, shareAcrossTabs }), client({ tokenProvider: p2, shareAcrossTabs })];
    const seen = [];
    a.on('tokenRefreshed', (info) => seen.push(info.fromTab));
    await a.get(PATH);
    await b.get(PATH);
    equal((await a.getToken()) === (await b.getToken()), sharing, sharing ? 'b uses the token a fetched' : 'each client has its own token');
    equal(p1.calls + p2.calls, sharing ? 1 : 2, sharing ? 'one provider call between two clients' : 'each client fetched its own token, as without the option');
    deepEqual(seen.map(String), [sharing ? 'false' : 'undefined'], 'fromTab in tokenRefreshed only when sharing');
    a.free();
    b.free();
  });

  add('13.3 shareAcrossTabs: true keys a URLSearchParams token endpoint body by its text, and refuses a body it cannot key (Blob, FormData, bytes): name the channel', async () => {
    const postEndpoint = (body, shareAcrossTabs) => client({ tokenEndpoint: { url: endpoint(), method: 'POST', body }, shareAcrossTabs });
    const form = new FormData();
    form.set('user', 'form_data_user');
    for (const [what, body] of [['Blob', new Blob(['user=blob_user'])], ['FormData', form], ['ArrayBuffer', new ArrayBuffer(4)], ['Uint8Array', new Uint8Array(4)]]) {
      const err = throwsSpikeError(() => postEndpoint(body, true), SpikeError, 'invalid_options', `${what} body + shareAcrossTabs: true`);
      ok(err.message.includes(what) && /name the channel/.test(err.message), `${what}: the message says to name the channel: ${err.message}`);
      // Named, or not shared: fine.
      postEndpoint(body, `case-13.3-${what}-${Math.random()}`).free();
      postEndpoint(body, false).free();
    }
    // Two users' clients whose bodies differ only in the user never share; the same body shares (in a browser).
    const run = Math.random().toString(36).slice(2);
    const [a, b, a2] = [`form_a_${run}`, `form_b_${run}`, `form_a_${run}`].map((user) => postEndpoint(new URLSearchParams({ user }), true));
    for (const c of [a, b, a2]) await c.get(PATH);
    deepEqual([a, b, a2].map((c) => c.tokenInfo().claims.user_id), [`form_a_${run}`, `form_b_${run}`, `form_a_${run}`], 'each client holds its own user\'s token');
    equal((await a.getToken()) === (await a2.getToken()), inBrowser, inBrowser ? 'the same form body shares' : 'nothing is shared outside a browser');
    for (const c of [a, b, a2]) c.free();
  });

  return cases;
}
