// What the .d.ts files (js/types) promise, held at run time against the emulator on 127.0.0.1:
// every optional option the types let be `undefined` is accepted as "not given" (defaults apply),
// the token-source rule the types encode is the runtime's, and each member of the `SpikeError`
// union has the `status`/`body` its type says. tests/types checks the same promises at compile time.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { SpikeClient, SpikeError, decodeToken, isTokenExpired } from '../../build/package/dist/index.mjs';
import * as server from '../../build/package/dist/server.node.mjs';
import { startEmulator } from '../../build/package/dist/testing.mjs';

let emu;
let token;
before(async () => {
  emu = await startEmulator({ port: undefined, host: undefined, apiKey: undefined, tokenTtlSeconds: undefined, issuer: undefined, tenantId: undefined });
  ({ token } = emu.issueToken({ userId: 'u1', name: undefined, email: undefined, scopes: undefined, expSeconds: undefined, claims: undefined }));
});
after(() => emu?.close());

const isCode = (code) => (err) => err instanceof SpikeError && err.code === code;
const COMMON_UNDEFINED = { refreshLeewaySeconds: undefined, timeoutMs: undefined, maxRetries: undefined, fetch: undefined, headers: undefined };

describe('options given as undefined are "not given"', () => {
  test('emulator options, issueToken and inject', () => {
    assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'host defaults to 127.0.0.1, port to a free one');
    assert.match(emu.apiKey, /^sk_test_/);
    const claims = decodeToken(token);
    assert.equal(claims.exp - claims.iat, 3600, 'tokenTtlSeconds and expSeconds default to 3600');
    assert.equal(claims.iss, 'https://api.spikelabs.com');
    emu.inject({ status503: undefined, retryAfter: undefined, dropConnections: undefined, latencyMs: undefined, tokenExpired: undefined, expireTokens: undefined, rates: undefined, slowMs: undefined });
    emu.inject({ rates: { status503: undefined, drop: undefined, tokenExpired: undefined, slow: undefined } });
    assert.equal(isTokenExpired(token, undefined), false);
  });

  test('SpikeClient: each source with the other two undefined, every other option undefined, requests work', async () => {
    const clients = [
      new SpikeClient({ token, tokenProvider: undefined, tokenEndpoint: undefined, baseUrl: emu.url, ...COMMON_UNDEFINED }),
      new SpikeClient({ token: undefined, tokenProvider: async () => ({ token, expires_at: undefined, expires_in: undefined }), tokenEndpoint: undefined, baseUrl: emu.url, ...COMMON_UNDEFINED }),
    ];
    for (const client of clients) {
      const ws = await client.post('/platform/api/workspaces', { tier: 'md', ttlSeconds: 60 }, { retry: undefined, signal: undefined, headers: undefined });
      assert.equal(typeof ws.id, 'string');
      const list = await client.get('/platform/api/workspaces', undefined);
      assert.ok(Array.isArray(list.workspaces));
      assert.equal((await client.fetch('/platform/api/workspaces', { method: undefined, body: undefined })).status, 200);
    }
    assert.equal(new SpikeClient({ token, baseUrl: undefined }).baseUrl, 'https://api.spikelabs.com');
    const endpoint = new SpikeClient({ tokenEndpoint: { url: `${emu.url}/t`, method: undefined, headers: undefined, credentials: undefined, body: undefined } });
    assert.equal(endpoint.tokenSource, 'tokenEndpoint');
  });

  test('no token source, or two, is invalid_options (the types refuse both)', () => {
    assert.throws(() => new SpikeClient({}), isCode('invalid_options'));
    assert.throws(() => new SpikeClient({ token: undefined, tokenProvider: undefined, tokenEndpoint: undefined }), isCode('invalid_options'));
    assert.throws(() => new SpikeClient({ token, tokenProvider: async () => token }), isCode('invalid_options'));
    assert.throws(() => new SpikeClient({ token, tokenEndpoint: '/t' }), isCode('invalid_options'));
  });

  test('server helpers: mintToken, createTokenHandler (+ cors), createWebhookHandler, toNodeHandler, redirects, settings', async () => {
    const minted = await server.mintToken({ apiKey: emu.apiKey, userId: 'u2', baseUrl: emu.url, name: undefined, email: undefined, scopes: undefined, expSeconds: undefined, fetch: undefined });
    assert.equal(decodeToken(minted.token).user_id, 'u2');
    const handler = server.createTokenHandler({
      apiKey: emu.apiKey, baseUrl: emu.url, getUser: () => ({ id: 'u3', name: undefined, email: undefined, scopes: undefined, userId: undefined, user_id: undefined }),
      expSeconds: undefined, scopes: undefined, cacheSize: undefined, fetch: undefined, onError: undefined,
      cors: { origins: ['https://app.example.com'], credentials: undefined, allowHeaders: undefined },
    });
    const res = await handler(new Request('http://127.0.0.1/t', { headers: { origin: 'https://app.example.com' } }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true', 'cors.credentials defaults to true');
    assert.equal(decodeToken((await res.json()).token).user_id, 'u3');
    assert.equal(typeof server.createTokenHandler({ apiKey: 'sk_test_x', getUser: () => null, cors: undefined }), 'function');

    const webhooks = server.createWebhookHandler({ signatureKey: 'whsec_0123456789', onEvents: () => {}, onError: undefined, maxBodyBytes: undefined });
    const node = createServer(server.toNodeHandler(webhooks, { maxBodyBytes: undefined }));
    await new Promise((resolve) => node.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${node.address().port}/`;
      const big = await fetch(url, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
      assert.equal(big.status, 413, 'maxBodyBytes defaults to 1 MiB');
      assert.equal((await fetch(url, { method: 'POST', body: '[]' })).status, 401);
    } finally {
      await new Promise((resolve) => node.close(resolve));
    }
    assert.equal(server.buildRedirectUrl('https://a.example.com/{provider_slug}', { provider_slug: 'garmin', application_user_id: undefined, provider_user_id: undefined }), 'https://a.example.com/garmin');
    assert.deepEqual(server.validateAppSettings({ maxBackfillDays: 30, retentionDays: undefined, defaultRedirectUrl: undefined, allowedRedirectDomains: undefined, webhookUrl: undefined }), []);
  });
});

describe('each SpikeError has the status and body its type says', () => {
  test('new SpikeError(code, message, options) sets what the constructor types say; subclasses keep instanceof', () => {
    const http = new SpikeError('http_error', 'HTTP 500', { status: 500, body: null });
    assert.deepEqual([http.code, http.status, Object.hasOwn(http, 'body'), http.body], ['http_error', 500, true, null]);
    const local = new SpikeError('timeout', 'slow', { cause: 'x' });
    assert.deepEqual([local.code, Object.hasOwn(local, 'status'), local.cause], ['timeout', false, 'x']);
    class WrappedError extends SpikeError {}
    const wrapped = new WrappedError('http_error', 'HTTP 502', { status: 502 });
    assert.ok(wrapped instanceof WrappedError && wrapped instanceof SpikeError);
    assert.ok(!(http instanceof WrappedError));
    assert.equal(wrapped.status, 502);
  });


  test('http_error (request): a number status and a body, the parsed answer or null', async () => {
    const client = new SpikeClient({ token, baseUrl: emu.url });
    const err = await client.get('/platform/api/workspaces/nope').catch((e) => e);
    assert.ok(isCode('http_error')(err), String(err));
    assert.equal(err.status, 404);
    assert.ok(Object.hasOwn(err, 'body'));
    assert.equal(typeof err.body.error, 'string', 'the API answers a SpikeErrorBody');
    assert.equal(typeof err.body.message, 'string');
  });

  test('http_error (mintToken): a number status', async () => {
    const err = await server.mintToken({ apiKey: emu.apiKey, userId: 'u', baseUrl: emu.url, expSeconds: 86400 * 2 }).catch((e) => e);
    assert.ok(err instanceof SpikeError, String(err));
    if (err.code === 'http_error') assert.equal(typeof err.status, 'number');
    else assert.equal(err.code, 'invalid_options', 'refused before sending');
  });

  test('401 codes: status 401 from the API, none when decided locally', async () => {
    const apiErr = await new SpikeClient({ token: emu.issueToken({ claims: { iss: 'https://evil.example' } }).token, baseUrl: emu.url }).get('/platform/api/workspaces').catch((e) => e);
    assert.ok(isCode('invalid_issuer')(apiErr), String(apiErr));
    assert.equal(apiErr.status, 401);
    const local = (() => {
      try {
        decodeToken('x');
      } catch (e) {
        return e;
      }
    })();
    assert.ok(isCode('invalid_token')(local));
    assert.equal(local.status, undefined);
  });

  test('local failures (network_error, invalid_options, aborted) have no status and no body', async () => {
    const closed = createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = closed.address().port;
    await new Promise((resolve) => closed.close(resolve));
    const errors = [
      await new SpikeClient({ token, baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 }).get('/x').catch((e) => e),
      await new SpikeClient({ token, baseUrl: emu.url }).get('/x', { signal: AbortSignal.abort() }).catch((e) => e),
      (() => {
        try {
          return new SpikeClient({});
        } catch (e) {
          return e;
        }
      })(),
    ];
    assert.deepEqual(errors.map((e) => e.code), ['network_error', 'aborted', 'invalid_options']);
    for (const err of errors) {
      assert.ok(!Object.hasOwn(err, 'status'), `${err.code} has a status`);
      assert.ok(!Object.hasOwn(err, 'body'), `${err.code} has a body`);
    }
  });
});
