// Browser entry (plain ESM, also what bundlers pick): instantiates the browser wasm build once,
// with top-level await, so users never call an init function.
import init, { __setErrorClass, decodeToken, isTokenExpired, parseIntegrationRedirect, SpikeCore } from '../../build/web/spike_sdk.js';
import { defineSpikeClient } from '../client.js';
import { SpikeError } from '../error.js';

await init();
__setErrorClass(SpikeError);
const SpikeClient = defineSpikeClient(SpikeCore, SpikeError);

export { SpikeClient, SpikeError, decodeToken, isTokenExpired, parseIntegrationRedirect };
