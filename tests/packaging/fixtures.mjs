// Files written into the temp projects that install the packed tarball.

export const ESM_SCRIPT = `
import * as api from '@spike/sdk';
import * as server from '@spike/sdk/server';
import * as testing from '@spike/sdk/testing';
import { runCases } from './cases/check.js';
import { decodeCases } from './cases/decode.js';
import { fileURLToPath } from 'node:url';

const results = await runCases(decodeCases(api));
const resolved = fileURLToPath(import.meta.resolve('@spike/sdk'));
const sameError = server.SpikeError === api.SpikeError && testing.SpikeError === api.SpikeError;
console.log(JSON.stringify({ results, resolved, sameError }));
`;

export const CJS_SCRIPT = `
const api = require('@spike/sdk');
const server = require('@spike/sdk/server');
const testing = require('@spike/sdk/testing');

(async () => {
  const { runCases } = await import('./cases/check.js');
  const { decodeCases } = await import('./cases/decode.js');
  const results = await runCases(decodeCases(api));
  const resolved = require.resolve('@spike/sdk');
  const sameError = server.SpikeError === api.SpikeError && testing.SpikeError === api.SpikeError;
  console.log(JSON.stringify({ results, resolved, sameError }));
})();
`;

const PAGE_SCRIPT = `
  import * as api from '@spike/sdk';
  import { runCases } from './cases/check.js';
  import { decodeCases } from './cases/decode.js';
  window.__results = await runCases(decodeCases(api));
`;

export const VITE_INDEX = `<!doctype html>
<meta charset="utf-8"><link rel="icon" href="data:,"><title>vite app</title>
<script type="module" src="./main.js"></script>
`;
export const VITE_MAIN = PAGE_SCRIPT.replace('window.__results = ', 'const results = ') + '\nwindow.__results = results;\n';

export const IMPORTMAP_PAGE = `<!doctype html>
<meta charset="utf-8"><link rel="icon" href="data:,"><title>import map</title>
<script type="importmap">{ "imports": { "@spike/sdk": "./node_modules/@spike/sdk/dist/index.mjs" } }</script>
<script type="module">${PAGE_SCRIPT}</script>
`;
