// Node 20 (this machine's), 22 and 24 (npm packages node@22 / node@24), ESM and CommonJS: each
// imports @spike/sdk and @spike/sdk/server from a fresh install of the tarball and runs the client
// and server cases against an emulator on 127.0.0.1. One install per fixture serves all versions.
import { after, before, describe, test } from 'node:test';
import { CLIENT_CASES, SERVER_CASES, assertResults, exec, makeProject, parseResults, startFixtureEmulator } from '../../ecosystem-tests/lib/harness.mjs';
import { nodeBinary } from './runtime-tools.mjs';

const fixtures = { 'node-esm': 'index.mjs', 'node-cjs': 'index.cjs' };

describe('ecosystem: Node 20, 22 and 24, ESM and CJS', () => {
  const projects = {};
  const nodes = { 20: process.execPath };

  before(async () => {
    for (const name of Object.keys(fixtures)) projects[name] = await makeProject(name);
    nodes[22] = await nodeBinary('node22');
    nodes[24] = await nodeBinary('node24');
  }, { timeout: 900_000 });
  after(() => Object.values(projects).forEach((p) => p.cleanup()));

  for (const major of [20, 22, 24]) {
    for (const [name, file] of Object.entries(fixtures)) {
      test(`Node ${major}: ${name}`, async () => {
        const { stdout: version } = await exec(nodes[major], ['--version']);
        if (!version.startsWith(`v${major}.`)) throw new Error(`${nodes[major]} is ${version}, not Node ${major}`);
        const { emulator, processEnv } = await startFixtureEmulator();
        try {
          const run = await exec(nodes[major], [file], { cwd: projects[name].dir, env: processEnv, timeoutMs: 120_000 });
          const where = `${name} on Node ${version.trim()} (exit ${run.code}; stderr: ${run.stderr.slice(-2000)})`;
          assertResults(parseResults(run.stdout, where), where, { min: CLIENT_CASES + SERVER_CASES });
        } finally {
          await emulator.close();
        }
      });
    }
  }
});
