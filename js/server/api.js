// The server API every server entry exports (`@spike/sdk/server`), built around one wasm-bindgen
// glue instance of the server build. The helpers' logic is in Rust (src/server); this file adapts
// it to Web-standard Request/Response handlers and to node:http / Express (reading request bodies
// under `maxBodyBytes`), with no Node-only globals, so the same code runs in Node, Deno, Bun and
// workerd.
import { envDefaults } from '../shared/env.js';
import { SpikeError } from '../shared/error.js';
import { lazyInstance } from '../shared/load.js';

function invalidOptions(message) {
  return new SpikeError('invalid_options', message);
}

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

/** Default request body limit of the handlers and of `toNodeHandler` (webhook batches are far smaller). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Thrown while reading a body that exceeds its limit; answered with 413. */
class TooLarge extends Error {}

const tooLarge = (limit) =>
  json(413, { error: 'payload_too_large', message: `The request body exceeds the ${limit}-byte limit` });

/** `options.maxBodyBytes`, checked: a positive integer, default 1 MiB. */
function maxBodyBytes(options, what) {
  let limit;
  try {
    limit = options?.maxBodyBytes;
  } catch {
    throw invalidOptions(`${what} options could not be read`);
  }
  if (limit === undefined) return DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(limit) || limit < 1) throw invalidOptions('maxBodyBytes must be a positive integer (bytes)');
  return limit;
}

/** Whether a declared Content-Length is already over the limit (refused before reading a byte). */
const declaredOver = (value, limit) => value != null && /^\d+$/.test(String(value)) && Number(value) > limit;

/** Joins byte chunks, stopping with TooLarge as soon as they pass `limit`. */
async function collect(chunks, limit) {
  const parts = [];
  let length = 0;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    length += bytes.length;
    if (length > limit) throw new TooLarge();
    parts.push(bytes);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A Web Request's body, at most `limit` bytes. */
async function readRequestBody(request, limit) {
  if (declaredOver(request.headers.get('content-length'), limit)) throw new TooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    },
  };
  try {
    return await collect(chunks, limit);
  } catch (err) {
    reader.cancel().catch(() => {});
    throw err;
  }
}

/** A node:http / Express request's body, at most `limit` bytes (a body parser's result counts too). */
async function readNodeBody(req, limit) {
  if (req.body instanceof Uint8Array || typeof req.body === 'string') {
    const bytes = typeof req.body === 'string' ? new TextEncoder().encode(req.body) : req.body; // express.raw / text
    if (bytes.length > limit) throw new TooLarge();
    return bytes;
  }
  if (declaredOver(req.headers?.['content-length'], limit)) throw new TooLarge();
  return collect(req, limit);
}

/** A Response's headers for `writeHead`, every `Set-Cookie` kept (Headers joins the others with ', '). */
function nodeHeaders(headers) {
  const out = {};
  for (const [name, value] of headers) if (name !== 'set-cookie') out[name] = value;
  const cookies = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
  if (cookies.length) out['set-cookie'] = cookies;
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
    const handler = new glue.TokenHandler(options, envDefaults(true));
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
    ensure();
    glue.__checkOptions(options, 'createWebhookHandler'); // unknown keys are invalid_options
    const limit = maxBodyBytes(options, 'createWebhookHandler');
    if (typeof signatureKey !== 'string' || !signatureKey) throw invalidOptions('signatureKey must be a non-empty string');
    glue.verifyWebhookSignature(signatureKey, '', ''); // the key rules live in Rust: throws invalid_options on a padded key
    if (typeof onEvents !== 'function') throw invalidOptions('onEvents must be a function (events) => void');
    if (onError !== undefined && typeof onError !== 'function') throw invalidOptions('onError must be a function');
    return async (request) => {
      if (request.method !== 'POST') return json(405, { error: 'method_not_allowed', message: 'Webhooks are POSTed' });
      let body;
      try {
        body = await readRequestBody(request, limit);
      } catch (err) {
        if (err instanceof TooLarge) return tooLarge(limit);
        return json(400, { error: 'invalid_body', message: 'The request body could not be read' });
      }
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
   * Request bodies over `maxBodyBytes` (default 1 MiB) get a 413 and never reach the handler.
   */
  function toNodeHandler(handler, options) {
    if (typeof handler !== 'function') throw invalidOptions('toNodeHandler takes a (Request) => Promise<Response> function');
    if (options !== undefined && options !== null) {
      ensure();
      glue.__checkOptions(options, 'toNodeHandler');
    }
    const limit = maxBodyBytes(options, 'toNodeHandler');
    return async (req, res) => {
      try {
        const url = new URL(req.originalUrl ?? req.url, `http://${req.headers.host ?? 'localhost'}`);
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        let response;
        try {
          const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readNodeBody(req, limit);
          response = await handler(new Request(url, { method: req.method, headers, body }));
        } catch (err) {
          if (!(err instanceof TooLarge)) throw err;
          response = tooLarge(limit);
        }
        // The whole body first: a body that fails midway is a clean 500, not a cut answer.
        const body = new Uint8Array(await response.arrayBuffer());
        res.writeHead(response.status, nodeHeaders(response.headers));
        res.end(body);
      } catch {
        // Headers already out: end the connection rather than append a second body to the answer.
        if (res.headersSent) {
          if (typeof res.destroy === 'function') res.destroy();
          else res.end();
          return;
        }
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'internal_error', message: 'The handler failed' }));
      }
    };
  }

  return {
    // In a server runtime, SPIKE_API_KEY and SPIKE_API_URL fill apiKey and baseUrl when left out.
    // Async: it rejects, never throws, whatever fails (the wasm not starting included).
    async mintToken(options) {
      ensure();
      return glue.mintToken(options, envDefaults(true));
    },
    createTokenHandler,
    signUserId: wasm('signUserId'),
    verifyWebhookSignature(signatureKey, rawBody, header) {
      ensure();
      // Node and Express type a header as `string | string[]`: one value is that value; several
      // are not one signature (Rust judges anything that is not a string malformed: false).
      if (Array.isArray(header)) header = header.length === 1 ? header[0] : undefined;
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
