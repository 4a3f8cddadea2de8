// A plain call (no init, no body) through the runtime's own fetch (the platform's, as the global
// fetch when the SDK loaded): its first attempt relies on that fetch's signal alone
// (SpikeClient.#direct in js/client/driver.js), and hands anything the core retries over to the
// general path. Here a recording stub stands for the runtime's fetch through the driver's test
// hook (`[IO]: { runtimeFetch }`), so the cases below take that path. The last ones check which
// fetch counts as the runtime's: Node's own does; a mock installed as the global fetch, before
// (in a fresh process) or after the SDK loads, does not, and is raced like any other.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeToken } from '../cases/tokens.js';

const calls = [];
let answer = () => Response.json({ workspaces: [] });
/** The runtime's fetch for this process: records each call's init, answers with `answer`. */
const runtimeFetch = (url, init) => {
  calls.push({ url, init });
  return answer(init, calls.length);
};
const nodeFetch = globalThis.fetch;
const { SpikeClient: Client, SpikeError } = await import('../../build/package/dist/index.mjs');
const driver = await import('../../build/package/dist/driver.mjs');
/** SpikeClient, with the recording stub as the runtime's fetch. */
class SpikeClient extends Client {
  constructor(options) {
    super({ ...options, [driver.IO]: { runtimeFetch } });
  }
}

const now = () => Math.floor(Date.now() / 1000);
const token = (n) => makeToken({ sub: 't:u', user_id: `u${n}`, iat: now(), exp: now() + 3600 });
const expired = () => Response.json({ error: 'token_expired', message: 'Token has expired' }, { status: 401 });
/** Answers `list` in turn (each an answer function), then the last one again. */
const inTurn = (...list) => (init, n) => list[Math.min(n, list.length) - 1](init);
/** A promise that rejects with the signal's reason once it aborts: what every runtime's fetch does. */
const untilAborted = (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

const fresh = () => {
  calls.length = 0;
  answer = () => Response.json({ workspaces: [] });
};

test('a plain GET sends its own init, with the signal of its deadline, and resolves to the JSON', async () => {
  fresh();
  const client = new SpikeClient({ baseUrl: 'https://api.test', token: token(1) });
  assert.deepEqual(await client.get('/platform/api/workspaces'), { workspaces: [] });
  assert.deepEqual(await client.get('/platform/api/workspaces'), { workspaces: [] });
  assert.equal(calls.length, 2);
  assert.equal(calls[0].url, 'https://api.test/platform/api/workspaces');
  assert.notEqual(calls[0].init, calls[1].init, 'each attempt its own init');
  assert.ok(calls[0].init.signal instanceof AbortSignal && !calls[0].init.signal.aborted, 'a live signal');
  assert.equal(calls[0].init.method, 'GET');
  assert.equal(calls[0].init.headers.authorization, `Bearer ${token(1)}`);
  // fetch() resolves to the Response, unread; a 204 is null for the verbs.
  answer = () => new Response('plain', { status: 200 });
  assert.equal(await (await client.fetch('/x')).text(), 'plain');
  answer = () => new Response(null, { status: 204 });
  assert.equal(await client.delete('/x'), null);
});

test('token_expired: retried as is, then after a forced refresh, each attempt with its own init and token; retry events 1, 2', async () => {
  fresh();
  const tokens = [token(1), token(2)];
  let fetched = 0;
  const client = new SpikeClient({ baseUrl: 'https://api.test', tokenProvider: async () => tokens[fetched++] });
  const retries = [];
  client.on('retry', (e) => retries.push([e.attempt, e.reason, e.status]));
  answer = inTurn(expired, expired, () => Response.json({ workspaces: [] }));
  assert.deepEqual(await client.get('/platform/api/workspaces'), { workspaces: [] });
  assert.deepEqual(
    calls.map(({ init }) => init.headers.authorization),
    [`Bearer ${tokens[0]}`, `Bearer ${tokens[0]}`, `Bearer ${tokens[1]}`],
  );
  assert.equal(new Set(calls.map(({ init }) => init)).size, 3);
  assert.deepEqual(retries, [[1, 'token_expired', 401], [2, 'token_expired', 401]]);
});

test('a 503 is retried after its Retry-After (the retry event has its status); maxRetries bounds the attempts', async () => {
  fresh();
  const busy = () => new Response('busy', { status: 503, headers: { 'retry-after': '0' } });
  const client = new SpikeClient({ baseUrl: 'https://api.test', token: token(1), maxRetries: 1 });
  const retries = [];
  client.on('retry', (e) => retries.push([e.attempt, e.reason, e.status, e.delayMs]));
  answer = inTurn(busy, () => Response.json({ ok: true }));
  assert.deepEqual(await client.get('/x'), { ok: true });
  assert.deepEqual(retries, [[1, 'status', 503, 0]]);
  fresh();
  answer = busy;
  const errors = [];
  client.on('error', (e) => errors.push(e));
  const err = await client.get('/x').catch((e) => e);
  assert.ok(err instanceof SpikeError && err.code === 'http_error' && err.status === 503, `${err}`);
  assert.equal(err.body, 'busy');
  assert.equal(calls.length, 2, 'the first attempt and one retry');
  assert.deepEqual(errors, [err], 'the error event once, with the error thrown');
});

test('another 401 keeps its API code, a 404 is http_error: no retry, the parsed body; the error event once each', async () => {
  fresh();
  const client = new SpikeClient({ baseUrl: 'https://api.test', token: token(1) });
  const errors = [];
  client.on('error', (e) => errors.push(e.code));
  answer = () => Response.json({ error: 'invalid_token', message: 'nope' }, { status: 401 });
  const unauthorised = await client.get('/x').catch((e) => e);
  assert.equal(unauthorised.code, 'invalid_token');
  assert.equal(unauthorised.status, 401);
  assert.equal(unauthorised.body.error, 'invalid_token');
  answer = () => Response.json({ error: 'not_found' }, { status: 404 });
  const missing = await client.get('/x').catch((e) => e);
  assert.equal(missing.code, 'http_error');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error, 'not_found');
  assert.equal(calls.length, 2, 'neither retried');
  assert.deepEqual(errors, ['invalid_token', 'http_error']);
});

