// SpikeClient's timing rules, in virtual time: retry backoff and its jitter, Retry-After (seconds,
// HTTP dates, the 30 s cap), which requests are retried, timeoutMs, aborts during a wait, and the
// token refresh timing (leeway, single flight, the back-off after a failed refresh, a provider
// that never answers, 401 token_expired). The client gets a virtual clock, timers and randomness
// under Symbol.for('@spike/sdk.io') and a scripted fetch (tests/lib/fake-io.mjs), so every case
// asserts exact delays and runs in milliseconds of real time. Only the public API is used.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpikeClient, SpikeError } from '../../build/package/dist/index.mjs';
import { IO, T0, fakeIo, scriptedFetch } from '../lib/fake-io.mjs';
import { fingerprint, tokenAt, userOf } from '../lib/tokens.mjs';

const BASE = 'https://api.test';
const PATH = '/platform/api/workspaces';
const URL_ = `${BASE}${PATH}`;
/** A client on the fake io, with a static token unless the options name another source. */
const client = (io, fetch, options = {}) => {
  const source = options.tokenProvider || options.tokenEndpoint ? {} : { token: tokenAt(io.now()) };
  const spike = new SpikeClient({ baseUrl: BASE, fetch, ...source, ...options, [IO]: io });
  const retries = [];
  spike.on('retry', (event) => retries.push(event));
  return { spike, retries };
};

/** The settled outcome of `promise` under `io.run`: { value } or { error }. */
const outcome = (io, promise) => io.run(promise).then((value) => ({ value }), (error) => ({ error }));

const assertSpikeError = (error, code, status) => {
  assert.ok(error instanceof SpikeError, `not a SpikeError: ${error?.stack ?? error}`);
  assert.equal(error.code, code, error.message);
  if (status !== undefined) assert.equal(error.status, status);
};

const statusEvent = (attempt, status, delayMs, method = 'GET') => ({ attempt, reason: 'status', status, delayMs, method, url: URL_ });
const body = (n) => ({ status: 503, body: `answer ${n}` });

// --- Transient failures: backoff -------------------------------------------------------------

test('503s: backoff 500 ms doubling, capped at 8 s (random 0 = no jitter); stops after maxRetries with the last answer', async () => {
  const io = fakeIo({ randomDefault: 0 });
  const fetch = scriptedFetch(io, [1, 2, 3, 4, 5, 6, 7].map(body));
  const { spike, retries } = client(io, fetch, { maxRetries: 6, timeoutMs: 5000 });
  const { error } = await outcome(io, spike.get(PATH));
  assertSpikeError(error, 'http_error', 503);
  assert.equal(error.body, 'answer 7', 'the last answer is the one reported');
  assert.equal(fetch.calls.length, 7, 'one attempt and maxRetries (6) retries');
  const delays = [500, 1000, 2000, 4000, 8000, 8000];
  assert.deepEqual(retries, delays.map((d, i) => statusEvent(i + 1, 503, d)));
  assert.deepEqual(fetch.calls.map((c) => c.at - T0), [0, 500, 1500, 3500, 7500, 15500, 23500]);
  assert.equal(io.elapsed, 23500);
  // Each attempt's timeoutMs deadline, then the backoff before the next one.
  assert.deepEqual(io.delays(), [5000, 500, 5000, 1000, 5000, 2000, 5000, 4000, 5000, 8000, 5000, 8000, 5000]);
  assert.equal(io.pending.length, 0, 'no timer left behind');
});

test('503s: the jitter takes random x 25% off each delay; the event says the delay rounded; fetch() resolves with the last Response', async () => {
  const io = fakeIo();
  io.setRandom(0.5, 0.2, 0.9);
  const fetch = scriptedFetch(io, [1, 2, 3, 4].map(body));
  const { spike, retries } = client(io, fetch, { maxRetries: 3, timeoutMs: 5000 });
  const { value: response } = await outcome(io, spike.fetch(PATH));
  assert.equal(response.status, 503);
  assert.equal(await response.text(), 'answer 4');
  // 500 x (1 - 0.125) = 437.5, 1000 x (1 - 0.05) = 950, 2000 x (1 - 0.225) = 1550.
  assert.deepEqual(retries, [statusEvent(1, 503, 438), statusEvent(2, 503, 950), statusEvent(3, 503, 1550)]);
  assert.deepEqual(io.delays().filter((ms) => ms !== 5000), [437.5, 950, 1550], 'the sleeps themselves are not rounded');
  assert.equal(io.elapsed, 437.5 + 950 + 1550);
  assert.deepEqual(fetch.calls.map((c) => c.at - T0), [0, 437.5, 1387.5, 2937.5]);
});

test('503, 503, 200: the call succeeds after two retries (default maxRetries 2, random 0.5)', async () => {
  const io = fakeIo();
  const fetch = scriptedFetch(io, [body(1), body(2), { status: 200, body: { workspaces: [] } }]);
  const { spike, retries } = client(io, fetch);
  assert.deepEqual(await io.run(spike.get(PATH)), { workspaces: [] });
  assert.deepEqual(retries, [statusEvent(1, 503, 438), statusEvent(2, 503, 875)]);
  assert.equal(io.elapsed, 1312.5);
  // Default timeoutMs: 30000 per attempt.
  assert.deepEqual(io.delays(), [30000, 437.5, 30000, 875, 30000]);
});

