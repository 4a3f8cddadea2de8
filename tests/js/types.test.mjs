// tsc --strict over tests/js/types/inputs.ts against the built package's types (issue 19 item 1:
// an interface-typed object is a body without a cast; every HeadersInit form is a headers option).
// The full matrix of moduleResolution modes is tests/ecosystem/types-and-lint.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../../scripts/lib/paths.mjs';

test('tsc --strict: the input table type-checks as documented (tests/js/types/inputs.ts)', async () => {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const { code, output } = await new Promise((resolve) => {
    execFile(process.execPath, [tsc, '-p', join(root, 'tests', 'js', 'types', 'tsconfig.json'), '--pretty', 'false'], { timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? 1) : 0, output: `${stdout}${stderr}`.trim() });
    });
  });
  assert.equal(code, 0, output);
});
