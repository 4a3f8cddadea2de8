// `@spike/sdk` everywhere but workerd and Next.js Edge: the wasm travels inside the JS as hex and
// is compiled synchronously on first use (a ~30 KB module compiles in about 1 ms, well under
// Chromium's 8 MB limit for synchronous compiles on a page's main thread).
import * as glue from '../../client/glue.js';
import hex from 'spike:client-hex';
import { fromHex } from '../../shared/load.js';
import { clientApi } from '../../client/api.js';

const api = clientApi(glue, () => new WebAssembly.Module(fromHex(hex)));

export const { SpikeClient, SpikeError, decodeToken, isTokenExpired, parseIntegrationRedirect } = api;