test('429, 502 and 504 are retried; 500, 501, 400 and 404 are not; maxRetries 0 retries nothing', async () => {
  for (const status of [429, 502, 504]) {
    const io = fakeIo();
    const fetch = scriptedFetch(io, [{ status }, { status: 200, body: { ok: status } }]);
    const { spike, retries } = client(io, fetch);
    assert.deepEqual(await io.run(spike.get(PATH)), { ok: status });
    assert.deepEqual(retries, [statusEvent(1, status, 438)], `${status}`);
    assert.equal(io.elapsed, 437.5, `${status}`);
  }
  for (const status of [500, 501, 400, 404]) {
    const io = fakeIo();
    const fetch = scriptedFetch(io, [{ status, body: { error: 'nope' } }]);
    const { spike, retries } = client(io, fetch);
    assertSpikeError((await outcome(io, spike.get(PATH))).error, 'http_error', status);
    assert.equal(fetch.calls.length, 1, `${status}`);
    assert.deepEqual(retries, [], `${status}`);
    assert.equal(io.elapsed, 0, `${status}`);
  }
  const io = fakeIo();
  const fetch = scriptedFetch(io, [body(1)]);
  const { spike, retries } = client(io, fetch, { maxRetries: 0 });
  assertSpikeError((await outcome(io, spike.get(PATH))).error, 'http_error', 503);
  assert.equal(fetch.calls.length, 1);
  assert.deepEqual(retries, []);
  assert.equal(io.elapsed, 0);
});

test('network errors: GET retried with backoff (reason network_error, no status), then the error', async () => {
  const io = fakeIo();
  const fetch = scriptedFetch(io, [1, 2, 3].map(() => ({ error: new TypeError('fetch failed') })));
  const { spike, retries } = client(io, fetch, { timeoutMs: 5000 });
  const { error } = await outcome(io, spike.get(PATH));
  assertSpikeError(error, 'network_error');
  assert.equal(error.cause?.message, 'fetch failed');
  assert.deepEqual(retries, [
    { attempt: 1, reason: 'network_error', delayMs: 438, method: 'GET', url: URL_ },
    { attempt: 2, reason: 'network_error', delayMs: 875, method: 'GET', url: URL_ },
  ]);
  assert.equal(io.elapsed, 1312.5);
});

// --- Retry-After -------------------------------------------------------------------------------

test('Retry-After in seconds: waited exactly, with no jitter', async () => {
  const io = fakeIo();
  io.setRandom(0.9);
  const fetch = scriptedFetch(io, [{ status: 503, headers: { 'retry-after': '3' } }, { status: 429, headers: { 'retry-after': '0' } }, { status: 200, body: { ok: 1 } }]);
  const { spike, retries } = client(io, fetch, { timeoutMs: 5000 });
  assert.deepEqual(await io.run(spike.get(PATH)), { ok: 1 });
  assert.deepEqual(retries, [statusEvent(1, 503, 3000), statusEvent(2, 429, 0)]);
  assert.deepEqual(io.delays(), [5000, 3000, 5000, 0, 5000]);
  assert.equal(io.elapsed, 3000);
});

test('Retry-After as an HTTP date, in its three forms, counted from the (virtual) now; a past date means now', async () => {
  const in5s = new Date(T0 + 5000).toUTCString();
  assert.equal(in5s, 'Mon, 30 Nov 2026 00:00:05 GMT');
  const past = new Date(T0 - 60_000).toUTCString();
  // The clock is 250 ms past a whole second, so each date 5 s ahead is 4750 ms away.
  for (const [date, wait] of [[in5s, 4750], ['Monday, 30-Nov-26 00:00:05 GMT', 4750], ['Mon Nov 30 00:00:05 2026', 4750], [past, 0]]) {
    const io = fakeIo({ start: T0 + 250 });
    io.setRandom(0);
    const fetch = scriptedFetch(io, [{ status: 503, headers: { 'retry-after': date } }, { status: 200, body: { ok: 1 } }]);
    const { spike, retries } = client(io, fetch, { timeoutMs: 5000 });
    assert.deepEqual(await io.run(spike.get(PATH)), { ok: 1 });
    assert.deepEqual(retries, [statusEvent(1, 503, wait)], date);
    assert.deepEqual(io.delays(), [5000, wait, 5000], date);
    assert.equal(io.elapsed, wait, date);
    assert.equal(fetch.calls.length, 2);
  }
});

test('Retry-After of 2 minutes or a date an hour ahead: capped at 30 s, in virtual time', async () => {
  const io = fakeIo();
  const hourAhead = new Date(T0 + 3_600_000).toUTCString();
  const fetch = scriptedFetch(io, [
    { status: 503, headers: { 'retry-after': '120' } },
    { status: 503, headers: { 'retry-after': hourAhead } },
    { status: 200, body: { ok: 1 } },
  ]);
  const { spike, retries } = client(io, fetch, { timeoutMs: 5000 });
  const realStart = performance.now();
  assert.deepEqual(await io.run(spike.get(PATH)), { ok: 1 });
  const real = performance.now() - realStart;
  assert.deepEqual(retries, [statusEvent(1, 503, 30000), statusEvent(2, 503, 30000)]);
  assert.deepEqual(io.delays(), [5000, 30000, 5000, 30000, 5000]);
  assert.equal(io.elapsed, 60000);
  assert.ok(real < 5000, `60 virtual seconds took ${real} ms of real time`);
});

