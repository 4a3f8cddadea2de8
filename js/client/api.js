// The client API every client entry exports, built around one wasm-bindgen glue instance. The
// entries differ only in how they get the compiled module (see ../shared/load.js).
import { tokenDecoder } from './decode.js';
import { defineSpikeClient } from './driver.js';
import { envDefaults } from '../shared/env.js';
import { SpikeError } from '../shared/error.js';
import { lazyInstance } from '../shared/load.js';

export function clientApi(glue, getModule) {
  let decode;
  const ensure = lazyInstance(glue, getModule, () => {
    decode = tokenDecoder(glue);
  });
  // `new SpikeClient()` constructs the core through this: the first client starts the wasm. In a
  // server runtime, SPIKE_API_URL is the default baseUrl (see ../shared/env.js).
  function SpikeCore(options) {
    ensure();
    return new glue.SpikeCore(options, envDefaults(false));
  }
  const { TokenStep, AttemptStep, RefreshEnd } = glue;
  const SpikeClient = defineSpikeClient({ SpikeCore, TokenStep, AttemptStep, RefreshEnd }, SpikeError);
  // For our memory test only (pages of this instance's linear memory); not public API.
  Object.defineProperty(SpikeClient, '__memoryPages', {
    value() {
      ensure();
      return glue.__memoryPages();
    },
  });
  return {
    SpikeClient,
    SpikeError,
    decodeToken(token) {
      ensure();
      return decode(token);
    },
    isTokenExpired(token, leewaySeconds) {
      ensure();
      return glue.isTokenExpired(token, leewaySeconds);
    },
    parseIntegrationRedirect(url) {
      ensure();
      return glue.parseIntegrationRedirect(url);
    },
  };
}
