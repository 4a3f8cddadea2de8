// tokenEndpoint as an object (issue 21): method, headers (a function run per token fetch),
// credentials and body, against the app backend of tests/lib/cross-origin.mjs, whose token
// handlers use createTokenHandler's `cors` option. Written once; run in Node and in headless
// Chromium, where the page (127.0.0.1:A) and the backend (localhost:B) are two real origins.
import { deepEqual, equal, ok, rejectsWith, throwsSpikeError } from './check.js';

/**
 * `env`: { backend, emulatorUrl, inBrowser, role } read lazily. `role`: 'page' (an origin the
 * backend allows, cross-site to it: every case but the cookie one), 'same-site' (an allowed origin
 * of the backend's own site: the cookie case; cookies do not cross sites) or 'third' (an origin
 * the backend does not list: the refusal cases).
 */
/** What a forced refresh sends: no-cache, and the fingerprint of the token it replaces (src/common/fingerprint.rs). */
const FORCED = /^no-cache, spike-refused-token=[0-9a-f]{16}$/;

export function endpointCases(api, env) {
  const { SpikeClient, SpikeError } = api;
  const { inBrowser } = env;
  const at = (path) => `${env.backend}${path}`;
  const log = async () => (await fetch(at('/control/log'))).json();
  const reset = () => fetch(at('/control/reset'), { method: 'POST' });
  const client = (tokenEndpoint, options) => new SpikeClient({ baseUrl: env.emulatorUrl, tokenEndpoint, ...options });
  const LIST = '/platform/api/workspaces';

  const cases = [];
  const add = (name, fn) => cases.push([name, async () => {
    await reset();
    await fn();
  }]);

  /** Calls the headers function's answers `idp-<user>-<serial>`, like an identity provider's rotating token. */
  const identityProvider = (user) => {
    const idp = async ({ forceRefresh }) => {
      idp.calls.push(forceRefresh);
      return { authorization: `Bearer idp-${user}-${idp.calls.length}` };
    };
    idp.calls = [];
    return idp;
  };

  if (env.role === 'third') {
    add('third origin: the browser refuses the cookie endpoint to a signed-in user; the backend sent no CORS headers', async () => {
      // Signed in (an opaque no-cors answer still sets the cookie): the backend does mint, and the
      // browser still keeps the answer from the page.
      await fetch(at('/login?user=third_user'), { method: 'POST', credentials: 'include', mode: 'no-cors' });
      const err = await rejectsWith(client({ url: at('/spike-token'), credentials: 'include' }).getToken(), SpikeError, 'token_provider_failed', 'refused');
      equal(err.cause?.code, 'network_error', 'a CORS refusal looks like a network failure to the page');
      const seen = (await log()).filter((e) => e.route === 'cookie');
      ok(seen.length >= 1, 'the simple GET reached the backend');
      for (const e of seen) {
        equal(e.status, 200, 'the cookie went along and the backend answered a token');
        equal(e.origin, location.origin, 'sent with the third origin');
        equal(e.allowOrigin, null, 'no Access-Control-Allow-Origin for an unlisted origin');
        equal(e.allowCredentials, null, 'no Access-Control-Allow-Credentials either');
        equal(e.vary, 'Origin', 'Vary: Origin');
      }
    });

    add('third origin: a bearer endpoint fails at the preflight; the GET is never sent', async () => {
      const idp = identityProvider('intruder');
      const err = await rejectsWith(client({ url: at('/bearer-token'), headers: idp }).getToken(), SpikeError, 'token_provider_failed', 'refused');
      equal(err.cause?.code, 'network_error', 'cause');
      const seen = (await log()).filter((e) => e.route === 'bearer');
      deepEqual(seen.map((e) => [e.method, e.allowOrigin]), [['OPTIONS', null]], 'only the preflight arrived, and it got no CORS headers');
    });
    return cases;
  }

  if (env.role === 'same-site') {
    add("a cookie session across origins of one site: credentials 'include' and the handler's CORS", async () => {
      const login = await fetch(at('/login?user=cookie_user'), { method: 'POST', credentials: 'include' });
      equal(login.status, 200, 'signed in at the backend');
      // The default credentials ('same-origin') leave the backend's cookie at home: not signed in.
      const err = await rejectsWith(client({ url: at('/spike-token') }).getToken(), SpikeError, 'token_provider_failed', 'without include');
      equal(err.status, 401, "the backend's 401");
      await reset();
      const c = client({ url: at('/spike-token'), credentials: 'include' });
      deepEqual(await c.get(LIST), { workspaces: [] }, 'API call');
      equal(c.tokenInfo().claims.user_id, 'cookie_user', 'the backend knew the user by its cookie');
      c.invalidateToken();
      await c.getToken();
      const seen = (await log()).filter((e) => e.route === 'cookie');
      const gets = seen.filter((e) => e.method === 'GET');
      equal(gets.length, 2, 'two token fetches');
      equal(gets[0].cacheControl, null, 'the first fetch is not forced');
      ok(FORCED.test(gets[1].cacheControl), `no-cache on the forced refresh, naming the invalidated token by its fingerprint: ${gets[1].cacheControl}`);
      for (const e of gets) {
        equal(e.origin, location.origin, 'cross-origin');
        equal(e.allowOrigin, location.origin, 'the exact origin, never *');
        equal(e.allowCredentials, 'true', 'credentials allowed');
        equal(e.vary, 'Origin', 'Vary: Origin');
      }
      // Cache-Control is not CORS-safelisted: the forced refresh was preflighted, and allowed.
      const preflights = seen.filter((e) => e.method === 'OPTIONS');
      equal(preflights.length, 1, 'one preflight, for the no-cache fetch');
      equal(preflights[0].allowCredentials, 'true', 'the preflight allowed credentials');
    });
    return cases;
  }

  add('invalid tokenEndpoint options throw invalid_options at construction', () => {
    const bad = [
      [{ url: at('/t'), method: 'PUT' }, 'unknown method'],
      [{ url: at('/t'), method: 42 }, 'method type'],
      [{ url: at('/t'), credentials: 'yes' }, 'credentials'],
      [{ url: at('/t'), headers: 'authorization: x' }, 'headers as a string'],
      [{ url: at('/t'), headers: [['only-a-name']] }, 'headers fetch would refuse'],
      [{ url: at('/t'), body: 'x' }, 'a body with GET'],
      [{ url: at('/t'), method: 'POST', body: new ReadableStream() }, 'a stream body (cannot be sent again)'],
      [{ url: at('/t'), method: 'POST', body: 12 }, 'a number body'],
      [{ method: 'GET' }, 'no url'],
      [{ url: 'ftp://x/' }, 'not http(s)'],
      [42, 'not a string or an object'],
      [[at('/t')], 'an array'],
    ];
    for (const [tokenEndpoint, what] of bad) throwsSpikeError(() => client(tokenEndpoint), SpikeError, 'invalid_options', what);
    const cyclic = {};
    cyclic.self = cyclic;
    throwsSpikeError(() => client({ url: at('/t'), method: 'POST', body: cyclic }), SpikeError, 'invalid_options', 'a body that is not JSON');
    if (inBrowser) {
      equal(client({ url: '/api/spike-token' }).tokenSource, 'tokenEndpoint', 'a path resolves against the page');
    } else {
      throwsSpikeError(() => client({ url: '/api/spike-token' }), SpikeError, 'invalid_options', 'a relative url outside a browser');
    }
  });

  add('a bearer header computed per fetch, rotated between two fetches; forced refreshes say no-cache', async () => {
    const idp = identityProvider('bearer_user');
    const c = client({ url: at('/bearer-token'), headers: idp });
    deepEqual(await c.get(LIST), { workspaces: [] }, 'API call with the minted token');
    equal(c.tokenInfo().claims.user_id, 'bearer_user', 'the backend knew the user by the bearer');
    c.invalidateToken();
    await c.getToken();
    deepEqual(idp.calls, [false, true], 'called once per token fetch, with forceRefresh');
    const fetches = (await log()).filter((e) => e.route === 'bearer' && e.method === 'GET');
    deepEqual(fetches.map((e) => e.authorization), ['Bearer idp-bearer_user-1', 'Bearer idp-bearer_user-2'], 'each fetch carried the bearer of its own call');
    equal(fetches[0].cacheControl, null, 'the first fetch is not forced');
    ok(FORCED.test(fetches[1].cacheControl), `no-cache only on the forced refresh, naming the invalidated token by its fingerprint: ${fetches[1].cacheControl}`);
    for (const e of fetches) equal(e.status, 200, 'answered');
    if (inBrowser) {
      for (const e of fetches) {
        equal(e.allowOrigin, location.origin, 'the exact page origin');
        equal(e.allowCredentials, null, 'credentials: false sends no Allow-Credentials');
      }
    }
  });

  add('a POST endpoint: JSON body, a CSRF header, no-cache on a forced refresh', async () => {
    const c = client({ url: at('/post-token'), method: 'POST', body: { user: 'post_user' }, headers: { 'X-CSRF-Token': 'csrf-ok' } });
    deepEqual(await c.get(LIST), { workspaces: [] }, 'API call');
    equal(c.tokenInfo().claims.user_id, 'post_user', 'user from the body');
    c.invalidateToken();
    await c.getToken();
    const posts = (await log()).filter((e) => e.route === 'post' && e.method === 'POST');
    equal(posts.length, 2, 'two token fetches');
    for (const e of posts) {
      equal(e.status, 200, 'answered');
      equal(e.csrf, 'csrf-ok', 'CSRF header');
      equal(e.contentType, 'application/json', 'a plain object body is JSON');
      deepEqual(e.body, { user: 'post_user' }, 'the body, again on the second fetch');
    }
    equal(posts[0].cacheControl, null, 'the first fetch is not forced');
    ok(FORCED.test(posts[1].cacheControl), `the no-cache rule holds for POST, naming the invalidated token by its fingerprint: ${posts[1].cacheControl}`);
    if (inBrowser) {
      const preflights = (await log()).filter((e) => e.route === 'post' && e.method === 'OPTIONS');
      ok(preflights.length >= 1, 'the browser asked first (custom header, JSON content type)');
      for (const e of preflights) equal(e.allowOrigin, location.origin, 'the preflight allowed the page');
    }
    // Without the CSRF header the backend does not know the user: the endpoint's 401 is the error.
    const err = await rejectsWith(client({ url: at('/post-token'), method: 'POST', body: { user: 'post_user' } }).getToken(), SpikeError, 'token_provider_failed', 'no CSRF');
    equal(err.status, 401, 'the endpoint status');
  });

  add('a POST endpoint body (issue 19): a class instance with toJSON() is JSON; one without, or a Map, is invalid_options naming it', async () => {
    class Login {
      constructor(user) {
        this.user = user;
      }
      toJSON() {
        return { user: this.user };
      }
    }
    const c = client({ url: at('/post-token'), method: 'POST', body: new Login('post_user'), headers: { 'X-CSRF-Token': 'csrf-ok' } });
    await c.getToken();
    equal(c.tokenInfo().claims.user_id, 'post_user', 'user from the toJSON() body');
    const [post] = (await log()).filter((e) => e.route === 'post' && e.method === 'POST');
    equal(post.contentType, 'application/json', 'JSON');
    deepEqual(post.body, { user: 'post_user' }, 'what toJSON() gave');
    class Credentials {
      constructor() {
        this.user = 'post_user';
      }
    }
    for (const [body, name] of [[new Credentials(), 'Credentials'], [new Map([['user', 'x']]), 'Map'], [{ toJSON: () => undefined }, 'toJSON']]) {
      const err = throwsSpikeError(() => client({ url: at('/post-token'), method: 'POST', body }), SpikeError, 'invalid_options', name);
      ok(err.message.includes(name), `${name}: ${err.message}`);
    }
  });

  add('a headers function that throws, rejects or gives bad headers: token_provider_failed with the cause; nothing is fetched', async () => {
    const thrown = new Error('identity provider signed out');
    for (const [headers, what] of [
      [() => { throw thrown; }, 'throws'],
      [async () => { throw thrown; }, 'rejects'],
    ]) {
      const err = await rejectsWith(client({ url: at('/bearer-token'), headers }).getToken(), SpikeError, 'token_provider_failed', what);
      equal(err.cause, thrown, `${what}: the cause`);
    }
    const bad = await rejectsWith(client({ url: at('/bearer-token'), headers: () => [['no-value']] }).getToken(), SpikeError, 'token_provider_failed', 'bad headers');
    ok(bad.cause instanceof TypeError, 'the cause is what Headers threw');
    const hangs = await rejectsWith(client({ url: at('/bearer-token'), headers: () => new Promise(() => {}) }, { timeoutMs: 200 }).getToken(), SpikeError, 'token_provider_failed', 'never settles');
    ok(/200 ms/.test(hangs.message), 'bounded by timeoutMs');
    deepEqual(await log(), [], 'no token fetch was made');
    // The next call asks again, and works once the function does.
    let fail = true;
    const idp = identityProvider('recovered');
    const c = client({ url: at('/bearer-token'), headers: (ctx) => { if (fail) throw thrown; return idp(ctx); } });
    await rejectsWith(c.getToken(), SpikeError, 'token_provider_failed', 'first');
    fail = false;
    await c.getToken();
    equal(c.tokenInfo().claims.user_id, 'recovered', 'recovered');
  });

  return cases;
}
