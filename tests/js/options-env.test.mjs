// Options as a user writes them (#22): SPIKE_API_URL / SPIKE_API_KEY as defaults in server
// runtimes (explicit options win, never read in a page), unknown option keys refused by name, an
// empty token, and the token endpoint's status on every error about its answer.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { SpikeClient, SpikeError } from '../../build/package/dist/index.mjs';
import * as server from '../../build/package/dist/server.node.mjs';
import { startEmulator } from '../../build/package/dist/testing.mjs';

const API_KEY = 'sk_test_env_defaults_key_0123456789';
let emu;
before(async () => {
  emu = await startEmulator({ apiKey: API_KEY, tokenTtlSeconds: 600 });
});
after(() => emu.close());

/** Runs `fn` with SPIKE_API_URL / SPIKE_API_KEY set as given (undefined = unset), then restores them. */
async function withEnv(vars, fn) {
  const saved = { SPIKE_API_URL: process.env.SPIKE_API_URL, SPIKE_API_KEY: process.env.SPIKE_API_KEY };
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const isInvalid = (pattern) => (err) => {
  assert.ok(err instanceof SpikeError, String(err));
  assert.equal(err.code, 'invalid_options');
  assert.match(err.message, pattern);
  return true;
};

describe('SPIKE_API_URL and SPIKE_API_KEY in Node', () => {
  test('mintToken and a SpikeClient need neither apiKey nor baseUrl when the variables are set', async () => {
    await withEnv({ SPIKE_API_URL: emu.url, SPIKE_API_KEY: API_KEY }, async () => {
      const spike = new SpikeClient({ tokenProvider: () => server.mintToken({ userId: 'env-user' }) });
      assert.equal(spike.baseUrl, emu.url);
      const ws = await spike.post('/platform/api/workspaces', { tier: 'md', ttlSeconds: 60 });
      assert.equal(ws.user_id, 'env-user');
    });
  });

  test('createTokenHandler takes its key and URL from them too', async () => {
    await withEnv({ SPIKE_API_URL: emu.url, SPIKE_API_KEY: API_KEY }, async () => {
      const handler = server.createTokenHandler({ getUser: () => 'handler-user' });
      const res = await handler(new Request('http://127.0.0.1/api/spike-token'));
      assert.equal(res.status, 200);
      assert.ok((await res.json()).token);
    });
  });

  test('explicit options win over the variables', async () => {
    await withEnv({ SPIKE_API_URL: 'http://127.0.0.1:9/nowhere', SPIKE_API_KEY: 'sk_wrong_key_from_env' }, async () => {
      const spike = new SpikeClient({ baseUrl: emu.url, token: emu.issueToken({ userId: 'u' }).token });
      assert.equal(spike.baseUrl, emu.url);
      const minted = await server.mintToken({ apiKey: API_KEY, baseUrl: emu.url, userId: 'explicit' });
      assert.ok(minted.token);
    });
  });

  test('unset or empty variables leave the defaults: production URL, apiKey required (and the message says how)', async () => {
    await withEnv({ SPIKE_API_URL: '', SPIKE_API_KEY: undefined }, async () => {
      assert.equal(new SpikeClient({ token: emu.issueToken({ userId: 'u' }).token }).baseUrl, 'https://api.spikelabs.com');
      await assert.rejects(server.mintToken({ userId: 'x' }), isInvalid(/apiKey is required.*SPIKE_API_KEY/));
    });
  });

  test('a SPIKE_API_URL that is not a URL is invalid_options naming the variable', async () => {
    await withEnv({ SPIKE_API_URL: '127.0.0.1:8787', SPIKE_API_KEY: API_KEY }, async () => {
      assert.throws(() => new SpikeClient({ token: emu.issueToken({ userId: 'u' }).token }), isInvalid(/SPIKE_API_URL/));
      await assert.rejects(server.mintToken({ userId: 'x' }), isInvalid(/SPIKE_API_URL/));
    });
  });

  test('never read where a page is (a document exists): a bundler process shim cannot leak into a client', async () => {
    await withEnv({ SPIKE_API_URL: emu.url, SPIKE_API_KEY: API_KEY }, async () => {
      globalThis.document = {};
      try {
        assert.equal(new SpikeClient({ token: emu.issueToken({ userId: 'u' }).token }).baseUrl, 'https://api.spikelabs.com');
      } finally {
        delete globalThis.document;
      }
    });
  });

  test('a fresh Node process started with the variables (as after eval "$(spike-emulator)") uses them', async () => {
    const code = `import { SpikeClient } from ${JSON.stringify(new URL('../../build/package/dist/index.mjs', import.meta.url).href)};
      import { mintToken } from ${JSON.stringify(new URL('../../build/package/dist/server.node.mjs', import.meta.url).href)};
      const spike = new SpikeClient({ tokenProvider: () => mintToken({ userId: 'child' }) });
      console.log((await spike.get('/platform/api/workspaces')).workspaces.length);`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code], {
      env: { ...process.env, SPIKE_API_URL: emu.url, SPIKE_API_KEY: API_KEY },
    });
    assert.equal(stdout.trim(), '0');
  });
});

