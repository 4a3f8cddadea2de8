// The server API every server entry exports (`@spike/sdk/server`), built around one wasm-bindgen
// glue instance of the server build. The logic is in Rust (src/server); this file adapts it to
// Web-standard Request/Response handlers and to node:http / Express, with no Node-only globals,
// so the same code runs in Node, Deno, Bun and workerd.
import { SpikeError } from '../error.js';
import { lazyInstance } from '../load.js';

function invalidOptions(message) {
  return new SpikeError('invalid_options', message);
}

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

async function readBody(req) {
  if (req.body instanceof Uint8Array || typeof req.body === 'string') return req.body; // express.raw / text
  const chunks = [];
  let length = 0;
  for await (const chunk of req) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    chunks.push(bytes);
    length += bytes.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * `nativeHmac`: `(key, body) => Uint8Array`, an HMAC-SHA256 the runtime computes natively (Node's
 * node:crypto, ~10x faster than wasm on large webhook bodies); without it Rust hashes.
 */
export function serverApi(glue, getModule, { nativeHmac } = {}) {
  const ensure = lazyInstance(glue, getModule, nativeHmac && ((g) => g.__setNativeHmac(nativeHmac)));
  const wasm = (name) =>
    function (...args) {
      ensure();
      return glue[name](...args);
    };
  // Promise-returning helpers reject, never throw, whatever fails (the wasm not starting included).
  const wasmAsync = (name) =>
    async function (...args) {
      ensure();
      return glue[name](...args);
    };
  // Webhook bodies: the wasm reads strings and Uint8Arrays; an ArrayBuffer (`request.arrayBuffer()`),
  // a DataView or another typed array is viewed as bytes instead of being refused.
  const asBytes = (body) => {
    if (body instanceof ArrayBuffer) return new Uint8Array(body);
    if (ArrayBuffer.isView(body) && !(body instanceof Uint8Array)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    return body;
  };

  /** `(Request) => Promise<Response>` answering `{ token, expires_at }` for the signed-in user. */
  function createTokenHandler(options) {
    ensure();
    const handler = new glue.TokenHandler(options);
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
    ensure();
    glue.verifyWebhookSignature(signatureKey, '', ''); // the key rules live in Rust: throws invalid_options on a padded key
    if (typeof onEvents !== 'function') throw invalidOptions('onEvents must be a function (events) => void');
    if (onError !== undefined && typeof onError !== 'function') throw invalidOptions('onError must be a function');
    return async (request) => {
      if (request.method !== 'POST') return json(405, { error: 'method_not_allowed', message: 'Webhooks are POSTed' });
      const body = new Uint8Array(await request.arrayBuffer());
      if (!glue.verifyWebhookSignature(signatureKey, body, request.headers.get('x-body-signature') ?? '')) {
        return json(401, { error: 'invalid_signature', message: 'X-Body-Signature does not match the body' });
      }
      let events;
      try {
        events = glue.parseWebhookEvents(body);
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
        res.end(new Uint8Array(await response.arrayBuffer()));
      } catch {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'internal_error', message: 'The handler failed' }));
      }
    };
  }

  return {
    mintToken: wasmAsync('mintToken'),
    createTokenHandler,
    signUserId: wasm('signUserId'),
    verifyWebhookSignature(signatureKey, rawBody, header) {
      ensure();
      return glue.verifyWebhookSignature(signatureKey, asBytes(rawBody), header);
    },
    parseWebhookEvents(rawBody) {
      ensure();
      return glue.parseWebhookEvents(asBytes(rawBody));
    },
    createWebhookHandler,
    buildRedirectUrl: wasm('buildRedirectUrl'),
    parseIntegrationRedirect: wasm('parseIntegrationRedirect'),
    isAllowedRedirect: wasm('isAllowedRedirect'),
    validateAppSettings: wasm('validateAppSettings'),
    toNodeHandler,
    SpikeError,
  };
}
