// A bounded chaos run on 127.0.0.1: 2,000 calls, 16 at a time, through one client, while the
// emulator injects 5% 503s, 3% dropped connections, 3% token_expired and 2% answers slower than
// the client's timeout, with 3-second tokens. Prints the figures. Token fetches must stay near one
// per token lifetime, not one per failure: the client refreshes a token this short at half its
// life (the leeway is capped at half the lifetime), so the bound is one fetch per half-lifetime
// plus a few forced by two rejections in a row (3% twice running: about 2 in 2,000 calls).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SpikeClient, SpikeError } from '../../build/package/dist/index.mjs';
import { mintToken } from '../../build/package/dist/server.node.mjs';
import { startEmulator } from '../../build/package/dist/testing.mjs';

const CALLS = 2000;
const CONCURRENCY = 16;
const TIMEOUT_MS = 400;
const MAX_RETRIES = 2;
const TOKEN_SECONDS = 3;
// Worst case for one call: a token fetch and three attempts, each up to the timeout, plus the
// two backoffs (500 ms and 1 s at most), plus scheduling slack.
const BUDGET_MS = TIMEOUT_MS * (MAX_RETRIES + 2) + 500 + 1000 + 1000;

let emu;
before(async () => {
  emu = await startEmulator({ tokenTtlSeconds: TOKEN_SECONDS });
});
after(() => emu.close());

test(`chaos: ${CALLS} calls, ${CONCURRENCY} at a time, under 503s, drops, token_expired and slow answers`, async () => {
  let tokenFetches = 0;
  const client = new SpikeClient({
    baseUrl: emu.url,
    timeoutMs: TIMEOUT_MS,
    maxRetries: MAX_RETRIES,
    tokenProvider: () => {
      tokenFetches += 1;
      return mintToken({ apiKey: emu.apiKey, baseUrl: emu.url, userId: 'chaos' });
    },
  });
  emu.inject({ rates: { status503: 0.05, drop: 0.03, tokenExpired: 0.03, slow: 0.02 }, slowMs: TIMEOUT_MS * 3 });

  const outcomes = {};
  let slowest = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CALLS) {
        next += 1;
        const t0 = performance.now();
        let outcome;
        try {
          await client.get('/platform/api/workspaces');
          outcome = 'ok';
        } catch (err) {
          assert.ok(err instanceof SpikeError, `a non-SpikeError escaped: ${err}`);
          outcome = err.code;
        }
        const took = performance.now() - t0;
        slowest = Math.max(slowest, took);
        assert.ok(took <= BUDGET_MS, `a call took ${Math.round(took)} ms, over its ${BUDGET_MS} ms budget`);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const stats = emu.stats;
  emu.reset();

  const succeeded = (outcomes.ok ?? 0) / CALLS;
  const lifetimes = seconds / TOKEN_SECONDS;
  console.log(
    `chaos: ${CALLS} calls in ${seconds.toFixed(1)} s, ${(succeeded * 100).toFixed(2)}% succeeded, outcomes ${JSON.stringify(outcomes)}; ` +
      `slowest call ${Math.round(slowest)} ms (budget ${BUDGET_MS}); token fetches ${tokenFetches} over ${lifetimes.toFixed(1)} token lifetimes ` +
      `(${(tokenFetches / lifetimes).toFixed(1)} per lifetime; ${stats.routes['GET /platform/api/workspaces']?.[401] ?? 0} token_expired answers); ` +
      `emulator: ${stats.requests} requests, ${stats.injected503} injected 503s, ${stats.dropped} dropped`,
  );
  assert.equal(Object.values(outcomes).reduce((a, b) => a + b, 0), CALLS, 'every call settled');
  assert.ok(succeeded >= 0.97, `only ${(succeeded * 100).toFixed(2)}% succeeded`);
  const scheduled = 1 + Math.ceil(seconds / (TOKEN_SECONDS / 2));
  assert.ok(tokenFetches <= scheduled + 6, `${tokenFetches} token fetches, more than ${scheduled} scheduled refreshes + 6 forced`);
  assert.deepEqual(await client.get('/platform/api/workspaces'), { workspaces: [] }, 'the client works afterwards');
});
