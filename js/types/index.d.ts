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
  status?: number | undefined;
  body?: unknown;
  cause?: unknown;
}

/**
 * The JSON error body of the Spike API (`{ "error": code, "message": text }`), and of the answers
 * `createTokenHandler` / `createWebhookHandler` / `toNodeHandler` send. What an `http_error`'s
 * `body` usually holds (it is typed `unknown`: a proxy may answer HTML or anything else).
 */
export interface SpikeErrorBody {
  error: string;
  message: string;
}

/** The codes the Spike API sends with a 401 (also used locally: `decodeToken`, an expired static token). */
export type SpikeAuthErrorCode = 'unauthorized' | 'invalid_token' | 'invalid_signature' | 'invalid_issuer' | 'token_expired';
/** The codes of failures where no server's answer is involved: never a `status` or `body`. */
export type SpikeLocalErrorCode = 'network_error' | 'timeout' | 'aborted' | 'invalid_options' | 'unsupported_runtime';

/** What every `SpikeError` has, whatever its code. */
export interface SpikeErrorBase extends Error {
  readonly name: 'SpikeError';
  readonly code: SpikeErrorCode;
  /** HTTP status when a server answered (narrow on `code` to know). */
  readonly status?: number | undefined;
  /** The parsed answer, for HTTP errors (narrow on `code` to know). */
  readonly body?: unknown;
  /** The underlying error (what fetch or the token source threw), when there is one. */
  readonly cause?: unknown;
  toJSON(): { name: 'SpikeError'; code: SpikeErrorCode; message: string; status?: number | undefined; body?: unknown };
}

/**
 * `http_error`: a non-2xx answer that is not one of the API's 401 codes, from `request()` and the
 * verbs (`fetch()` resolves instead) and from `mintToken`.
 */
export interface SpikeHttpError extends SpikeErrorBase {
  readonly code: 'http_error';
  /** The HTTP status. */
  readonly status: number;
  /**
   * The parsed answer (`request()` and the verbs): JSON, the text if it is not JSON, `null` if
   * empty; usually a {@link SpikeErrorBody}. `undefined` from `mintToken` (whose answer may quote
   * the API key, so it is never attached).
   */
  readonly body: unknown;
}

/** A 401 code: `status` (401) and `body` when the API answered, absent when decided locally. */
export interface SpikeAuthError extends SpikeErrorBase {
  readonly code: SpikeAuthErrorCode;
  readonly status?: number;
  readonly body?: unknown;
}

/** `token_provider_failed`: `status` when the `tokenEndpoint` answered non-2xx; `cause` says why. */
export interface SpikeTokenProviderError extends SpikeErrorBase {
  readonly code: 'token_provider_failed';
  readonly status?: number;
  readonly body?: unknown;
}

/** No server answered (or nothing was sent): no `status`, no `body`. */
export interface SpikeLocalError extends SpikeErrorBase {
  readonly code: SpikeLocalErrorCode;
  readonly status?: undefined;
  readonly body?: undefined;
}

/**
 * The only error the SDK throws; messages never contain tokens or keys. A union discriminated by
 * `code`: after `err.code === 'http_error'`, `err.status` is a `number` and `err.body` is there.
 *
 * ```ts
 * try { await spike.get('/platform/api/workspaces'); }
 * catch (err) {
 *   if (err instanceof SpikeError && err.code === 'http_error') console.log(err.status, err.body);
 * }
 * ```
 */
export type SpikeError = SpikeHttpError | SpikeAuthError | SpikeTokenProviderError | SpikeLocalError;

/**
 * The `SpikeError` class (`instanceof SpikeError` holds for errors from any copy of the package).
 * Constructing one gives the member of the union its code names. Its instances being a union,
 * TypeScript cannot extend it as it is: subclass
 * `SpikeError as new (code: SpikeErrorCode, message: string, options?: SpikeErrorOptions) => SpikeErrorBase`.
 */