test('a failed fetch is network_error, retried for a GET; the error event fires once, for the last', async () => {
  fresh();
  const client = new SpikeClient({ baseUrl: 'https://api.test', token: token(1), maxRetries: 1 });
  const seen = [];
  client.on('retry', (e) => seen.push(`retry ${e.attempt} ${e.reason}`));
  client.on('error', (e) => seen.push(`error ${e.code}`));
  answer = () => Promise.reject(new TypeError('fetch failed'));
  const err = await client.get('/x').catch((e) => e);
  assert.equal(err.code, 'network_error');
  assert.ok(err.cause instanceof TypeError);
  assert.equal(calls.length, 2);
  assert.deepEqual(seen, ['retry 1 network_error', 'error network_error']);
});

test('timeoutMs aborts the signal: a fetch that honours it ends in timeout, waiting for the headers or reading the body', async () => {
  fresh();
  const client = new SpikeClient({ baseUrl: 'https://api.test', token: token(1), timeoutMs: 50, maxRetries: 0 });
  answer = (init) => untilAborted(init.signal);
  const started = Date.now();
  const headers = await client.get('/x').catch((e) => e);
  assert.equal(headers.code, 'timeout');
  assert.ok(Date.now() - started < 1000);
  // A body that stalls: the runtime's fetch errors its stream when the signal aborts.
  answer = (init) => {
    const body = new ReadableStream({
      start(controller) {
        init.signal.addEventListener('abort', () => controller.error(init.signal.reason), { once: true });
      },
    });
    return new Response(body, { status: 200 });
  };
  const read = await client.get('/x').catch((e) => e);
  assert.equal(read.code, 'timeout');
  // Retried like any timeout of a GET: two attempts with maxRetries 1, each its own deadline.
  fresh();
  answer = (init) => untilAborted(init.signal);
  const once = new SpikeClient({ baseUrl: 'https://api.test', token: token(1), timeoutMs: 30, maxRetries: 1 });
  assert.equal((await once.get('/x').catch((e) => e)).code, 'timeout');
  assert.equal(calls.length, 2);
  assert.notEqual(calls[0].init.signal, calls[1].init.signal);
});

test('the answer is checked as on the general path: a non-Response, a Response handed out twice, a 401 without clone() are refused by name, not retried', async () => {
  fresh();
  const client = new SpikeClient({ baseUrl: 'https://api.test', token: token(1), maxRetries: 2 });
  const events = [];
  client.on('retry', (e) => events.push(`retry ${e.reason}`));
  client.on('error', (e) => events.push(`error ${e.code}`));
  const shared = Response.json({ workspaces: [] });
  await shared.text();
  for (const [what, given, message] of [
    ['a plain object', () => ({ ok: true, status: 200, json: async () => ({}) }), /must resolve to a Response/],
    ['a Response whose body was read', () => shared, /body was already read/],
    ['a 401 without clone()', () => ({ status: 401, headers: new Headers(), text: async () => '{"error":"token_expired"}' }), /401 without clone\(\)/],
  ]) {
    calls.length = 0;
    events.length = 0;
    answer = given;
    const err = await client.get('/x').catch((e) => e);
    assert.equal(err.code, 'invalid_options', what);
    assert.match(err.message, message, what);
    assert.equal(calls.length, 1, `${what}: not retried`);
    assert.deepEqual(events, ['error invalid_options'], `${what}: one error event, no retry`);
  }
});

