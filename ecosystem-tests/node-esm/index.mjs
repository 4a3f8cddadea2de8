// Node (20, 22, 24), ESM: the client and the server helpers by their public specifiers.
import * as sdk from '@spike/sdk';
import * as server from '@spike/sdk/server';
import { clientCases, envFromProcess, reportLine, runCases, serverCases } from './spike-cases.js';

const env = envFromProcess();
const results = await runCases([...clientCases(sdk, env), ...serverCases(server, env)]);
console.log(reportLine(results));
