/** Stable error codes carried by every {@link SpikeError}. */
export type SpikeErrorCode =
  | 'unauthorized'
  | 'invalid_token'
  | 'invalid_signature'
  | 'invalid_issuer'
  | 'token_expired'
  | 'token_provider_failed'
  | 'network_error'
  | 'timeout'
  | 'aborted'
  | 'http_error'
  | 'invalid_options'
  /** The runtime cannot start the SDK's WebAssembly (no WebAssembly, or a CSP without 'wasm-unsafe-eval'). */
  | 'unsupported_runtime';

export interface SpikeErrorOptions {
  status?: number;
  body?: unknown;
  cause?: unknown;
}

/** The only error class the SDK throws. Messages never contain tokens or keys. */
export declare class SpikeError extends Error {
  constructor(code: SpikeErrorCode, message: string, options?: SpikeErrorOptions);
  readonly name: 'SpikeError';
  readonly code: SpikeErrorCode;
  /** HTTP status when a server answered. */
  readonly status?: number;
  /** Parsed error body, for `http_error`. */
  readonly body?: unknown;
  toJSON(): { name: 'SpikeError'; code: SpikeErrorCode; message: string; status?: number; body?: unknown };
}

/** Claims of a Spike user token. Custom claims are kept as issued. */
export interface SpikeClaims {
  iss?: string;
  /** `{tenant_id}:{user_id}` */
  sub?: string;
  tenant_id?: string;
  user_id?: string;
  name?: string;
  email?: string;
  scopes?: string[];
  /** Issued at, seconds since the Unix epoch. */
  iat?: number;
  /** Expiry, seconds since the Unix epoch. */
  exp?: number;
  nbf?: number;
  [claim: string]: unknown;
}

/**
 * What a `tokenProvider` (or a `tokenEndpoint`, as JSON) gives: a token, or the token with
 * `expires_in` (seconds left; the most precise, since it does not depend on anyone's clock) and/or
 * `expires_at` (ISO 8601, e.g. a mint response's). `expires_at` shortens the token's life when it
 * comes before the token's `exp`; like `exp` it is measured from the token's `iat`, never against
 * the device clock.
 */
export type TokenProviderResult = string | { token: string; expires_at?: string; expires_in?: number };

/**
 * `tokenEndpoint` as an object. Checked at construction (`invalid_options`): the method, the
 * credentials, static headers and the body. Every token fetch sends `Accept: application/json`
 * (unless given) and, on a forced refresh (the API rejected the token, or `invalidateToken()`),
 * `Cache-Control: no-cache`, whatever the method. A backend on another origin must answer CORS:
 * `createTokenHandler({ cors })` does (see `@spike/sdk/server`).
 */
export interface TokenEndpointOptions {
  /** A path (browsers only) or an absolute http(s) URL. */
  url: string;
  /** Default `'GET'`. */
  method?: 'GET' | 'POST';
  /**
   * Sent with every token fetch. A function runs once per token fetch (a bearer from your
   * identity provider, which changes over time); if it throws, rejects, gives something that is
   * not headers or does not settle within `timeoutMs`, the fetch fails with
   * `token_provider_failed` (the error's `cause` says why). Static headers are copied at
   * construction.
   */
  headers?: HeadersInit | ((context: { forceRefresh: boolean }) => HeadersInit | Promise<HeadersInit>);
  /**
   * fetch's `credentials`. Default `'same-origin'`. `'include'` sends your backend's cookies to
   * another origin (the backend must allow credentials, for your page's exact origin).
   */
  credentials?: RequestCredentials;
  /**
   * `POST` only, sent on every token fetch: a string, `URLSearchParams`, `FormData`, `Blob`,
   * `ArrayBuffer`/view, or a plain object or array (encoded as JSON at construction, with
   * `Content-Type: application/json` unless given). Not a stream: it could not be sent again.
   */
  body?: string | URLSearchParams | FormData | Blob | ArrayBuffer | ArrayBufferView | Record<string, unknown> | unknown[];
}

export interface SpikeClientOptions {
  /**
   * Default: `SPIKE_API_URL` in runtimes with environment variables (Node, Bun, Deno with
   * `--allow-env`; never in a page), else `https://api.spikelabs.com`. The token is only ever
   * sent to this origin.
   */
  baseUrl?: string;
  /** A fixed token. Exactly one of `token`, `tokenProvider`, `tokenEndpoint`. */
  token?: string;
  /**
   * Called whenever a fresh token is needed (never twice at a time). `forceRefresh` is true when
   * the API rejected the current token or `invalidateToken()` was called: do not return a cached copy.
   */
  tokenProvider?: (context: { forceRefresh: boolean }) => Promise<TokenProviderResult> | TokenProviderResult;
  /**
   * Your backend's token URL, answering `{ token, expires_at?, expires_in? }`: a path in browsers
   * (resolved against the page), absolute in Node. A string is fetched with `GET` and
   * `credentials: 'same-origin'`; pass a {@link TokenEndpointOptions} for another origin, a bearer
   * header, or a `POST`.
   */
  tokenEndpoint?: string | TokenEndpointOptions;
  /** Refresh when less than this many seconds remain (capped at half the token's lifetime). Default 60. */
  refreshLeewaySeconds?: number;
  /**
   * Per attempt, default 30000: from sending until the answer's body is read for `request()` and
   * the verbs, until the headers for `fetch()` (whose body you read; bound it with your `signal`).
   * Also bounds a `tokenProvider` call and the `tokenEndpoint` answer.
   */
  timeoutMs?: number;
  /** Retries of transient failures (network, timeout, 429, 502, 503, 504) for idempotent methods. Default 2, max 10. */
  maxRetries?: number;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Sent with every request; per-request headers win. */
  headers?: Record<string, string>;
}

