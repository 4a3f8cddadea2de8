// Issue 12: the browser entry (`import ... from '@spike/sdk'`: dist/index.mjs with the client
// wasm inlined as hex, and the shared modules it imports) must not grow past its budget. Measured
// on the staged package (`npm run build`), each file gzip -9 on its own as a server sends it;
// `npm run size` shows where the bytes go when this fails.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageDir } from '../../scripts/lib/paths.mjs';
import { BROWSER_BUDGET_GZIP, browserFiles, entrySplit, exportGroups, sizeReport } from '../../scripts/size.mjs';

test('the browser entry stays within its gzip budget', () => {
  assert.ok(existsSync(join(packageDir, 'dist', 'index.mjs')), 'build/package is staged (npm run build)');
  // What is measured is the whole entry: the ESM file, the driver and the error class it imports,
  // and the wasm inside it (so a change that moved the wasm out of the file could not pass here).
  const files = browserFiles().map((f) => f.slice(packageDir.length + 1)).sort();
  assert.deepEqual(files, ['dist/driver.mjs', 'dist/error.mjs', 'dist/index.mjs']);
  const split = entrySplit();
  assert.ok(split.wasmGzip > 10_000, `dist/index.mjs carries the client wasm (${split.wasmGzip} B gzip)`);
  const total = sizeReport().at(-1);
  assert.ok(
    total.gzip <= BROWSER_BUDGET_GZIP,
    `the browser entry is ${total.gzip} B gzip -9, over its budget of ${BROWSER_BUDGET_GZIP} B by ${total.gzip - BROWSER_BUDGET_GZIP} B (npm run size shows where the bytes go)`,
  );
});

test('npm run size: the wasm per group of exports is measured on the shipped wasm', async () => {
  const groups = Object.fromEntries((await exportGroups()).map((g) => [g.group, g.gzip]));
  const shipped = entrySplit().wasmGzip;
  // Re-optimising with every export kept must land on the shipped wasm, or the groups say nothing about it.
  assert.ok(Math.abs(groups.everything - shipped) <= shipped * 0.01, `everything re-optimised: ${groups.everything} B, shipped ${shipped} B`);
  // Removing exports removes code: each group alone sits between the shared runtime and the whole.
  for (const name of ['SpikeCore (the client)', 'decodeToken + isTokenExpired', 'parseIntegrationRedirect']) {
    assert.ok(groups[name] > groups.runtime && groups[name] < groups.everything, `${name}: ${groups[name]} B, runtime ${groups.runtime} B, everything ${groups.everything} B`);
  }
});
