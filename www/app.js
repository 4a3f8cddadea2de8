// The demo page: everything it shows comes from the SDK's public API (SpikeClient, its events,
// tokenInfo) and from the demo backend's /api routes (sign-in, emulator switches and counts,
// webhook check). The token exchanges are recorded by a `fetch` wrapper passed to the client (and
// used by the provider), so the page can show what went over the wire.
import { SpikeClient, SpikeError } from '@spike/sdk';

const $ = (id) => document.getElementById(id);
const state = {
  client: null, source: null, config: null, user: null, fetches: 0, pendingRetry: false, offs: [],
  token: null, // the raw JWT the client holds (for the "Raw JWT" box)
  lastFetchedToken: null, // the last token a token request answered (it becomes `token` once installed)
  failure: null, // { what, message, help } of the last failed call, shown on the token card
  busy: false, // an action is running
  from: null, // where the current token came from: 'fetched here' or 'another tab' (shareAcrossTabs)
  keepFresh: null, // the running "keep the token fresh" getToken()
};

async function api(path, body) {
  const res = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}

// ---- what each source's client looks like (shown on the page, and what the page runs) ------

const CODE = {
  tokenEndpoint: `// Your backend answers GET /api/spike-token (createTokenHandler).
// A forced refresh sends Cache-Control: no-cache, spike-refused-token=<fingerprint>.
// shareAcrossTabs: this user's tabs fetch one token between them.
const spike = new SpikeClient({ baseUrl, tokenEndpoint: '/api/spike-token', shareAcrossTabs: \`demo-\${user}\` });`,
  tokenProvider: `// Called whenever a token is needed. After the API refused one, it gets
// { forceRefresh: true, cacheControl }: pass cacheControl on, or your
// backend's cache may hand back the refused token (token_provider_failed).
const spike = new SpikeClient({
  baseUrl,
  tokenProvider: async ({ cacheControl }) => {
    const res = await fetch('/api/spike-token', { headers: cacheControl ? { 'cache-control': cacheControl } : {} });
    if (!res.ok) throw new Error(\`token endpoint answered \${res.status}\`);
    return res.json(); // { token, expires_at, expires_in }
  },
  shareAcrossTabs: \`demo-\${user}\`,
});`,
  token: `// A fixed token, fetched once by the page. The SDK cannot refresh it:
// once it expires (or the server revokes it) every call fails.
// (no-cache: a new token each time, not the backend's cached one)
const { token } = await (await fetch('/api/spike-token', { headers: { 'cache-control': 'no-cache' } })).json();
const spike = new SpikeClient({ baseUrl, token });`,
};

const NOTES = {
  tokenEndpoint: 'GET /api/spike-token with the session cookie; createTokenHandler answers { token, expires_at, expires_in }.',
  tokenProvider: 'An async function the SDK calls whenever it needs a token (here it fetches the same endpoint).',
  token: 'A fixed token: once it expires every call fails fast with token_expired and sends nothing; a revoked one fails at the API.',
};

// ---- token exchanges, as sent and answered ----------------------------------------------------

const short = (token) => (typeof token === 'string' && token.length > 24 ? `${token.slice(0, 20)}…(${token.length} chars)` : token);

/** fetch, recording token endpoint exchanges for the "last token request" panel. */
async function recordingFetch(input, init = {}) {
  const url = new URL(typeof input === 'string' ? input : input.url, location.href);
  const res = await fetch(input, init);
  if (url.origin === location.origin && url.pathname === '/api/spike-token') {
    const cacheControl = new Headers(init.headers).get('cache-control');
    let body;
    try {
      body = await res.clone().json();
    } catch {
      body = null;
    }
    showExchange(`${init.method ?? 'GET'} ${url.pathname}${cacheControl ? `\nCache-Control: ${cacheControl}` : ''}`, res.status, body);
    if (typeof body?.token === 'string') state.lastFetchedToken = body.token;
  }
  return res;
}

function showExchange(request, status, body) {
  const shown = body && typeof body === 'object' ? { ...body, ...(body.token ? { token: short(body.token) } : {}) } : body;
  $('exchange-empty').hidden = true;
  $('exchange').hidden = false;
  $('exchange-request').textContent = `→ ${request}`;
  $('exchange-answer').textContent = `← ${status}\n${JSON.stringify(shown, null, 2)}`;
}

// ---- request log -------------------------------------------------------------------------

