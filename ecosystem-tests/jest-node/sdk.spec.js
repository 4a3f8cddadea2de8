// Jest 30, default node environment, CommonJS: `require` the SDK the way a Node test suite does,
// with no Jest config for it, and run every shared case (client and server) as its own test, in
// order (the first client case meets the two token_expired answers queued in the emulator).
const sdk = require('@spike/sdk');
const server = require('@spike/sdk/server');
const { clientCases, serverCases, envFromProcess } = require('./load-cases');

const env = envFromProcess();

test('environment: node (require conditions, real Node globals)', () => {
  expect(typeof window).toBe('undefined');
  expect(typeof sdk.SpikeClient).toBe('function');
  expect(server.SpikeError).toBe(sdk.SpikeError);
});

for (const [name, fn] of [...clientCases(sdk, env), ...serverCases(server, env)]) {
  test(name, fn, 30_000);
}
