// Helpers for the small HTTP servers of the demo and the tests (never the published emulator,
// which must not depend on this repository's scripts). Servers bind 127.0.0.1 only.

/** Answers JSON that no cache keeps. */
export function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));
}

/** The request body parsed as JSON; `{}` when it is empty or not JSON. */
export async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    return {};
  }
}

/**
 * Listens on 127.0.0.1 (port 0 = any free port); resolves to { url, close }. `close` stops the
 * server, then runs `onClose` (e.g. stopping an emulator the server fronts).
 */
export async function listenLocal(server, port = 0, onClose = async () => {}) {
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: async () => {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
      await onClose();
    },
  };
}