function log(kind, tag, detail) {
  const li = document.createElement('li');
  li.dataset.kind = kind;
  const time = new Date().toLocaleTimeString([], { hour12: false }) + '.' + String(Date.now() % 1000).padStart(3, '0');
  for (const [cls, text] of [['time', time], ['tag', tag], ['detail', detail]]) {
    const span = document.createElement('span');
    span.className = cls;
    span.textContent = text;
    li.append(span);
  }
  $('log').append(li);
  $('log-scroll').scrollTop = $('log-scroll').scrollHeight;
  $('log-empty').hidden = true;
}

/** What to do about an error, in words: the SDK's code and message say what; this says what next. */
function hint(err) {
  if (!(err instanceof SpikeError)) return 'Unexpected: see the browser console.';
  // A provider's own error is the cause of the SDK's token_provider_failed.
  const status = err.status ?? err.cause?.status;
  if (err.code === 'token_provider_failed' && status === 401) return 'Not signed in: the token endpoint answers 401 to strangers. Sign in first (top right).';
  if (err.code === 'token_provider_failed' && /refused/.test(err.message)) return 'The source gave back the token the API just refused, so the SDK did not send it again.';
  if (err.code === 'token_provider_failed') return 'The token source failed; the next call tries it again after a short backoff.';
  if (err.code === 'token_expired' && state.source === 'token') return 'A fixed token cannot be refreshed: pick "token" again (the page fetches a new one), or use tokenEndpoint / tokenProvider.';
  if (err.code === 'network_error') return 'Nothing answered: is `npm run demo` still running?';
  return '';
}

function fail(label, err) {
  const what = err instanceof SpikeError ? `${err.status ? `${err.status} ` : ''}${err.code}` : String(err);
  const help = hint(err);
  state.failure = { what, message: err.message, help };
  log('error', 'failed', `${label} · ${what} · ${err.message}${help ? ` · ${help}` : ''}`);
  $('action-result').textContent = `${label} failed: ${what}. ${help}`;
  $('action-result').dataset.kind = 'error';
  renderToken();
}

function succeeded(text) {
  state.failure = null;
  $('action-result').textContent = text;
  $('action-result').dataset.kind = 'ok';
}

/** One API call through client.fetch (like fetch, plus tokens and retries), logged with its real status. */
async function call(method, path, body) {
  const label = `${method} ${path}`;
  const started = performance.now();
  try {
    const init = body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    const res = await state.client.fetch(path, init);
    const data = await res.json().catch(() => null);
    const ms = Math.round(performance.now() - started);
    if (!res.ok) {
      // client.fetch hands back the API's answer, like fetch; client.get/post would throw this.
      fail(`${label} · ${ms} ms`, new SpikeError(data?.error ?? 'http_error', data?.message ?? res.statusText, { status: res.status }));
      return undefined;
    }
    log('ok', `${res.status} ${res.statusText}`.trim(), `${label} · ${ms} ms`);
    state.failure = null;
    return data;
  } catch (err) {
    fail(label, err);
    return undefined;
  } finally {
    renderToken();
    refreshStats();
  }
}

// ---- the client ---------------------------------------------------------------------------

async function fetchTokenFor(cacheControl) {
  const res = await recordingFetch('/api/spike-token', { headers: cacheControl ? { 'cache-control': cacheControl } : {} });
  if (!res.ok) throw new SpikeError('token_provider_failed', `token endpoint answered ${res.status}`, { status: res.status });
  return res.json();
}

