// Rows 2b and 2c: a request with no network, answered by a stub fetch at once (a 200 with no
// body), so what is measured is the client's own work: through `client.get()`, through the floor
// (bench/lib/floor-client.mjs) and through the stub alone, called the way a hand-written wrapper
// would (its header, the body read).
import { SpikeClient } from '../../build/package/dist/index.mjs';
import { floorClient } from './floor-client.mjs';

export function inMemoryContenders(token) {
  const base = 'http://127.0.0.1:9';
  const url = `${base}/platform/api/workspaces`;
  const authorization = `Bearer ${token}`;
  const stub = () => Promise.resolve(new Response(null, { status: 200 }));
  const client = new SpikeClient({ baseUrl: base, token, fetch: stub });
  return {
    sdk: () => client.get('/platform/api/workspaces'),
    raw: () => stub(url, { headers: { authorization } }).then((r) => r.text()),
    floor: floorClient(base, url, token, { fetchWith: stub }),
  };
}
