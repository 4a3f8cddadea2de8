// What `@spike/sdk/server` resolves to in a browser bundle. Minting and HMAC signing need
// secrets that must never reach a browser, and the other helpers are server code the browser
// wasm leaves out, so every helper refuses with invalid_options instead of being shipped.
// parseIntegrationRedirect, which the app's return page needs, is in the main entry.
import { SpikeError, parseIntegrationRedirect } from '../default/index.js';

function serverOnly(name) {
  return () => {
    throw new SpikeError('invalid_options', `${name} runs only on a server (it needs secrets or server code); call your backend instead`);
  };
}

export const mintToken = async (...args) => serverOnly('mintToken')(...args);
export const createTokenHandler = serverOnly('createTokenHandler');
export const createWebhookHandler = serverOnly('createWebhookHandler');
export const signUserId = serverOnly('signUserId');
export const verifyWebhookSignature = serverOnly('verifyWebhookSignature');
export const parseWebhookEvents = serverOnly('parseWebhookEvents');
export const buildRedirectUrl = serverOnly('buildRedirectUrl');
export const isAllowedRedirect = serverOnly('isAllowedRedirect');
export const validateAppSettings = serverOnly('validateAppSettings');
export const toNodeHandler = serverOnly('toNodeHandler');
export { SpikeError, parseIntegrationRedirect };
