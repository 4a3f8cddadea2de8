// Typed usage of all three entries under strict: compiles only if the installed types are real
// (not any); each @ts-expect-error line must really be an error, or tsc reports an unused directive.
// typecheck.mjs checks this file as usage.ts (node10, bundler) and as usage.mts and usage.cts
// (node16, nodenext: the import and the require types).
import { SpikeClient, SpikeError, decodeToken, isTokenExpired, type SpikeErrorCode } from '@spike/sdk';
import {
  SpikeError as ServerError, mintToken, createTokenHandler, signUserId, verifyWebhookSignature, parseWebhookEvents,
  isAllowedRedirect, validateAppSettings, buildRedirectUrl, parseIntegrationRedirect, createWebhookHandler, toNodeHandler,
} from '@spike/sdk/server';
import { startEmulator } from '@spike/sdk/testing';

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
  const shared = new SpikeClient({ tokenEndpoint: '/api/spike-token', shareAcrossTabs: 'user-1' });
  shared.on('tokenRefreshed', (info) => console.log(info.fromTab === true, info.secondsLeft));
  // @ts-expect-error shareAcrossTabs is true, false or a channel name
  new SpikeClient({ tokenEndpoint: '/t', shareAcrossTabs: 1 });
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