export interface SpikeErrorConstructor {
  new (code: 'http_error', message: string, options: SpikeErrorOptions & { status: number }): SpikeHttpError;
  new <C extends SpikeAuthErrorCode>(code: C, message: string, options?: SpikeErrorOptions): SpikeAuthError & { readonly code: C };
  new (code: 'token_provider_failed', message: string, options?: SpikeErrorOptions): SpikeTokenProviderError;
  new <C extends SpikeLocalErrorCode>(code: C, message: string, options?: { cause?: unknown }): SpikeLocalError & { readonly code: C };
  readonly prototype: SpikeError;
}
export declare const SpikeError: SpikeErrorConstructor;

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
export type TokenProviderResult = string | { token: string; expires_at?: string | undefined; expires_in?: number | undefined };

/**
 * Headers as `fetch` takes them (`HeadersInit`): an object, `[name, value]` pairs or `Headers`.
 * Spelled through `RequestInit` so the types need neither the DOM lib nor @types/node in particular.
 */
export type FetchHeaders = NonNullable<RequestInit['headers']>;

/**
 * `tokenEndpoint` as an object. Checked at construction (`invalid_options`): the method, the
 * credentials, static headers and the body. Every token fetch sends `Accept: application/json`
 * (unless given) and, on a forced refresh (the API rejected the token, or `invalidateToken()`),
 * `Cache-Control: no-cache, spike-refused-token=<fingerprint of the token it replaces>`, whatever
 * the method; answering it with that same token fails the call. A backend on another origin must answer CORS:
 * `createTokenHandler({ cors })` does (see `@spike/sdk/server`).
 */
export interface TokenEndpointOptions {
  /** A path (browsers only) or an absolute http(s) URL. */
  url: string;
  /** Default `'GET'`. */
  method?: 'GET' | 'POST' | undefined;
  /**
   * Sent with every token fetch. A function runs once per token fetch (a bearer from your
   * identity provider, which changes over time); if it throws, rejects, gives something that is
   * not headers or does not settle within `timeoutMs`, the fetch fails with
   * `token_provider_failed` (the error's `cause` says why). Static headers are copied at
   * construction.
   */
  headers?: FetchHeaders | ((context: { forceRefresh: boolean }) => FetchHeaders | Promise<FetchHeaders>) | undefined;
  /**
   * fetch's `credentials`. Default `'same-origin'`. `'include'` sends your backend's cookies to
   * another origin (the backend must allow credentials, for your page's exact origin).
   */
  credentials?: 'omit' | 'same-origin' | 'include' | undefined;
  /**
   * `POST` only, sent on every token fetch: a string, `URLSearchParams`, `FormData`, `Blob`,
   * `ArrayBuffer`/view, or a plain object, an array or an object with `toJSON()` (encoded as JSON
   * at construction, with `Content-Type: application/json` unless given). Not a stream: it could
   * not be sent again. A class instance without `toJSON()` is `invalid_options`.
   */
  body?: string | URLSearchParams | FormData | Blob | ArrayBuffer | ArrayBufferView | { [key: string]: any } | readonly unknown[] | undefined;
}

/**
 * What the `fetch` option (and `mintToken`'s, `createTokenHandler`'s) must be: the SDK calls it
 * with a URL string and an init, and it must resolve to a new, unread `Response`. `fetch` itself,
 * undici's, Bun's, or a mock typed `(input: string | URL | Request, init?: RequestInit) => Promise<Response>`.
 */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/**
 * A `tokenProvider`: called whenever a fresh token is needed (never twice at a time). On a forced
 * refresh, `cacheControl` is the `Cache-Control` to send your backend:
 * `no-cache, spike-refused-token=<fingerprint>` (createTokenHandler re-mints on it).
 */
export type TokenProvider = (context: { forceRefresh: boolean; cacheControl?: string }) => Promise<TokenProviderResult> | TokenProviderResult;

