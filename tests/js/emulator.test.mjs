// The emulator over real HTTP on 127.0.0.1: minting, every documented 401 code, workspaces,
// faults, stats, CORS and the spike-emulator bin.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { decodeToken, SpikeError } from '../../build/package/dist/index.mjs';
import { startEmulator } from '../../build/package/dist/testing.mjs';

let emu;
before(async () => {
  emu = await startEmulator({ apiKey: 'sk_test_emulator_key_123' });
});
after(() => emu.close());

const mint = (body, key = emu.apiKey) =>
  fetch(`${emu.url}/tenant/api/tokens/mint`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const api = (path, { token, method = 'GET', body, headers = {} } = {}) =>
  fetch(`${emu.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function expectError(res, status, code) {
  assert.equal(res.status, status);
  const body = await res.json();
  assert.equal(body.error, code, JSON.stringify(body));
  assert.equal(typeof body.message, 'string');
}

describe('mint', () => {
  test('mints an RS256 token with the documented claims', async () => {
    const res = await mint({ user_id: 'user-42', name: 'Zoë', email: 'z@example.com', scopes: ['a', 'b'], exp_seconds: 120 });
    assert.equal(res.status, 200);
    const { token, expires_at } = await res.json();
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url'));
    assert.equal(header.alg, 'RS256');
    assert.equal(header.kid, emu.jwks.keys[0].kid);
    const claims = decodeToken(token);
    assert.equal(claims.iss, 'https://api.spikelabs.com');
    assert.equal(claims.sub, 'tenant_emulator:user-42');
    assert.equal(claims.tenant_id, 'tenant_emulator');
    assert.equal(claims.user_id, 'user-42');
    assert.equal(claims.name, 'Zoë');
    assert.deepEqual(claims.scopes, ['a', 'b']);
    assert.equal(claims.exp - claims.iat, 120);
    assert.equal(new Date(expires_at).getTime(), claims.exp * 1000);
  });

  test('defaults exp_seconds to the token TTL (3600)', async () => {
    const claims = decodeToken((await (await mint({ user_id: 'u' })).json()).token);
    assert.equal(claims.exp - claims.iat, 3600);
  });

  test('refuses a missing or wrong API key with 401 unauthorized', async () => {
    await expectError(await mint({ user_id: 'u' }, null), 401, 'unauthorized');
    await expectError(await mint({ user_id: 'u' }, 'sk_test_wrong'), 401, 'unauthorized');
  });

  test('answers 400 JSON on a bad body', async () => {
    for (const body of ['{"user_id":', '[]', {}, { user_id: '' }, { user_id: 7 }, { user_id: 'u', exp_seconds: 0 }, { user_id: 'u', exp_seconds: 86401 }, { user_id: 'u', exp_seconds: 1.5 }, { user_id: 'u', scopes: 'a' }, { user_id: 'u', name: 1 }]) {
      await expectError(await mint(body), 400, 'invalid_request');
    }
  });

  test('serves the JWKS with the signing key', async () => {
    const res = await fetch(`${emu.url}/.well-known/jwks.json`);
    const { keys } = await res.json();
    assert.equal(keys.length, 1);
    assert.equal(keys[0].kty, 'RSA');
    assert.equal(keys[0].alg, 'RS256');
    assert.ok(!('d' in keys[0]), 'the private exponent must not be published');
  });
});

describe('bearer token checks (documented 401 codes)', () => {
  test('unauthorized: missing or malformed Authorization header', async () => {
    await expectError(await api('/platform/api/workspaces'), 401, 'unauthorized');
    await expectError(await api('/platform/api/workspaces', { headers: { authorization: 'Basic abc' } }), 401, 'unauthorized');
  });

  test('invalid_token: malformed token, or missing tenant_id', async () => {
    await expectError(await api('/platform/api/workspaces', { token: 'not-a-jwt' }), 401, 'invalid_token');
    const { token } = emu.issueToken({ claims: { tenant_id: undefined } });
    await expectError(await api('/platform/api/workspaces', { token }), 401, 'invalid_token');
  });

  test('invalid_signature: signed by another key, or tampered', async () => {
    const other = await startEmulator();
    try {
      await expectError(await api('/platform/api/workspaces', { token: other.issueToken().token }), 401, 'invalid_signature');
    } finally {
      await other.close();
    }
    const [h, , s] = emu.issueToken().token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeToken(emu.issueToken().token), user_id: 'admin' })).toString('base64url');
    await expectError(await api('/platform/api/workspaces', { token: `${h}.${forged}.${s}` }), 401, 'invalid_signature');
  });

  test('invalid_issuer', async () => {
    const { token } = emu.issueToken({ claims: { iss: 'https://evil.example' } });
    await expectError(await api('/platform/api/workspaces', { token }), 401, 'invalid_issuer');
  });

  test('token_expired: past exp, and the expireTokens fault', async () => {
    const past = Math.floor(Date.now() / 1000) - 10;
    await expectError(await api('/platform/api/workspaces', { token: emu.issueToken({ claims: { iat: past - 60, exp: past } }).token }), 401, 'token_expired');
    const before = emu.issueToken().token;
    assert.equal((await api('/platform/api/workspaces', { token: before })).status, 200);
    emu.inject({ expireTokens: true });
    await expectError(await api('/platform/api/workspaces', { token: before }), 401, 'token_expired');
    const fresh = (await (await mint({ user_id: 'user_1' })).json()).token;
    assert.equal((await api('/platform/api/workspaces', { token: fresh })).status, 200);
    emu.reset();
  });
});

describe('workspaces', () => {
  test('create, list, get and delete, per user', async () => {
    const token = emu.issueToken({ userId: 'alice' }).token;
    const bob = emu.issueToken({ userId: 'bob' }).token;
    const created = await api('/platform/api/workspaces', { token, method: 'POST', body: { tier: 'md', ttlSeconds: 3600 } });
    assert.equal(created.status, 201);
    const ws = await created.json();
    assert.equal(ws.tier, 'md');
    assert.equal(ws.ttlSeconds, 3600);
    assert.match(ws.id, /^ws_/);
    assert.deepEqual((await (await api('/platform/api/workspaces', { token })).json()).workspaces.map((w) => w.id), [ws.id]);
    assert.deepEqual((await (await api('/platform/api/workspaces', { token: bob })).json()).workspaces, []);
    assert.equal((await (await api(`/platform/api/workspaces/${ws.id}`, { token })).json()).id, ws.id);
    await expectError(await api(`/platform/api/workspaces/${ws.id}`, { token: bob }), 404, 'not_found');
    assert.equal((await api(`/platform/api/workspaces/${ws.id}`, { token, method: 'DELETE' })).status, 204);
    await expectError(await api(`/platform/api/workspaces/${ws.id}`, { token }), 404, 'not_found');
  });

  test('400 on a bad workspace body, 404/405 on unknown routes and methods', async () => {
    const token = emu.issueToken().token;
    for (const body of [{ tier: 'md' }, { tier: '', ttlSeconds: 60 }, { tier: 'md', ttlSeconds: -1 }]) {
      await expectError(await api('/platform/api/workspaces', { token, method: 'POST', body }), 400, 'invalid_request');
    }
    await expectError(await api('/platform/api/nope', { token }), 404, 'not_found');
    await expectError(await api('/platform/api/workspaces', { token, method: 'PUT', body: {} }), 405, 'method_not_allowed');
  });
});

describe('faults and stats', () => {
  test('status503 with Retry-After, then recovery; stats count by route and status', async () => {
    emu.reset();
    const token = emu.issueToken().token;
    emu.inject({ status503: 2, retryAfter: 1 });
    for (let i = 0; i < 2; i += 1) {
      const res = await api('/platform/api/workspaces', { token });
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '1');
      await res.body?.cancel();
    }
    assert.equal((await api('/platform/api/workspaces', { token })).status, 200);
    const stats = emu.stats;
    assert.deepEqual(stats.routes['GET /platform/api/workspaces'], { 200: 1, 503: 2 });
    assert.equal(stats.injected503, 2);
    assert.equal(stats.requests, 3);
  });

  test('dropConnections drops without an answer; mint is never faulted', async () => {
    emu.reset();
    emu.inject({ dropConnections: 1 });
    assert.equal((await mint({ user_id: 'u' })).status, 200);
    await assert.rejects(api('/platform/api/workspaces', { token: emu.issueToken().token }));
    assert.equal((await api('/platform/api/workspaces', { token: emu.issueToken().token })).status, 200);
    assert.equal(emu.stats.dropped, 1);
    assert.equal(emu.stats.mints, 1);
  });

  test('tokenExpired rejects the next n requests that carry a token, then lets them through', async () => {
    emu.reset();
    emu.inject({ tokenExpired: 2 });
    const token = emu.issueToken().token;
    assert.equal((await api('/platform/api/workspaces')).status, 401, 'no token: not counted');
    for (let i = 0; i < 2; i += 1) {
      const res = await api('/platform/api/workspaces', { token });
      assert.equal(res.status, 401);
      assert.equal((await res.json()).error, 'token_expired');
    }
    assert.equal((await api('/platform/api/workspaces', { token })).status, 200);
    assert.throws(() => emu.inject({ tokenExpired: -1 }), /tokenExpired must be an integer/);
  });

  test('latencyMs delays every answer', async () => {
    emu.reset();
    emu.inject({ latencyMs: 150 });
    const started = performance.now();
    await (await api('/platform/api/workspaces', { token: emu.issueToken().token })).json();
    assert.ok(performance.now() - started >= 140);
    emu.reset();
  });

  test('rates: tokenExpired at 100% answers token_expired', async () => {
    emu.reset();
    emu.inject({ rates: { tokenExpired: 1 } });
    await expectError(await api('/platform/api/workspaces', { token: emu.issueToken().token }), 401, 'token_expired');
    emu.reset();
  });

  test('bad options and faults throw SpikeError(invalid_options)', async () => {
    for (const options of [null, { port: -1 }, { port: 1.5 }, { apiKey: '' }, { tokenTtlSeconds: 0 }, { tokenTtlSeconds: 86401 }]) {
      await assert.rejects(startEmulator(options), (err) => err instanceof SpikeError && err.code === 'invalid_options');
    }
    assert.throws(() => emu.inject({ status503: -1 }), (err) => err.code === 'invalid_options');
    assert.throws(() => emu.inject({ rates: { drop: 2 } }), (err) => err.code === 'invalid_options');
    assert.throws(() => emu.inject({ rates: { nope: 0.5 } }), (err) => err.code === 'invalid_options');
    // A misspelled fault injects nothing: it is refused by name (issue 22 review F7).
    for (const key of ['status503s', 'expireToken']) {
      assert.throws(() => emu.inject({ [key]: key === 'expireToken' ? true : 1 }), (err) => err instanceof SpikeError && err.code === 'invalid_options' && err.message.includes(`unknown option '${key}'`), key);
    }
    assert.equal(emu.faults.status503, 0, 'a refused inject() changes nothing');
  });
});

test('CORS preflight is answered for browser callers', async () => {
  const res = await fetch(`${emu.url}/platform/api/workspaces`, {
    method: 'OPTIONS',
    headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), 'http://127.0.0.1:5173');
  assert.match(res.headers.get('access-control-allow-headers'), /authorization/);
});

test('the spike-emulator bin prints shell lines with its URL and API key on stdout, and serves mints', async () => {
  const child = spawn(process.execPath, ['build/package/dist/bin/spike-emulator.cjs', '--api-key', 'sk_test_from_cli'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    for await (const chunk of child.stdout) {
      out += chunk;
      if (out.includes('SPIKE_API_KEY=') && out.endsWith('\n')) break;
    }
    // Nothing but `export NAME=value` lines: what `eval "$(...)"` needs.
    const lines = out.trim().split('\n');
    assert.equal(lines.length, 2, out);
    const url = /^export SPIKE_API_URL=(http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0])?.[1];
    assert.ok(url, out);
    assert.equal(lines[1], 'export SPIKE_API_KEY=sk_test_from_cli');
    const res = await fetch(`${url}/tenant/api/tokens/mint`, { method: 'POST', headers: { authorization: 'Bearer sk_test_from_cli' }, body: '{"user_id":"cli"}' });
    assert.equal(res.status, 200);
  } finally {
    child.kill();
  }
});

test('spike-emulator --detach: eval in a shell sets the variables, the SDK defaults to them, kill stops it', async () => {
  const bin = 'build/package/dist/bin/spike-emulator.cjs';
  const script = `eval "$(${JSON.stringify(process.execPath)} ${bin} --detach --api-key "sk_test_it's")" && echo "$SPIKE_API_URL|$SPIKE_API_KEY|$SPIKE_EMULATOR_PID"`;
  const { stdout, stderr } = await promisify(execFile)('sh', ['-c', script]);
  const [url, key, pid] = stdout.trim().split('|');
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(key, "sk_test_it's"); // quoted for the shell, read back intact
  assert.match(stderr, /running in the background/);
  try {
    const res = await fetch(`${url}/tenant/api/tokens/mint`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: '{"user_id":"cli"}' });
    assert.equal(res.status, 200);
  } finally {
    process.kill(Number(pid), 'SIGTERM');
  }
  await new Promise((r) => setTimeout(r, 300));
  await assert.rejects(fetch(`${url}/tenant/api/tokens/mint`, { method: 'POST' }));
});

