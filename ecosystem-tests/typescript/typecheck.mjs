// tsc --strict over usage.ts under each moduleResolution a user may have, against the installed
// @spike/sdk types. TypeScript 7 (the workspace's version) checks node16, nodenext and bundler;
// TypeScript 7 removed node10 (TS5108), so node10, still the default of `module: commonjs`
// projects on TypeScript 5, is checked with 5.9.3. Prints one `TSC_RESULT {json}` line per mode
// and exits 1 if any failed.
import { copyFileSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// One source, checked as ESM (.mts: the `import` types) and as CommonJS (.cts: the `require` types).
copyFileSync(join(here, 'usage.ts'), join(here, 'usage.mts'));
copyFileSync(join(here, 'usage.ts'), join(here, 'usage.cts'));

const CHECKS = [
  { mode: 'node10', compiler: 'typescript-5' },
  { mode: 'node16', compiler: 'typescript' },
  { mode: 'nodenext', compiler: 'typescript' },
  { mode: 'bundler', compiler: 'typescript' },
];
const only = process.argv.slice(2);

function tsc({ mode, compiler }) {
  const dir = join(here, 'node_modules', compiler);
  const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(dir, 'bin', 'tsc'), '-p', `tsconfig.${mode}.json`, '--pretty', 'false'], { cwd: here });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ mode, typescript: version, code, output: output.trim() }));
  });
}

const results = await Promise.all(CHECKS.filter((c) => !only.length || only.includes(c.mode)).map(tsc));
for (const r of results) console.log(`TSC_RESULT ${JSON.stringify(r)}`);
process.exitCode = results.every((r) => r.code === 0) ? 0 : 1;
