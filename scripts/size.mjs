// `npm run size`: raw, gzip -9 and brotli bytes of every file a browser loads for
// `import ... from '@spike/sdk'` (the entry, with the wasm inlined as hex, and the shared modules
// it imports). Each file is compressed on its own, as a server sends them.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { packageDir } from './lib/paths.mjs';

/** The browser entry and everything it statically imports. */
export function browserFiles() {
  const files = [];
  const visit = (file) => {
    if (files.includes(file)) return;
    files.push(file);
    const code = readFileSync(file, 'utf8');
    for (const [, spec] of code.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      visit(join(file, '..', spec));
    }
  };
  visit(join(packageDir, 'dist', 'index.mjs'));
  return files;
}

export function measure(file) {
  const bytes = readFileSync(file);
  return {
    file: relative(packageDir, file),
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

export function sizeReport() {
  const rows = browserFiles().map(measure);
  const total = { file: 'total', raw: 0, gzip: 0, brotli: 0 };
  for (const row of rows) for (const k of ['raw', 'gzip', 'brotli']) total[k] += row[k];
  return [...rows, total];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { build } = await import('./build.mjs');
  await build(); // cargo is incremental: a no-op rebuild takes seconds, and figures are never stale
  console.log('\n| file (browser entry) | raw | gzip -9 | brotli |\n|---|---:|---:|---:|');
  for (const r of sizeReport()) console.log(`| ${r.file} | ${r.raw} | ${r.gzip} | ${r.brotli} |`);
}