test('an error while the answer is judged (a mock whose headers.get throws) is thrown as it is, not retried as a network error', async () => {
  fresh();
  const client = new SpikeClient({ baseUrl: 'https://api.test', token: token(1), maxRetries: 2 });
  const retries = [];
  client.on('retry', (e) => retries.push(e.reason));
  const boom = new TypeError('boom from headers.get');
  answer = () => {
    const response = new Response('busy', { status: 503 });
    Object.defineProperty(response, 'headers', { value: { get: () => { throw boom; } } });
    return response;
  };
  assert.equal(await client.get('/x').catch((e) => e), boom);
  assert.equal(calls.length, 1);
  assert.deepEqual(retries, []);
});

test('a freed client fails a plain call with invalid_options, sending nothing', async () => {
  fresh();
  const client = new SpikeClient({ baseUrl: 'https://api.test', token: token(1) });
  client.free();
  const err = await client.get('/x').catch((e) => e);
  assert.equal(err.code, 'invalid_options');
  assert.equal(calls.length, 0);
});

test('Node\'s own fetch is recognised as the runtime\'s', () => {
  assert.equal(driver.runtimeFetch, nodeFetch);
  assert.equal(globalThis.fetch, nodeFetch);
});

for (const [kind, mock] of [
  ['an arrow function', '() => new Promise(() => {})'],
  // Its source names Node's undici, as Node's own wrapper does, but it is not that wrapper.
  ['a function that mentions Node\'s undici', "function fetch(input, init = undefined) { /* require('internal/deps/undici/undici') */ return new Promise(() => {}); }"],
]) test(`a mock installed as the global fetch before the SDK loads (a setup file: ${kind}) is not the runtime's: one that ignores its signal still times out`, () => {
  const entry = fileURLToPath(new URL('../../build/package/dist/index.mjs', import.meta.url));
  const script = `
    globalThis.fetch = ${mock}; // never answers, never looks at its signal
    const { SpikeClient } = await import(${JSON.stringify(entry)});
    const { runtimeFetch } = await import(${JSON.stringify(entry.replace(/index\.mjs$/, 'driver.mjs'))});
    const client = new SpikeClient({ baseUrl: 'https://api.test', token: ${JSON.stringify(token(1))}, timeoutMs: 50, maxRetries: 0 });
    const started = Date.now();
    const outcome = await Promise.race([client.get('/x').then(() => 'resolved', (e) => e.code), new Promise((r) => setTimeout(r, 2000, 'still pending after 2 s'))]);
    console.log(JSON.stringify({ outcome, ms: Date.now() - started, runtimeFetch: runtimeFetch === undefined ? 'none' : 'set' }));
    process.exit(0);
  `;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
  assert.equal(out.runtimeFetch, 'none', 'the mock is not taken for the runtime\'s fetch');
  assert.equal(out.outcome, 'timeout');
  assert.ok(out.ms < 1500, `${out.ms} ms`);
});

test('a global fetch replaced after the SDK loaded is not the runtime\'s: one that ignores its signal still times out, and a non-Response is refused by name', async () => {
  fresh();
  // No test hook here: this client's fetch is the global one.
  const client = new Client({ baseUrl: 'https://api.test', token: token(1), timeoutMs: 50, maxRetries: 0 });
  try {
    globalThis.fetch = () => new Promise(() => {}); // never answers, never looks at its signal
    const started = Date.now();
    assert.equal((await client.get('/x').catch((e) => e)).code, 'timeout');
    assert.ok(Date.now() - started < 1000);
    globalThis.fetch = () => Promise.resolve(new Response(new ReadableStream({ pull() {} }))); // a body that never comes
    assert.equal((await client.get('/x').catch((e) => e)).code, 'timeout');
    globalThis.fetch = () => Promise.resolve({ ok: true, json: async () => ({}) });
    const shaped = await client.get('/x').catch((e) => e);
    assert.equal(shaped.code, 'invalid_options');
    assert.match(shaped.message, /fetch must resolve to a Response/);
  } finally {
    globalThis.fetch = nodeFetch;
  }
  assert.equal(calls.length, 0, 'the stub was not called');
});
