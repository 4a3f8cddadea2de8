// Cloudflare Workers: a worker importing @spike/sdk and @spike/sdk/server (no compatibility flags)
// is bundled by `wrangler deploy --dry-run --outdir` (offline) and its bundle runs in the real
// workerd through miniflare; the worker's fetch handler runs the client and server cases against
// an emulator on 127.0.0.1 and answers the results. wrangler and miniflare need Node >= 22.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLIENT_CASES, SERVER_CASES, assertResults, exec, makeProject, mustRun, parseResults, startFixtureEmulator } from '../../ecosystem-tests/lib/harness.mjs';
import { installTools, nodeBinary } from './runtime-tools.mjs';

describe('ecosystem: Cloudflare Workers (wrangler bundle in workerd)', () => {
  let project;
  let tools;
  let node22;
  before(async () => {
    project = await makeProject('cloudflare-worker');
    tools = await installTools('cloudflare');
    node22 = await nodeBinary('node22');
  }, { timeout: 900_000 });
  after(() => project?.cleanup());

  test('worker: client and server cases in workerd', async () => {
    const outdir = join(project.dir, 'dist');
    // Offline: no login, no metrics; wrangler's own files stay in the temp project.
    const quiet = { WRANGLER_SEND_METRICS: 'false', CI: '1', NO_COLOR: '1', XDG_CONFIG_HOME: join(project.dir, '.config') };
    await mustRun(node22, [join(tools, 'node_modules', 'wrangler', 'bin', 'wrangler.js'), 'deploy', '--dry-run', '--outdir', outdir], { cwd: project.dir, env: quiet, timeoutMs: 180_000 });
    const bundle = readdirSync(outdir).join(', ');
    // workerd refuses to compile wasm from bytes while serving a request ("Wasm code generation
    // disallowed by embedder") yet allows it while the worker starts, which a case cannot see: so
    // check the bundle carries the wasm as a module (the package's workerd entry imports it).
    if (!/\.wasm\b/.test(bundle)) throw new Error(`the bundle imports no .wasm module (the package's workerd entry should): ${bundle}`);

    const { emulator, processEnv } = await startFixtureEmulator();
    try {
      const run = await exec(node22, ['run-workerd.mjs', outdir], { cwd: project.dir, env: { ...processEnv, MINIFLARE_DIR: tools }, timeoutMs: 120_000 });
      const where = `workerd (bundle: ${bundle}; exit ${run.code}; stderr: ${run.stderr.slice(-3000)})`;
      assertResults(parseResults(run.stdout, where), where, { min: CLIENT_CASES + SERVER_CASES });
    } finally {
      await emulator.close();
    }
  });
});
