// Rows 2b and 2c: a request with no network, answered by a stub fetch at once (a 200 with no
// body), so what is measured is the client's own work: through `client.get()`, through the floor
// (bench/lib/floor-client.mjs) and through the stub alone, called the way a hand-written wrapper
// would (its header, the body read).
//
// The SDK's client gets the stub as the runtime's own fetch through the driver's test hook
// (`[IO]: { runtimeFetch }`, js/client/driver.js), so a plain `get()` takes the same path as over
// HTTP in row 1, where Node's fetch is the runtime's (SpikeClient.#direct, relying on the fetch's
// signal). `sdk, fetch option` is the same client with the stub passed as the `fetch` option
// instead, which may ignore its signal: every attempt also cuts the read itself (Attempt). Each
// measurement runs in a process of its own (bench/lib/in-memory-time.mjs, bench/lib/allocations.mjs).
import { IO } from '../../build/package/dist/driver.mjs';
import { SpikeClient } from '../../build/package/dist/index.mjs';
import { floorClient } from './floor-client.mjs';

export function inMemoryContenders(token) {
  const base = 'http://127.0.0.1:9';
  const url = `${base}/platform/api/workspaces`;
  const authorization = `Bearer ${token}`;
  const stub = () => Promise.resolve(new Response(null, { status: 200 }));
  const client = new SpikeClient({ baseUrl: base, token, [IO]: { runtimeFetch: stub } });
  const withOption = new SpikeClient({ baseUrl: base, token, fetch: stub });
  return {
    sdk: () => client.get('/platform/api/workspaces'),
    'sdk, fetch option': () => withOption.get('/platform/api/workspaces'),
    raw: () => stub(url, { headers: { authorization } }).then((r) => r.text()),
    floor: floorClient(base, url, token, { fetchWith: stub }),
  };
}