test('a Retry-After that is not a number or a real date is ignored: the backoff applies', async () => {
  for (const value of ['soon', '1.5', '-1', 'Tue, 31 Feb 2099 00:00:00 GMT']) {
    const io = fakeIo();
    const fetch = scriptedFetch(io, [{ status: 503, headers: { 'retry-after': value } }, { status: 200, body: { ok: 1 } }]);
    const { spike, retries } = client(io, fetch);
    assert.deepEqual(await io.run(spike.get(PATH)), { ok: 1 });
    assert.deepEqual(retries, [statusEvent(1, 503, 438)], value);
    assert.equal(io.elapsed, 437.5, value);
  }
});

// --- Which requests are retried ----------------------------------------------------------------

test('POST and PATCH are not retried unless retry: true; retry: false stops a GET retrying', async () => {
  for (const method of ['post', 'patch']) {
    const io = fakeIo();
    const fetch = scriptedFetch(io, [body(1)]);
    const { spike, retries } = client(io, fetch);
    assertSpikeError((await outcome(io, spike[method](PATH, { a: 1 }))).error, 'http_error', 503);
    assert.equal(fetch.calls.length, 1, method);
    assert.deepEqual(retries, [], method);
    assert.equal(io.elapsed, 0, method);

    const io2 = fakeIo();
    const fetch2 = scriptedFetch(io2, [body(1), body(2), { status: 201, body: { id: 'x' } }]);
    const forced = client(io2, fetch2);
    assert.deepEqual(await io2.run(forced.spike[method](PATH, { a: 1 }, { retry: true })), { id: 'x' });
    const M = method.toUpperCase();
    assert.deepEqual(forced.retries, [statusEvent(1, 503, 438, M), statusEvent(2, 503, 875, M)]);
    assert.deepEqual(fetch2.calls.map((c) => [c.method, c.body]), [[M, '{"a":1}'], [M, '{"a":1}'], [M, '{"a":1}']]);
    assert.equal(io2.elapsed, 1312.5);
  }
  const io = fakeIo();
  const fetch = scriptedFetch(io, [body(1)]);
  const { spike, retries } = client(io, fetch);
  assertSpikeError((await outcome(io, spike.get(PATH, { retry: false }))).error, 'http_error', 503);
  assert.equal(fetch.calls.length, 1);
  assert.deepEqual(retries, []);
});

test('POST: no retry after a network error or a timeout either', async () => {
  const io = fakeIo();
  const fetch = scriptedFetch(io, [{ error: new TypeError('fetch failed') }, 'hang']);
  const { spike, retries } = client(io, fetch, { timeoutMs: 1000 });
  assertSpikeError((await outcome(io, spike.post(PATH, { a: 1 }))).error, 'network_error');
  assertSpikeError((await outcome(io, spike.post(PATH, { a: 1 }))).error, 'timeout');
  assert.equal(fetch.calls.length, 2);
  assert.deepEqual(retries, []);
  assert.equal(io.elapsed, 1000);
});

test('a stream body is sent once: no transient retry (even with retry: true), no token_expired retry', async () => {
  const stream = () => new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('chunk')), c.close()) });
  const io = fakeIo();
  const fetch = scriptedFetch(io, [body(1), body(2), { status: 401, body: { error: 'token_expired', message: 'Token has expired' } }]);
  const calls = [];
  const { spike, retries } = client(io, fetch, { tokenProvider: async () => (calls.push(io.now()), tokenAt(io.now())) });
  // PUT is idempotent, and retry: true would allow any method: the stream still goes once.
  const response = await io.run(spike.fetch(PATH, { method: 'PUT', body: stream() }));
  assert.equal(response.status, 503);
  const forced = await io.run(spike.fetch(PATH, { method: 'PUT', body: stream(), retry: true }));
  assert.equal(forced.status, 503);
  const { error } = await outcome(io, spike.put(PATH, stream()));
  assertSpikeError(error, 'token_expired', 401);
  assert.equal(fetch.calls.length, 3);
  assert.ok(fetch.calls.every((c) => c.body instanceof ReadableStream));
  assert.deepEqual(retries, []);
  assert.equal(calls.length, 1, 'no refresh for the refused stream request');
  assert.equal(io.elapsed, 0);
});

test('a body fetch reads afresh (Blob, File, URLSearchParams, FormData, ArrayBuffer, typed array) is sent again by a retry', async () => {
  const bodies = {
    Blob: new Blob(['b']),
    File: new File(['f'], 'f.txt'),
    URLSearchParams: new URLSearchParams({ q: '1' }),
    FormData: new FormData(),
    ArrayBuffer: new ArrayBuffer(2),
    Uint8Array: new Uint8Array([1]),
  };
  for (const [what, sent] of Object.entries(bodies)) {
    const io = fakeIo();
    const fetch = scriptedFetch(io, [body(1), ok()]);
    const { spike } = client(io, fetch);
    assert.deepEqual(await io.run(spike.put(PATH, sent)), { ok: 1 }, what);
    assert.equal(fetch.calls.length, 2, `${what}: a 503, then the retry`);
    assert.ok(fetch.calls.every((c) => c.body === sent), `${what}: the same body both times`);
  }
});

// --- timeoutMs ---------------------------------------------------------------------------------

