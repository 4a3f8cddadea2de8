// Edge route handler: the same cases in Next's Edge runtime, where compiling wasm from bytes is
// forbidden, so the package must resolve to its `edge-light` entry (.wasm imported as a module).
// The guard goes first: it makes the local Edge sandbox as strict as a deployed Edge.
import './forbid-wasm-bytes.js';
import * as sdk from '@spike/sdk';
import * as server from '@spike/sdk/server';
import { clientCases, runCases, serverCases } from '../../../spike-cases.js';
import { spikeEnv } from '../../env.js';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export async function GET() {
  const env = spikeEnv();
  const results = await runCases([...clientCases(sdk, env), ...serverCases(server, env)]);
  return Response.json({ runtime: process.env.NEXT_RUNTIME ?? 'unknown', results });
}
