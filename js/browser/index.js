// Browser entry (plain ESM, also what bundlers pick): instantiates the browser wasm build once,
// with top-level await, so users never call an init function.
import init, { __setErrorClass, decodeToken, isTokenExpired, parseIntegrationRedirect, SpikeClient } from '../../build/web/spike_sdk.js';
import { SpikeError } from '../error.js';

await init();
__setErrorClass(SpikeError);

export { SpikeClient, SpikeError, decodeToken, isTokenExpired, parseIntegrationRedirect };
