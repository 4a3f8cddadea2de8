// Deployed Edge runtimes (Vercel Edge, workerd) refuse to compile wasm from bytes; Next's local
// Edge sandbox (`next start`, `next dev`) does not, so without this guard the route would pass
// even if the package fell back to compiling its inlined bytes. Imported before @spike/sdk:
// every way to compile from bytes throws, as it would when deployed; instantiating a
// WebAssembly.Module that the bundler provided (`import x from './x.wasm?module'`) still works.
const forbidden = (api) => {
  throw new Error(`${api}: compiling wasm from bytes is forbidden on the Edge runtime (fixture guard mirroring a deployed Edge)`);
};
const wasm = globalThis.WebAssembly;
// A compiled module may come from another realm: Next compiles edge wasm outside its sandbox, so
// `mod instanceof WebAssembly.Module` is false there for a `?module` import (seen in next start).
const isModule = (x) => x instanceof wasm.Module || Object.prototype.toString.call(x) === '[object WebAssembly.Module]';
if (wasm && !wasm.__spikeGuarded) {
  const RealModule = wasm.Module;
  const { instantiate } = wasm;
  wasm.Module = new Proxy(RealModule, {
    construct(_target, [source]) {
      if (isModule(source)) {
        throw new TypeError('new WebAssembly.Module() was given an already compiled WebAssembly.Module (a `?module` import from another realm, so `instanceof WebAssembly.Module` is false): instantiate it directly');
      }
      return forbidden('new WebAssembly.Module(bytes)');
    },
  });
  wasm.compile = async () => forbidden('WebAssembly.compile');
  wasm.compileStreaming = async () => forbidden('WebAssembly.compileStreaming');
  wasm.instantiateStreaming = async () => forbidden('WebAssembly.instantiateStreaming');
  wasm.instantiate = async (source, imports) => (isModule(source) ? instantiate.call(wasm, source, imports) : forbidden('WebAssembly.instantiate(bytes)'));
  Object.defineProperty(wasm, '__spikeGuarded', { value: true });
}
