// The README's "Testing your app" recipes, run as written (Vitest 4, node environment). Each
// starts its own emulator: these tests are independent of the harness's emulator.
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { SpikeClient, SpikeError } from '@spike/sdk';
import { mintToken } from '@spike/sdk/server';
import { startEmulator } from '@spike/sdk/testing';

// --- recipe: a local Spike API for the whole file -------------------------------------------
let emulator;
beforeAll(async () => {
  emulator = await startEmulator({ tokenTtlSeconds: 600 });
});
afterAll(() => emulator.close());
afterEach(() => {
  vi.useRealTimers();
  emulator.reset(); // clears faults, workspaces and stats between tests
});

// Your app's client, pointed at the emulator; the provider mints the way your backend would.
const makeClient = () =>
  new SpikeClient({
    baseUrl: emulator.url,
    tokenProvider: () => mintToken({ apiKey: emulator.apiKey, baseUrl: emulator.url, userId: 'user-42' }),
  });

test('recipe: calls go through the emulator, which counts them', async () => {
  const spike = makeClient();
  const created = await spike.post('/platform/api/workspaces', { tier: 'md', ttlSeconds: 3600 });
  expect(created.status).toBe('running');
  const { workspaces } = await spike.get('/platform/api/workspaces');
  expect(workspaces).toHaveLength(1);
  expect(emulator.stats.mints).toBe(1);
  expect(emulator.stats.routes['POST /platform/api/workspaces']).toEqual({ 201: 1 });
});

// --- recipe: faults --------------------------------------------------------------------------
test('recipe: a 503 with Retry-After is retried; a revoked token is refreshed', async () => {
  const spike = makeClient();
  emulator.inject({ status503: 1, retryAfter: 0 });
  await expect(spike.get('/platform/api/workspaces')).resolves.toEqual({ workspaces: [] });
  expect(emulator.stats.injected503).toBe(1);

  emulator.inject({ expireTokens: true }); // every token issued so far is now refused
  await expect(spike.get('/platform/api/workspaces')).resolves.toEqual({ workspaces: [] });
  expect(emulator.stats.mints).toBe(2); // one refresh
});

// --- recipe: fake timers drive a Retry-After wait and a refresh --------------------------------
test('recipe: vi.advanceTimersByTimeAsync drives a 5 s Retry-After', async () => {
  const spike = makeClient();
  await spike.getToken(); // the first token, with real timers
  vi.useFakeTimers();
  emulator.inject({ status503: 1, retryAfter: 5 });
  // The 503 arrives over real IO; the 'retry' event says the 5 s wait has begun.
  const waiting = new Promise((resolve) => spike.on('retry', resolve));
  const call = spike.get('/platform/api/workspaces');
  expect(await waiting).toMatchObject({ reason: 'status', status: 503, delayMs: 5_000 });
  await vi.advanceTimersByTimeAsync(5_000);
  await expect(call).resolves.toEqual({ workspaces: [] });
});

test('recipe: moving the clock past the token lifetime makes the next call refresh', async () => {
  const spike = makeClient();
  await spike.get('/platform/api/workspaces');
  vi.useFakeTimers({ toFake: ['Date'] }); // only the clock: timers and IO stay real
  vi.setSystemTime(Date.now() + 3_600_000); // an hour later: the 600 s token is due
  await spike.get('/platform/api/workspaces');
  expect(emulator.stats.mints).toBe(2);
});

// --- recipe: the `fetch` option as a mock ------------------------------------------------------
test('recipe: a vi.fn() fetch sees the request and its token', async () => {
  const token = emulator.issueToken({ userId: 'user-42' }).token;
  const fetch = vi.fn(async () => Response.json({ workspaces: [] }));
  const spike = new SpikeClient({ baseUrl: 'https://api.spikelabs.com', token, fetch });
  await spike.get('/platform/api/workspaces');
  expect(fetch).toHaveBeenCalledTimes(1);
  const [url, init] = fetch.mock.calls[0];
  expect(String(url)).toBe('https://api.spikelabs.com/platform/api/workspaces');
  expect(new Headers(init.headers).get('authorization')).toBe(`Bearer ${token}`);
});

// --- recipe: msw intercepts the SDK's requests --------------------------------------------------
test('recipe: msw answers for the Spike API', async () => {
  const server = setupServer(
    http.get('https://api.spikelabs.com/platform/api/workspaces', () => HttpResponse.json({ workspaces: [{ id: 'ws_mock' }] })),
    http.post('https://api.spikelabs.com/platform/api/workspaces', () => HttpResponse.json({ error: 'invalid_request', message: 'tier' }, { status: 400 })),
  );
  server.listen({ onUnhandledRequest: 'error' });
  try {
    // baseUrl named: with SPIKE_API_URL set (as here), a client without it would call the emulator.
    const spike = new SpikeClient({ baseUrl: 'https://api.spikelabs.com', token: emulator.issueToken({ userId: 'user-42' }).token });
    await expect(spike.get('/platform/api/workspaces')).resolves.toEqual({ workspaces: [{ id: 'ws_mock' }] });
    const err = await spike.post('/platform/api/workspaces', { tier: 'xl' }).catch((e) => e);
    expect(err).toBeInstanceOf(SpikeError);
    expect([err.code, err.status]).toEqual(['http_error', 400]);
  } finally {
    server.close();
  }
});
