// `@spike/sdk/server` under the `node` condition (Node, and bundlers that target Node: Next.js
// route handlers, esbuild --platform=node): the universal build plus node:crypto for webhook bodies.
import { createHmac } from 'node:crypto';
import * as glue from 'spike:server-glue';
import hex from 'spike:server-hex';
import { fromHex } from '../../shared/load.js';
import { serverApi } from '../../server/api.js';

const api = serverApi(glue, () => new WebAssembly.Module(fromHex(hex)), {
  nativeHmac: (key, body) => createHmac('sha256', key).update(body).digest(),
});

export const {
  mintToken, createTokenHandler, signUserId, verifyWebhookSignature, parseWebhookEvents, createWebhookHandler,
  buildRedirectUrl, parseIntegrationRedirect, isAllowedRedirect, validateAppSettings, toNodeHandler, SpikeError,
} = api;