test('timeoutMs: a fetch that never answers fails with timeout after exactly timeoutMs', async () => {
  const io = fakeIo();
  const fetch = scriptedFetch(io, ['hang']);
  const { spike, retries } = client(io, fetch, { timeoutMs: 1234, maxRetries: 0 });
  const { error } = await outcome(io, spike.get(PATH));
  assertSpikeError(error, 'timeout');
  assert.match(error.message, /1234 ms/);
  assert.equal(io.elapsed, 1234);
  assert.equal(fetch.calls[0].signal.aborted, true, "the attempt's fetch was aborted");
  assert.deepEqual(retries, []);
  assert.equal(io.pending.length, 0);
});

test('timeoutMs: a GET that times out is retried per policy, each attempt with its own deadline', async () => {
  const io = fakeIo();
  const fetch = scriptedFetch(io, ['hang', 'hang', 'hang']);
  const { spike, retries } = client(io, fetch, { timeoutMs: 1000 });
  const { error } = await outcome(io, spike.get(PATH));
  assertSpikeError(error, 'timeout');
  assert.deepEqual(retries, [
    { attempt: 1, reason: 'timeout', delayMs: 438, method: 'GET', url: URL_ },
    { attempt: 2, reason: 'timeout', delayMs: 875, method: 'GET', url: URL_ },
  ]);
  assert.deepEqual(fetch.calls.map((c) => c.at - T0), [0, 1437.5, 3312.5]);
  assert.ok(fetch.calls.every((c) => c.signal.aborted));
  assert.deepEqual(io.delays(), [1000, 437.5, 1000, 875, 1000]);
  assert.equal(io.elapsed, 4312.5);

  // A timeout then an answer: the answer after 1000 + 437.5 ms.
  const io2 = fakeIo();
  const fetch2 = scriptedFetch(io2, ['hang', { status: 200, body: { ok: 1 } }]);
  assert.deepEqual(await io2.run(client(io2, fetch2, { timeoutMs: 1000 }).spike.get(PATH)), { ok: 1 });
  assert.equal(io2.elapsed, 1437.5);
});

test('timeoutMs covers the body for request(): headers then a stalled body is a timeout at timeoutMs', async () => {
  const io = fakeIo();
  const stalled = () => new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"work')) }), { status: 200 });
  const fetch = scriptedFetch(io, [stalled, { status: 200, body: { ok: 1 } }]);
  const { spike, retries } = client(io, fetch, { timeoutMs: 2000, maxRetries: 0 });
  assertSpikeError((await outcome(io, spike.get(PATH))).error, 'timeout');
  assert.equal(io.elapsed, 2000);
  assert.deepEqual(retries, []);
  // fetch() hands over the Response at its headers: no wait at all.
  const response = await io.run(spike.fetch(PATH));
  assert.equal(response.status, 200);
  assert.equal(io.elapsed, 2000);
});

// --- The caller's AbortSignal ------------------------------------------------------------------

test('aborting during a 30 s Retry-After wait ends the call at once with aborted', async () => {
  const io = fakeIo();
  const fetch = scriptedFetch(io, [{ status: 503, headers: { 'retry-after': '30' } }]);
  const { spike, retries } = client(io, fetch, { timeoutMs: 5000 });
  const controller = new AbortController();
  const reason = new Error('user left the page');
  // 1 s into the wait (virtual), the caller aborts.
  spike.on('retry', () => io.setTimeout(() => controller.abort(reason), 1000));
  const { error } = await outcome(io, spike.get(PATH, { signal: controller.signal }));
  assertSpikeError(error, 'aborted');
  assert.equal(error.cause, reason);
  assert.deepEqual(retries, [statusEvent(1, 503, 30000)]);
  assert.equal(io.elapsed, 1000, 'ended when the signal fired, not when the wait would have');
  assert.equal(fetch.calls.length, 1);
  assert.equal(io.pending.length, 0, 'the 30 s timer was cleared');
});

test('aborting during a backoff sleep, and during an attempt: aborted at once, never retried', async () => {
  const io = fakeIo();
  const fetch = scriptedFetch(io, [body(1), 'hang']);
  const { spike } = client(io, fetch, { timeoutMs: 5000 });
  const controller = new AbortController();
  spike.on('retry', () => io.setTimeout(() => controller.abort(), 100));
  assertSpikeError((await outcome(io, spike.get(PATH, { signal: controller.signal }))).error, 'aborted');
  assert.equal(io.elapsed, 100);
  assert.equal(fetch.calls.length, 1);

  const during = new AbortController();
  const start = io.now();
  io.setTimeout(() => during.abort(), 700);
  assertSpikeError((await outcome(io, spike.get(PATH, { signal: during.signal }))).error, 'aborted');
  assert.equal(io.now() - start, 700, 'aborted at 700 ms, not timed out at 5000');
  assert.equal(fetch.calls.length, 2);
  assert.equal(fetch.calls[1].signal.aborted, true);
  assert.equal(io.pending.length, 0);

  // Already aborted: nothing is sent.
  assertSpikeError((await outcome(io, spike.get(PATH, { signal: AbortSignal.abort() }))).error, 'aborted');
  assert.equal(fetch.calls.length, 2);
});

// --- Token refresh -----------------------------------------------------------------------------

/** A tokenProvider recording each call ({ at, arg }); `answer(n, arg)` gives the n-th result. */
const provider = (io, answer) => {
  const calls = [];
  const fn = (arg) => {
    calls.push({ at: io.now() - T0, arg });
    return answer(calls.length, arg);
  };
  fn.calls = calls;
  return fn;
};
const ok = () => ({ status: 200, body: { ok: 1 } });

