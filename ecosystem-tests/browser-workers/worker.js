// A module web worker importing the package's ESM entry.
import * as sdk from './sdk-entry.js';
import { clientCases, runCases } from './spike-cases.js';

self.addEventListener('message', async (event) => {
  const { env } = event.data;
  self.postMessage(await runCases(clientCases(sdk, env)));
});
