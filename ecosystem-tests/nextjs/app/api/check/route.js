// Node.js route handler: the client and server cases, with @spike/sdk bundled by Next (no
// serverExternalPackages), answered as JSON.
import * as sdk from '@spike/sdk';
import * as server from '@spike/sdk/server';
import { clientCases, runCases, serverCases } from '../../../spike-cases.js';
import { spikeEnv } from '../../env.js';

export const dynamic = 'force-dynamic';

export async function GET() {
  const env = spikeEnv();
  const results = await runCases([...clientCases(sdk, env), ...serverCases(server, env)]);
  return Response.json({ runtime: process.env.NEXT_RUNTIME ?? 'nodejs', results });
}
