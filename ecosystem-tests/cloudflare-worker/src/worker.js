// A Cloudflare Worker using the client and the server helpers. Its fetch handler runs the shared
// cases against the emulator named by its vars and answers the results as JSON.
import * as sdk from '@spike/sdk';
import * as server from '@spike/sdk/server';
import { clientCases, runCases, serverCases } from '../spike-cases.js';

export default {
  async fetch(request, vars) {
    const env = { apiUrl: vars.SPIKE_API_URL, apiKey: vars.SPIKE_API_KEY, expect: JSON.parse(vars.SPIKE_EXPECT) };
    const results = await runCases([...clientCases(sdk, env), ...serverCases(server, env)]);
    return Response.json(results);
  },
};