test('spike-emulator --detach on a busy port: stderr names EADDRINUSE and the port, it exits 1, and eval fails too', async () => {
  const busy = await startEmulator();
  const port = new URL(busy.url).port;
  const bin = 'build/package/dist/bin/spike-emulator.cjs';
  try {
    const direct = await promisify(execFile)(process.execPath, [bin, '--detach', '--port', port]).then(
      () => assert.fail('exited 0 on a busy port'),
      (err) => err,
    );
    assert.equal(direct.code, 1);
    assert.match(direct.stderr, new RegExp(`before it was listening: .*EADDRINUSE.*127\\.0\\.0\\.1:${port}`));
    assert.equal(direct.stdout, 'false\n', 'stdout holds only a shell line, one that fails');
    // eval of an empty string succeeds; the `false` line makes `eval "$(...)"` fail instead.
    const script = `eval "$(${JSON.stringify(process.execPath)} ${bin} --detach --port ${port})"; echo "rc=$? url=\${SPIKE_API_URL:-unset}"`;
    const env = { ...process.env };
    delete env.SPIKE_API_URL;
    const { stdout, stderr } = await promisify(execFile)('sh', ['-c', script], { env });
    assert.equal(stdout.trim(), 'rc=1 url=unset');
    assert.match(stderr, /EADDRINUSE/);
  } finally {
    await busy.close();
  }
});
