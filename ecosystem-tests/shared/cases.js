// The cases every ecosystem fixture runs, in whatever runtime or bundle it builds: plain ESM with
// no imports, so every tool can take it as is. A fixture copies this file in as `spike-cases.js`,
// imports the SDK its own way, and reports `await runCases(...)` (see ../README.md).
//
// `env`: { apiUrl, apiKey, expect: { userId, hmacKey, userSignature, webhookKey, webhookBody,
// webhookSignature, stallUrl } }: the emulator to call, figures node:crypto computed in the
// harness, and a server that never finishes an answer (`/body`: headers, then no body).
// The harness injects two `token_expired` answers before the fixture starts, so the first API
// call a fixture makes (the client case) must see them and refresh.

function check(condition, what) {
  if (!condition) throw new Error(what);
}

async function mintRaw(env, userId, expSeconds) {
  const res = await fetch(`${env.apiUrl}/tenant/api/tokens/mint`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: userId, exp_seconds: expSeconds }),
  });
  check(res.status === 200, `mint answered ${res.status}`);
  return res.json();
}

/** Client cases: `sdk` is what `@spike/sdk` exports. */
export function clientCases(sdk, env) {
  const { SpikeClient, SpikeError, decodeToken, isTokenExpired } = sdk;
  return [
    ['client: a request refreshes after token_expired and succeeds', async () => {
      let calls = 0;
      const retries = [];
      const client = new SpikeClient({
        baseUrl: env.apiUrl,
        tokenProvider: async () => {
          calls += 1;
          return mintRaw(env, env.expect.userId, 600);
        },
      });
      client.on('retry', (event) => retries.push(event.reason));
      const list = await client.get('/platform/api/workspaces');
      check(Array.isArray(list.workspaces), `workspaces: ${JSON.stringify(list)}`);
      check(calls === 2, `token fetches: expected 2 (one refresh after two token_expired), got ${calls}`);
      check(retries.length === 2, `retry events: expected 2, got ${retries.length}`);
      check(client.tokenInfo()?.claims.user_id === env.expect.userId, 'tokenInfo claims');
    }],
    ['client: decodeToken reads a real token; bad input is a typed error', async () => {
      const { token } = await mintRaw(env, env.expect.userId, 600);
      const claims = decodeToken(token);
      check(claims.user_id === env.expect.userId, `user_id: ${claims.user_id}`);
      check(isTokenExpired(token) === false, 'fresh token reported expired');
      let caught;
      try {
        decodeToken('not-a-token');
      } catch (err) {
        caught = err;
      }
      check(caught instanceof SpikeError && caught instanceof Error, `not a SpikeError: ${caught}`);
      check(caught.code === 'invalid_token', `code: ${caught?.code}`);
    }],
    ['client: timeoutMs ends a call whose answer stalls, before its headers or in its body, through this runtime\'s fetch', async () => {
      const client = new SpikeClient({ baseUrl: env.expect.stallUrl, tokenProvider: () => mintRaw(env, env.expect.userId, 600), timeoutMs: 300, maxRetries: 0 });
      await client.getToken(); // the token first: only the stalled call is timed
      for (const path of ['/headers', '/body']) {
        const started = Date.now();
        let caught;
        try {
          await client.get(path);
        } catch (err) {
          caught = err;
        }
        check(caught instanceof SpikeError && caught.code === 'timeout', `${path}: expected a timeout, got ${caught?.code ?? caught}`);
        check(Date.now() - started < 5000, `${path}: took ${Date.now() - started} ms`);
      }
    }],
    ['client: an HTTP error is a SpikeError with code and status', async () => {
      const client = new SpikeClient({ baseUrl: env.apiUrl, tokenProvider: () => mintRaw(env, env.expect.userId, 600) });
      let caught;
      try {
        await client.get('/platform/api/workspaces/ws_missing');
      } catch (err) {
        caught = err;
      }
      check(caught instanceof SpikeError, `not a SpikeError: ${caught}`);
      check(caught.code === 'http_error' && caught.status === 404, `code/status: ${caught.code}/${caught.status}`);
    }],
    ['client: shareAcrossTabs shares in browser pages and workers that have BroadcastChannel and Web Locks; elsewhere it changes nothing', async () => {
      const browser = typeof document === 'object' || (typeof WorkerGlobalScope === 'function' && globalThis instanceof WorkerGlobalScope);
      const sharing = browser && typeof BroadcastChannel === 'function' && typeof globalThis.navigator?.locks?.request === 'function';
      let calls = 0;
      const tokenProvider = async () => {
        calls += 1;
        return mintRaw(env, env.expect.userId, 600);
      };
      // Two clients of one channel, never freed: a runtime whose process must exit still does.
      const shareAcrossTabs = `ecosystem-${Math.random()}`;
      const a = new SpikeClient({ baseUrl: env.apiUrl, tokenProvider, shareAcrossTabs });
      const b = new SpikeClient({ baseUrl: env.apiUrl, tokenProvider, shareAcrossTabs });
      const [ta, tb] = [await a.getToken(), await b.getToken()];
      check(calls === (sharing ? 1 : 2), `token fetches: expected ${sharing ? 1 : 2} (sharing: ${sharing}), got ${calls}`);
      check((ta === tb) === sharing || !sharing, 'the second client uses the token the first fetched');
    }],
  ];
}

