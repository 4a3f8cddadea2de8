'use strict';
// A local Spike API on 127.0.0.1: real RS256 tokens, the documented error bodies, in-memory
// workspaces, and switches that inject the faults an SDK must survive. Used by our tests and
// demo, and by users' own test suites (`@spike/sdk/testing`).
const crypto = require('node:crypto');
const http = require('node:http');
const { SpikeError } = require('../error.cjs');
const { createKeyPair, sign, verify } = require('./jwt.cjs');

const MAX_BODY_BYTES = 1 << 20;
const MAX_EXP_SECONDS = 86400;
const DEFAULT_ISSUER = 'https://api.spikelabs.com';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** The server's clock. Not Date.now, so tests can skew the client's clock in the same process. */
const serverNow = () => performance.timeOrigin + performance.now();

function invalidOptions(message) {
  return new SpikeError('invalid_options', message);
}

function checkOptions(options) {
  if (options === null || typeof options !== 'object') throw invalidOptions('startEmulator options must be an object');
  let read;
  try {
    read = { ...options };
  } catch {
    throw invalidOptions('startEmulator options could not be read');
  }
  const known = ['port', 'host', 'apiKey', 'tokenTtlSeconds', 'issuer', 'tenantId'];
  const unknown = Object.keys(read).find((key) => !known.includes(key));
  if (unknown !== undefined) throw invalidOptions(`startEmulator: unknown option '${unknown.slice(0, 40)}'; the options are ${known.join(', ')}`);
  const { port = 0, host = '127.0.0.1', apiKey, tokenTtlSeconds = 3600, issuer = DEFAULT_ISSUER, tenantId = 'tenant_emulator' } = read;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidOptions('port must be an integer 0..65535');
  if (typeof host !== 'string' || !host) throw invalidOptions('host must be a non-empty string');
  if (apiKey !== undefined && (typeof apiKey !== 'string' || !apiKey)) throw invalidOptions('apiKey must be a non-empty string');
  if (!Number.isInteger(tokenTtlSeconds) || tokenTtlSeconds < 1 || tokenTtlSeconds > MAX_EXP_SECONDS) {
    throw invalidOptions(`tokenTtlSeconds must be an integer 1..${MAX_EXP_SECONDS}`);
  }
  if (typeof issuer !== 'string' || !issuer) throw invalidOptions('issuer must be a non-empty string');
  if (typeof tenantId !== 'string' || !tenantId) throw invalidOptions('tenantId must be a non-empty string');
  return { port, host, apiKey: apiKey ?? `sk_test_${crypto.randomBytes(18).toString('base64url')}`, tokenTtlSeconds, issuer, tenantId };
}

function emptyFaults() {
  // Counts are consumed one request at a time; rates are probabilities per request (0..1).
  return { status503: 0, retryAfter: undefined, latencyMs: 0, dropConnections: 0, tokenExpired: 0, revokedUpTo: 0, rates: { status503: 0, drop: 0, tokenExpired: 0, slow: 0 }, slowMs: 0 };
}

function emptyStats() {
  return { mints: 0, requests: 0, dropped: 0, injected503: 0, routes: {} };
}

