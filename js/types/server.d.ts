export { SpikeError, parseIntegrationRedirect } from './index.js';
export type { SpikeErrorCode, IntegrationRedirect, SpikeErrorBody, SpikeHttpError, FetchFunction } from './index.js';
import type { FetchFunction } from './index.js';

export interface MintTokenOptions {
  /**
   * Your Spike API key. Server only; never appears in errors (any form of it the API quotes back
   * is redacted). A key that starts or ends with whitespace or a control character (a secrets
   * file's trailing newline) is refused with `invalid_options`: pass it trimmed. Default: the
   * `SPIKE_API_KEY` environment variable in runtimes that have one (Node, Bun, Deno with
   * `--allow-env`); required elsewhere (Cloudflare Workers: pass `env.SPIKE_API_KEY`).
   */
  apiKey?: string | undefined;
  userId: string;
  name?: string | undefined;
  email?: string | undefined;
  scopes?: readonly string[] | undefined;
  /** Token lifetime, integer 1..86400. The API's default is 3600. */
  expSeconds?: number | undefined;
  /** Default: `SPIKE_API_URL` where the runtime has environment variables, else `https://api.spikelabs.com`. */
  baseUrl?: string | undefined;
  fetch?: FetchFunction | undefined;
}

export interface MintedToken {
  token: string;
  /** ISO 8601. */
  expires_at: string;
}

/** `POST /tenant/api/tokens/mint`. Rejects with `SpikeError` (`invalid_options` before sending). */
export declare function mintToken(options: MintTokenOptions): Promise<MintedToken>;

/** What `getUser` may return: a user ID, a user, or null/undefined when nobody is signed in. */
export type TokenHandlerUser =
  | string
  | {
      id?: string | undefined;
      userId?: string | undefined;
      user_id?: string | undefined;
      name?: string | undefined;
      email?: string | undefined;
      scopes?: readonly string[] | undefined;
    }
  | null
  | undefined;

export interface TokenHandlerOptions {
  /** Same rules and default (`SPIKE_API_KEY`) as `MintTokenOptions.apiKey`; checked when the handler is created. */
  apiKey?: string | undefined;
  /** Who is asking. Return null when the request is not signed in (-> 401). */
  getUser: (request: Request) => TokenHandlerUser | Promise<TokenHandlerUser>;
  /** Default: `SPIKE_API_URL` where the runtime has environment variables, else `https://api.spikelabs.com`. */
  baseUrl?: string | undefined;
  expSeconds?: number | undefined;
  /** Scopes for every token (a user's own `scopes` win). */
  scopes?: readonly string[] | undefined;
  /** Users whose tokens are kept for reuse. Default 10000. */
  cacheSize?: number | undefined;
  fetch?: FetchFunction | undefined;
  /**
   * Server-side report of what went wrong: the (redacted) `SpikeError` of a failed mint (once per
   * mint), what `getUser` threw, or the `invalid_options` error for a bad user. The HTTP answer
   * never carries these details. What it throws or rejects with is ignored.
   */
  onError?: ((error: unknown) => void | Promise<void>) | undefined;
  /** For pages on other origins than the handler. Off by default (no CORS headers at all). */
  cors?: TokenHandlerCors | undefined;
}

/**
 * CORS for `createTokenHandler`. A request whose `Origin` is on the list gets
 * `Access-Control-Allow-Origin: <that origin>` (never `*`) and, unless `credentials: false`,
 * `Access-Control-Allow-Credentials: true`; preflights (`OPTIONS`) are answered 204 with the
 * allowed methods (`GET, POST`) and headers, without calling `getUser`. Any other origin gets no
 * CORS headers, so its browser refuses to hand the answer to the page. Every answer says
 * `Vary: Origin`. Bad entries throw `invalid_options` at creation.
 */
export interface TokenHandlerCors {
  /** Exact origins, like `'https://app.example.com'` or `'http://localhost:5173'`: no path, no trailing slash, no `*`. */
  origins: readonly string[];
  /** Whether the pages may send cookies (`credentials: 'include'`). Default true. */
  credentials?: boolean | undefined;
  /** Request headers to allow besides `Authorization`, `Cache-Control` and `Content-Type` (a CSRF header, say). */
  allowHeaders?: readonly string[] | undefined;
}

/** The 200 body of `createTokenHandler` (what a `tokenEndpoint` answers); errors are `SpikeErrorBody`. */
export interface TokenHandlerAnswer {
  token: string;
  /** ISO 8601. */
  expires_at: string;
  /** Seconds left, on the handler's clock (a cached token is not new). */
  expires_in: number;
}

/**
 * 200 {@link TokenHandlerAnswer}, 401 when not signed in, 500 `get_user_failed` /
 * `invalid_user`, 502 `{ error: 'mint_failed', message }` when minting fails; all JSON with fixed
 * messages (no upstream text). Tokens are cached per user and per claims (name, email, scopes).
 * `Cache-Control: no-cache` re-mints at most once per user per second, at once when it names the
 * cached token as refused (`spike-refused-token=<fingerprint>`, sent by `SpikeClient`).
 */
