// What the client entries use of wasm-bindgen's glue, by name: the entries pass the glue around as
// one object, and a namespace object of the whole glue would keep its async `init` (fetch,
// `instantiateStreaming`), which nothing here calls, in every bundle.
export { SpikeCore, TokenStep, AttemptStep, RefreshEnd, __memoryPages, __setErrorClass, __decodeInPlace, __decodeMemory, __decodeScratch, decodeToken, initSync, isTokenExpired, parseIntegrationRedirect } from 'spike:client-glue';
