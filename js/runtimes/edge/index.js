// `@spike/sdk` on Next.js Edge and Vercel Edge (export condition `edge-light`): they forbid
// compiling wasm from bytes and document `import m from './x.wasm?module'` instead.
import * as glue from '../../client/glue.js';
import wasmModule from './client.wasm?module';
import { clientApi } from '../../client/api.js';

const api = clientApi(glue, () => wasmModule);

export const { SpikeClient, SpikeError, decodeToken, isTokenExpired, parseIntegrationRedirect } = api;
