// Server component: calls decodeToken during render (on a token minted with @spike/sdk/server),
// then hands the emulator's address to the client component, which runs the client cases in the
// browser. The outcome of the server-side decode travels along as one more result.
import { decodeToken } from '@spike/sdk';
import { mintToken } from '@spike/sdk/server';
import ClientChecks from './client-checks.js';
import { spikeEnv } from './env.js';

export const dynamic = 'force-dynamic';

async function decodeDuringRender(env) {
  const name = 'server component: decodeToken during render';
  try {
    const { token } = await mintToken({ apiKey: env.apiKey, baseUrl: env.apiUrl, userId: env.expect.userId, expSeconds: 120 });
    const claims = decodeToken(token);
    if (claims.user_id !== env.expect.userId) throw new Error(`user_id: ${claims.user_id}`);
    return { name, ok: true };
  } catch (err) {
    return { name, ok: false, error: String(err?.stack ?? err) };
  }
}

export default async function Page() {
  const env = spikeEnv();
  const serverResult = await decodeDuringRender(env);
  // The client cases mint their tokens from the emulator themselves, so the page gets its test
  // key too (an emulator key: a real app keeps its API key on the server).
  const clientEnv = { apiUrl: env.apiUrl, apiKey: env.apiKey, expect: env.expect };
  return (
    <main>
      <h1>@spike/sdk in Next.js</h1>
      <p id="server-decode">{serverResult.ok ? 'decoded on the server' : 'server decode failed'}</p>
      <ClientChecks env={clientEnv} serverResult={serverResult} />
    </main>
  );
}