async function createClient() {
  for (const off of state.offs) off();
  state.offs = [];
  state.client?.free();
  state.client = null;
  state.token = null;
  state.failure = null;
  state.from = null;
  // One token per signed-in user, shared with this user's other tabs (a channel per user, so a
  // tab signed in as someone else never gets this user's token).
  const shareAcrossTabs = `demo-${state.user}`;
  const source = document.querySelector('input[name="source"]:checked').value;
  state.source = source;
  delete document.body.dataset.client;
  $('client-code').textContent = CODE[source];
  $('source-note').textContent = NOTES[source];
  renderToken(); // at once: nothing of the previous source stays on screen
  const baseUrl = state.config.emulatorUrl;
  if (source === 'tokenEndpoint') {
    state.client = new SpikeClient({ baseUrl, tokenEndpoint: '/api/spike-token', fetch: recordingFetch, shareAcrossTabs });
  } else if (source === 'tokenProvider') {
    state.client = new SpikeClient({ baseUrl, tokenProvider: async ({ cacheControl }) => fetchTokenFor(cacheControl), shareAcrossTabs });
  } else {
    try {
      const { token } = await fetchTokenFor('no-cache');
      state.client = new SpikeClient({ baseUrl, token });
      state.token = token;
      state.fetches += 1;
      state.from = 'fetched here';
      log('refresh', 'token', `fetched once for the fixed-token client (fetch #${state.fetches})`);
    } catch (err) {
      const help = err.status === 401 ? 'Sign in first: the token endpoint answers 401 to strangers.' : '';
      state.failure = { what: 'token_provider_failed', message: `Could not get a token: ${err.message}.`, help };
      $('source-note').textContent = `Could not get a token: ${err.message}. ${help}`;
      renderToken();
      document.body.dataset.client = source;
      return;
    }
  }
  const c = state.client;
  state.offs = [
    c.on('tokenRefreshed', (info) => {
      state.from = info.fromTab ? 'another tab' : 'fetched here';
      state.failure = null;
      if (info.fromTab) {
        // Installed just now, so getToken() hands it over without a fetch (for the Raw JWT box).
        c.getToken().then((t) => ((state.token = t), renderToken()), () => {});
        log('refresh', 'token', `from another tab for ${info.claims.user_id}, ${info.secondsLeft} s left (no fetch here)`);
        if (state.pendingRetry) log('retry', 'retry', 'the rejected request is sent again with the new token');
        state.pendingRetry = false;
        renderToken();
        return;
      }
      state.fetches += 1;
      state.token = state.lastFetchedToken ?? null;
      state.failure = null;
      const why = state.pendingRetry ? 'refresh' : 'token';
      log('refresh', why, `${state.pendingRetry ? 'new token' : 'fetched'} for ${info.claims.user_id}, ${info.secondsLeft} s left (fetch #${state.fetches})`);
      if (state.pendingRetry) log('retry', 'retry', 'the rejected request is sent again with the new token');
      state.pendingRetry = false;
      renderToken();
    }),
    c.on('retry', (e) => {
      if (e.reason === 'token_expired') {
        // The SDK sends a rejected token once more as is (one rejection can be a hiccup) and
        // replaces it at the second rejection in a row.
        const again = e.attempt > 1 ? 'again: the token is replaced' : 'sent once more as is';
        log('expired', '401', `token_expired · ${e.method} ${new URL(e.url).pathname} · ${again}`);
        state.pendingRetry = e.attempt > 1;
      } else {
        log('backoff', e.status ? String(e.status) : e.reason, `retry #${e.attempt} in ${e.delayMs} ms · ${e.method} ${new URL(e.url).pathname}`);
      }
    }),
  ];
  renderToken();
  document.body.dataset.client = source; // for the demo's test: this source's client is ready
}

// ---- token panel --------------------------------------------------------------------------

function renderToken() {
  $('fetch-count').textContent = String(state.fetches);
  $('token-from').textContent = state.from ?? '-';
  const info = state.client?.tokenInfo() ?? null;
  const failure = state.failure;
  $('token-alert').hidden = !failure;
  $('token-alert').textContent = failure ? `Last call failed: ${failure.what}. ${failure.message}${failure.help ? ` ${failure.help}` : ''}` : '';
  $('token-empty').hidden = Boolean(info);
  $('token-details').hidden = !info;
  if (!info) return;
  const c = info.claims;
  const rows = [
    ['user_id', c.user_id], ['tenant_id', c.tenant_id], ['sub', c.sub], ['scopes', c.scopes ?? []],
    ['iat', c.iat ? `${c.iat} (${new Date(c.iat * 1000).toLocaleTimeString()})` : '-'],
    ['exp', c.exp ? `${c.exp} (${new Date(c.exp * 1000).toLocaleTimeString()})` : '-'],
  ];
  const dl = $('claims');
  dl.replaceChildren();
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.dataset.claim = k;
    if (Array.isArray(v)) {
      // One chip per scope, so a scope never breaks mid-word.
      for (const scope of v) {
        const chip = document.createElement('code');
        chip.className = 'scope';
        chip.textContent = scope;
        dd.append(chip, ' ');
      }
      if (!v.length) dd.textContent = '-';
    } else {
      dd.textContent = String(v ?? '-');
    }
    dl.append(dt, dd);
  }
  const jwt = $('jwt');
  jwt.replaceChildren();
  if (state.token) {
    state.token.split('.').forEach((part, i) => {
      if (i) jwt.append('.');
      const span = document.createElement('span');
      span.className = ['jwt-header', 'jwt-payload', 'jwt-signature'][i] ?? '';
      span.textContent = part;
      jwt.append(span);
    });
  }
  tick();
}