/** Routes a request to a name like "GET /platform/api/workspaces/:id" (stats key) and params. */
function route(method, pathname) {
  if (pathname === '/tenant/api/tokens/mint') return { name: `${method} /tenant/api/tokens/mint`, kind: 'mint' };
  if (pathname === '/.well-known/jwks.json') return { name: `${method} /.well-known/jwks.json`, kind: 'jwks' };
  if (pathname === '/platform/api/workspaces') return { name: `${method} /platform/api/workspaces`, kind: 'workspaces' };
  const m = /^\/platform\/api\/workspaces\/([^/]+)$/.exec(pathname);
  if (m) return { name: `${method} /platform/api/workspaces/:id`, kind: 'workspace', id: decodeURIComponent(m[1]) };
  return { name: `${method} (unknown)`, kind: 'unknown' };
}

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { error: 'Request body is larger than 1 MiB' };
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return { value: undefined };
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { error: 'Request body is not valid JSON' };
  }
}

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Validates a mint body; returns { claims input } or { error message }. */
function checkMintBody(body, defaultTtl) {
  if (!isPlainObject(body)) return { error: 'Body must be a JSON object' };
  const { user_id, name, email, scopes, exp_seconds = defaultTtl } = body;
  if (typeof user_id !== 'string' || !user_id.trim()) return { error: 'user_id is required and must be a non-empty string' };
  if (name !== undefined && typeof name !== 'string') return { error: 'name must be a string' };
  if (email !== undefined && typeof email !== 'string') return { error: 'email must be a string' };
  if (scopes !== undefined && (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string'))) {
    return { error: 'scopes must be an array of strings' };
  }
  if (!Number.isInteger(exp_seconds) || exp_seconds < 1 || exp_seconds > MAX_EXP_SECONDS) {
    return { error: `exp_seconds must be an integer 1..${MAX_EXP_SECONDS}` };
  }
  return { input: { user_id, name, email, scopes, exp_seconds } };
}

function checkWorkspaceBody(body) {
  if (!isPlainObject(body)) return { error: 'Body must be a JSON object' };
  const { tier, ttlSeconds } = body;
  if (typeof tier !== 'string' || !/^[a-z0-9]{1,16}$/.test(tier)) return { error: 'tier must be a short lowercase string such as "md"' };
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 7 * 86400) return { error: 'ttlSeconds must be an integer 1..604800' };
  return { input: { tier, ttlSeconds } };
}

function safeEqual(a, b) {
  const x = crypto.createHash('sha256').update(String(a)).digest();
  const y = crypto.createHash('sha256').update(String(b)).digest();
  return crypto.timingSafeEqual(x, y);
}

/** What `inject()` takes. */
const FAULTS = ['status503', 'retryAfter', 'dropConnections', 'latencyMs', 'tokenExpired', 'expireTokens', 'rates', 'slowMs'];

class Emulator {
  constructor(config) {
    this.config = config;
    this.keys = createKeyPair();
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.sockets = new Set();
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.jtiCounter = 0;
    this.reset();
  }

  get url() {
    const address = this.server.address();
    const host = this.config.host.includes(':') ? `[${this.config.host}]` : this.config.host;
    return `http://${host}:${address.port}`;
  }

  get apiKey() {
    return this.config.apiKey;
  }

  /** A snapshot: { mints, requests, dropped, injected503, routes: { "POST /x": { 201: n } } }. */
  get stats() {
    return structuredClone(this.counters);
  }

  get jwks() {
    return { keys: [this.keys.jwk] };
  }

  /** Clears workspaces, faults and stats (keys and issued tokens stay valid). */
  reset() {
    this.faults = emptyFaults();
    this.counters = emptyStats();
    this.workspaces = new Map();
  }

