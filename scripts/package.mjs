// `npm run package`: builds every target and writes dist/spike-sdk-<version>.tgz.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { capture } from './lib/run.mjs';
import { distDir, packageDir, packageVersion } from './lib/paths.mjs';
import { build } from './build.mjs';

/** Packs the staged build/package into `destDir`; returns the tarball path and its file list. */
export function pack(destDir) {
  mkdirSync(destDir, { recursive: true });
  const out = capture('npm', ['pack', packageDir, '--pack-destination', destDir, '--json'], { timeout: 150_000 });
  if (out === null) throw new Error(`npm pack ${packageDir} failed (run npm run build first)`);
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  return { tarball: join(destDir, info.filename), files: info.files.map((f) => f.path), size: info.size };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await build();
  const { tarball, files, size } = pack(distDir);
  console.log(`\nWrote ${tarball} (${files.length} files, ${size} bytes, version ${packageVersion})`);
}
