// Deno 2 (npm package deno) and Bun 1 (npm package bun): each runs its fixture from a fresh
// install of the tarball, importing @spike/sdk and @spike/sdk/server its own way, and runs the
// client and server cases against an emulator on 127.0.0.1.
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLIENT_CASES, SERVER_CASES, assertResults, exec, makeProject, parseResults, startFixtureEmulator } from '../../ecosystem-tests/lib/harness.mjs';
import { installTools } from './runtime-tools.mjs';

const runtimes = {
  // deno.json sets "nodeModulesDir": "manual": Deno resolves `npm:@spike/sdk` from node_modules.
  deno: (bin, dir) => [bin, ['run', '-A', 'main.ts'], { DENO_DIR: join(dir, '.deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' }],
  bun: (bin) => [bin, ['index.ts'], { DO_NOT_TRACK: '1', NO_COLOR: '1' }],
};

for (const [name, command] of Object.entries(runtimes)) {
  describe(`ecosystem: ${name}`, () => {
    let project;
    let bin;
    before(async () => {
      project = await makeProject(name);
      bin = join(await installTools(name), 'node_modules', '.bin', name);
    }, { timeout: 900_000 });
    after(() => project?.cleanup());

    test(`${name}: client and server cases`, async () => {
      const { emulator, processEnv } = await startFixtureEmulator();
      try {
        const [cmd, args, env] = command(bin, project.dir);
        const run = await exec(cmd, args, { cwd: project.dir, env: { ...processEnv, ...env }, timeoutMs: 120_000 });
        const where = `${name} (exit ${run.code}; stderr: ${run.stderr.slice(-2000)})`;
        assertResults(parseResults(run.stdout, where), where, { min: CLIENT_CASES + SERVER_CASES });
      } finally {
        await emulator.close();
      }
    });
  });
}
