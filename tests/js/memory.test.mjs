// Long runs must not grow wasm memory without bound: 100,000 decodes and 20,000 client calls,
// with linear-memory pages read from the instance before, midway and after. Prints the figures.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SpikeClient, decodeToken } from '../../build/package/dist/index.mjs';
import { startEmulator } from '../../build/package/dist/testing.mjs';

const pages = () => SpikeClient.__memoryPages();
let emu;
before(async () => {
  emu = await startEmulator({ tokenTtlSeconds: 60 });
});
after(() => emu.close());

test('100,000 decodes: memory stops growing', () => {
  const tokens = Array.from({ length: 50 }, (_, i) => emu.issueToken({ userId: `user_${i}`, claims: { pad: 'x'.repeat(i * 40) } }).token);
  const run = (n) => {
    for (let i = 0; i < n; i += 1) decodeToken(tokens[i % tokens.length]);
  };
  run(10_000);
  const warm = pages();
  run(45_000);
  const mid = pages();
  run(45_000);
  const end = pages();
  console.log(`decodeToken: pages after 10k ${warm}, after 55k ${mid}, after 100k ${end} (64 KiB each)`);
  assert.equal(end, mid, 'no growth in the second half');
});

test('20,000 client calls (with refreshes and retries): memory stops growing', async () => {
  let fetches = 0;
  const client = new SpikeClient({
    baseUrl: emu.url,
    tokenProvider: () => {
      fetches += 1;
      return emu.issueToken({ expSeconds: 2 });
    },
  });
  // Injected faults can make a call fail (two token_expired in a row are surfaced, by design):
  // count those, the point here is memory.
  const failures = {};
  const calls = async (n) => {
    const workers = Array.from({ length: 16 }, async () => {
      for (let i = 0; i < n / 16; i += 1) {
        await client.get('/platform/api/workspaces').catch((e) => {
          failures[e.code] = (failures[e.code] ?? 0) + 1;
        });
      }
    });
    await Promise.all(workers);
  };
  await calls(4_000);
  const warm = pages();
  emu.inject({ rates: { tokenExpired: 0.01, status503: 0.01 }, retryAfter: 0 });
  await calls(8_000);
  const mid = pages();
  await calls(8_000);
  const end = pages();
  emu.reset();
  console.log(`SpikeClient: pages after 4k calls ${warm}, after 12k ${mid}, after 20k ${end}; ${fetches} token fetches; failures ${JSON.stringify(failures)}`);
  assert.ok(Object.values(failures).reduce((a, b) => a + b, 0) < 20, 'failures stay rare');
  assert.equal(end, mid, 'no growth in the last 8,000 calls');
});
