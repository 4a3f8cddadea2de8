export { SpikeError } from './index.js';
export type { SpikeErrorCode } from './index.js';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number | undefined;
  /** Default '127.0.0.1'. */
  host?: string | undefined;
  /** Default: a random `sk_test_...` key. */
  apiKey?: string | undefined;
  /** Default lifetime of minted tokens (when the mint body has no exp_seconds). Default 3600. */
  tokenTtlSeconds?: number | undefined;
  /** `iss` of minted tokens, and the only issuer accepted. Default 'https://api.spikelabs.com'. */
  issuer?: string | undefined;
  /** Default 'tenant_emulator'. */
  tenantId?: string | undefined;
}

/** Faults for the /platform routes (mint and JWKS always answer). */
export interface EmulatorFaults {
  /** The next n requests answer 503. */
  status503?: number | undefined;
  /** Retry-After value sent with injected 503s (seconds, or an HTTP date). */
  retryAfter?: number | string | undefined;
  /** The next n requests have their connection destroyed without an answer. */
  dropConnections?: number | undefined;
  /** Every request waits this long first. */
  latencyMs?: number | undefined;
  /** The next n requests that carry a token answer `token_expired`, whatever the token. */
  tokenExpired?: number | undefined;
  /** Every token issued before now answers `token_expired`. */
  expireTokens?: boolean | undefined;
  /** Per-request probabilities, 0..1. `slow` waits `slowMs`. */
  rates?: { status503?: number | undefined; drop?: number | undefined; tokenExpired?: number | undefined; slow?: number | undefined } | undefined;
  slowMs?: number | undefined;
}

export interface EmulatorStats {
  mints: number;
  requests: number;
  dropped: number;
  injected503: number;
  /** e.g. `{ "POST /platform/api/workspaces": { "201": 3, "401": 1 } }` */
  routes: Record<string, Record<string, number>>;
}

export interface IssueTokenOptions {
  userId?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
  scopes?: readonly string[] | undefined;
  expSeconds?: number | undefined;
  /** Claims that override the defaults (to make expired, foreign-issuer or claim-less tokens). */
  claims?: Record<string, unknown> | undefined;
}

export interface Emulator {
  readonly url: string;
  readonly apiKey: string;
  /** A snapshot of the counters. */
  readonly stats: EmulatorStats;
  /** The public key as a JSON Web Key Set (RS256), as `GET /.well-known/jwks.json` serves it. */
  readonly jwks: { keys: Array<{ kty: string; [parameter: string]: unknown }> };
  inject(faults: EmulatorFaults): Emulator;
  /** Clears faults, stats and workspaces. */
  reset(): void;
  /** Signs a token directly, without an HTTP mint (not counted in stats.mints). */
  issueToken(options?: IssueTokenOptions): { token: string; expires_at: string };
  close(): Promise<void>;
}

export declare function startEmulator(options?: EmulatorOptions): Promise<Emulator>;
