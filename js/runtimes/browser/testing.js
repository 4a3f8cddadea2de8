// What `@spike/sdk/testing` resolves to in a browser bundle: the emulator is a Node HTTP server.
import { SpikeError } from '../default/index.js';

export async function startEmulator() {
  throw new SpikeError('invalid_options', 'startEmulator runs in Node only (it starts an HTTP server)');
}
export { SpikeError };
