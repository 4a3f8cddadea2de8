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
  | 'invalid_options';

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

/** What a `tokenProvider` may resolve to. */
export type TokenProviderResult = string | { token: string; expires_at?: string };

export interface SpikeClientOptions {
  /** Default `https://api.spikelabs.com`. */
  baseUrl?: string;
  /** A fixed token. Exactly one of `token`, `tokenProvider`, `tokenEndpoint`. */
  token?: string;
  /** Called whenever a fresh token is needed. */
  tokenProvider?: () => Promise<TokenProviderResult> | TokenProviderResult;
  /** Your backend's token URL (GET -> `{ token, expires_at? }`): a path in browsers, absolute in Node. */
  tokenEndpoint?: string;
  /** Refresh when less than this many seconds remain. Default 60. */
  refreshLeewaySeconds?: number;
  /** Per attempt. Default 30000. */
  timeoutMs?: number;
  /** Retries of transient failures. Default 2. */
  maxRetries?: number;
  fetch?: typeof fetch;
  headers?: Record<string, string>;
}

export declare class SpikeClient {
  /** Throws `SpikeError('invalid_options')` unless exactly one token source is given. */
  constructor(options: SpikeClientOptions);
  /** The normalised base URL (no trailing slash). */
  readonly baseUrl: string;
  /** Which token source this client was configured with. */
  readonly tokenSource: 'token' | 'tokenProvider' | 'tokenEndpoint';
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
 * `?query`). Throws `SpikeError('invalid_options')` when the URL carries neither user_id nor error.
 */
export declare function parseIntegrationRedirect(url: string): IntegrationRedirect;
