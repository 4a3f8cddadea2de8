// Jest 30 with jest-environment-jsdom, CommonJS: `require('@spike/sdk')` as a React/DOM test
// suite does (Jest resolves it with the `browser` and `require` conditions), no Jest config for
// the SDK, and run the client cases as tests, in order (the first one meets the two
// token_expired answers queued in the emulator). jsdom has no TextDecoder/TextEncoder: the SDK
// must load and work without them.
const sdk = require('@spike/sdk');
const { clientCases, envFromProcess } = require('./load-cases');

const env = envFromProcess();

test('environment: jsdom, with no TextDecoder or TextEncoder global', () => {
  expect(typeof window).toBe('object');
  expect(typeof document.createElement).toBe('function');
  expect(typeof TextDecoder).toBe('undefined');
  expect(typeof TextEncoder).toBe('undefined');
  expect(typeof sdk.SpikeClient).toBe('function');
});

for (const [name, fn] of clientCases(sdk, env)) {
  test(name, fn, 30_000);
}