test('a token is refreshed once it is within the leeway; N concurrent calls make one provider call', async () => {
  const io = fakeIo();
  const tokenProvider = provider(io, async (n) => tokenAt(io.now(), { user: `user-${n}` }));
  const fetch = scriptedFetch(io, Array.from({ length: 12 }, ok));
  const { spike } = client(io, fetch, { tokenProvider, refreshLeewaySeconds: 60 });
  await io.run(spike.get(PATH));
  assert.equal(spike.tokenInfo().refreshAt, T0 + 3_540_000);
  // One ms before the refresh point: the token is used as is.
  await io.advance(3_539_999);
  await io.run(spike.get(PATH));
  assert.equal(tokenProvider.calls.length, 1);
  // At the refresh point: ten concurrent calls, one refresh, all sent with the new token.
  await io.advance(1);
  await io.run(Promise.all(Array.from({ length: 10 }, () => spike.get(PATH))));
  assert.deepEqual(tokenProvider.calls, [
    { at: 0, arg: { forceRefresh: false } },
    { at: 3_540_000, arg: { forceRefresh: false } },
  ]);
  assert.deepEqual(fetch.calls.map((c) => userOf(c.authorization)), ['user-1', 'user-1', ...Array(10).fill('user-2')]);
  assert.equal(spike.tokenInfo().refreshAt, T0 + 3_540_000 + 3_540_000);
});

test('the leeway is capped at half the lifetime: a 30 s token is refreshed 15 s after it arrived', async () => {
  const io = fakeIo();
  const tokenProvider = provider(io, async (n) => tokenAt(io.now(), { life: 30, user: `user-${n}` }));
  const fetch = scriptedFetch(io, [ok(), ok(), ok()]);
  const { spike } = client(io, fetch, { tokenProvider });
  await io.run(spike.get(PATH));
  await io.advance(14_999);
  await io.run(spike.get(PATH));
  await io.advance(1);
  await io.run(spike.get(PATH));
  assert.deepEqual(tokenProvider.calls.map((c) => c.at), [0, 15_000]);
  assert.deepEqual(fetch.calls.map((c) => userOf(c.authorization)), ['user-1', 'user-1', 'user-2']);
});

test('a failing provider: each next refresh waits 250 ms, 500 ms, 1 s... capped at 4 s; a success resets it', async () => {
  const io = fakeIo();
  let up = false;
  const tokenProvider = provider(io, async (n) => {
    if (!up) throw new Error('token backend down');
    return tokenAt(io.now(), { user: `user-${n}` });
  });
  const fetch = scriptedFetch(io, [ok(), ok(), ok()]);
  const { spike } = client(io, fetch, { tokenProvider, timeoutMs: 10_000 });
  const failedAt = [];
  for (let i = 0; i < 7; i += 1) {
    const { error } = await outcome(io, spike.get(PATH));
    assertSpikeError(error, 'token_provider_failed');
    assert.equal(error.cause?.message, 'token backend down');
    failedAt.push(io.elapsed);
  }
  // Waits: 0, 250, 500, 1000, 2000, 4000, 4000.
  assert.deepEqual(failedAt, [0, 250, 750, 1750, 3750, 7750, 11750]);
  assert.deepEqual(tokenProvider.calls.map((c) => c.at), failedAt);
  // Each provider call under its timeoutMs deadline; the back-off sleeps between them.
  assert.deepEqual(io.delays(), [10_000, 250, 10_000, 500, 10_000, 1000, 10_000, 2000, 10_000, 4000, 10_000, 4000, 10_000]);
  assert.equal(fetch.calls.length, 0, 'nothing was sent without a token');

  // The source is back: a call made now still waits out the 4 s back-off, then succeeds.
  up = true;
  await io.run(spike.get(PATH));
  assert.equal(io.elapsed, 15750);
  assert.equal(tokenProvider.calls.at(-1).at, 15750);
  // The next call needs no refresh and no wait.
  await io.run(spike.get(PATH));
  assert.equal(io.elapsed, 15750);
  // A failure after the success starts again from 250 ms.
  up = false;
  spike.invalidateToken();
  assertSpikeError((await outcome(io, spike.get(PATH))).error, 'token_provider_failed');
  up = true;
  await io.run(spike.get(PATH));
  assert.equal(io.elapsed, 16000);
  assert.equal(tokenProvider.calls.length, 10);
  assert.equal(fetch.calls.length, 3);
});

