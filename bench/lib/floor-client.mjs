// The floor for rows 1a-1c: the least any client built on this SDK's core can do per request.
// It asks the same wasm core the same questions the driver asks (a request's budget, the token,
// what the answer means) and arms the same cancelling deadline as the "raw fetch + timeout signal"
// peer, and does nothing else: no reading of the caller's input, no cut of a read whose fetch
// ignores its signal, no events, no retry ever taken. The SDK can only cost more; when this floor
// misses a goal, so must any driver that makes the same calls into this core (one that made fewer
// could save a few microseconds at most: the five calls are that cheap).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageDir, root } from '../../scripts/lib/paths.mjs';

const glue = await import(join(root, 'build', 'gen', 'client-glue.js'));
glue.initSync({ module: readFileSync(join(packageDir, 'dist', 'client.wasm')) });

const abortIt = (controller) => controller.abort();

/**
 * A GET of `url` with a static `token` (a client whose base URL is `baseUrl`), as lean as the core
 * allows, through `fetchWith` (the global fetch, or row 2's in-memory stub).
 */
export function floorClient(baseUrl, url, token, { timeoutMs = 30_000, fetchWith = globalThis.fetch } = {}) {
  const core = new glue.SpikeCore({ baseUrl, token }, {});
  const { Use } = glue.TokenStep;
  const { Succeeded } = glue.AttemptStep;
  let bearerToken;
  let bearer;
  return async () => {
    const id = core.beginRequest(true, true);
    try {
      if (core.decide(Date.now()) !== Use) throw new Error('the floor client has no token to send');
      const token = core.tokenFor(id);
      if (token !== bearerToken) {
        bearerToken = token;
        bearer = `Bearer ${token}`;
      }
      const controller = new AbortController();
      const timer = setTimeout(abortIt, timeoutMs, controller);
      try {
        const response = await fetchWith(url, { headers: { authorization: bearer }, signal: controller.signal });
        // No Retry-After to date and no retry to jitter: no clock, no randomness.
        const next = core.afterAnswer(id, response.status, undefined, undefined, 0, 0);
        const text = await response.text();
        if (next !== Succeeded) throw new Error(`the floor client got ${response.status}`);
        // An empty body is null, as the SDK has it (row 2's stub answers none).
        return text ? JSON.parse(text) : null;
      } finally {
        clearTimeout(timer);
      }
    } finally {
      core.endRequest(id);
    }
  };
}