function tick() {
  const info = state.client?.tokenInfo();
  if (!info || info.expiresAt === null) return;
  const lifetime = Math.max(1, (info.claims.exp ?? 0) - (info.claims.iat ?? 0));
  const left = Math.max(0, (info.expiresAt - Date.now()) / 1000);
  // When the client refreshes is the SDK's to say (tokenInfo().refreshAt), not the page's to recompute.
  const refreshIn = info.refreshAt === null ? Infinity : (info.refreshAt - Date.now()) / 1000;
  const refreshWindow = info.refreshAt === null ? 0 : (info.expiresAt - info.refreshAt) / 1000;
  $('bar-fill').style.width = `${Math.min(100, (left / lifetime) * 100)}%`;
  $('bar-fill').classList.toggle('soon', refreshIn <= 0);
  $('bar-refresh').style.left = `${Math.min(100, (refreshWindow / lifetime) * 100)}%`;
  $('bar-refresh').hidden = info.refreshAt === null;
  $('expires-in').textContent = left > 0 ? `expires in ${left.toFixed(0)} s` : 'expired';
  let refresh;
  if (info.refreshAt === null) refresh = 'never refreshed (a fixed token)';
  else if (refreshIn > 0) refresh = `refresh due in ${refreshIn.toFixed(0)} s`;
  else refresh = left > 0 ? 'refresh due: the next call fetches a new token first' : 'the next call fetches a new token first';
  $('refresh-in').textContent = refresh;
  const stateText = state.failure ? 'The last call failed (above); this is the token the client holds.' : left > 0 ? 'Live: the client sends this token.' : 'Expired: the client will not send it.';
  $('token-state').textContent = stateText;
  $('token-state').dataset.kind = state.failure || left <= 0 ? 'bad' : 'ok';
  keepFresh(info);
}

/**
 * "Keep the token fresh": app code, not the SDK's (which refreshes on the next call). At the
 * refresh point it calls getToken(), only while the tab is visible (a hidden or frozen tab makes
 * no calls, so it needs no token), one at a time, and waits 5 s after a failure: no storm.
 */
function keepFresh(info) {
  if (!$('keep-fresh').checked || document.visibilityState !== 'visible' || state.keepFresh || info.refreshAt === null) return;
  if (Date.now() < info.refreshAt) return;
  const client = state.client;
  // A refresh that fails while the token is still alive does not fail getToken(): the live token
  // stays in use, the failure is an `error` event, and refreshAt moves past the SDK's back-off.
  let kept = null;
  const off = client.on('error', (err) => {
    if (err.code === 'token_provider_failed') kept = err;
  });
  state.keepFresh = client
    .getToken()
    .then(() => {
      if (kept && client.tokenInfo()?.expiresAt === info.expiresAt) log('backoff', 'keep fresh', `the refresh failed (${kept.message}); the live token stays in use until the next try`);
      else log('refresh', 'keep fresh', 'getToken() at the refresh point, with no request waiting');
    })
    .catch((err) => fail('keep fresh', err))
    .then(() => new Promise((r) => setTimeout(r, state.failure || kept ? 5000 : 0)))
    .finally(() => {
      off();
      state.keepFresh = null;
      renderToken();
      refreshStats();
    });
}

async function refreshStats() {
  try {
    const stats = await api('/api/emulator/stats');
    $('stat-mints').textContent = String(stats.mints);
    $('stat-token-requests').textContent = String(stats.tokenRequests);
    // API requests: the /platform routes (the stats also count mints and JWKS fetches).
    const count = (byStatus) => Object.values(byStatus).reduce((a, b) => a + b, 0);
    const apiRequests = Object.entries(stats.routes ?? {}).filter(([route]) => route.includes('/platform/')).reduce((n, [, byStatus]) => n + count(byStatus), 0);
    $('stat-api').textContent = String(apiRequests);
  } catch {
    // The counts are a bonus; a failed poll leaves the last ones.
  }
}

// ---- actions ------------------------------------------------------------------------------

async function listWorkspaces() {
  const data = await call('GET', '/platform/api/workspaces');
  if (!data) return;
  const ul = $('workspaces');
  ul.replaceChildren();
  for (const ws of data.workspaces) {
    const li = document.createElement('li');
    li.innerHTML = '<span></span><span class="muted"></span>';
    li.firstChild.textContent = `${ws.id} · ${ws.tier}`;
    li.lastChild.textContent = `until ${new Date(ws.expires_at).toLocaleTimeString()}`;
    ul.append(li);
  }
  if (!data.workspaces.length) ul.innerHTML = '<li class="empty">No workspaces yet.</li>';
  succeeded(`${data.workspaces.length} workspace(s).`);
}

