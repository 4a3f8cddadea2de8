// The SDK under users' fetch mocks (issue 23, items 2 and 3): every attempt hands fetch its own
// init, never changed afterwards, so a recording mock shows what each attempt really sent; and a
// misused mock fails as a SpikeError that says what the client needs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpikeClient, SpikeError } from '../../build/package/dist/index.mjs';
import { makeToken } from '../cases/tokens.js';

const token = (n) => makeToken({ sub: 't:u', user_id: `u${n}`, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 });
const expired = () => Response.json({ error: 'token_expired', message: 'Token has expired' }, { status: 401 });

for (const headers of [undefined, new Headers({ 'x-app': '1' })]) {
  test(`a recording fetch mock sees each attempt's own token (headers ${headers ? 'as Headers' : 'absent'})`, async () => {
    const tokens = [token(1), token(2)];
    let fetches = 0;
    const calls = [];
    const answers = [expired(), expired(), Response.json({ workspaces: [] })];
    const client = new SpikeClient({
      baseUrl: 'https://api.test',
      tokenProvider: async () => tokens[fetches++],
      fetch: async (url, init) => {
        calls.push(init);
        return answers.shift();
      },
    });
    assert.deepEqual(await client.get('/platform/api/workspaces', headers ? { headers } : undefined), { workspaces: [] });
    // Read after the whole request: the first two attempts sent token 1, the forced refresh token 2.
    const sent = calls.map((init) => new Headers(init.headers).get('authorization'));
    assert.deepEqual(sent, [`Bearer ${tokens[0]}`, `Bearer ${tokens[0]}`, `Bearer ${tokens[1]}`]);
    assert.equal(new Set(calls).size, 3, 'each attempt got its own init object');
    if (headers) assert.equal(headers.has('authorization'), false, "the caller's Headers were not written to");
  });
}

test('a mock that returns one Response twice: the second call is a SpikeError naming the problem', async () => {
  const shared = Response.json({ workspaces: [] });
  const client = new SpikeClient({ baseUrl: 'https://api.test', token: token(1), fetch: async () => shared });
  assert.deepEqual(await client.get('/platform/api/workspaces'), { workspaces: [] });
  const err = await client.get('/platform/api/workspaces').catch((e) => e);
  assert.ok(err instanceof SpikeError, `not a SpikeError: ${err}`);
  assert.equal(err.code, 'invalid_options');
  assert.match(err.message, /already read/);
  // The client stays usable with a well-behaved fetch afterwards.
  const fine = new SpikeClient({ baseUrl: 'https://api.test', token: token(1), fetch: async () => Response.json({ ok: 1 }) });
  assert.deepEqual(await fine.get('/x'), { ok: 1 });
});

for (const [what, answer] of [
  ['a plain { ok, status, json } object', { ok: true, status: 200, json: async () => ({}) }],
  ['undefined', undefined],
  ['a string', 'ok'],
]) {
  test(`a mock that resolves to ${what}: SpikeError invalid_options saying fetch must give a Response`, async () => {
    const client = new SpikeClient({ baseUrl: 'https://api.test', token: token(1), fetch: async () => answer });
    for (const call of [() => client.get('/x'), () => client.fetch('/x')]) {
      const err = await call().catch((e) => e);
      assert.ok(err instanceof SpikeError, `not a SpikeError: ${err}`);
      assert.equal(err.code, 'invalid_options');
      assert.match(err.message, /must resolve to a Response/);
    }
  });
}

test("a caller's abort just after the answer ends the body read even where queueMicrotask is faked (Jest's default fake timers)", async () => {
  const real = globalThis.queueMicrotask;
  const held = [];
  globalThis.queueMicrotask = (cb) => held.push(cb); // what a faked one does: runs nothing until the test advances
  try {
    for (let ticks = 1; ticks <= 4; ticks++) {
      const ac = new AbortController();
      const stalled = new ReadableStream({ start() {} }); // headers come, the body never does
      const client = new SpikeClient({
        baseUrl: 'https://api.test',
        token: token(1),
        timeoutMs: 60_000,
        maxRetries: 0,
        fetch: () => {
          const answer = Promise.resolve(new Response(stalled));
          let later = answer;
          for (let i = 0; i < ticks; i++) later = later.then(() => {});
          later.then(() => ac.abort('late'));
          return answer; // a mock that ignores its signal
        },
      });
      const outcome = await Promise.race([
        client.get('/x', { signal: ac.signal }).then(() => 'resolved', (e) => e.code),
        new Promise((resolve) => setTimeout(resolve, 1000, 'still pending after 1 s')),
      ]);
      assert.equal(outcome, 'aborted', `abort ${ticks} ticks after the answer`);
    }
  } finally {
    globalThis.queueMicrotask = real;
  }
});

test('a fetch option answering a 401 without clone() is refused by name (its error code is read from a copy)', async () => {
  const client = new SpikeClient({
    baseUrl: 'https://api.test',
    token: token(1),
    fetch: async () => ({ status: 401, headers: new Headers(), text: async () => '{"error":"token_expired"}' }),
  });
  const err = await client.get('/platform/api/workspaces').catch((e) => e);
  assert.ok(err instanceof SpikeError, `${err}`);
  assert.equal(err.code, 'invalid_options');
  assert.match(err.message, /401 without clone\(\)/);
});

test('fetch is called as a plain function, as a browser requires (its fetch throws Illegal invocation for any other this)', async () => {
  const receivers = [];
  const client = new SpikeClient({
    baseUrl: 'https://api.test',
    tokenEndpoint: 'https://app.test/token',
    fetch(url, init) {
      receivers.push(this);
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
      return Promise.resolve(String(url).startsWith('https://app.test/') ? Response.json({ token: token(1) }) : Response.json({ workspaces: [] }));
    },
  });
  assert.deepEqual(await client.get('/platform/api/workspaces'), { workspaces: [] });
  assert.equal(receivers.length, 2, 'the token endpoint, then the API');
});

test('a fetch that ignores its signal and answers after the timeout: that late answer is freed (its body cancelled), not left holding a connection', async () => {
  let answer;
  let cancelled;
  const freed = new Promise((resolve) => (cancelled = resolve));
  const client = new SpikeClient({
    baseUrl: 'https://api.test',
    token: token(1),
    timeoutMs: 30,
    fetch: () => new Promise((resolve) => (answer = resolve)), // never looks at init.signal
  });
  const err = await client.get('/platform/api/workspaces').catch((e) => e);
  assert.equal(err.code, 'timeout');
  answer(new Response(new ReadableStream({ pull() {}, cancel: () => cancelled('cancelled') })));
  const outcome = await Promise.race([freed, new Promise((resolve) => setTimeout(resolve, 2000, 'still open after 2 s'))]);
  assert.equal(outcome, 'cancelled');
  // A late answer that is not a Response at all is dropped quietly (no unhandled rejection).
  const quiet = new SpikeClient({ baseUrl: 'https://api.test', token: token(1), timeoutMs: 30, fetch: () => new Promise((resolve) => (answer = resolve)) });
  assert.equal((await quiet.get('/p').catch((e) => e)).code, 'timeout');
  answer(null);
});
