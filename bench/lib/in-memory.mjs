// Rows 2b and 2c: a request with no network, answered by a stub fetch at once (a 200 with no
// body), so what is measured is the client's own work: through `client.get()`, through the floor
// (bench/lib/floor-client.mjs) and through the stub alone, called the way a hand-written wrapper
// would (its header, the body read).
//
// The stub is installed as the global fetch before the SDK loads, so the SDK counts it as the
// runtime's fetch and a plain `get()` takes the same path as over HTTP in row 1 (SpikeClient's
// #direct, relying on the fetch's signal). Hence each measurement runs in a process of its own
// (bench/lib/in-memory-time.mjs, bench/lib/allocations.mjs), and this must be the first import of
// the SDK in it. `sdk, fetch option` is the same client with the stub passed as the `fetch`
// option instead, which may ignore its signal: every attempt also cuts the read itself (Attempt).
import { floorClient } from './floor-client.mjs';

export async function inMemoryContenders(token) {
  const base = 'http://127.0.0.1:9';
  const url = `${base}/platform/api/workspaces`;
  const authorization = `Bearer ${token}`;
  const stub = () => Promise.resolve(new Response(null, { status: 200 }));
  globalThis.fetch = stub;
  const { SpikeClient } = await import('../../build/package/dist/index.mjs');
  const client = new SpikeClient({ baseUrl: base, token });
  // Another function than the global one: the SDK cannot know it honours its signal.
  const withOption = new SpikeClient({ baseUrl: base, token, fetch: (input, init) => stub(input, init) });
  return {
    sdk: () => client.get('/platform/api/workspaces'),
    'sdk, fetch option': () => withOption.get('/platform/api/workspaces'),
    raw: () => stub(url, { headers: { authorization } }).then((r) => r.text()),
    floor: floorClient(base, url, token, { fetchWith: stub }),
  };
}
