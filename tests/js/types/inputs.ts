// Issue #19 item 1, the types: what the README's input table accepts type-checks under --strict
// without casts; what TypeScript can tell is refused is an error (each @ts-expect-error must really
// be one, or tsc reports the unused directive). Checked by tests/js/types.test.mjs against the
// built package's types.
import { SpikeClient, type JsonBody, type RequestBody } from '@spike/sdk';

interface Workspace {
  tier: string;
  ttlSeconds: number;
}
class WorkspaceWithJson {
  tier = 'md';
  toJSON() {
    return { tier: this.tier };
  }
}

export async function inputs(workspace: Workspace, readonlyList: readonly string[]) {
  // The client option: every HeadersInit form.
  const c = new SpikeClient({ tokenProvider: () => 't', headers: new Headers({ 'X-App-Version': '1.2.3' }) });
  new SpikeClient({ token: 't', headers: [['X-App-Version', '1.2.3']] });
  new SpikeClient({ token: 't', headers: { 'X-App-Version': '1.2.3' } });
  // @ts-expect-error header values are strings
  new SpikeClient({ token: 't', headers: { 'X-App-Version': 1 } });

  // An interface-typed plain object is a body, with no cast and no index signature.
  new SpikeClient({ tokenEndpoint: { url: 'https://app.example/token', method: 'POST', body: workspace } });
  await c.post('/platform/api/workspaces', workspace);
  await c.put('/x', workspace, { headers: [['x-request-id', '1']] });
  const asJson: JsonBody = workspace;
  await c.patch('/x', new WorkspaceWithJson());
  await c.post('/x', readonlyList);
  await c.post('/x', [1, 2]);
  await c.post('/x', 42);
  await c.post('/x', null);
  await c.post('/x', undefined, { headers: new Headers() });
  const bodies: RequestBody[] = ['text', new URLSearchParams(), new FormData(), new Blob([]), new ArrayBuffer(1), new Uint8Array(1), new DataView(new ArrayBuffer(1)), new ReadableStream()];
  // @ts-expect-error a bigint is not a body
  await c.post('/x', 1n);
  // @ts-expect-error a symbol is not a body
  await c.post('/x', Symbol('s'));
  // @ts-expect-error fetch()'s init.body is fetch's: plain data goes through post/put/patch
  await c.fetch('/x', { method: 'POST', body: workspace });
  return [asJson, bodies];
}
