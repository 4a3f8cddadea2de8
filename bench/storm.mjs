// Row 5: refresh storms. 1,000 concurrent calls when the token is due for refresh, and 1,000
// concurrent requests answered 401 token_expired, each counted in token fetches. Beside the SDK,
// the hand-written wrapper most apps start with: check expiry, fetch a token if needed, and on a
// 401 fetch a token and retry (no single flight).
import { SpikeClient, isTokenExpired } from '../build/package/dist/index.mjs';
import { mintToken } from '../build/package/dist/server.node.mjs';
import { startEmulator } from '../build/package/dist/testing.mjs';

const PATH = '/platform/api/workspaces';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function naiveWrapper(baseUrl, fetchToken) {
  let token = null;
  return async function get(path) {
    if (!token || isTokenExpired(token, 2)) token = await fetchToken();
    let res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status === 401) {
      await res.body?.cancel();
      token = await fetchToken();
      res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    }
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.json();
  };
}

export async function stormRows({ smoke }) {
  const calls = smoke ? 50 : 1000;
  // 4-second tokens: the client refreshes at half-life, 2 s after the fetch.
  const emu = await startEmulator({ tokenTtlSeconds: 4 });
  try {
    const counted = () => {
      const f = () => {
        f.calls += 1;
        return mintToken({ apiKey: emu.apiKey, baseUrl: emu.url, userId: 'storm' });
      };
      f.calls = 0;
      return f;
    };
    const run = async (get) => (await Promise.allSettled(Array.from({ length: calls }, () => get(PATH)))).filter((o) => o.status === 'fulfilled').length;

    // a) at expiry
    const sdkSource = counted();
    const client = new SpikeClient({ baseUrl: emu.url, tokenProvider: sdkSource });
    const naiveSource = counted();
    const naive = naiveWrapper(emu.url, async () => (await naiveSource()).token);
    await client.get(PATH);
    await naive(PATH);
    await sleep(2200);
    let [sdkBefore, naiveBefore] = [sdkSource.calls, naiveSource.calls];
    const okAtExpiry = { sdk: await run((p) => client.get(p)), naive: await run(naive) };
    const atExpiry = { sdk: sdkSource.calls - sdkBefore, naive: naiveSource.calls - naiveBefore };

    // b) token_expired answers for every token issued so far
    [sdkBefore, naiveBefore] = [sdkSource.calls, naiveSource.calls];
    emu.inject({ expireTokens: true });
    const okRejected = { sdk: await run((p) => client.get(p)), naive: await run(naive) };
    const rejected = { sdk: sdkSource.calls - sdkBefore, naive: naiveSource.calls - naiveBefore };
    const note = (ok) => `${ok.sdk}/${calls} calls succeeded (hand-written: ${ok.naive}/${calls})`;
    return [
      {
        id: '5a', measure: `${calls} concurrent calls at expiry, token fetches`, unit: 'fetches', sdk: atExpiry.sdk, peers: { 'hand-written wrapper': atExpiry.naive },
        show: String, goal: 'exactly 1', met: atExpiry.sdk === 1 && okAtExpiry.sdk === calls, note: note(okAtExpiry),
      },
      {
        id: '5b', measure: `${calls} concurrent \`token_expired\` answers, token fetches`, unit: 'fetches', sdk: rejected.sdk, peers: { 'hand-written wrapper': rejected.naive },
        show: String, goal: 'exactly 1', met: rejected.sdk === 1 && okRejected.sdk === calls, note: note(okRejected),
      },
    ];
  } finally {
    await emu.close();
  }
}
