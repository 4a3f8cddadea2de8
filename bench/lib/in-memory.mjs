// Rows 2b and 2c: a request with no network, answered by a stub fetch at once (a 200 with no
// body), so what is measured is the client's own work. `read` is the stub alone, called the way a
// hand-written wrapper would (its header, the body read).
export function inMemory(token) {
  const base = 'http://127.0.0.1:9';
  const path = '/platform/api/workspaces';
  const authorization = `Bearer ${token}`;
  const stub = () => Promise.resolve(new Response(null, { status: 200 }));
  const read = (url) => stub(url, { headers: { authorization } }).then((r) => r.text());
  return { base, path, token, stub, read };
}