/** The options besides the token source. Each may be `undefined` (= not given, the default). */
export interface SpikeClientCommonOptions {
  /**
   * Default: `SPIKE_API_URL` in runtimes with environment variables (Node, Bun, Deno with
   * `--allow-env`; never in a page), else `https://api.spikelabs.com`. The token is only ever
   * sent to this origin.
   */
  baseUrl?: string | undefined;
  /** Refresh when less than this many seconds remain (capped at half the token's lifetime). Default 60. */
  refreshLeewaySeconds?: number | undefined;
  /**
   * Per attempt, default 30000, at most 2147483647 (the longest delay a timer keeps): from sending until the answer's body is read for `request()` and
   * the verbs, until the headers for `fetch()` (whose body you read; bound it with your `signal`).
   * Also bounds a `tokenProvider` call and the `tokenEndpoint` answer.
   */
  timeoutMs?: number | undefined;
  /** Retries of transient failures (network, timeout, 429, 502, 503, 504) for idempotent methods. Default 2, max 10. */
  maxRetries?: number | undefined;
  /** Default `globalThis.fetch`. */
  fetch?: FetchFunction | undefined;
  /**
   * Sent with every request; per-request headers win. An object of names to values,
   * `[name, value]` pairs or a `Headers`, copied at construction. Values must be strings, and a
   * name or value fetch would refuse, a `Map` or a class instance is `invalid_options` from the
   * constructor.
   */
  headers?: FetchHeaders | undefined;
  /**
   * Share one token with the clients of other same-origin tabs and workers that have the same
   * token source (`true`: the `tokenEndpoint` URL, method and body, or any `tokenProvider`, plus
   * `baseUrl`) or the same channel name (a string): one tab fetches, the others receive the token
   * in memory (never web storage). Name the channel when one origin has clients for several users
   * or APIs. Where BroadcastChannel or Web Locks are missing, the option does nothing. Not with `token`.
   */
  shareAcrossTabs?: boolean | string | undefined;
}

/**
 * Exactly one token source: `token`, `tokenProvider` or `tokenEndpoint` (the others absent or
 * `undefined`). None, or two, do not compile (and throw `invalid_options` at run time).
 */
export type SpikeClientOptions = SpikeClientCommonOptions &
  (
    | {
        /** A fixed token. Expired: calls fail fast with `token_expired`. */
        token: string;
        tokenProvider?: undefined;
        tokenEndpoint?: undefined;
      }
    | {
        token?: undefined;
        /**
         * Called whenever a fresh token is needed (never twice at a time). `forceRefresh` is true when
         * the API rejected the current token or `invalidateToken()` was called: do not return a cached copy
         * (returning the refused token again fails the call with `token_provider_failed`); pass
         * `cacheControl` on to your backend as its `Cache-Control`.
         */
        tokenProvider: TokenProvider;
        tokenEndpoint?: undefined;
      }
    | {
        token?: undefined;
        tokenProvider?: undefined;
        /**
         * Your backend's token URL, answering `{ token, expires_at?, expires_in? }`: a path in browsers
         * (resolved against the page), absolute in Node. A string is fetched with `GET` and
         * `credentials: 'same-origin'`; pass a {@link TokenEndpointOptions} for another origin, a bearer
         * header, or a `POST`.
         */
        tokenEndpoint: string | TokenEndpointOptions;
      }
  );

/**
 * `fetch`'s init, plus `retry`: `true` lets a POST/PATCH retry transient failures, `false` disables
 * retries. `signal` aborts the request at once, whatever it is waiting for (the answer, its body, a
 * back-off, a `Retry-After`, a running token refresh): it rejects with `SpikeError('aborted')`.
 */