  /**
   * Injects faults into the /platform API routes (mint and JWKS are never faulted, so a client
   * can always get a token):
   * - status503: n next requests answer 503 (with Retry-After: retryAfter, seconds, if given);
   * - dropConnections: n next requests have their connection destroyed without an answer;
   * - latencyMs: every request waits this long first;
   * - tokenExpired: n next requests that carry a token answer token_expired (stray rejections);
   * - expireTokens: true -> every token issued before now answers token_expired;
   * - rates: { status503, drop, tokenExpired, slow } probabilities per request, with slowMs.
   */
  inject(input = {}) {
    let faults;
    try {
      faults = { ...input, rates: input?.rates === undefined ? undefined : { ...input.rates } };
    } catch {
      throw invalidOptions('inject() faults could not be read');
    }
    if (!isPlainObject(input)) throw invalidOptions('inject() takes an object');
    // A misspelled fault (`status503s`, `expireToken`) would inject nothing, in silence.
    const unknown = Object.keys(faults).find((key) => !FAULTS.includes(key));
    if (unknown !== undefined) throw invalidOptions(`inject(): unknown option '${unknown}'; the options are ${FAULTS.join(', ')}`);
    const count = (name) => {
      const v = faults[name];
      if (v === undefined) return;
      if (!Number.isInteger(v) || v < 0) throw invalidOptions(`${name} must be an integer >= 0`);
      this.faults[name] = v;
    };
    count('status503');
    count('dropConnections');
    count('tokenExpired');
    count('latencyMs');
    count('slowMs');
    if (faults.retryAfter !== undefined) this.faults.retryAfter = String(faults.retryAfter);
    if (faults.expireTokens) this.faults.revokedUpTo = this.jtiCounter;
    if (faults.rates !== undefined) {
      if (!isPlainObject(faults.rates)) throw invalidOptions('rates must be an object');
      for (const [name, p] of Object.entries(faults.rates)) {
        if (!(name in this.faults.rates)) throw invalidOptions(`unknown rate ${name}`);
        if (p === undefined) continue; // not given, like the other faults
        if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw invalidOptions(`rates.${name} must be 0..1`);
        this.faults.rates[name] = p;
      }
    }
    return this;
  }

  /** Signs a token with the emulator's key. `claims` override the defaults (to make bad ones). */
  issueToken({ userId = 'user_1', name, email, scopes, expSeconds = this.config.tokenTtlSeconds, claims = {} } = {}) {
    const iat = Math.floor(serverNow() / 1000);
    this.jtiCounter += 1;
    const payload = {
      iss: this.config.issuer,
      sub: `${this.config.tenantId}:${userId}`,
      tenant_id: this.config.tenantId,
      user_id: userId,
      ...(name === undefined ? {} : { name }),
      ...(email === undefined ? {} : { email }),
      ...(scopes === undefined ? {} : { scopes }),
      iat,
      exp: iat + expSeconds,
      jti: `emu_${this.jtiCounter}`,
      ...claims,
    };
    return { token: sign(this.keys, payload), expires_at: new Date(payload.exp * 1000).toISOString() };
  }

  isRevoked(claims) {
    const n = /^emu_(\d+)$/.exec(claims.jti ?? '')?.[1];
    return n !== undefined && Number(n) <= this.faults.revokedUpTo;
  }

