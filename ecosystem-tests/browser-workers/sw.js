// A module service worker: static imports only (service workers allow no dynamic import() and no
// top-level await), so the package's ESM entry must load without either.
import * as sdk from './sdk-entry.js';
import { clientCases, runCases } from './spike-cases.js';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('message', (event) => {
  const { env } = event.data;
  event.waitUntil(runCases(clientCases(sdk, env)).then((results) => event.source.postMessage(results)));
});
