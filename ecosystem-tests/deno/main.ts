// Deno 2: the client and the server helpers as `npm:` imports, resolved from the node_modules
// folder npm installed (deno.json: "nodeModulesDir": "manual"; the package is not on a registry).
import * as sdk from 'npm:@spike/sdk';
import * as server from 'npm:@spike/sdk/server';
// @ts-ignore: the shared cases are plain JS with no types
import { clientCases, reportLine, runCases, serverCases } from './spike-cases.js';

const env = {
  apiUrl: Deno.env.get('SPIKE_API_URL'),
  apiKey: Deno.env.get('SPIKE_API_KEY'),
  expect: JSON.parse(Deno.env.get('SPIKE_EXPECT') ?? 'null'),
};
const results = await runCases([...clientCases(sdk, env), ...serverCases(server, env)]);
console.log(reportLine(results));
