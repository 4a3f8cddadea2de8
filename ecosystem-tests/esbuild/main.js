// A page's entry as an esbuild user writes it: import the SDK, run the client cases, set
// window.__results. The test passes `env` in the page URL (`?env=<JSON>`). No top-level await
// here, so the one file builds as esm, as the default iife and with --target=es2020.
import * as sdk from '@spike/sdk';
import { clientCases, runCases } from './spike-cases.js';

Promise.resolve()
  .then(() => runCases(clientCases(sdk, JSON.parse(new URLSearchParams(location.search).get('env')))))
  .then(
    (results) => (window.__results = results),
    (err) => (window.__results = [{ name: 'page setup', ok: false, error: String(err?.stack ?? err) }]),
  );
