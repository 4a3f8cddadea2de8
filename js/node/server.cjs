'use strict';
// `@spike/sdk/server`: Node backend helpers. The logic is in Rust (src/server); this file only
// adapts it to Web-standard Request/Response handlers and to node:http / Express.
const { wasm, SpikeError } = require('./core.cjs');

function invalidOptions(message) {
  return new SpikeError('invalid_options', message);
}

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

/** `(Request) => Promise<Response>` answering `{ token, expires_at }` for the signed-in user. */
function createTokenHandler(options) {
  const handler = new wasm.TokenHandler(options);
  return (request) => handler.handle(request);
}

/**
 * `(Request) => Promise<Response>` for Spike webhooks: 401 on a bad signature, 400 on a body that
 * is not events, else 200 at once; `onEvents(events)` runs after the answer (Spike wants a 200
 * within 30 s), and its failures go to `onError`.
 */
function createWebhookHandler(options) {
  let signatureKey;
  let onEvents;
  let onError;
  try {
    ({ signatureKey, onEvents, onError } = options ?? {});
  } catch {
    throw invalidOptions('createWebhookHandler options could not be read');
  }
  if (typeof signatureKey !== 'string' || !signatureKey) throw invalidOptions('signatureKey must be a non-empty string');
  wasm.verifyWebhookSignature(signatureKey, '', ''); // the key rules live in Rust: throws invalid_options on a padded key
  if (typeof onEvents !== 'function') throw invalidOptions('onEvents must be a function (events) => void');
  if (onError !== undefined && typeof onError !== 'function') throw invalidOptions('onError must be a function');
  return async (request) => {
    if (request.method !== 'POST') return json(405, { error: 'method_not_allowed', message: 'Webhooks are POSTed' });
    const body = new Uint8Array(await request.arrayBuffer());
    if (!wasm.verifyWebhookSignature(signatureKey, body, request.headers.get('x-body-signature') ?? '')) {
      return json(401, { error: 'invalid_signature', message: 'X-Body-Signature does not match the body' });
    }
    let events;
    try {
      events = wasm.parseWebhookEvents(body);
    } catch (err) {
      return json(400, { error: 'invalid_body', message: err.message });
    }
    setTimeout(() => {
      Promise.resolve()
        .then(() => onEvents(events))
        .catch((err) => onError?.(err));
    }, 0);
    return json(200, { received: events.length });
  };
}

async function readBody(req) {
  if (req.body instanceof Uint8Array || typeof req.body === 'string') return req.body; // express.raw / text
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Adapts a Web-standard handler to `(req, res)` for node:http and Express:
 * `http.createServer(toNodeHandler(handler))`, `app.post('/webhooks/spike', toNodeHandler(webhooks))`.
 * For webhooks, mount it before any JSON body parser (the signature covers the raw bytes).
 */
function toNodeHandler(handler) {
  if (typeof handler !== 'function') throw invalidOptions('toNodeHandler takes a (Request) => Promise<Response> function');
  return async (req, res) => {
    try {
      const url = new URL(req.originalUrl ?? req.url, `http://${req.headers.host ?? 'localhost'}`);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
      const response = await handler(new Request(url, { method: req.method, headers, body }));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal_error', message: 'The handler failed' }));
    }
  };
}

module.exports = {
  mintToken: wasm.mintToken,
  createTokenHandler,
  signUserId: wasm.signUserId,
  verifyWebhookSignature: wasm.verifyWebhookSignature,
  parseWebhookEvents: wasm.parseWebhookEvents,
  createWebhookHandler,
  buildRedirectUrl: wasm.buildRedirectUrl,
  parseIntegrationRedirect: wasm.parseIntegrationRedirect,
  isAllowedRedirect: wasm.isAllowedRedirect,
  validateAppSettings: wasm.validateAppSettings,
  toNodeHandler,
  SpikeError,
};