export interface SpikeRequestInit extends Omit<RequestInit, 'signal' | 'duplex'> {
  retry?: boolean | undefined;
  /** `undefined` as well as `null`: `{ signal: opts.signal }` with an optional signal compiles. */
  signal?: AbortSignal | null | undefined;
  /** Set to `'half'` for you when the body is a stream or an async iterable. */
  duplex?: 'half' | undefined;
}

export interface TokenInfo<C = SpikeClaims> {
  claims: C;
  /** Local time (ms since epoch) when the token expires; null for a token without `exp`. */
  expiresAt: number | null;
  /** Whole seconds left; null for a token without `exp`. */
  secondsLeft: number | null;
  /**
   * Local time (ms since epoch) from which the client refreshes the token before using it:
   * `expiresAt` minus the leeway (capped at half the lifetime), and not before the back-off of a
   * refresh that just failed. Null for a static token or one without `exp`.
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
  /** `fromTab` (with `shareAcrossTabs` only): the token came from another tab, not this client's source. */
  tokenRefreshed: TokenInfo & { fromTab?: boolean };
  retry: RetryEvent;
  /** A call's failure; also a token refresh that failed early, while the current token is still alive (the calls go on with it). */
  error: SpikeError;
}

/**
 * A body the verbs JSON-encode (with `Content-Type: application/json` unless you set one): a plain
 * object (an `interface`-typed one too), an array, a finite number, a boolean, or an object with
 * `toJSON()` (a class instance included: `JSON.stringify` calls it). A class instance without
 * `toJSON()` (`Map`, `Set`, your own classes) type-checks, as TypeScript cannot tell it from a
 * plain object, but is refused at run time with `invalid_options` naming its class: fetch would
 * send `"[object Object]"`. Only the top value is checked: nested values are `JSON.stringify`'s
 * (a nested `Map` becomes `{}`). The README's table "What each body and headers input becomes"
 * has every case.
 */
export type JsonBody = { [key: string]: any } | readonly unknown[] | number | boolean;
/**
 * `JsonBody`, or what `fetch` sends as it is: a string (`text/plain;charset=UTF-8` unless you set a
 * type), `URLSearchParams`, `FormData`, `Blob`, `ArrayBuffer`, a typed array or `DataView`, a
 * `ReadableStream`, an async iterable of bytes where fetch streams one (Node; elsewhere
 * `invalid_options`), or `null`/`undefined` for no body. Streams and async iterables are sent once:
 * never retried.
 */
export type RequestBody = JsonBody | NonNullable<RequestInit['body']> | AsyncIterable<Uint8Array> | null;

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
  /**
   * Parsed JSON (null for an empty body). Non-2xx -> SpikeError with `status` and `body`. The
   * result is `unknown` unless you name its type: `spike.get<Workspace[]>(path)` (not checked at run time).
   */
  request<T = unknown>(path: string, init?: SpikeRequestInit): Promise<T>;
  get<T = unknown>(path: string, init?: SpikeRequestInit): Promise<T>;
  post<T = unknown>(path: string, body?: RequestBody, init?: SpikeRequestInit): Promise<T>;
  put<T = unknown>(path: string, body?: RequestBody, init?: SpikeRequestInit): Promise<T>;
  patch<T = unknown>(path: string, body?: RequestBody, init?: SpikeRequestInit): Promise<T>;
  delete<T = unknown>(path: string, init?: SpikeRequestInit): Promise<T>;
  /**
   * The token the next call would send, refreshing first if it is within the leeway. If that
   * refresh fails while the token is still alive (and the source did not say no), resolves with
   * the live token: the failure goes to `error` listeners and `refreshAt` moves past the back-off.
   */
  getToken(): Promise<string>;
  /** The current token's claims and expiry, or null before the first token. */
  tokenInfo(): TokenInfo | null;
  /**
   * The next call fetches a new token (forced). A token fetch running now is superseded: its token
   * is never handed out, and whoever waits for it gets the token of the next fetch. With a static
   * `token` there is nothing to fetch: it does nothing, and the same token is sent.
   */
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