  send(res, r, status, body, headers = {}) {
    const bucket = (this.counters.routes[r.name] ??= {});
    bucket[status] = (bucket[status] ?? 0) + 1;
    const payload = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) });
    res.end(payload);
  }

  error(res, r, status, code, message, headers) {
    this.send(res, r, status, { error: code, message }, headers);
  }

  async handle(req, res) {
    this.counters.requests += 1;
    const { pathname } = new URL(req.url, 'http://emulator');
    const r = route(req.method, pathname);
    // Browsers (the demo, browser tests) call from another origin.
    res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
    res.setHeader('access-control-expose-headers', 'retry-after');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'authorization, content-type',
        'access-control-max-age': '600',
      });
      return res.end();
    }
    try {
      if (r.kind === 'workspaces' || r.kind === 'workspace' || r.kind === 'unknown') {
        if (await this.applyFaults(req, res, r)) return;
      }
      await this.dispatch(req, res, r);
    } catch (err) {
      if (!res.headersSent) this.error(res, r, 500, 'internal_error', `Emulator error: ${err.message}`);
    }
  }

  /** Returns true when a fault already answered (or dropped) the request. */
  async applyFaults(req, res, r) {
    const f = this.faults;
    const roll = (p) => p > 0 && Math.random() < p;
    if (f.latencyMs) await sleep(f.latencyMs);
    if (f.dropConnections > 0 || roll(f.rates.drop)) {
      if (f.dropConnections > 0) f.dropConnections -= 1;
      this.counters.dropped += 1;
      req.socket.destroy();
      return true;
    }
    if (f.status503 > 0 || roll(f.rates.status503)) {
      if (f.status503 > 0) f.status503 -= 1;
      this.counters.injected503 += 1;
      this.error(res, r, 503, 'service_unavailable', 'Injected by the emulator', f.retryAfter === undefined ? {} : { 'retry-after': f.retryAfter });
      return true;
    }
    if (roll(f.rates.slow)) await sleep(f.slowMs);
    if ((f.tokenExpired > 0 || roll(f.rates.tokenExpired)) && /^Bearer /.test(req.headers.authorization ?? '')) {
      if (f.tokenExpired > 0) f.tokenExpired -= 1;
      this.error(res, r, 401, 'token_expired', 'Token has expired');
      return true;
    }
    return false;
  }

  async dispatch(req, res, r) {
    if (r.kind === 'jwks') {
      return req.method === 'GET' ? this.send(res, r, 200, this.jwks) : this.error(res, r, 405, 'method_not_allowed', 'Use GET');
    }
    if (r.kind === 'mint') return this.mint(req, res, r);
    if (r.kind === 'unknown') return this.error(res, r, 404, 'not_found', 'No such route');
    const auth = verify(this.keys, {
      issuer: this.config.issuer,
      authorization: req.headers.authorization,
      nowSeconds: serverNow() / 1000,
      isRevoked: (claims) => this.isRevoked(claims),
    });
    if (auth.error) return this.error(res, r, 401, auth.error, auth.message);
    const owner = `${auth.claims.tenant_id}:${auth.claims.user_id}`;
    const mine = this.workspaces.get(owner) ?? new Map();
    this.workspaces.set(owner, mine);
    if (r.kind === 'workspaces' && req.method === 'POST') {
      const body = await readJson(req);
      const checked = body.error ? body : checkWorkspaceBody(body.value);
      if (checked.error) return this.error(res, r, 400, 'invalid_request', checked.error);
      const now = serverNow();
      const ws = {
        id: `ws_${crypto.randomBytes(8).toString('hex')}`,
        tier: checked.input.tier,
        ttlSeconds: checked.input.ttlSeconds,
        status: 'running',
        user_id: auth.claims.user_id,
        created_at: new Date(now).toISOString(),
        expires_at: new Date(now + checked.input.ttlSeconds * 1000).toISOString(),
      };
      mine.set(ws.id, ws);
      return this.send(res, r, 201, ws);
    }
    if (r.kind === 'workspaces' && req.method === 'GET') return this.send(res, r, 200, { workspaces: [...mine.values()] });
    if (r.kind === 'workspace' && (req.method === 'GET' || req.method === 'DELETE')) {
      const ws = mine.get(r.id);
      if (!ws) return this.error(res, r, 404, 'not_found', 'No such workspace');
      if (req.method === 'GET') return this.send(res, r, 200, ws);
      mine.delete(r.id);
      return this.send(res, r, 204);
    }
    return this.error(res, r, 405, 'method_not_allowed', `${req.method} is not allowed here`);
  }

  async mint(req, res, r) {
    if (req.method !== 'POST') return this.error(res, r, 405, 'method_not_allowed', 'Use POST');
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!m || !safeEqual(m[1], this.config.apiKey)) return this.error(res, r, 401, 'unauthorized', 'Missing or invalid API key');
    const body = await readJson(req);
    const checked = body.error ? body : checkMintBody(body.value, this.config.tokenTtlSeconds);
    if (checked.error) return this.error(res, r, 400, 'invalid_request', checked.error);
    const { user_id, name, email, scopes, exp_seconds } = checked.input;
    this.counters.mints += 1;
    return this.send(res, r, 200, this.issueToken({ userId: user_id, name, email, scopes, expSeconds: exp_seconds }));
  }

  close() {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }
}

/** Starts the emulator; resolves once it listens. See README "Emulator". */
async function startEmulator(options = {}) {
  const emulator = new Emulator(checkOptions(options));
  await new Promise((resolve, reject) => {
    emulator.server.once('error', reject);
    emulator.server.listen(emulator.config.port, emulator.config.host, resolve);
  });
  return emulator;
}

module.exports = { startEmulator, Emulator };
