// Test runners with no config for @spike/sdk: Jest 30 (node environment: `require` of the client
// and server entries; jsdom environment: the client, in a jsdom with no TextDecoder) and Vitest 4
// (node and jsdom environments, ESM imports). Each fixture in ecosystem-tests/<name>/ is installed
// fresh from the tarball and runs the shared cases as its own tests; the runner's JSON report says
// which passed. Every run gets its own emulator, with the two token_expired answers queued.
// SPIKE_RUNNERS=jest-jsdom,vitest runs a subset.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_CASES, SERVER_CASES, assertResults, concurrencyLimit, exec, makeProject, startFixtureEmulator } from '../../ecosystem-tests/lib/harness.mjs';

const FIXTURES = ['jest-node', 'jest-jsdom', 'vitest'];
const only = process.env.SPIKE_RUNNERS?.split(',').map((s) => s.trim()).filter(Boolean);
const selected = FIXTURES.filter((name) => !only || only.includes(name));

// Two installs at a time: the machine is shared.
const limited = concurrencyLimit(2);

const projects = Object.fromEntries(selected.map((name) => [name, limited(() => makeProject(name))]));
for (const p of Object.values(projects)) p.catch(() => {}); // awaited by the tests
after(async () => {
  for (const p of Object.values(projects)) (await p.catch(() => null))?.cleanup();
});

/**
 * Runs the runner's command against a fresh emulator and reads its Jest-format JSON report
 * (Vitest's json reporter writes the same shape). Returns the tests as [{ name, ok, error }],
 * or throws with the runner's output when a file failed to load or no report was written.
 */
async function runReported(dir, where, cmd, args, reportFile) {
  rmSync(reportFile, { force: true });
  const { emulator, processEnv } = await startFixtureEmulator();
  let run;
  try {
    run = await exec(cmd, args, { cwd: dir, env: { ...processEnv, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' }, timeoutMs: 180_000 });
  } finally {
    await emulator.close();
  }
  const output = `--- stdout\n${run.stdout.slice(-3000)}\n--- stderr\n${run.stderr.slice(-5000)}`;
  if (!existsSync(reportFile)) throw new Error(`${where}: no JSON report (exit ${run.code})\n${output}`);
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  assert.ok(report.testResults?.length > 0, `${where}: the report lists no test file\n${output}`);
  // A file that throws while loading (a require/import of the SDK that fails) has no tests, only a message.
  const broken = report.testResults.filter((file) => !file.assertionResults?.length);
  if (broken.length) {
    throw new Error(`${where}: test file failed to run (exit ${run.code}):\n${broken.map((f) => `${f.name}\n${trimStack(f.message ?? '')}`).join('\n')}`);
  }
  const results = report.testResults.flatMap((file) =>
    file.assertionResults.map((a) => ({ name: a.title, ok: a.status === 'passed', error: `${a.status}: ${trimStack((a.failureMessages ?? []).join('\n'))}` })),
  );
  return { results, run, output };
}

/** Drops the runner's own frames (jest-circus, vitest internals) from a failure message. */
function trimStack(text) {
  return text
    .split('\n')
    .filter((line) => !/^\s+at .*node_modules\/(jest-|@jest\/|vitest\/|@vitest\/)/.test(line) && !/^\s+at (new Promise|processTicksAndRejections) /.test(line))
    .join('\n');
}

function checkRun(where, { results, run, output }, min) {
  assertResults(results, where, { min });
  assert.equal(run.code, 0, `${where}: every test passed but the runner exited ${run.code}\n${output}`);
}

async function jest(name, min) {
  const { dir } = await projects[name];
  const reportFile = join(dir, 'jest-report.json');
  const outcome = await runReported(dir, name, join(dir, 'node_modules/.bin/jest'), ['--ci', '--runInBand', '--json', `--outputFile=${reportFile}`], reportFile);
  checkRun(`${name} (jest)`, outcome, min);
}

async function vitest(file, where, min) {
  const { dir } = await projects.vitest;
  const reportFile = join(dir, `vitest-report-${file}.json`);
  const outcome = await runReported(dir, where, join(dir, 'node_modules/.bin/vitest'), ['run', file, '--reporter=json', `--outputFile=${reportFile}`], reportFile);
  checkRun(where, outcome, min);
}

// Each fixture adds one environment test to the shared cases.
test('Jest 30, node environment: require client and server, all cases pass, server helpers under fake timers', { skip: !projects['jest-node'] }, () =>
  jest('jest-node', 1 + CLIENT_CASES + SERVER_CASES + 2)); // + fake-timers.spec.js

test('Jest 30, jsdom environment (no TextDecoder): require the client, client cases pass', { skip: !projects['jest-jsdom'] }, () =>
  jest('jest-jsdom', 1 + CLIENT_CASES));

test('Vitest 4, node environment: import client and server, all cases pass', { skip: !projects.vitest }, () =>
  vitest('node.spec.js', 'vitest (node)', 1 + CLIENT_CASES + SERVER_CASES));

test('Vitest 4, jsdom environment: import the client, client cases pass', { skip: !projects.vitest }, () =>
  vitest('jsdom.spec.js', 'vitest (jsdom)', 1 + CLIENT_CASES));

// The README's "Testing your app" recipes, as written there (emulator, faults, fake timers, a
// fetch mock, msw).
test('Vitest 4: the README testing recipes run', { skip: !projects.vitest }, () =>
  vitest('recipes.spec.js', 'vitest (recipes)', 6));
