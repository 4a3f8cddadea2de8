// The package's types and metadata as tools see them, with no config for @spike/sdk:
// tsc --strict under each moduleResolution (node10 on TypeScript 5.9, which TypeScript 7 removed;
// node16, nodenext and bundler on TypeScript 7), importing all three entries from ESM and CJS;
// publint (--strict) and Are the Types Wrong (strict profile: node10 included) on the tarball
// (raw .wasm asset subpaths are not TypeScript modules; lint.mjs says why it skips them).
// Fixtures: ecosystem-tests/typescript and ecosystem-tests/package-lint.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { exec, makeProject, packedTarball } from '../../ecosystem-tests/lib/harness.mjs';

const typescript = makeProject('typescript');
const lint = makeProject('package-lint');
for (const p of [typescript, lint]) p.catch(() => {}); // awaited by the tests
after(async () => {
  for (const p of [typescript, lint]) (await p.catch(() => null))?.cleanup();
});

/** The `<PREFIX> {json}` lines a fixture script prints. */
function lines(stdout, prefix) {
  return stdout.split('\n').filter((l) => l.startsWith(`${prefix} `)).map((l) => JSON.parse(l.slice(prefix.length + 1)));
}

const MODES = ['node10', 'node16', 'nodenext', 'bundler'];
let tscRun;
async function tscResults() {
  tscRun ??= typescript.then(({ dir }) => exec(process.execPath, ['typecheck.mjs'], { cwd: dir, timeoutMs: 180_000 }));
  const run = await tscRun;
  const results = lines(run.stdout, 'TSC_RESULT');
  assert.deepEqual(results.map((r) => r.mode).sort(), [...MODES].sort(), `typecheck.mjs did not report every mode\n${run.stdout}\n${run.stderr}`);
  return results;
}

for (const mode of MODES) {
  test(`tsc --strict, moduleResolution ${mode}: @spike/sdk, /server and /testing types resolve and check`, async () => {
    const result = (await tscResults()).find((r) => r.mode === mode);
    assert.equal(result.code, 0, `TypeScript ${result.typescript}, moduleResolution ${mode} (tsconfig.${mode}.json):\n${result.output}`);
  });
}

let lintRun;
async function lintResult(tool) {
  lintRun ??= lint.then(({ dir }) => exec(process.execPath, ['lint.mjs', packedTarball()], { cwd: dir, timeoutMs: 180_000 }));
  const run = await lintRun;
  const result = lines(run.stdout, 'LINT_RESULT').find((r) => r.tool === tool);
  assert.ok(result, `lint.mjs reported nothing for ${tool}\n${run.stdout}\n${run.stderr}`);
  return result;
}

test('publint --strict on the tarball: no errors, warnings or suggestions', async () => {
  const result = await lintResult('publint');
  assert.ok(result.ok, `publint (exit ${result.code}):\n${result.output}`);
});

test('attw on the tarball (strict profile, node10 included): no problems in ., /server, /testing', async () => {
  const result = await lintResult('attw');
  for (const entry of ['.', './server', './testing']) assert.ok(result.checked?.includes(entry), `attw did not check ${entry}: ${JSON.stringify(result.checked)}\n${result.output}`);
  assert.ok(result.ok, `attw (exit ${result.code}), problems ${JSON.stringify(result.problems?.map((p) => `${p.kind} ${p.entrypoint ?? ''} ${p.resolutionKind ?? ''}`.trim()))}:\n${result.output}`);
});
