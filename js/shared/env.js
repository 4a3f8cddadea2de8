// Defaults from the environment, as openai-node and stripe-node take theirs: in a server runtime,
// `SPIKE_API_URL` is the default `baseUrl` and `SPIKE_API_KEY` the default `apiKey` (what
// `spike-emulator` prints). Explicit options always win (Rust applies these only to options left
// out). Never read in a page: a browser has no environment, and a bundler's `process` shim must not
// leak build-time values into the client. Cloudflare Workers pass env to the handler, not here.

/** The variable, or undefined when unset, empty, or not readable here. */
export function envVar(name) {
  try {
    if (typeof document !== 'undefined') return undefined;
    const deno = globalThis.Deno;
    if (deno && typeof deno.env?.get === 'function') {
      // Only when already granted: never a permission prompt, never a PermissionDenied.
      const state = deno.permissions?.querySync?.({ name: 'env', variable: name })?.state;
      return state === 'granted' ? deno.env.get(name) || undefined : undefined;
    }
    const proc = globalThis.process;
    if (!proc?.versions?.node || typeof proc.env !== 'object' || proc.env === null) return undefined;
    const value = proc.env[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `{ baseUrl?, apiKey? }` from SPIKE_API_URL and SPIKE_API_KEY (the key only where asked for). */
export function envDefaults(withKey) {
  const out = {};
  const baseUrl = envVar('SPIKE_API_URL');
  if (baseUrl !== undefined) out.baseUrl = baseUrl;
  if (withKey) {
    const apiKey = envVar('SPIKE_API_KEY');
    if (apiKey !== undefined) out.apiKey = apiKey;
  }
  return out;
}
