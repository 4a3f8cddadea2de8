// Files written into the temp projects that install the packed tarball.

export const ESM_SCRIPT = `
import * as api from '@spike/sdk';
import * as server from '@spike/sdk/server';
import * as testing from '@spike/sdk/testing';
import { runCases } from './cases/check.js';
import { decodeCases } from './cases/decode.js';
import { fileURLToPath } from 'node:url';

const results = await runCases(decodeCases(api));
const resolved = fileURLToPath(import.meta.resolve('@spike/sdk'));
const sameError = server.SpikeError === api.SpikeError && testing.SpikeError === api.SpikeError;
console.log(JSON.stringify({ results, resolved, sameError }));
`;

export const CJS_SCRIPT = `
const api = require('@spike/sdk');
const server = require('@spike/sdk/server');
const testing = require('@spike/sdk/testing');

(async () => {
  const { runCases } = await import('./cases/check.js');
  const { decodeCases } = await import('./cases/decode.js');
  const results = await runCases(decodeCases(api));
  const resolved = require.resolve('@spike/sdk');
  const sameError = server.SpikeError === api.SpikeError && testing.SpikeError === api.SpikeError;
  console.log(JSON.stringify({ results, resolved, sameError }));
})();
`;

// Typed usage: compiles only if the installed types are real (not \`any\`): each
// @ts-expect-error line must really be an error, or tsc fails with "unused directive".
const TYPED_BODY = `
const client = new SpikeClient({ token: 'x', baseUrl: 'http://127.0.0.1:1', refreshLeewaySeconds: 30 });
const base: string = client.baseUrl;
const claims = decodeToken('a.b.c');
const user: string | undefined = claims.user_id;
const scopes: string[] | undefined = claims.scopes;
const expired: boolean = isTokenExpired('a.b.c', 10);
const custom = decodeToken<{ plan: string }>('a.b.c').plan.toUpperCase();
try {
  decodeToken('x');
} catch (err) {
  if (err instanceof SpikeError) {
    const code: SpikeErrorCode = err.code;
    const status: number | undefined = err.status;
    console.log(code, status);
  }
}
// @ts-expect-error token must be a string
new SpikeClient({ token: 42 });
// @ts-expect-error unknown option
new SpikeClient({ token: 'x', retries: 3 });
// @ts-expect-error claims are typed
const n: number = claims.user_id;
// @ts-expect-error not a SpikeErrorCode
const bad: SpikeErrorCode = 'nope';
console.log(base, user, scopes, expired, custom, n, bad, ServerError === SpikeError);

async function clientSide() {
  const c = new SpikeClient({ tokenProvider: async () => ({ token: 't', expires_at: 'x' }), timeoutMs: 5000, maxRetries: 1 });
  const res: Response = await c.fetch('/platform/api/workspaces', { method: 'POST', retry: true });
  const ws = await c.post<{ id: string }>('/platform/api/workspaces', { tier: 'md', ttlSeconds: 3600 });
  const id: string = ws.id;
  const token: string = await c.getToken();
  const left: number | null | undefined = c.tokenInfo()?.secondsLeft;
  const refreshAt: number | null | undefined = c.tokenInfo()?.refreshAt;
  // @ts-expect-error a string body is sent as it is, not JSON-encoded: not a JsonBody
  const asJson: import('@spike/sdk').JsonBody = '{"tier":"md"}';
  await c.put('/x', (async function* chunks() { yield new Uint8Array(1); })());
  const off: () => void = c.on('retry', (e) => console.log(e.delayMs.toFixed(0), e.reason));
  c.on('error', (e) => console.log(e.code));
  c.invalidateToken();
  off();
  // @ts-expect-error unknown event
  c.on('tokenRefresh', () => {});
  // @ts-expect-error retry is a boolean
  await c.get('/x', { retry: 'yes' });
  return [res, id, token, left, refreshAt, asJson];
}
console.log(clientSide);

async function serverSide(request: Request) {
  const minted = await mintToken({ apiKey: 'sk', userId: 'u', expSeconds: 60 });
  const when: string = minted.expires_at;
  const handler = createTokenHandler({ apiKey: 'sk', getUser: (req) => (req.headers.get('cookie') ? { id: 'u', scopes: ['a'] } : null) });
  const res: Response = await handler(request);
  const hex: string = signUserId('0123456789abcdef', 'u');
  const ok: boolean = verifyWebhookSignature('k', new Uint8Array(), hex) && isAllowedRedirect('https://a.com', ['a.com']);
  const events = parseWebhookEvents('[]');
  const type: string = events[0].event_type;
  const problems = validateAppSettings({ maxBackfillDays: 30 });
  const field: string = problems[0].field;
  const url: string = buildRedirectUrl('https://a.com/{provider_slug}', { provider_slug: 'p' });
  const back = parseIntegrationRedirect(url);
  const slug: string | null = back.providerSlug;
  const emulator = await startEmulator({ port: 0, tokenTtlSeconds: 30 });
  emulator.inject({ status503: 2, retryAfter: 1, rates: { drop: 0.1 } });
  const mints: number = emulator.stats.mints;
  await emulator.close();
  // @ts-expect-error expSeconds is a number
  await mintToken({ apiKey: 'sk', userId: 'u', expSeconds: '60' });
  // @ts-expect-error getUser is required
  createTokenHandler({ apiKey: 'sk' });
  // @ts-expect-error unknown fault
  emulator.inject({ explode: true });
  const webhooks = createWebhookHandler({ signatureKey: 'k', onEvents: () => {}, maxBodyBytes: 65536 });
  const adapted = toNodeHandler(webhooks, { maxBodyBytes: 65536 });
  // @ts-expect-error maxBodyBytes is a number
  toNodeHandler(webhooks, { maxBodyBytes: '64k' });
  console.log(adapted);
  return [when, res, ok, type, field, slug, mints];
}
console.log(serverSide);
`;

