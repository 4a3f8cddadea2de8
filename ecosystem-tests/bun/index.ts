// Bun 1: the client and the server helpers by their public specifiers (Bun's own resolver and
// its `bun` export condition, run straight from TypeScript the way Bun users do).
import * as sdk from '@spike/sdk';
import * as server from '@spike/sdk/server';
// @ts-ignore: the shared cases are plain JS with no types
import { clientCases, reportLine, runCases, serverCases } from './spike-cases.js';

const env = { apiUrl: Bun.env.SPIKE_API_URL, apiKey: Bun.env.SPIKE_API_KEY, expect: JSON.parse(Bun.env.SPIKE_EXPECT ?? 'null') };
const results = await runCases([...clientCases(sdk, env), ...serverCases(server, env)]);
console.log(reportLine(results));