/**
 * Runs an action once at a time. The button is marked busy, not disabled: a disabled button
 * drops the keyboard focus to the page, and a user mid-way through the page would lose their place.
 */
async function withButton(button, fn) {
  if (state.busy) return;
  if (!state.client) {
    $('action-result').textContent = state.user ? 'No client: the token source failed (see the token card).' : 'Sign in first (top right): the token endpoint answers 401 to strangers.';
    $('action-result').dataset.kind = 'error';
    return;
  }
  state.busy = true;
  button.setAttribute('aria-busy', 'true');
  try {
    await fn();
  } finally {
    button.removeAttribute('aria-busy');
    state.busy = false;
  }
}

function wireActions() {
  // body[data-idle] tells the demo's test when an action is over.
  const action = (id, fn) => {
    $(id).onclick = (e) => {
      document.body.dataset.idle = 'false';
      withButton(e.currentTarget, fn).finally(() => (document.body.dataset.idle = 'true'));
    };
  };
  action('create', async () => {
    const ws = await call('POST', '/platform/api/workspaces', { tier: $('tier').value, ttlSeconds: 3600 });
    if (!ws) return;
    await listWorkspaces();
    succeeded(`Created ${ws.id} (${ws.tier}).`);
  });
  action('list', listWorkspaces);
  action('expire', async () => {
    await api('/api/emulator/inject', { expireTokens: true });
    log('backoff', 'server', 'every token issued so far now answers 401 token_expired');
    await listWorkspaces();
  });
  action('burst', async () => {
    state.client.invalidateToken();
    const before = state.fetches;
    const started = performance.now();
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => state.client.get('/platform/api/workspaces')));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const fetched = state.fetches - before;
    const text = `50 concurrent requests · ${ok} succeeded · ${fetched} token fetch${fetched === 1 ? '' : 'es'} · ${Math.round(performance.now() - started)} ms`;
    log(ok === 50 ? 'ok' : 'error', 'burst', text);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) fail('Burst', failed.reason);
    else succeeded(`Burst: ${ok} of 50 succeeded, ${fetched} token fetch${fetched === 1 ? '' : 'es'}.`);
    $('action-result').dataset.burstOk = String(ok);
    $('action-result').dataset.burstFetches = String(fetched);
    renderToken();
    refreshStats();
  });
  action('storm', async () => {
    await api('/api/emulator/inject', { status503: 2 });
    log('backoff', 'server', 'the next 2 API requests answer 503');
    await listWorkspaces();
  });
  $('clear-log').onclick = () => {
    $('log').replaceChildren();
    $('log-empty').hidden = false;
  };
}

// ---- sign-in and webhook --------------------------------------------------------------------

function renderUser() {
  $('signed-in').hidden = !state.user;
  $('signed-in').textContent = state.user ? `signed in as ${state.user}` : '';
  $('signout-button').hidden = !state.user;
  $('signin-button').hidden = Boolean(state.user);
  $('user').disabled = Boolean(state.user);
}

function wireSignin() {
  $('signin').onsubmit = async (e) => {
    e.preventDefault();
    const res = await api('/api/login', { user: $('user').value.trim() });
    if (res.error) {
      $('source-note').textContent = res.message;
      return;
    }
    state.user = res.user;
    renderUser();
    $('signout-button').focus(); // the button that had the focus is gone
    await createClient();
  };
  $('signout-button').onclick = async () => {
    await api('/api/logout', {});
    state.user = null;
    renderUser();
    $('user').focus();
    await createClient();
  };
  for (const radio of document.querySelectorAll('input[name="source"]')) radio.onchange = () => createClient();
  $('webhook').onsubmit = async (e) => {
    e.preventDefault();
    const r = await api('/api/webhook/check', { body: $('wh-body').value, key: $('wh-key').value, header: $('wh-header').value });
    $('wh-signature').textContent = r.signature || '-';
    $('wh-verified').textContent = r.error ? `error: ${r.error}` : r.verified ? 'yes' : 'no';
    $('wh-verified').dataset.kind = r.verified ? 'ok' : 'bad';
  };
}

state.config = await api('/api/config');
$('token-seconds').textContent = String(state.config.tokenSeconds);
state.user = (await api('/api/me')).user;
wireSignin();
wireActions();
renderUser();
await createClient();
refreshStats();
setInterval(tick, 250);
document.addEventListener('visibilitychange', tick);
document.body.dataset.ready = 'true';
document.body.dataset.idle = 'true';
