// `@spike/sdk/server` on Next.js Edge and Vercel Edge (export condition `edge-light`): they forbid compiling
// wasm from bytes and document `import m from './x.wasm?module'` instead.
import * as glue from 'spike:server-glue';
import wasmModule from './server.wasm?module';
import { serverApi } from '../../server/api.js';

const api = serverApi(glue, () => wasmModule);

export const {
  mintToken, createTokenHandler, signUserId, verifyWebhookSignature, parseWebhookEvents, createWebhookHandler,
  buildRedirectUrl, parseIntegrationRedirect, isAllowedRedirect, validateAppSettings, toNodeHandler, SpikeError,
} = api;
