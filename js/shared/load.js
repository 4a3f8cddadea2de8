// How every entry gets its wasm instance: synchronously, on the first call that needs it, from a
// `WebAssembly.Module` the entry knows how to get (compiled from bytes inlined in the JS, or, on
// workerd and Next.js Edge, imported as a module because those runtimes forbid compiling bytes).
// Nothing happens at import: no top-level await, no fetch, no file read, no global touched, so
// every bundler, test environment and worker can load the entry. See README "Hacking".
import { SpikeError } from './error.js';

/**
 * Hex text to bytes: ~9% more gzip than the binary (base64: ~29%). Native decoders first: a cold
 * JS loop over 64 K characters runs interpreted and costs tens of milliseconds at start-up, where
 * `Uint8Array.fromHex` (ES2025) or Node's `Buffer` take a few.
 */
export function fromHex(hex) {
  if (typeof Uint8Array.fromHex === 'function') return Uint8Array.fromHex(hex);
  const NodeBuffer = globalThis.Buffer;
  if (typeof NodeBuffer?.from === 'function') return NodeBuffer.from(hex, 'hex');
  const bytes = new Uint8Array(hex.length >>> 1);
  for (let i = 0, j = 0; i < bytes.length; i += 1, j += 2) {
    const hi = hex.charCodeAt(j);
    const lo = hex.charCodeAt(j + 1);
    // '0'-'9' are 48-57, 'a'-'f' are 97-102: (c & 15) + 9 * (c >> 6) maps both to 0-15.
    bytes[i] = (((hi & 15) + 9 * (hi >> 6)) << 4) | ((lo & 15) + 9 * (lo >> 6));
  }
  return bytes;
}

/**
 * Returns `ensure()`: instantiates `glue` with the module `getModule()` gives, once, registers
 * SpikeError with it and calls `onReady(glue)`. A runtime that cannot run wasm (a CSP without 'wasm-unsafe-eval', no
 * WebAssembly at all) gets a SpikeError at that first call, not an error at import.
 */
export function lazyInstance(glue, getModule, onReady) {
  let ready = false;
  return function ensure() {
    if (ready) return;
    let module;
    try {
      if (typeof WebAssembly !== 'object') throw new Error('WebAssembly is not available in this runtime');
      module = getModule();
      glue.initSync({ module });
    } catch (err) {
      throw new SpikeError('unsupported_runtime', `@spike/sdk could not start its WebAssembly module: ${err?.message ?? err} (where a Content-Security-Policy applies, it must allow 'wasm-unsafe-eval')`, { cause: err });
    }
    glue.__setErrorClass(SpikeError);
    onReady?.(glue);
    ready = true;
  };
}