/** Written as usage.ts (ESM, "import" types) and usage.cts (CommonJS, "require" types). */
export const TYPED_USAGE = `import { SpikeClient, SpikeError, decodeToken, isTokenExpired, type SpikeErrorCode } from '@spike/sdk';
import {
  SpikeError as ServerError, mintToken, createTokenHandler, signUserId, verifyWebhookSignature, parseWebhookEvents,
  isAllowedRedirect, validateAppSettings, buildRedirectUrl, parseIntegrationRedirect, createWebhookHandler, toNodeHandler,
} from '@spike/sdk/server';
import { startEmulator } from '@spike/sdk/testing';
${TYPED_BODY}`;

export function tsconfig(files, { module, moduleResolution }) {
  return JSON.stringify({
    compilerOptions: { module, moduleResolution, target: 'es2022', lib: ['es2022', 'dom'], strict: true, noEmit: true, types: [], skipLibCheck: false },
    files,
  });
}

const PAGE_SCRIPT = `
  import * as api from '@spike/sdk';
  import { runCases } from './cases/check.js';
  import { decodeCases } from './cases/decode.js';
  window.__results = await runCases(decodeCases(api));
`;

export const VITE_INDEX = `<!doctype html>
<meta charset="utf-8"><link rel="icon" href="data:,"><title>vite app</title>
<script type="module" src="./main.js"></script>
`;
export const VITE_MAIN = PAGE_SCRIPT.replace('window.__results = ', 'const results = ') + '\nwindow.__results = results;\n';

export const IMPORTMAP_PAGE = `<!doctype html>
<meta charset="utf-8"><link rel="icon" href="data:,"><title>import map</title>
<script type="importmap">{ "imports": { "@spike/sdk": "./node_modules/@spike/sdk/dist/index.mjs" } }</script>
<script type="module">${PAGE_SCRIPT}</script>
`;
