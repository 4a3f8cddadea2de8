// decodeToken / isTokenExpired / SpikeError cases, written once and run against every build:
// Node (ESM and CJS), headless Chromium, and the installed tarball.
import { deepEqual, equal, throwsSpikeError } from './check.js';
import { VECTORS, b64url, makeToken, malformedInputs, spikeToken } from './tokens.js';

/** Returns [name, fn] pairs exercising `api` (the module's exports). */
export function decodeCases(api) {
  const { decodeToken, isTokenExpired, SpikeError } = api;
  const cases = [];

  for (const [name, { token, claims }] of Object.entries(VECTORS)) {
    cases.push([`decodes the jwt-decode vector "${name}"`, () => deepEqual(decodeToken(token), claims, name)]);
  }

  cases.push(['keeps every Spike claim, Unicode and custom ones included', () => {
    const claims = decodeToken(spikeToken({ exp: 2000000000 }));
    equal(claims.sub, 'tenant-1:user-42', 'sub');
    equal(claims.name, 'Zoë 日本 🚀', 'name');
    deepEqual(claims.scopes, ['workspaces:read', 'workspaces:write'], 'scopes');
    deepEqual(claims.plan, { tier: 'md', seats: 3 }, 'custom claim');
    equal(claims.exp, 2000000000, 'exp');
  }]);

  cases.push(['accepts explicit = padding', () => {
    const [h, p, s] = VECTORS.doublePadding.token.split('.');
    deepEqual(decodeToken(`${h}.${p}==.${s}`), VECTORS.doublePadding.claims, 'padded');
  }]);

  cases.push(['every malformed input throws invalid_token and the module keeps working', () => {
    for (const [what, input] of malformedInputs()) {
      const err = throwsSpikeError(() => decodeToken(input), SpikeError, 'invalid_token', what);
      const payload = typeof input === 'string' ? (input.split('.')[1] ?? '') : '';
      if (payload.length >= 8 && err.message.includes(payload.slice(0, 8))) {
        throw new Error(`${what}: the error message echoes the token`);
      }
      deepEqual(decodeToken(VECTORS.basic.token), VECTORS.basic.claims, `decode after ${what}`);
    }
  }]);

  cases.push(['decodes tokens of any length in any order, while the wasm memory grows', () => {
    // decodeToken reads tokens through scratch room in the wasm memory, sized for the longest token
    // so far: a longer one moves it, and memory growth (there or elsewhere) detaches old views.
    const small = spikeToken({ exp: 2000000000 });
    const big = makeToken({ sub: 'big', blob: 'x'.repeat(40000), exp: 2000000000 });
    const atLimit = `${b64url('{}')}.${b64url('{"a":1}')}.`.padEnd(65536, 's');
    equal(atLimit.length, 65536, 'a token of exactly 65536 bytes');
    equal(decodeToken(small).exp, 2000000000, 'small');
    equal(decodeToken(big).blob.length, 40000, 'big after small');
    deepEqual(decodeToken(atLimit), { a: 1 }, 'at the limit');
    equal(decodeToken(small).sub, 'tenant-1:user-42', 'small after big');
    // Grow the memory outside decodeToken (a client keeping a big token), then decode again.
    const { SpikeClient } = api;
    const pages = SpikeClient.__memoryPages();
    const clients = [];
    while (SpikeClient.__memoryPages() === pages && clients.length < 100) {
      clients.push(new SpikeClient({ token: makeToken({ blob: 'y'.repeat(45000), exp: 2000000000 }), baseUrl: 'http://127.0.0.1:9' }));
    }
    equal(SpikeClient.__memoryPages() > pages, true, `the memory grew (${pages} pages, then ${SpikeClient.__memoryPages()}, with ${clients.length} clients)`);
    deepEqual(decodeToken(VECTORS.basic.token), VECTORS.basic.claims, 'after the memory grew elsewhere');
    equal(decodeToken(big).blob.length, 40000, 'big again');
  }]);

  cases.push(['isTokenExpired honours exp and the leeway', () => {
    const now = Math.floor(Date.now() / 1000);
    equal(isTokenExpired(VECTORS.basic.token), true, 'a 2014 token');
    equal(isTokenExpired(spikeToken({ exp: now + 3600 })), false, 'an hour left');
    equal(isTokenExpired(spikeToken({ exp: now + 30 }), 60), true, '30 s left, 60 s leeway');
    equal(isTokenExpired(spikeToken({ exp: now + 30 }), 10), false, '30 s left, 10 s leeway');
    equal(isTokenExpired(makeToken({ sub: 'no-exp' })), false, 'no exp claim');
    throwsSpikeError(() => isTokenExpired('nope'), SpikeError, 'invalid_token', 'bad token');
    throwsSpikeError(() => isTokenExpired(VECTORS.basic.token, -5), SpikeError, 'invalid_options', 'negative leeway');
    throwsSpikeError(() => isTokenExpired(VECTORS.basic.token, 'soon'), SpikeError, 'invalid_options', 'string leeway');
  }]);

  cases.push(['SpikeError is an Error with code, status and a secret-free JSON form', () => {
    const err = new SpikeError('http_error', 'Bad gateway', { status: 502, body: { error: 'x' } });
    equal(err instanceof Error, true, 'instanceof Error');
    equal(err.code, 'http_error', 'code');
    equal(err.status, 502, 'status');
    deepEqual(JSON.parse(JSON.stringify(err)), { name: 'SpikeError', code: 'http_error', message: 'Bad gateway', status: 502, body: { error: 'x' } }, 'toJSON');
  }]);

  cases.push(['SpikeClient requires exactly one token source', () => {
    const { SpikeClient } = api;
    throwsSpikeError(() => new SpikeClient({}), SpikeError, 'invalid_options', 'no source');
    throwsSpikeError(() => new SpikeClient({ token: 't', tokenEndpoint: '/t' }), SpikeError, 'invalid_options', 'two sources');
    throwsSpikeError(() => new SpikeClient({ token: 't', baseUrl: 'ftp://x' }), SpikeError, 'invalid_options', 'bad baseUrl');
    const client = new SpikeClient({ token: VECTORS.basic.token, baseUrl: 'http://127.0.0.1:9/' });
    equal(client.baseUrl, 'http://127.0.0.1:9', 'baseUrl');
    equal(client.tokenSource, 'token', 'tokenSource');
  }]);

  return cases;
}
