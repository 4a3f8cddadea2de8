// The demo page: everything it shows comes from the SDK's public API (SpikeClient, its events,
// tokenInfo) and from the demo backend's /api routes (sign-in, emulator switches, webhook check).
import { SpikeClient, SpikeError } from '@spike/sdk';

const $ = (id) => document.getElementById(id);
const state = { client: null, config: null, user: null, fetches: 0, pendingRetry: false, offs: [] };

async function api(path, body) {
  const res = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
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
  $('log').scrollTop = $('log').scrollHeight;
  $('log-empty').hidden = true;
}

/** Runs one SDK call and logs how it ended, with its duration. */
async function call(label, fn) {
  const started = performance.now();
  try {
    const result = await fn();
    log('ok', '200 OK', `${label} · ${Math.round(performance.now() - started)} ms`);
    return result;
  } catch (err) {
    const what = err instanceof SpikeError ? `${err.status ? `${err.status} ` : ''}${err.code}` : String(err);
    log('error', 'failed', `${label} · ${what} · ${err.message}`);
    return undefined;
  } finally {
    renderToken();
  }
}

// ---- the client ---------------------------------------------------------------------------

async function createClient() {
  for (const off of state.offs) off();
  state.client?.free();
  state.client = null;
  state.from = null;
  // One token per signed-in user, shared with this user's other tabs (a channel per user, so a
  // tab signed in as someone else never gets this user's token).
  const shareAcrossTabs = `demo-${state.user}`;
  const source = document.querySelector('input[name="source"]:checked').value;
  const baseUrl = state.config.emulatorUrl;
  const fetchToken = async () => {
    const res = await fetch('/api/spike-token');
    if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
    return res.json();
  };
  if (source === 'tokenEndpoint') {
    state.client = new SpikeClient({ baseUrl, tokenEndpoint: '/api/spike-token', shareAcrossTabs });
    $('source-note').textContent = 'GET /api/spike-token with the session cookie; createTokenHandler answers { token, expires_at, expires_in }.';
  } else if (source === 'tokenProvider') {
    state.client = new SpikeClient({ baseUrl, tokenProvider: fetchToken, shareAcrossTabs });
    $('source-note').textContent = 'An async function the SDK calls whenever it needs a token (here it calls the same endpoint).';
  } else {
    try {
      const { token } = await fetchToken();
      state.client = new SpikeClient({ baseUrl, token });
      state.fetches += 1;
      state.from = 'fetched here';
      $('source-note').textContent = 'A fixed token: once it expires every call fails fast with token_expired and sends nothing.';
    } catch (err) {
      $('source-note').textContent = `Could not get a token: ${err.message}. Sign in first.`;
      renderToken();
      return;
    }
  }
  const c = state.client;
  state.offs = [
    c.on('tokenRefreshed', (info) => {
      state.from = info.fromTab ? 'another tab' : 'fetched here';
      if (info.fromTab) {
        log('refresh', 'token', `from another tab for ${info.claims.user_id}, ${info.secondsLeft} s left (no fetch here)`);
        if (state.pendingRetry) log('retry', 'retry', 'the rejected request is sent again with the new token');
        state.pendingRetry = false;
        renderToken();
        return;
      }
      state.fetches += 1;
      if (state.pendingRetry) {
        log('refresh', 'refresh', `new token for ${info.claims.user_id}, ${info.secondsLeft} s left (fetch #${state.fetches})`);
        log('retry', 'retry', 'the rejected request is sent again with the new token');
        state.pendingRetry = false;
      } else {
        log('refresh', 'token', `fetched for ${info.claims.user_id}, ${info.secondsLeft} s left (fetch #${state.fetches})`);
      }
      renderToken();
    }),
    c.on('retry', (e) => {
      if (e.reason === 'token_expired') {
        // The SDK sends a rejected token once more as is (one rejection can be a hiccup) and
        // replaces it at the second rejection in a row.
        const again = e.attempt > 1 ? 'again: the token is replaced' : 'sent once more as is';
        log('expired', '401', `token_expired · ${e.method} ${new URL(e.url).pathname} · ${again}`);
        state.pendingRetry = true;
      } else {
        log('backoff', e.status ? String(e.status) : e.reason, `retry #${e.attempt} in ${e.delayMs} ms · ${e.method} ${new URL(e.url).pathname}`);
      }
    }),
  ];
  renderToken();
}

