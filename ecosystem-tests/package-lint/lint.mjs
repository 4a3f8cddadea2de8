// publint and Are the Types Wrong over the packed tarball, as a registry-side check would see it:
// `publint run <tgz> --strict` (warnings count as errors; suggestions are printed and fail too)
// and `attw <tgz>` with the default `strict` profile, so node10 resolution counts. Tarball: argv[2]
// or SPIKE_TARBALL. Prints each tool's own output, then `LINT_RESULT {json}` per tool; exits 1 if
// either found anything.
//
// attw checks each `exports` subpath as a TypeScript module. A subpath that only hands out the raw
// .wasm file (`@spike/sdk/client.wasm`, for a user's own loader or a preload) is an asset, not a
// module: every resolution mode reports it "Resolution failed" unless the package ships made-up
// typings for it. Those subpaths (every target ends in .wasm) are excluded and named in the output;
// every JS entry point is checked.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tarball = process.argv[2] ?? process.env.SPIKE_TARBALL;
if (!tarball) throw new Error('usage: node lint.mjs <tarball> (or set SPIKE_TARBALL)');

// The package.json of the installed tarball (the same file the tarball holds).
const manifest = JSON.parse(readFileSync(createRequire(join(here, 'package.json')).resolve('@spike/sdk/package.json'), 'utf8'));
const targets = (value) => (typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(targets) : []);
const assetSubpaths = Object.entries(manifest.exports ?? {})
  .filter(([, value]) => targets(value).length > 0 && targets(value).every((t) => t.endsWith('.wasm')))
  .map(([subpath]) => subpath);
const attwExclude = assetSubpaths.length ? ['--exclude-entrypoints', ...assetSubpaths] : [];

function run(bin, args) {
  return new Promise((resolve) => {
    const child = spawn(join(here, 'node_modules', '.bin', bin), args, { cwd: here, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }));
  });
}

const [publint, attwJson, attwTable] = await Promise.all([
  run('publint', ['run', tarball, '--strict']),
  run('attw', [tarball, '--format', 'json', ...attwExclude]),
  run('attw', [tarball, '--format', 'ascii', '--no-color', '--no-emoji', ...attwExclude]),
]);

// publint prints "All good!" when it has no message at all (not even a suggestion).
const publintClean = publint.code === 0 && /All good!/.test(publint.stdout) && !/^(Errors|Warnings|Suggestions):/m.test(publint.stdout);
let problems;
let checked = [];
try {
  const { analysis } = JSON.parse(attwJson.stdout);
  problems = analysis?.problems;
  checked = Object.keys(analysis?.entrypoints ?? {});
} catch {}
const attwClean = attwJson.code === 0 && Array.isArray(problems) && problems.length === 0;

console.log(`--- publint (exit ${publint.code})\n${publint.stdout}${publint.stderr ? `\n${publint.stderr}` : ''}`);
console.log(`--- attw (exit ${attwTable.code}; raw .wasm subpaths not checked: ${assetSubpaths.join(', ') || 'none'})\n${attwTable.stdout}${attwTable.stderr ? `\n${attwTable.stderr}` : ''}`);
console.log(`LINT_RESULT ${JSON.stringify({ tool: 'publint', ok: publintClean, code: publint.code, output: [publint.stdout, publint.stderr].filter(Boolean).join('\n') })}`);
console.log(`LINT_RESULT ${JSON.stringify({ tool: 'attw', ok: attwClean, code: attwJson.code, checked, excluded: assetSubpaths, problems: problems ?? null, output: [attwTable.stdout, attwTable.stderr].filter(Boolean).join('\n') })}`);
process.exitCode = publintClean && attwClean ? 0 : 1;