test('a refresh that fails in the leeway leaves the live token in use: its callers send it, the failure is an error event, the back-off applies', async () => {
  const io = fakeIo();
  let up = true;
  const tokenProvider = provider(io, async (n) => {
    if (!up) throw new Error('token backend down');
    return tokenAt(io.now(), { life: 100, user: `user-${n}` });
  });
  const fetch = scriptedFetch(io, [ok(), ok(), ok(), ok(), ok()]);
  const { spike } = client(io, fetch, { tokenProvider });
  const errors = [];
  spike.on('error', (err) => errors.push(err));
  await io.run(spike.get(PATH));
  // 100 s token, leeway 60 s capped at 50 s: due at 50 s. Its refresh fails while the token has
  // 50 s left: the three calls waiting on it (one refresh) go on with that token.
  await io.advance(50_000);
  up = false;
  const [a, b, token] = await io.run(Promise.all([spike.get(PATH), spike.get(PATH), spike.getToken()]));
  assert.deepEqual([a, b], [{ ok: 1 }, { ok: 1 }]);
  assert.equal(userOf(`Bearer ${token}`), 'user-1');
  assert.equal(tokenProvider.calls.length, 2, 'one refresh for the three callers');
  assert.equal(errors.length, 1, 'the failure is reported once, as an error event');
  assertSpikeError(errors[0], 'token_provider_failed');
  assert.equal(errors[0].cause?.message, 'token backend down');
  // Within the 250 ms back-off the live token is sent, at once and without asking the source.
  await io.run(spike.get(PATH));
  assert.equal(io.elapsed, 50_000);
  assert.equal(tokenProvider.calls.length, 2);
  // After the back-off the next call asks again (and gets the new token).
  up = true;
  await io.advance(250);
  await io.run(spike.get(PATH));
  assert.deepEqual(tokenProvider.calls.map((c) => c.at), [0, 50_000, 50_250]);
  assert.deepEqual(fetch.calls.map((c) => userOf(c.authorization)), ['user-1', 'user-1', 'user-1', 'user-1', 'user-3']);
  assert.equal(errors.length, 1);
});

test('a refresh that fails after the token expired (or was refused) fails its callers with token_provider_failed', async () => {
  const io = fakeIo();
  let slowFailure = false;
  const tokenProvider = provider(io, (n) => {
    if (!slowFailure) return Promise.resolve(tokenAt(io.now(), { life: 100, user: `user-${n}` }));
    // Asked at 50 s (in the leeway), it fails at 110 s: the token expired at 100 s meanwhile.
    return new Promise((resolve, reject) => io.setTimeout(() => reject(new Error('late and down')), 60_000));
  });
  const fetch = scriptedFetch(io, [ok(), { status: 401, body: { error: 'token_expired' } }, { status: 401, body: { error: 'token_expired' } }]);
  const { spike } = client(io, fetch, { tokenProvider, timeoutMs: 120_000 });
  await io.run(spike.get(PATH));
  await io.advance(50_000);
  slowFailure = true;
  const late = await outcome(io, spike.get(PATH));
  assertSpikeError(late.error, 'token_provider_failed');
  assert.equal(io.elapsed, 110_000);
  assert.equal(fetch.calls.length, 1, 'nothing sent with the expired token');
  // Refused by the API (two token_expired in a row): a failed forced refresh is no fallback either.
  slowFailure = false;
  await io.advance(250);
  const fresh = await io.run(spike.getToken());
  assert.equal(userOf(`Bearer ${fresh}`), 'user-3');
  slowFailure = true;
  const refused = await outcome(io, spike.get(PATH));
  assertSpikeError(refused.error, 'token_provider_failed');
  assert.equal(fetch.calls.length, 3, 'the refused token was sent twice, then no more');
});

test('a provider that never answers fails with token_provider_failed after exactly timeoutMs, for every waiter', async () => {
  const io = fakeIo();
  let answering = false;
  const tokenProvider = provider(io, (n) => (answering ? Promise.resolve(tokenAt(io.now(), { user: `user-${n}` })) : new Promise(() => {})));
  const fetch = scriptedFetch(io, [ok()]);
  const { spike } = client(io, fetch, { tokenProvider, timeoutMs: 2000 });
  const results = await io.run(Promise.allSettled([spike.get(PATH), spike.get(PATH), spike.getToken()]));
  for (const { status, reason } of results) {
    assert.equal(status, 'rejected');
    assertSpikeError(reason, 'token_provider_failed');
    assert.match(reason.message, /did not answer within 2000 ms/);
  }
  assert.equal(io.elapsed, 2000);
  assert.equal(tokenProvider.calls.length, 1, 'one refresh for the three waiters');
  // The next call waits the 250 ms back-off, then the (now answering) provider's token is used.
  answering = true;
  await io.run(spike.get(PATH));
  assert.equal(io.elapsed, 2250);
  assert.deepEqual(tokenProvider.calls.map((c) => c.at), [0, 2250]);
  assert.equal(userOf(fetch.calls[0].authorization), 'user-2');
});

test('aborting while waiting for a refresh, or for the refresh back-off: aborted at once; the refresh goes on for the others', async () => {
  const io = fakeIo();
  let release;
  const tokenProvider = provider(io, (n) => (n === 1 ? Promise.reject(new Error('down')) : new Promise((r) => (release = () => r(tokenAt(io.now(), { user: `user-${n}` }))))));
  const fetch = scriptedFetch(io, [ok()]);
  const { spike } = client(io, fetch, { tokenProvider, timeoutMs: 10_000 });
  assertSpikeError((await outcome(io, spike.get(PATH))).error, 'token_provider_failed');
  // In the 250 ms back-off: the caller aborts 100 ms into it.
  const first = new AbortController();
  io.setTimeout(() => first.abort(), 100);
  assertSpikeError((await outcome(io, spike.get(PATH, { signal: first.signal }))).error, 'aborted');
  assert.equal(io.elapsed, 100);
  assert.equal(tokenProvider.calls.length, 1, 'the aborted call started no refresh');
  // Past the back-off, a refresh starts and hangs; one caller aborts at 50 ms, the other waits.
  await io.advance(150);
  const second = new AbortController();
  const aborted = spike.get(PATH, { signal: second.signal });
  let abortedAt;
  aborted.catch(() => (abortedAt = io.elapsed));
  const patient = spike.get(PATH);
  io.setTimeout(() => second.abort(), 50);
  io.setTimeout(() => release(), 400);
  const [a, p] = await io.run(Promise.allSettled([aborted, patient]));
  assertSpikeError(a.reason, 'aborted');
  assert.equal(abortedAt, 300, 'the aborted caller left at once, not when the token came');
  assert.deepEqual(p, { status: 'fulfilled', value: { ok: 1 } });
  assert.deepEqual(tokenProvider.calls.map((c) => c.at), [0, 250]);
  assert.equal(io.elapsed, 650);
  assert.equal(fetch.calls.length, 1);
  assert.equal(userOf(fetch.calls[0].authorization), 'user-2');
});