// ---- token panel --------------------------------------------------------------------------

function renderToken() {
  $('fetch-count').textContent = String(state.fetches);
  $('token-from').textContent = state.from ?? '-';
  const info = state.client?.tokenInfo();
  $('token-empty').hidden = Boolean(info);
  $('token-details').hidden = !info;
  if (!info) return;
  const c = info.claims;
  const rows = [
    ['user_id', c.user_id], ['tenant_id', c.tenant_id], ['sub', c.sub], ['scopes', (c.scopes ?? []).join(' ') || '-'],
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
    dd.textContent = String(v ?? '-');
    dl.append(dt, dd);
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
  $('expires-in').textContent = left > 0 ? `expires in ${left.toFixed(0)} s` : 'expired';
  $('refresh-in').textContent =
    info.refreshAt === null ? 'never refreshed (a static token)' : refreshIn > 0 ? `refresh due in ${refreshIn.toFixed(0)} s` : 'refresh due on the next call';
}

// ---- actions ------------------------------------------------------------------------------

async function listWorkspaces() {
  const data = await call('GET /platform/api/workspaces', () => state.client.get('/platform/api/workspaces'));
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
  $('action-result').textContent = `${data.workspaces.length} workspace(s).`;
}

async function withButton(button, fn) {
  if (!state.client) {
    $('action-result').textContent = 'Sign in first.';
    return;
  }
  button.disabled = true;
  try {
    await fn();
  } finally {
    button.disabled = false;
  }
}

function wireActions() {
  $('create').onclick = (e) => withButton(e.target, async () => {
    const ws = await call('POST /platform/api/workspaces', () => state.client.post('/platform/api/workspaces', { tier: $('tier').value, ttlSeconds: 3600 }));
    if (ws) $('action-result').textContent = `Created ${ws.id} (${ws.tier}).`;
  });
  $('list').onclick = (e) => withButton(e.target, listWorkspaces);
  $('expire').onclick = (e) => withButton(e.target, async () => {
    await api('/api/emulator/inject', { expireTokens: true });
    log('backoff', 'server', 'every token issued so far now answers 401 token_expired');
    await listWorkspaces();
  });
  $('burst').onclick = (e) => withButton(e.target, async () => {
    state.client.invalidateToken();
    const before = state.fetches;
    const started = performance.now();
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => state.client.get('/platform/api/workspaces')));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const fetched = state.fetches - before;
    log(ok === 50 ? 'ok' : 'error', 'burst', `50 concurrent requests · ${ok} succeeded · ${fetched} token fetch · ${Math.round(performance.now() - started)} ms`);
    $('action-result').textContent = `Burst: 50 requests, ${fetched} token fetch.`;
    $('action-result').dataset.burstFetches = String(fetched);
    renderToken();
  });
  $('storm').onclick = (e) => withButton(e.target, async () => {
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
    await createClient();
  };
  $('signout-button').onclick = async () => {
    await api('/api/logout', {});
    state.user = null;
    renderUser();
    await createClient();
  };
  for (const radio of document.querySelectorAll('input[name="source"]')) radio.onchange = () => createClient();
  $('webhook').onsubmit = async (e) => {
    e.preventDefault();
    const r = await api('/api/webhook/check', { body: $('wh-body').value, key: $('wh-key').value, header: $('wh-header').value });
    $('wh-signature').textContent = r.signature || '-';
    $('wh-verified').textContent = r.error ? `error: ${r.error}` : r.verified ? 'yes' : 'no';
    $('wh-verified').style.color = r.verified ? 'var(--ok)' : 'var(--bad)';
  };
}

state.config = await api('/api/config');
$('token-seconds').textContent = String(state.config.tokenSeconds);
state.user = (await api('/api/me')).user;
wireSignin();
wireActions();
renderUser();
await createClient();
setInterval(tick, 250);
document.body.dataset.ready = 'true';