/** Server-helper cases: `server` is what `@spike/sdk/server` exports. */
export function serverCases(server, env) {
  const { mintToken, createTokenHandler, signUserId, verifyWebhookSignature, SpikeError } = server;
  const { expect } = env;
  return [
    ['server: mintToken mints through the API', async () => {
      const minted = await mintToken({ apiKey: env.apiKey, baseUrl: env.apiUrl, userId: expect.userId, expSeconds: 120 });
      check(typeof minted.token === 'string' && minted.token.split('.').length === 3, 'token shape');
      check(!Number.isNaN(Date.parse(minted.expires_at)), `expires_at: ${minted.expires_at}`);
    }],
    ['server: a wrong API key is a typed error that does not echo the key', async () => {
      const wrongKey = 'sk_test_wrong_key_for_ecosystem';
      let caught;
      try {
        await mintToken({ apiKey: wrongKey, baseUrl: env.apiUrl, userId: expect.userId });
      } catch (err) {
        caught = err;
      }
      check(caught instanceof SpikeError, `not a SpikeError: ${caught}`);
      check(caught.code === 'unauthorized', `code: ${caught.code}`);
      check(!String(caught.message).includes(wrongKey), 'the error message echoes the key');
    }],
    ['server: createTokenHandler answers { token, expires_at } for the signed-in user', async () => {
      const handler = createTokenHandler({
        apiKey: env.apiKey,
        baseUrl: env.apiUrl,
        getUser: (request) => (request.headers.get('cookie') === 'session=1' ? { id: expect.userId } : null),
      });
      const ok = await handler(new Request('http://app.test/spike-token', { headers: { cookie: 'session=1' } }));
      check(ok.status === 200, `status ${ok.status}`);
      const body = await ok.json();
      check(typeof body.token === 'string' && typeof body.expires_at === 'string', `body: ${JSON.stringify(body)}`);
      const anonymous = await handler(new Request('http://app.test/spike-token'));
      check(anonymous.status === 401, `anonymous status ${anonymous.status}`);
    }],
    ['server: signUserId and verifyWebhookSignature match node:crypto', async () => {
      check(signUserId(expect.hmacKey, expect.userId) === expect.userSignature, 'user signature differs from node:crypto');
      const body = new TextEncoder().encode(expect.webhookBody);
      check((await verifyWebhookSignature(expect.webhookKey, body, expect.webhookSignature)) === true, 'valid webhook signature refused');
      check((await verifyWebhookSignature(expect.webhookKey, expect.webhookBody, expect.webhookSignature)) === true, 'valid signature over a string refused');
      const flipped = expect.webhookSignature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
      check((await verifyWebhookSignature(expect.webhookKey, body, flipped)) === false, 'wrong webhook signature accepted');
    }],
  ];
}

/** `env` from SPIKE_API_URL, SPIKE_API_KEY and SPIKE_EXPECT, for fixtures that run with a `process`. */
export function envFromProcess() {
  return {
    apiUrl: process.env.SPIKE_API_URL,
    apiKey: process.env.SPIKE_API_KEY,
    expect: JSON.parse(process.env.SPIKE_EXPECT ?? '{}'),
  };
}

/** Runs [name, fn] pairs in order; never throws. Returns [{ name, ok, error? }]. */
export async function runCases(cases) {
  const results = [];
  for (const [name, fn] of cases) {
    try {
      await fn();
      results.push({ name, ok: true });
    } catch (err) {
      results.push({ name, ok: false, error: String(err?.stack ?? err) });
    }
  }
  return results;
}

/** The line a command-line fixture prints last; the harness parses it. */
export function reportLine(results) {
  return `SPIKE_RESULTS ${JSON.stringify(results)}`;
}