describe('unknown option keys are invalid_options naming the key', () => {
  const token = () => emu.issueToken({ userId: 'u' }).token;

  test('SpikeClient, with a hint for the usual mistakes', () => {
    assert.throws(() => new SpikeClient({ token: token(), timeout: 5000 }), isInvalid(/unknown option 'timeout' \(did you mean 'timeoutMs'\?\)/));
    assert.throws(() => new SpikeClient({ token: token(), baseURL: emu.url }), isInvalid(/'baseURL' \(did you mean 'baseUrl'\?\)/));
    assert.throws(() => new SpikeClient({ token: token(), retries: 1 }), isInvalid(/did you mean 'maxRetries'/));
    assert.throws(() => new SpikeClient({ token: token(), colour: 'red' }), isInvalid(/^SpikeClient: unknown option 'colour'; the options are baseUrl, /));
    assert.throws(() => new SpikeClient({ tokenEndpoint: { url: 'http://127.0.0.1/t', header: {} } }), isInvalid(/tokenEndpoint: unknown option 'header' \(did you mean 'headers'\?\)/));
    // Every documented option is still accepted.
    new SpikeClient({ token: token(), baseUrl: emu.url, refreshLeewaySeconds: 1, timeoutMs: 1, maxRetries: 0, fetch, headers: {} });
  });

  test('every server helper', async () => {
    await assert.rejects(server.mintToken({ apiKey: API_KEY, baseUrl: emu.url, userId: 'u', user_id: 'u' }), isInvalid(/mintToken: unknown option 'user_id' \(did you mean 'userId'\?\)/));
    assert.throws(() => server.createTokenHandler({ apiKey: API_KEY, getUser: () => null, expiresIn: 60 }), isInvalid(/createTokenHandler: unknown option 'expiresIn' \(did you mean 'expSeconds'\?\)/));
    assert.throws(() => server.createTokenHandler({ apiKey: API_KEY, getUser: () => null, cors: { origins: [], origin: 'x' } }), isInvalid(/cors: unknown option 'origin' \(did you mean 'origins'\?\)/));
    assert.throws(() => server.createWebhookHandler({ signatureKey: 'k'.repeat(32), onEvents() {}, onEvent() {} }), isInvalid(/createWebhookHandler: unknown option 'onEvent' \(did you mean 'onEvents'\?\)/));
    assert.throws(() => server.toNodeHandler(() => new Response(), { maxBody: 10 }), isInvalid(/toNodeHandler: unknown option 'maxBody' \(did you mean 'maxBodyBytes'\?\)/));
    await assert.rejects(startEmulator({ ttl: 5 }), isInvalid(/startEmulator: unknown option 'ttl'/));
  });

  test('a Proxy whose ownKeys trap throws is invalid_options, and the module keeps working', () => {
    const hostile = new Proxy({}, { ownKeys() { throw new Error('boom'); } });
    assert.throws(() => new SpikeClient(hostile), isInvalid(/could not be read|token source/));
    assert.equal(new SpikeClient({ token: token() }).tokenSource, 'token');
  });
});

test('an empty token is invalid_options (a missing option), a malformed one invalid_token', () => {
  assert.throws(() => new SpikeClient({ token: '' }), isInvalid(/token must be a non-empty string/));
  assert.throws(() => new SpikeClient({ token: '  ' }), isInvalid(/token must be a non-empty string/));
  assert.throws(() => new SpikeClient({ token: 'not-a-jwt' }), (err) => err instanceof SpikeError && err.code === 'invalid_token');
});

test('a token endpoint that answered carries its status on every token_provider_failed about the answer', async () => {
  const answers = {
    '/html': [200, '<!doctype html><p>login</p>'],
    '/no-token': [200, '{"tok":"x"}'],
    '/not-jwt': [200, '{"token":"abc"}'],
    '/not-json': [200, 'hello'],
    '/forbidden': [403, '{"error":"no"}'],
  };
  const backend = createServer((req, res) => {
    const [status, body] = answers[req.url];
    res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
  });
  await new Promise((r) => backend.listen(0, '127.0.0.1', r));
  try {
    for (const [path, [status]] of Object.entries(answers)) {
      const spike = new SpikeClient({ baseUrl: emu.url, tokenEndpoint: `http://127.0.0.1:${backend.address().port}${path}`, maxRetries: 0 });
      await assert.rejects(spike.getToken(), (err) => {
        assert.equal(err.code, 'token_provider_failed', path);
        assert.equal(err.status, status, path);
        return true;
      });
    }
  } finally {
    backend.close();
  }
});

test('Deno reads SPIKE_API_URL only when --allow-env grants it: no PermissionDenied, no prompt', { timeout: 600_000 }, async () => {
  const { installTools } = await import('../ecosystem/runtime-tools.mjs');
  const { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { packageDir } = await import('../../scripts/lib/paths.mjs');
  const deno = join(await installTools('deno'), 'node_modules', '.bin', 'deno');
  const dir = mkdtempSync(join(tmpdir(), 'spike-deno-env-'));
  try {
    mkdirSync(join(dir, 'node_modules', '@spike'), { recursive: true });
    symlinkSync(packageDir, join(dir, 'node_modules', '@spike', 'sdk'), 'dir');
    writeFileSync(join(dir, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'deno-env', private: true, type: 'module' }));
    writeFileSync(join(dir, 'main.ts'), `import { SpikeClient } from 'npm:@spike/sdk';
import { mintToken } from 'npm:@spike/sdk/server';
console.log(new SpikeClient({ tokenProvider: () => 't' }).baseUrl);
console.log(await mintToken({ userId: 'deno' }).then((m) => typeof m.token, (e) => e.code));\n`);
    const env = { ...process.env, SPIKE_API_URL: emu.url, SPIKE_API_KEY: API_KEY, DENO_DIR: join(dir, '.deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
    const denoRun = (perms) => promisify(execFile)(deno, ['run', '--allow-read', '--allow-net=127.0.0.1', ...perms, 'main.ts'], { cwd: dir, env, timeout: 60_000 });
    const granted = await denoRun(['--allow-env=SPIKE_API_URL,SPIKE_API_KEY']);
    assert.deepEqual(granted.stdout.trim().split('\n'), [emu.url, 'string']);
    const denied = await denoRun([]);
    assert.deepEqual(denied.stdout.trim().split('\n'), ['https://api.spikelabs.com', 'invalid_options']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