export declare function createTokenHandler(options: TokenHandlerOptions): (request: Request) => Promise<Response>;

/**
 * Lowercase hex HMAC-SHA256 of the user ID. The key must have at least 16 characters and must not
 * start or end with whitespace or a control character (else `invalid_options`).
 */
export declare function signUserId(hmacKey: string, userId: string): string;

/**
 * Checks `X-Body-Signature` in constant time. Takes the header as Node and Express give it
 * (`req.headers['x-body-signature']`, `req.get('x-body-signature')`) or as `Headers.get` does: a
 * missing header, a malformed one, or an array of other than one value gives `false`. A missing
 * key, or one that starts or ends with whitespace or a control character, throws `invalid_options`.
 */
export declare function verifyWebhookSignature(
  signatureKey: string,
  rawBody: string | Uint8Array | ArrayBuffer | ArrayBufferView,
  signatureHeader: string | readonly string[] | null | undefined,
): boolean;

export type WebhookEventType = 'record_change' | 'provider_integration_created' | 'provider_integration_deleted';

export interface WebhookEvent {
  application_user_id: string;
  /** One of the documented types; newer types arrive as their string. */
  event_type: WebhookEventType | (string & {});
  /** ISO 8601. */
  timestamp: string;
  provider_slug?: string;
  metrics?: string[];
  activity_types?: string[];
  earliest_record_start_at?: string;
  latest_record_end_at?: string;
}

/** An array of events, `{ events: [...] }` or one event. Throws `invalid_options` otherwise. */
export declare function parseWebhookEvents(rawBody: string | Uint8Array | ArrayBuffer | ArrayBufferView): WebhookEvent[];

export interface WebhookHandlerOptions {
  signatureKey: string;
  /** Larger request bodies get 413 `payload_too_large` before anything is verified. Default 1 MiB (1048576). */
  maxBodyBytes?: number | undefined;
  /** Runs after the 200 has been sent. */
  onEvents: (events: WebhookEvent[]) => void | Promise<void>;
  onError?: ((error: unknown) => void) | undefined;
}

/** 413 body over `maxBodyBytes`, 401 bad signature, 400 bad body, 405 not POST, else 200 at once. */
export declare function createWebhookHandler(options: WebhookHandlerOptions): (request: Request) => Promise<Response>;

export interface RedirectValues {
  application_user_id?: string | undefined;
  provider_slug?: string | undefined;
  provider_user_id?: string | undefined;
}

/**
 * Fills `{application_user_id}`, `{provider_slug}`, `{provider_user_id}`, percent-encoded. The
 * result must be `https:`, `http:` only for `localhost` / `127.0.0.1`, or an app scheme
 * (`myapp://callback`); `javascript:`, `vbscript:`, `data:`, `blob:`, `file:`, `about:` (any case,
 * any leading whitespace) throw `invalid_options`.
 */
export declare function buildRedirectUrl(template: string, values: RedirectValues): string;

/**
 * Never throws. Entries: `example.com` / `*.example.com` (https on the default port; http only for
 * `localhost` and `127.0.0.1`), `host:port` (that port), `myapp://` (that deep-link scheme).
 * Script-capable and local schemes are never allowed, even when listed.
 */
export declare function isAllowedRedirect(url: string, allowedDomains: readonly string[]): boolean;

export interface AppSettings {
  /** Integer 1..90, not above `retentionDays`. */
  maxBackfillDays: number;
  retentionDays?: number | undefined;
  defaultRedirectUrl?: string | undefined;
  allowedRedirectDomains?: readonly string[] | undefined;
  /** Absolute https URL. */
  webhookUrl?: string | undefined;
}

export interface SettingsProblem {
  field: string;
  problem: string;
}

/** Every problem found; empty when valid. Never throws: a field it does not know is a problem too. */
export declare function validateAppSettings(settings: AppSettings): SettingsProblem[];

/** The parts of node:http's IncomingMessage (and Express's req) the adapter reads. */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  method?: string | undefined;
  url?: string | undefined;
  originalUrl?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** The parts of node:http's ServerResponse (and Express's res) the adapter writes. */
export interface NodeResponseLike {
  headersSent?: boolean;
  /** `set-cookie` comes as an array, one entry per cookie. */
  writeHead(status: number, headers?: Record<string, string | string[]>): unknown;
  end(body?: string | Uint8Array): unknown;
  /** Called instead of a second body when the answer fails after its headers were sent. */
  destroy?(): unknown;
}

export interface NodeHandlerOptions {
  /** Larger request bodies get 413 `payload_too_large` and never reach the handler. Default 1 MiB (1048576). */
  maxBodyBytes?: number | undefined;
}

/**
 * Adapts a `(Request) => Promise<Response>` handler to node:http / Express `(req, res)`. Every
 * response header is kept (each `Set-Cookie` too); a handler that fails, or whose body fails, gets a 500 JSON.
 */
export declare function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
  options?: NodeHandlerOptions,
): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void>;
