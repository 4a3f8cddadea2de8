// Jest's default fake timers (Jest 30 fakes queueMicrotask, setTimeout and Date too): the server
// helpers must settle on real IO under them, and nothing may stay broken once they are gone
// (issue 23: both used to hang, the second for the rest of the file).
const { createTokenHandler, mintToken } = require('@spike/sdk/server');

const apiKey = process.env.SPIKE_API_KEY;
const baseUrl = process.env.SPIKE_API_URL;

afterEach(() => jest.useRealTimers());

test('under jest.useFakeTimers(): mintToken and a token handler answer', async () => {
  jest.useFakeTimers();
  const minted = await mintToken({ apiKey, baseUrl, userId: 'fake-timers' });
  expect(minted.token.split('.')).toHaveLength(3);
  const handler = createTokenHandler({ apiKey, baseUrl, getUser: () => ({ id: 'fake-timers-2' }) });
  const res = await handler(new Request('http://app.test/spike-token'));
  expect(res.status).toBe(200);
}, 10_000);

test('after fake timers: the next test, with real timers, still mints', async () => {
  const minted = await mintToken({ apiKey, baseUrl, userId: 'after-fake-timers' });
  expect(typeof minted.expires_at).toBe('string');
}, 10_000);
