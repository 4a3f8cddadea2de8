// Issue #19 item 1: every row of the README's table "What each body and headers input becomes",
// run in Node and in headless Chromium. A row is either what arrives at the harness's /echo
// (the real bytes and Content-Type fetch sent) or an `invalid_options` that names the type, with
// nothing sent. The JSON rows also go end to end to the emulator.
import { deepEqual, equal, ok, rejectsWith, throwsSpikeError } from './check.js';

/** `env`: { base: harness URL, emulatorUrl, inBrowser, otherRealm(source): what `source` evaluates to in another realm (a `vm` context, an iframe) }. */
export function inputCases(api, env) {
  const { SpikeClient, SpikeError } = api;
  const { inBrowser } = env;
  const url = (path) => `${env.base}${path}`;
  const reset = () => fetch(url('/control/reset'), { method: 'POST', body: '{}' });
  const stats = async () => (await fetch(url('/control/stats'))).json();
  const tokenProvider = async () => (await fetch(url('/token'))).json();
  /** A client whose API is the harness (its /echo reports what arrived). */
  const echoClient = (options = {}) => new SpikeClient({ baseUrl: env.base, tokenProvider, ...options });
  const apiClient = () => new SpikeClient({ baseUrl: env.emulatorUrl, tokenProvider });

  class Workspace {
    constructor() {
      this.tier = 'md';
      this.ttlSeconds = 60;
    }
  }
  class WorkspaceWithJson extends Workspace {
    toJSON() {
      return { tier: this.tier, ttlSeconds: this.ttlSeconds };
    }
  }

  const cases = [];
  const add = (name, fn) => cases.push([name, async () => {
    await reset();
    await fn();
  }]);

  /** A body row: post(path, body) arrives at /echo as `expected` (fields of the echo). */
  const sends = (name, makeBody, expected) =>
    add(`body ${name}: ${expected.contentType ?? 'no Content-Type'}, ${JSON.stringify(expected.body)}`, async () => {
      const echo = await echoClient().post('/echo', makeBody());
      for (const [key, value] of Object.entries(expected)) {
        if (value instanceof RegExp) ok(value.test(echo[key]), `${name}: ${key} ${JSON.stringify(echo[key])} matches ${value}`);
        else equal(echo[key], value, `${name}: ${key}`);
      }
      ok(echo.authorization, `${name}: the token was sent`);
    });

  /** A refused row: post(path, body) rejects with invalid_options whose message has `names`; nothing is sent. */
  const refuses = (name, makeBody, names) =>
    add(`body ${name}: refused with invalid_options naming ${names}`, async () => {
      const err = await rejectsWith(echoClient().post('/echo', makeBody()), SpikeError, 'invalid_options', name);
      ok(err.message.includes(names), `${name}: "${err.message}" names ${names}`);
      equal((await stats()).echoHits, 0, `${name}: nothing was sent`);
    });

  const JSON_TYPE = 'application/json';
  sends('plain object', () => ({ tier: 'md', ttlSeconds: 60 }), { contentType: JSON_TYPE, body: '{"tier":"md","ttlSeconds":60}' });
  sends('Object.create(null) object', () => Object.assign(Object.create(null), { a: 1 }), { contentType: JSON_TYPE, body: '{"a":1}' });
  sends('array', () => [1, 'two'], { contentType: JSON_TYPE, body: '[1,"two"]' });
  sends('class instance with toJSON()', () => new WorkspaceWithJson(), { contentType: JSON_TYPE, body: '{"tier":"md","ttlSeconds":60}' });
  sends('plain object with toJSON()', () => ({ secret: 'x', toJSON: () => ({ shown: true }) }), { contentType: JSON_TYPE, body: '{"shown":true}' });
  sends('Date (a class with toJSON())', () => new Date(0), { contentType: JSON_TYPE, body: '"1970-01-01T00:00:00.000Z"' });
  sends('number', () => 42, { contentType: JSON_TYPE, body: '42' });
  sends('boolean', () => false, { contentType: JSON_TYPE, body: 'false' });
  sends('string (as is)', () => '{"raw":true}', { contentType: 'text/plain;charset=UTF-8', body: '{"raw":true}' });
  sends('URLSearchParams', () => new URLSearchParams({ a: '1', b: 'x y' }), { contentType: 'application/x-www-form-urlencoded;charset=UTF-8', body: 'a=1&b=x+y' });
  sends('FormData', () => {
    const f = new FormData();
    f.set('field', 'value');
    return f;
  }, { contentType: /^multipart\/form-data; boundary=/, body: /name="field"\r\n\r\nvalue\r\n/ });
  sends('Blob with a type', () => new Blob(['<a/>'], { type: 'application/xml' }), { contentType: 'application/xml', body: '<a/>' });
  sends('Blob without a type', () => new Blob(['bytes']), { contentType: null, body: 'bytes' });
  sends('ArrayBuffer', () => new TextEncoder().encode('buf').buffer, { contentType: null, body: 'buf' });
  sends('Uint8Array', () => new TextEncoder().encode('u8'), { contentType: null, body: 'u8' });
  sends('DataView', () => new DataView(new TextEncoder().encode('dv').buffer), { contentType: null, body: 'dv' });
  sends('File', () => new File(['file text'], 'a.txt', { type: 'text/plain' }), { contentType: 'text/plain', body: 'file text' });
  if (!inBrowser) sends("Node's Buffer", () => globalThis.Buffer.from('buffer'), { contentType: null, body: 'buffer' });
  sends('null (no body)', () => null, { contentType: null, length: 0 });
  sends('undefined (no body)', () => undefined, { contentType: null, length: 0 });

  refuses('class instance without toJSON()', () => new Workspace(), 'Workspace');
  refuses('Map', () => new Map([['tier', 'md']]), 'Map');
  refuses('Set', () => new Set([1]), 'Set');
  refuses('Error', () => new Error('x'), 'Error');
  refuses('boxed String', () => new String('s'), 'String');
  refuses('function', () => () => 1, 'function');
  refuses('symbol', () => Symbol('s'), 'symbol');
  refuses('bigint', () => 1n, 'bigint');
  refuses('NaN', () => NaN, 'NaN');
  refuses('Infinity', () => Infinity, 'Infinity');
  refuses('object whose toJSON() gives undefined', () => ({ toJSON: () => undefined }), 'toJSON');
  // A class that only claims a fetch body's tag is not one: fetch would send "[object Blob]".
  for (const tag of ['Blob', 'URLSearchParams', 'ReadableStream']) {
    refuses(`class whose Symbol.toStringTag is '${tag}'`, () => new (class Tagged {
      a = 1;
      get [Symbol.toStringTag]() {
        return tag;
      }
    })(), 'Tagged');
  }

  // Another realm's values (a Node `vm` context's, an iframe's) are what they are in this one.
  const replayed = [['ArrayBuffer', 'new Uint8Array([104, 105]).buffer', 'hi']];
  if (inBrowser) replayed.push(['Blob', "new Blob(['frame'])", 'frame'], ['URLSearchParams', "new URLSearchParams({ q: 'f' })", 'q=f']);
  for (const [what, source, text] of replayed) {
    add(`body another realm's ${what}: sent again by a retry, as this realm's is`, async () => {
      const echo = await echoClient().put('/echo?fail=1', env.otherRealm(source));
      equal(echo.body, text, `${what}: the retry sent the whole body`);
      equal((await stats()).echoHits, 2, `${what}: a 503, then the retry`);
    });
  }
  sends("another realm's plain object", () => env.otherRealm('({ a: 1, b: [2] })'), { contentType: JSON_TYPE, body: '{"a":1,"b":[2]}' });
  sends("another realm's Object.create(null) object", () => env.otherRealm('Object.assign(Object.create(null), { a: 1 })'), { contentType: JSON_TYPE, body: '{"a":1}' });
  refuses("another realm's class instance without toJSON()", () => env.otherRealm('new (class Foreign { a = 1 })()'), 'Foreign');
  if (inBrowser) {
    sends("another realm's Blob", () => env.otherRealm("new Blob(['frame'], { type: 'text/x-frame' })"), { contentType: 'text/x-frame', body: 'frame' });
    sends("another realm's URLSearchParams", () => env.otherRealm("new URLSearchParams({ q: 'f' })"), { contentType: 'application/x-www-form-urlencoded;charset=UTF-8', body: 'q=f' });
    add("body another realm's ReadableStream: given to fetch as a stream (network_error over HTTP/1.1), not refused as an async iterable", async () => {
      const stream = env.otherRealm('new ReadableStream({ start(c) { c.enqueue(new Uint8Array([104, 105])); c.close(); } })');
      await rejectsWith(echoClient().post('/echo', stream), SpikeError, 'network_error', 'HTTP/1.1 stream upload');
    });
  }

  add('body ReadableStream: streamed once (Node); Chromium streams only over HTTP/2, so over HTTP/1.1 it is network_error', async () => {
    const stream = () => new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('chunk-1,'));
        c.enqueue(new TextEncoder().encode('chunk-2'));
        c.close();
      },
    });
    if (inBrowser) {
      await rejectsWith(echoClient().post('/echo', stream()), SpikeError, 'network_error', 'HTTP/1.1 stream upload');
      return;
    }
    const echo = await echoClient().post('/echo', stream());
    equal(echo.body, 'chunk-1,chunk-2', 'streamed body');
    equal(echo.contentType, null, 'no Content-Type');
    ok(echo.chunked, 'sent chunked');
  });

  add('body async iterable: streamed once where fetch streams one (Node), else invalid_options (Chromium would send "[object Object]")', async () => {
    const iterable = () => ({
      async *[Symbol.asyncIterator]() {
        yield new TextEncoder().encode('it-1,');
        yield new TextEncoder().encode('it-2');
      },
    });
    if (inBrowser) {
      const err = await rejectsWith(echoClient().post('/echo', iterable()), SpikeError, 'invalid_options', 'async iterable');
      ok(err.message.includes('async iterable'), err.message);
      equal((await stats()).echoHits, 0, 'nothing was sent');
      return;
    }
    const echo = await echoClient().post('/echo', iterable());
    equal(echo.body, 'it-1,it-2', 'streamed body');
    ok(echo.chunked, 'sent chunked');
  });

  add('body: a Content-Type the caller set wins over application/json', async () => {
    const echo = await echoClient().post('/echo', { a: 1 }, { headers: { 'content-type': 'application/merge-patch+json' } });
    equal(echo.contentType, 'application/merge-patch+json', 'content type');
    equal(echo.body, '{"a":1}', 'body');
  });

  add("body: the headers option's Content-Type wins over application/json; a per-request one wins over both", async () => {
    const c = echoClient({ headers: { 'Content-Type': 'application/vnd.api+json' } });
    const object = await c.post('/echo', { a: 1 });
    equal(object.contentType, 'application/vnd.api+json', 'object body');
    equal(object.body, '{"a":1}', 'object body is JSON');
    equal((await c.put('/echo', [1])).contentType, 'application/vnd.api+json', 'array body');
    equal((await c.post('/echo', '{"s":1}')).contentType, 'application/vnd.api+json', 'string body');
    const own = await c.patch('/echo', { a: 1 }, { headers: { 'content-type': 'application/merge-patch+json' } });
    equal(own.contentType, 'application/merge-patch+json', 'per-request type wins');
    equal((await echoClient({ headers: { 'X-App-Version': '1' } }).post('/echo', { a: 1 })).contentType, JSON_TYPE, 'other option headers: application/json');
  });

  add("fetch()/request() init.body: fetch's bodies as they are; plain data refused (fetch would send \"[object Object]\")", async () => {
    const c = echoClient();
    const res = await c.fetch('/echo', { method: 'POST', body: new URLSearchParams({ q: '1' }) });
    equal((await res.json()).body, 'q=1', 'fetch() URLSearchParams');
    equal((await c.request('/echo', { method: 'PUT', body: 'text' })).body, 'text', 'request() string');
    for (const body of [{ a: 1 }, [1], new Workspace(), 5]) {
      await rejectsWith(c.fetch('/echo', { method: 'POST', body }), SpikeError, 'invalid_options', `fetch() ${JSON.stringify(body)}`);
      await rejectsWith(c.request('/echo', { method: 'POST', body }), SpikeError, 'invalid_options', `request() ${JSON.stringify(body)}`);
    }
    const err = await rejectsWith(c.fetch('/echo', { method: 'POST', body: new Map() }), SpikeError, 'invalid_options', 'fetch() Map');
    ok(err.message.includes('Map'), err.message);
    equal((await stats()).echoHits, 2, 'only the two good calls were sent');
  });

  add('end to end: a class instance with toJSON() creates a workspace; one without is refused before the API sees it', async () => {
    const c = apiClient();
    const ws = await c.post('/platform/api/workspaces', new WorkspaceWithJson());
    equal(ws.tier, 'md', 'created');
    const err = await rejectsWith(c.post('/platform/api/workspaces', new Workspace()), SpikeError, 'invalid_options', 'no toJSON');
    ok(err.message.includes('Workspace'), err.message);
    equal(c.tokenSource, 'tokenProvider', 'client still usable');
    deepEqual((await c.get('/platform/api/workspaces')).workspaces.length, 1, 'still usable; one workspace');
  });

  // Headers: every HeadersInit form, in the client options and per request.
  const headerForms = {
    record: () => ({ 'X-App-Version': '1.2.3' }),
    '[name, value] pairs': () => [['X-App-Version', '1.2.3']],
    Headers: () => new Headers({ 'X-App-Version': '1.2.3' }),
  };
  for (const [form, make] of Object.entries(headerForms)) {
    add(`headers option as ${form}: sent with every request`, async () => {
      const c = echoClient({ headers: make() });
      equal((await c.get('/echo')).appVersion, '1.2.3', 'get');
      equal((await c.post('/echo', { a: 1 })).appVersion, '1.2.3', 'post');
      const res = await c.fetch('/echo', { headers: { 'X-Request-Id': 'r1' } });
      const echo = await res.json();
      equal(echo.appVersion, '1.2.3', 'fetch with its own headers');
      equal(echo.requestId, 'r1', 'and those');
    });
    add(`per-request headers as ${form}: sent, and win over the client's`, async () => {
      const c = echoClient({ headers: { 'X-App-Version': '0.0.1', 'X-Request-Id': 'client' } });
      const echo = await c.get('/echo', { headers: make() });
      equal(echo.appVersion, '1.2.3', 'request wins');
      equal(echo.requestId, 'client', "the client's other header");
      equal((await echoClient().post('/echo', { a: 1 }, { headers: make() })).appVersion, '1.2.3', 'no client headers');
    });
  }

  add("headers option as another realm's plain object (and, in a browser, Headers): sent with every request", async () => {
    const forms = inBrowser ? [env.otherRealm("new Headers({ 'X-App-Version': '7.0.0' })")] : [];
    forms.push(env.otherRealm("({ 'X-App-Version': '7.0.0' })"));
    for (const headers of forms) {
      const c = echoClient({ headers });
      equal((await c.get('/echo')).appVersion, '7.0.0', 'get');
      equal((await c.post('/echo', { a: 1 })).appVersion, '7.0.0', 'post');
    }
  });

  add('headers option whose getter throws: invalid_options at construction, with the thrown error as its cause', () => {
    const boom = new Error('boom');
    const headers = {
      get 'X-App-Version'() {
        throw boom;
      },
    };
    const err = throwsSpikeError(() => echoClient({ headers }), SpikeError, 'invalid_options', 'getter throws');
    ok(err.message.includes('headers'), err.message);
    equal(err.cause, boom, 'the cause');
  });

  add('headers option: copied at construction; per-request non-string values are converted as by fetch', async () => {
    const given = { 'X-App-Version': '1.0.0' };
    const c = echoClient({ headers: given });
    given['X-App-Version'] = '2.0.0';
    given['X-Request-Id'] = 'later';
    const echo = await c.get('/echo');
    equal(echo.appVersion, '1.0.0', 'the value at construction');
    equal(echo.requestId, null, 'a header added later');
    equal((await c.get('/echo', { headers: { 'X-Request-Id': 5 } })).requestId, '5', 'per-request number');
  });

  add('headers option: non-string values, a Map, a class instance, bad names or values are invalid_options at construction', () => {
    const bad = {
      'number value': { 'x-a': 1 },
      'pair with a number': [['x-a', 1]],
      'pair of three': [['x-a', 'b', 'c']],
      'not a pair': ['x-a'],
      Map: new Map([['x-a', 'b']]),
      'class instance': new Workspace(),
      'bad name': { 'bad name': 'x' },
      'bad value': { 'x-a': 'line\nbreak' },
      string: 'x-a: b',
    };
    for (const [what, headers] of Object.entries(bad)) {
      const err = throwsSpikeError(() => echoClient({ headers }), SpikeError, 'invalid_options', what);
      ok(err.message.includes('headers'), `${what}: ${err.message}`);
    }
  });

  add('per-request headers fetch refuses are invalid_options, and the client stays usable', async () => {
    const c = echoClient();
    await rejectsWith(c.get('/echo', { headers: { 'bad name': 'x' } }), SpikeError, 'invalid_options', 'bad name');
    await rejectsWith(c.get('/echo', { headers: [['x-a']] }), SpikeError, 'invalid_options', 'bad pair');
    ok((await c.get('/echo')).authorization, 'still usable');
  });

  return cases;
}
