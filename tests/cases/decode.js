// decodeToken / isTokenExpired / SpikeError cases, written once and run against every build:
// Node (ESM and CJS), headless Chromium, and the installed tarball.
import { deepEqual, equal, throwsSpikeError } from './check.js';
import { VECTORS, makeToken, malformedInputs, spikeToken } from './tokens.js';

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
