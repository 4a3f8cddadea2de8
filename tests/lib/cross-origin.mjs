// Real origins on this machine for the tokenEndpoint tests (issue 21). Every server binds
// 127.0.0.1; `localhost` is the same machine under another name, so another origin and another
// site:
// - the page server, port A: serves the repo (the test page and the built package), reached as
//   http://127.0.0.1:A (cross-site to the backend) and as http://localhost:A (same site, another
//   origin: like app.example.com and api.example.com);
// - the backend, http://localhost:B: the app's token endpoints, built with createTokenHandler and
//   its `cors` option allowing the two page origins;
// - a third origin, http://localhost:C: the same files, an origin the backend does not list.
// A cookie session works across origins of one site only: browsers block third-party cookies
// (this headless Chromium does), so the cookie case runs on http://localhost:A.
import { createServer } from 'node:http';
import { root } from '../../scripts/lib/paths.mjs';
import { listenLocal, readJson, sendJson as json } from '../../scripts/lib/local-server.mjs';
import { serveFile } from '../../scripts/lib/static-server.mjs';
import { createTokenHandler, toNodeHandler } from '../../build/package/dist/server.node.mjs';
import { startEmulator } from '../../build/package/dist/testing.mjs';

const API_KEY = 'sk_test_cross_origin_key_0123456789abcdef';
/** What the identity-provider bearer looks like here: `idp-<user>-<serial>`. */
const BEARER = /^Bearer idp-(\w+)-(\d+)$/;

export async function startCrossOrigin() {
  const emulator = await startEmulator({ apiKey: API_KEY });
  const log = []; // every backend request: { route, method, origin, authorization, cacheControl, csrf, contentType, body, allowOrigin, status }
  let config = {};

  const pages = (req, res) => {
    if (new URL(req.url, 'http://x').pathname === '/control/config') return json(res, 200, config);
    return serveFile(root, req, res);
  };
  const page = await listenLocal(createServer(pages));
  const third = await listenLocal(createServer(pages));
  const localhost = (url) => url.replace('127.0.0.1', 'localhost');
  const allowed = [page.url, localhost(page.url)];

  /** A token handler for `route`, logged, with the page's origin allowed. */
  const handler = (route, getUser, cors = {}) => {
    const answer = createTokenHandler({ apiKey: API_KEY, baseUrl: emulator.url, getUser, cors: { origins: allowed, ...cors } });
    return toNodeHandler(async (request) => {
      const entry = {
        route,
        method: request.method,
        origin: request.headers.get('origin'),
        authorization: request.headers.get('authorization'),
        cacheControl: request.headers.get('cache-control'),
        csrf: request.headers.get('x-csrf-token'),
        contentType: request.headers.get('content-type'),
      };
      log.push(entry);
      const response = await answer(request);
      entry.status = response.status;
      entry.allowOrigin = response.headers.get('access-control-allow-origin');
      entry.allowCredentials = response.headers.get('access-control-allow-credentials');
      entry.vary = response.headers.get('vary');
      return response;
    });
  };

  const routes = {
    // Cookie session: the user is whoever /login named (an HttpOnly cookie, SameSite=Lax: the default).
    '/spike-token': handler('cookie', (request) => /(?:^|; )session=(\w+)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? null),
    // Bearer from an identity provider, no cookies (credentials: false: no Allow-Credentials).
    '/bearer-token': handler('bearer', (request) => BEARER.exec(request.headers.get('authorization') ?? '')?.[1] ?? null, { credentials: false }),
    // POST with a JSON body naming the user, guarded by a CSRF header.
    '/post-token': handler(
      'post',
      async (request) => {
        if (request.method !== 'POST' || request.headers.get('x-csrf-token') !== 'csrf-ok') return null;
        const body = await request.json().catch(() => ({}));
        log.at(-1).body = body;
        return typeof body.user === 'string' ? body.user : null;
      },
      { allowHeaders: ['X-CSRF-Token'] },
    ),
  };

  const backend = await listenLocal(
    createServer(async (req, res) => {
      const url = new URL(req.url, 'http://backend');
      const route = routes[url.pathname];
      if (route) return route(req, res);
      // The app's sign-in: sets the session cookie; CORS for the page origins (by hand, like an
      // app's own login route would).
      const origin = req.headers.origin;
      const cors = allowed.includes(origin) ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' } : { vary: 'Origin' };
      if (url.pathname === '/login' && req.method === 'POST') {
        const user = url.searchParams.get('user') ?? '';
        const cookie = `session=${user}; Path=/; HttpOnly; SameSite=Lax`;
        return json(res, 200, { user }, { ...cors, 'set-cookie': cookie });
      }
      if (url.pathname === '/control/log') return json(res, 200, log, { 'access-control-allow-origin': '*' });
      if (url.pathname === '/control/reset' && req.method === 'POST') {
        log.length = 0;
        return json(res, 200, {}, { 'access-control-allow-origin': '*' });
      }
      return json(res, 404, { error: 'not_found' });
    }),
  );

  // The backend as the page reaches it: another host name, so another origin and another site.
  const backendUrl = localhost(backend.url);
  config = { backend: backendUrl, emulatorUrl: emulator.url };
  return {
    /** Cross-site to the backend. */
    pageUrl: page.url,
    /** The same page server as a same-site origin (the cookie case). */
    sameSiteUrl: localhost(page.url),
    thirdUrl: localhost(third.url),
    backendUrl,
    /** The backend as Node reaches it (Node may try ::1 first for localhost). */
    backendDirect: backend.url,
    emulator,
    log,
    close: async () => {
      await page.close();
      await third.close();
      await backend.close();
      await emulator.close();
    },
  };
}