/**
 * `fetch`'s init, plus `retry`: `true` lets a POST/PATCH retry transient failures, `false` disables
 * retries. `signal` aborts the request at once, whatever it is waiting for (the answer, its body, a
 * back-off, a `Retry-After`, a running token refresh): it rejects with `SpikeError('aborted')`.
 */
export interface SpikeRequestInit extends RequestInit {
  retry?: boolean;
  /** Set to `'half'` for you when the body is a stream or an async iterable. */
  duplex?: 'half';
}

export interface TokenInfo<C = SpikeClaims> {
  claims: C;
  /** Local time (ms since epoch) when the token expires; null for a token without `exp`. */
  expiresAt: number | null;
  /** Whole seconds left; null for a token without `exp`. */
  secondsLeft: number | null;
  /**
   * Local time (ms since epoch) from which the client refreshes the token before using it:
   * `expiresAt` minus the leeway (capped at half the lifetime). Null for a static token or one without `exp`.
   */
  refreshAt: number | null;
}

export interface RetryEvent {
  /** Which retry of this request, whatever its reason: 1 for the first, 2 for the second... */
  attempt: number;
  reason: 'token_expired' | 'status' | 'network_error' | 'timeout';
  status?: number;
  /** How long the client waits before retrying. */
  delayMs: number;
  method: string;
  url: string;
}

export interface SpikeClientEvents {
  tokenRefreshed: TokenInfo;
  retry: RetryEvent;
  error: SpikeError;
}

/**
 * A body the verbs JSON-encode (with `Content-Type: application/json` unless you set one): plain
 * objects, arrays, numbers, booleans, null. A string is not JSON-encoded: it is sent as it is.
 */
export type JsonBody = Record<string, unknown> | unknown[] | number | boolean | null;
/**
 * `JsonBody`, or anything `fetch` sends (string, `URLSearchParams`, `FormData`, `Blob`,
 * `ArrayBuffer`, typed arrays, `ReadableStream`; in Node also an async iterable of bytes). Streams
 * and async iterables are sent once: never retried.
 */
export type RequestBody = JsonBody | BodyInit | AsyncIterable<Uint8Array>;

export declare class SpikeClient {
  /** Throws `SpikeError('invalid_options')` unless exactly one token source is given and the options are valid. */
  constructor(options: SpikeClientOptions);
  /** The normalised base URL (no trailing slash). */
  readonly baseUrl: string;
  /** Which token source this client was configured with. */
  readonly tokenSource: 'token' | 'tokenProvider' | 'tokenEndpoint';
  /**
   * Like `fetch`, with the token, up to two retries on `401 token_expired` (the same token once,
   * then a fresh one once the API rejected it twice in a row) and retries of
   * transient failures. Resolves with the Response for any HTTP status; rejects only with
   * SpikeError for token, network, timeout or abort failures (and `invalid_options`).
   */
  fetch(path: string, init?: SpikeRequestInit): Promise<Response>;
  /** Parsed JSON (null for an empty body). Non-2xx -> SpikeError with `status` and `body`. */
  request<T = any>(path: string, init?: SpikeRequestInit): Promise<T>;
  get<T = any>(path: string, init?: SpikeRequestInit): Promise<T>;
  post<T = any>(path: string, body?: RequestBody, init?: SpikeRequestInit): Promise<T>;
  put<T = any>(path: string, body?: RequestBody, init?: SpikeRequestInit): Promise<T>;
  patch<T = any>(path: string, body?: RequestBody, init?: SpikeRequestInit): Promise<T>;
  delete<T = any>(path: string, init?: SpikeRequestInit): Promise<T>;
  /** A token valid for at least the leeway, refreshing first if needed. */
  getToken(): Promise<string>;
  /** The current token's claims and expiry, or null before the first token. */
  tokenInfo(): TokenInfo | null;
  /** The next call fetches a new token. */
  invalidateToken(): void;
  /** Subscribes; returns the function that unsubscribes. */
  on<E extends keyof SpikeClientEvents>(event: E, listener: (payload: SpikeClientEvents[E]) => void): () => void;
  /** Releases the wasm memory now instead of at garbage collection. */
  free(): void;
}

/**
 * Decodes a JWT's payload without verifying it. Throws `SpikeError` with code `invalid_token` on
 * anything that is not a three-part JWT with base64url, UTF-8 JSON object header and payload.
 */
export declare function decodeToken<T = SpikeClaims>(token: string): T;

/** Whether the token's `exp` is at or before now + `leewaySeconds` (default 0). No `exp`: false. */
export declare function isTokenExpired(token: string, leewaySeconds?: number): boolean;

/** What Spike appends to the app's redirect URL after a provider connection. */
export interface IntegrationRedirect {
  userId: string | null;
  providerSlug: string | null;
  /** Present when the connection failed. */
  error?: string;
}

/**
 * Reads `user_id`, `provider_slug` and `error` from the app's return URL (absolute, relative or
 * `?query`), decoding like `URLSearchParams` (a stray `%` stays a `%`). Throws
 * `SpikeError('invalid_options')` when the URL carries neither user_id nor error, or when
 * user_id / provider_slug is not UTF-8 once decoded.
 */
export declare function parseIntegrationRedirect(url: string): IntegrationRedirect;
