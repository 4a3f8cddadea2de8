// What `@spike/sdk/server` resolves to in a browser bundle: the API key must never reach a
// browser, so the key-holding helpers refuse instead of being shipped.
import { SpikeError } from '../error.js';

function serverOnly(name) {
  return () => {
    throw new SpikeError(
      'invalid_options',
      `${name} needs the Spike API key and runs only on a server; call your own backend's token endpoint instead`,
    );
  };
}

export const mintToken = serverOnly('mintToken');
export const createTokenHandler = serverOnly('createTokenHandler');
export { SpikeError };