test('a tokenEndpoint that never answers fails with token_provider_failed (cause: timeout) after exactly timeoutMs', async () => {
  const io = fakeIo();
  const fetch = scriptedFetch(io, ['hang']);
  const { spike } = client(io, fetch, { tokenEndpoint: 'https://app.test/api/spike-token', timeoutMs: 3000 });
  const { error } = await outcome(io, spike.get(PATH));
  assertSpikeError(error, 'token_provider_failed');
  assertSpikeError(error.cause, 'timeout');
  assert.equal(io.elapsed, 3000);
  assert.equal(fetch.calls.length, 1);
  assert.equal(fetch.calls[0].url, 'https://app.test/api/spike-token');
});

test('a tokenEndpoint in the leeway: a 503 keeps the live token (refreshAt moves past the back-off); a 401, the source saying no, fails the call', async () => {
  const io = fakeIo();
  const ENDPOINT = 'https://app.test/api/spike-token';
  const issued = (user) => () => Response.json({ token: tokenAt(io.now(), { life: 100, user }) });
  const fetch = scriptedFetch(io, [issued('user-1'), ok(), { status: 503, body: 'busy' }, ok(), { status: 401, body: { error: 'unauthorized' } }]);
  const { spike } = client(io, fetch, { tokenEndpoint: ENDPOINT });
  const errors = [];
  spike.on('error', (err) => errors.push(err));
  await io.run(spike.get(PATH));
  await io.advance(50_000);
  // Busy: the call goes out with user-1's token; the failure is an event; the next refresh is
  // due after the 250 ms back-off, so getToken() before then asks nobody.
  assert.deepEqual(await io.run(spike.get(PATH)), { ok: 1 });
  assert.equal(errors.length, 1);
  assertSpikeError(errors[0], 'token_provider_failed', 503);
  assert.equal(spike.tokenInfo().refreshAt, T0 + 50_250);
  assert.equal(userOf(`Bearer ${await io.run(spike.getToken())}`), 'user-1');
  assert.equal(fetch.calls.length, 4, 'getToken() inside the back-off fetched nothing');
  // Signed out: the endpoint's 401 is final though the token has 49 s left.
  await io.advance(250);
  const { error } = await outcome(io, spike.get(PATH));
  assertSpikeError(error, 'token_provider_failed', 401);
  assert.deepEqual(fetch.calls.map((c) => c.url), [ENDPOINT, URL_, ENDPOINT, URL_, ENDPOINT], 'nothing sent after the 401');
});

// --- 401 token_expired -------------------------------------------------------------------------

const expired = () => ({ status: 401, body: { error: 'token_expired', message: 'Token has expired' } });
const tokenEvent = (attempt) => ({ attempt, reason: 'token_expired', status: 401, delayMs: 0, method: 'GET', url: URL_ });

test('401 token_expired once: retried at once with the same token, no refresh', async () => {
  const io = fakeIo();
  const tokenProvider = provider(io, async (n) => tokenAt(io.now(), { user: `user-${n}` }));
  const fetch = scriptedFetch(io, [expired(), ok()]);
  const { spike, retries } = client(io, fetch, { tokenProvider });
  assert.deepEqual(await io.run(spike.get(PATH)), { ok: 1 });
  assert.deepEqual(retries, [tokenEvent(1)]);
  assert.equal(fetch.calls.length, 2);
  assert.equal(fetch.calls[0].authorization, fetch.calls[1].authorization);
  assert.equal(tokenProvider.calls.length, 1);
  assert.equal(io.elapsed, 0);
  // For every method: a POST too (its JSON body is sent again).
  fetch.push(expired(), { status: 201, body: { id: 'x' } });
  assert.deepEqual(await io.run(spike.post(PATH, { a: 1 })), { id: 'x' });
  assert.deepEqual(retries.at(-1), { ...tokenEvent(1), method: 'POST' });
  assert.deepEqual(fetch.calls.slice(2).map((c) => [c.method, c.body]), [['POST', '{"a":1}'], ['POST', '{"a":1}']]);
  assert.equal(fetch.calls.length, 4);
});

test('401 token_expired twice: a forced refresh (forceRefresh: true, the refused token named by fingerprint), then the new token', async () => {
  const io = fakeIo();
  const tokens = [];
  const tokenProvider = provider(io, async (n) => (tokens[n - 1] = tokenAt(io.now(), { user: `user-${n}` })));
  const fetch = scriptedFetch(io, [expired(), expired(), ok()]);
  const { spike, retries } = client(io, fetch, { tokenProvider });
  assert.deepEqual(await io.run(spike.get(PATH)), { ok: 1 });
  assert.deepEqual(retries, [tokenEvent(1), tokenEvent(2)]);
  assert.deepEqual(fetch.calls.map((c) => c.authorization), [`Bearer ${tokens[0]}`, `Bearer ${tokens[0]}`, `Bearer ${tokens[1]}`]);
  assert.deepEqual(tokenProvider.calls.map((c) => c.arg), [
    { forceRefresh: false },
    { forceRefresh: true, cacheControl: `no-cache, spike-refused-token=${fingerprint(tokens[0])}` },
  ]);
  assert.equal(io.elapsed, 0);
});

