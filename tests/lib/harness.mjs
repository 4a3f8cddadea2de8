// One local server for the client tests, in Node and in Chromium alike: serves the repo (pages and
// the built package), a token endpoint with failure modes, and control routes for the emulator,
// so test cases drive everything over HTTP from either runtime. 127.0.0.1 only.
import { createServer } from 'node:http';
import { root } from '../../scripts/lib/paths.mjs';
import { listenLocal, readJson, sendJson as json } from '../../scripts/lib/local-server.mjs';
import { serveFile } from '../../scripts/lib/static-server.mjs';
import { startEmulator } from '../../build/package/dist/testing.mjs';

export async function startHarness() {
  const emulator = await startEmulator();
  const counters = { tokenHits: 0, echoHits: 0 };
  let session = 'user_1'; // the user of /token?user=session: who is signed in now (POST /control/session)
  const mint = async (userId, ttl) => {
    const res = await fetch(`${emulator.url}/tenant/api/tokens/mint`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: userId, ...(ttl ? { exp_seconds: ttl } : {}) }),
    });
    return res.json();
  };

  /** Sends the headers and `start`, then never the rest: the connection stays open until closed. */
  const stall = (res, status, start) => {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': '4096', 'cache-control': 'no-store' });
    res.write(start);
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://harness');
    try {
      // GET /token?user=&ttl=&mode=&delay= : the app backend's token endpoint, with ways to misbehave.
      if (url.pathname === '/token') {
        counters.tokenHits += 1;
        const mode = url.searchParams.get('mode');
        if (mode === '500') return json(res, 500, { error: 'boom' });
        if (mode === 'html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><p>Sign in</p>');
        if (mode === 'number') return json(res, 200, { token: 42 });
        if (mode === 'badjson') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":');
        if (mode === 'issuer') return json(res, 200, emulator.issueToken({ claims: { iss: 'https://evil.example' } }));
        if (mode === 'stall') return stall(res, 200, '{"token":"');
        const ttl = Number(url.searchParams.get('ttl')) || undefined;
        // user=session: the user signed in when the request came; delay=ms: a slow backend. A POST
        // whose form body has user= mints for that user.
        let user = url.searchParams.get('user') === 'session' ? session : (url.searchParams.get('user') ?? 'user_1');
        if (req.method === 'POST' && /x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) {
          const chunks = [];
          for await (const chunk of req) chunks.push(chunk);
          user = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('user') ?? user;
        }
        const delay = Number(url.searchParams.get('delay'));
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        const minted = await mint(user, ttl);
        // life=N: the endpoint says the token stops being accepted N s after it was issued.
        const life = Number(url.searchParams.get('life'));
        if (life > 0) minted.expires_at = new Date((JSON.parse(Buffer.from(minted.token.split('.')[1], 'base64url')).iat + life) * 1000).toISOString();
        return json(res, 200, minted);
      }
      // ANY /echo : what arrived (#19's input table): method, content type, the body as text, a few headers.
      // ?fail=N: 503 to the first N hits since the last reset (a retry must send the body again).
      if (url.pathname === '/echo') {
        counters.echoHits += 1;
        const chunks = [];
        for await (const chunk of req) chunks.push(chunk);
        if (counters.echoHits <= Number(url.searchParams.get('fail'))) return json(res, 503, { error: 'unavailable' });
        const body = Buffer.concat(chunks);
        const h = req.headers;
        return json(res, 200, {
          method: req.method,
          contentType: h['content-type'] ?? null,
          body: body.toString('utf8'),
          length: body.length,
          chunked: h['transfer-encoding'] === 'chunked',
          appVersion: h['x-app-version'] ?? null,
          requestId: h['x-request-id'] ?? null,
          authorization: /^Bearer \S+$/.test(h.authorization ?? ''),
        });
      }
      // GET /stall?status=N : headers and the start of a JSON body, then nothing (a stalled body).
      if (url.pathname === '/stall') {
        const status = Number(url.searchParams.get('status')) || 200;
        return stall(res, status, status === 401 ? '{"error":"token_exp' : status >= 400 ? '{"error":"' : '{"workspaces":[');
      }
      if (url.pathname === '/control/config') return json(res, 200, { emulatorUrl: emulator.url });
      if (url.pathname === '/control/inject' && req.method === 'POST') {
        emulator.inject(await readJson(req));
        return json(res, 200, {});
      }
      if (url.pathname === '/control/reset' && req.method === 'POST') {
        emulator.reset();
        counters.tokenHits = 0;
        counters.echoHits = 0;
        return json(res, 200, {});
      }
      if (url.pathname === '/control/session' && req.method === 'POST') {
        session = (await readJson(req)).user;
        return json(res, 200, {});
      }
      if (url.pathname === '/control/stats') return json(res, 200, { ...emulator.stats, tokenHits: counters.tokenHits, echoHits: counters.echoHits });
      // An expired token signed by the emulator, for the static-token case.
      if (url.pathname === '/control/expired-token') {
        const past = Math.floor((performance.timeOrigin + performance.now()) / 1000) - 60;
        return json(res, 200, emulator.issueToken({ claims: { iat: past - 3600, exp: past } }));
      }
      return serveFile(root, req, res);
    } catch (err) {
      return json(res, 500, { error: 'harness', message: String(err) });
    }
  });
  return { ...(await listenLocal(server, 0, () => emulator.close())), emulator };
}
