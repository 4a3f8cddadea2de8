// `@spike/sdk/server` in Deno, Bun, Node bundles and other web-standard server runtimes: the server
// wasm travels inside the JS as hex and is compiled synchronously on first use. Hashing is done in
// Rust (byte-identical to node:crypto); the Node entry (../node/server.js) hands it node:crypto.
import * as glue from 'spike:server-glue';
import hex from 'spike:server-hex';
import { fromHex } from '../../shared/load.js';
import { serverApi } from '../../server/api.js';

const api = serverApi(glue, () => new WebAssembly.Module(fromHex(hex)));

export const {
  mintToken, createTokenHandler, signUserId, verifyWebhookSignature, parseWebhookEvents, createWebhookHandler,
  buildRedirectUrl, parseIntegrationRedirect, isAllowedRedirect, validateAppSettings, toNodeHandler, SpikeError,
} = api;
