// The shared client cases in Node, against the emulator behind the harness.
import * as api from '../../build/package/dist/index.mjs';
import { clientCases } from '../cases/client.js';
import { harnessEnv, testEachCase } from '../lib/node-cases.mjs';

testEachCase(clientCases(api, harnessEnv()));