test('401 token_expired three times: the third 401 is returned (token_expired), never a fourth attempt', async () => {
  const io = fakeIo();
  const tokenProvider = provider(io, async (n) => tokenAt(io.now(), { user: `user-${n}` }));
  const fetch = scriptedFetch(io, [expired(), expired(), expired()]);
  const { spike, retries } = client(io, fetch, { tokenProvider });
  const { error } = await outcome(io, spike.get(PATH));
  assertSpikeError(error, 'token_expired', 401);
  assert.deepEqual(retries, [tokenEvent(1), tokenEvent(2)]);
  assert.equal(fetch.calls.length, 3);
  assert.equal(tokenProvider.calls.length, 2);
});

test('token and transient retries share one attempt count; token retries do not use maxRetries', async () => {
  const io = fakeIo();
  const tokenProvider = provider(io, async (n) => tokenAt(io.now(), { user: `user-${n}` }));
  const fetch = scriptedFetch(io, [expired(), body(1), expired(), ok()]);
  const { spike, retries } = client(io, fetch, { tokenProvider, maxRetries: 1 });
  assert.deepEqual(await io.run(spike.get(PATH)), { ok: 1 });
  assert.deepEqual(retries, [tokenEvent(1), statusEvent(2, 503, 438), tokenEvent(3)]);
  assert.equal(io.elapsed, 437.5);
  // The second rejection (with a 503 between, no acceptance) replaced the token.
  assert.deepEqual(fetch.calls.map((c) => userOf(c.authorization)), ['user-1', 'user-1', 'user-1', 'user-2']);
});

test('401 token_expired with a static token, or 401 with another code: not retried', async () => {
  const io = fakeIo();
  const fetch = scriptedFetch(io, [expired(), { status: 401, body: { error: 'invalid_signature', message: 'bad' } }]);
  const { spike, retries } = client(io, fetch);
  assertSpikeError((await outcome(io, spike.get(PATH))).error, 'token_expired', 401);
  const io2 = fakeIo();
  const tokenProvider = provider(io2, async () => tokenAt(io2.now()));
  const fetch2 = scriptedFetch(io2, [{ status: 401, body: { error: 'invalid_signature', message: 'bad' } }]);
  const other = client(io2, fetch2, { tokenProvider });
  assertSpikeError((await outcome(io2, other.spike.get(PATH))).error, 'invalid_signature', 401);
  assert.equal(fetch.calls.length, 1);
  assert.equal(fetch2.calls.length, 1);
  assert.deepEqual([...retries, ...other.retries], []);
  assert.equal(tokenProvider.calls.length, 1);
});

test('a static token past its exp: token_expired at once, nothing sent (judged by the virtual clock)', async () => {
  const io = fakeIo();
  const fetch = scriptedFetch(io, [ok()]);
  const { spike } = client(io, fetch, { token: tokenAt(T0, { life: 60 }) });
  await io.advance(59_999);
  assert.deepEqual(await io.run(spike.get(PATH)), { ok: 1 });
  await io.advance(1);
  assertSpikeError((await outcome(io, spike.get(PATH))).error, 'token_expired', 401);
  assert.equal(fetch.calls.length, 1);
});

// --- The fake io itself ------------------------------------------------------------------------

test('fake io: run() fires timers in due order (ties in arming order) and refuses a promise that would hang', async () => {
  const io = fakeIo();
  const fired = [];
  io.setTimeout((x) => fired.push([x, io.elapsed]), 300, 'c');
  io.setTimeout((x) => fired.push([x, io.elapsed]), 100, 'a');
  io.setTimeout((x) => fired.push([x, io.elapsed]), 100, 'b');
  const cleared = io.setTimeout(() => fired.push(['never']), 200);
  io.clearTimeout(cleared);
  await io.run(new Promise((resolve) => io.setTimeout(resolve, 300)));
  assert.deepEqual(fired, [['a', 100], ['b', 100], ['c', 300]]);
  await assert.rejects(io.run(new Promise(() => {})), /no timer is armed/);
  assert.equal(io.elapsed, 300);
});

// --- free() while a request waits ------------------------------------------------------------

test('free() during a backoff: the request ends with invalid_options ("freed"), not a crash in the freed core', async () => {
  const io = fakeIo({ randomDefault: 0 });
  const fetch = scriptedFetch(io, [body(1), body(2)]);
  const { spike, retries } = client(io, fetch, { timeoutMs: 5000 });
  const pending = spike.get(PATH);
  // Let the first attempt answer 503 and the 500 ms backoff start, then free the client.
  await io.settle();
  assert.equal(retries.length, 1, 'the first attempt was answered and a retry scheduled');
  spike.free();
  const { error } = await outcome(io, pending);
  assertSpikeError(error, 'invalid_options');
  assert.match(error.message, /freed/);
  assert.equal(fetch.calls.length, 1, 'nothing is sent after free()');
});
