// Hostile and malformed input to every exported function and entry point, then proof that the
// same module instance still works; and that no token or key leaks into errors or logs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import * as sdk from '../../build/package/dist/index.mjs';
import * as server from '../../build/package/dist/server.node.mjs';
import { startEmulator } from '../../build/package/dist/testing.mjs';
import * as testing from '../../build/package/dist/testing.mjs';

const API_KEY = 'sk_test_bad_input_secret_key_42';
const HMAC_KEY = 'hmac_secret_key_0123456789';
let emu;
let goodToken;
before(async () => {
  emu = await startEmulator({ apiKey: API_KEY });
  goodToken = emu.issueToken({ userId: 'bad_input_user' }).token;
});
after(() => emu.close());

const cyclic = {};
cyclic.self = cyclic;
const hostile = () => [
  undefined, null, 0, -1, NaN, Infinity, 1n, true, '', ' ', '\u0000', 'x'.repeat(1 << 20), '💥'.repeat(1000),
  {}, [], [null], cyclic, () => 'x', Symbol('s'), new Date(), Promise.resolve('x'), new Uint8Array(3),
  new Proxy({}, { get() { throw new Error('trap'); }, has() { throw new Error('trap'); } }),
  Object.create(null),
  { toString() { throw new Error('toString'); } },
];

/** Calls fn; it may return, throw or reject, but only with a SpikeError or a plain value. */
async function survives(label, fn) {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof sdk.SpikeError, `${label}: threw a non-SpikeError: ${err?.stack ?? err}`);
    assert.equal(typeof err.code, 'string', label);
  }
}

async function stillWorks() {
  assert.equal(sdk.decodeToken(goodToken).user_id, 'bad_input_user');
  const client = new sdk.SpikeClient({ baseUrl: emu.url, token: goodToken });
  assert.deepEqual(await client.get('/platform/api/workspaces'), { workspaces: [] });
  assert.equal(server.signUserId(HMAC_KEY, 'u').length, 64);
}

test('every export survives hostile arguments, and the module keeps working', async () => {
  for (const [i, bad] of hostile().entries()) {
    const label = `input #${i}`;
    await survives(`${label} decodeToken`, () => sdk.decodeToken(bad));
    await survives(`${label} isTokenExpired`, () => sdk.isTokenExpired(goodToken, bad));
    await survives(`${label} isTokenExpired token`, () => sdk.isTokenExpired(bad));
    await survives(`${label} parseIntegrationRedirect`, () => sdk.parseIntegrationRedirect(bad));
    await survives(`${label} new SpikeClient`, () => new sdk.SpikeClient(bad));
    for (const key of ['token', 'tokenProvider', 'tokenEndpoint', 'baseUrl', 'timeoutMs', 'maxRetries', 'refreshLeewaySeconds', 'headers', 'fetch']) {
      await survives(`${label} option ${key}`, () => new sdk.SpikeClient({ tokenProvider: () => goodToken, [key]: bad }));
    }
    const client = new sdk.SpikeClient({ baseUrl: emu.url, token: goodToken, maxRetries: 0, timeoutMs: 2000 });
    await survives(`${label} fetch path`, () => client.fetch(bad));
    await survives(`${label} fetch init`, () => client.fetch('/platform/api/workspaces', bad));
    await survives(`${label} post body`, () => client.post('/platform/api/workspaces', bad));
    await survives(`${label} on`, () => client.on(bad, bad));
    await survives(`${label} provider result`, () => new sdk.SpikeClient({ baseUrl: emu.url, tokenProvider: () => bad, timeoutMs: 500 }).getToken());
    await survives(`${label} signUserId`, () => server.signUserId(bad, bad));
    await survives(`${label} signUserId user`, () => server.signUserId(HMAC_KEY, bad));
    assert.equal(server.verifyWebhookSignature(HMAC_KEY, bad, bad), false, `${label} verifyWebhookSignature`);
    await survives(`${label} parseWebhookEvents`, () => server.parseWebhookEvents(bad));
    await survives(`${label} buildRedirectUrl`, () => server.buildRedirectUrl(bad, bad));
    await survives(`${label} buildRedirectUrl values`, () => server.buildRedirectUrl('https://a.com/{provider_slug}', bad));
    assert.equal(server.isAllowedRedirect(bad, bad), false, `${label} isAllowedRedirect`);
    assert.ok(Array.isArray(server.validateAppSettings(bad)), `${label} validateAppSettings`);
    await survives(`${label} mintToken`, () => server.mintToken(bad));
    await survives(`${label} createTokenHandler`, () => server.createTokenHandler(bad));
    await survives(`${label} createWebhookHandler`, () => server.createWebhookHandler(bad));
    await survives(`${label} toNodeHandler`, () => server.toNodeHandler(bad));
    if (bad !== undefined && !(typeof bad === 'object' && bad !== null && Object.keys(bad).length === 0 && !Array.isArray(bad))) {
      // ({} and undefined are valid: they start an emulator with defaults.)
      await survives(`${label} startEmulator`, async () => (await testing.startEmulator(bad)).close());
    }
    await survives(`${label} inject`, () => emu.inject(bad));
    emu.reset();
    const handler = server.createTokenHandler({ apiKey: API_KEY, baseUrl: emu.url, getUser: () => bad });
    const res = await handler(new Request('http://127.0.0.1/'));
    // 502 is the contract when the API refuses to mint (e.g. a 1 MiB user ID).
    assert.ok([200, 401, 500, 502].includes(res.status), `${label} token handler answered ${res.status}`);
  }
  await stillWorks();
});

