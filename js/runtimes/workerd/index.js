// `@spike/sdk` on Cloudflare Workers (export condition `workerd`): workerd forbids compiling wasm
// from bytes, and wrangler uploads an imported `.wasm` as a compiled module.
import * as glue from '../../client/glue.js';
import wasmModule from './client.wasm';
import { clientApi } from '../../client/api.js';

const api = clientApi(glue, () => wasmModule);

export const { SpikeClient, SpikeError, decodeToken, isTokenExpired, parseIntegrationRedirect } = api;
