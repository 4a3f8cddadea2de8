// `@spike/sdk/server` on Cloudflare Workers (export condition `workerd`): workerd forbids compiling wasm
// from bytes, and wrangler uploads an imported `.wasm` as a compiled module.
import * as glue from 'spike:server-glue';
import wasmModule from './server.wasm';
import { serverApi } from '../../server/api.js';

const api = serverApi(glue, () => wasmModule);

export const {
  mintToken, createTokenHandler, signUserId, verifyWebhookSignature, parseWebhookEvents, createWebhookHandler,
  buildRedirectUrl, parseIntegrationRedirect, isAllowedRedirect, validateAppSettings, toNodeHandler, SpikeError,
} = api;