test('a post body JSON cannot encode is invalid_options, not a silent null', async () => {
  const client = new sdk.SpikeClient({ baseUrl: emu.url, token: goodToken });
  const before = emu.stats.requests;
  await assert.rejects(client.post('/platform/api/workspaces', cyclic), (e) => e.code === 'invalid_options');
  await assert.rejects(client.post('/platform/api/workspaces', { n: 1n }), (e) => e.code === 'invalid_options');
  assert.equal(emu.stats.requests, before, 'nothing sent');
});

test('a tokenProvider that never answers times out instead of hanging every call', async () => {
  const client = new sdk.SpikeClient({ baseUrl: emu.url, tokenProvider: () => new Promise(() => {}), timeoutMs: 300 });
  const started = Date.now();
  await assert.rejects(client.get('/platform/api/workspaces'), (e) => e.code === 'token_provider_failed' && /within 300 ms/.test(e.message));
  assert.ok(Date.now() - started < 2000);
});

test('a Node script using the client exits promptly (no timer keeps the event loop alive)', async () => {
  const script = `
    const { SpikeClient } = require(${JSON.stringify(new URL('../../build/package/dist/index.cjs', import.meta.url).pathname)});
    const c = new SpikeClient({ baseUrl: process.env.BASE, tokenProvider: async () => process.env.TOKEN });
    c.get('/platform/api/workspaces').then((r) => console.log(JSON.stringify(r)));
  `;
  // Asynchronous spawn: the emulator answering the child lives in this process.
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, BASE: emu.url, TOKEN: goodToken }, stdio: ['ignore', 'pipe', 'inherit'] });
  const started = Date.now();
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 0);
  assert.equal(out.trim(), '{"workspaces":[]}');
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms to exit (the default timeoutMs is 30000)`);
});

test('no token, API key or HMAC key in any error message, stack, cause or JSON, nor in any log', async () => {
  const secrets = [goodToken, API_KEY, HMAC_KEY, goodToken.split('.')[1]];
  const logged = [];
  const originals = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
    originals[level] = console[level];
    console[level] = (...args) => logged.push(args.map(String).join(' '));
  }
  const errors = [];
  const collect = async (fn) => {
    try {
      await fn();
    } catch (err) {
      errors.push(err);
    }
  };
  try {
    const client = new sdk.SpikeClient({ baseUrl: emu.url, token: goodToken, maxRetries: 0 });
    await collect(() => client.get('/platform/api/nope'));
    await collect(() => client.post('/platform/api/workspaces', { tier: 'BAD' }));
    await collect(() => new sdk.SpikeClient({ baseUrl: 'http://127.0.0.1:9', token: goodToken, maxRetries: 0 }).get('/x'));
    await collect(() => new sdk.SpikeClient({ baseUrl: emu.url, token: goodToken }).get('https://evil.example/?t=' + goodToken));
    await collect(() => new sdk.SpikeClient({ baseUrl: emu.url, tokenProvider: () => { throw new Error('provider failed'); } }).get('/x'));
    await collect(() => new sdk.SpikeClient({ baseUrl: emu.url, tokenProvider: () => goodToken.slice(0, -1) + '!' }).get('/x'));
    await collect(() => sdk.decodeToken(goodToken.replace('.', '!')));
    await collect(() => server.mintToken({ apiKey: API_KEY, baseUrl: 'http://127.0.0.1:9', userId: 'u' }));
    await collect(() => server.mintToken({ apiKey: API_KEY + 'x', baseUrl: emu.url, userId: 'u' }));
    await collect(() => server.mintToken({ apiKey: API_KEY, baseUrl: emu.url, userId: '' }));
    await collect(() => server.signUserId(HMAC_KEY.slice(0, 10), 'u'));
    await collect(() => server.createTokenHandler({ apiKey: API_KEY }));
    emu.inject({ expireTokens: true });
    await collect(() => client.get('/platform/api/workspaces'));
    emu.reset();
  } finally {
    Object.assign(console, originals);
  }
  assert.ok(errors.length >= 12, `collected ${errors.length} errors`);
  for (const err of errors) {
    assert.ok(err instanceof sdk.SpikeError, String(err));
    const seen = [err.message, err.stack, JSON.stringify(err), String(err.cause?.message ?? ''), String(err.cause?.stack ?? ''), JSON.stringify(err.body ?? null)].join('\n');
    for (const secret of secrets) assert.ok(!seen.includes(secret), `${err.code} leaks a secret: ${seen.slice(0, 300)}`);
  }
  assert.deepEqual(logged, [], 'the SDK logs nothing');
});
