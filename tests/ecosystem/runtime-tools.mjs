// Runtimes and tools the runtime fixtures need, installed from npm into a cache keyed by their exact
// versions (node_modules/.cache/spike-eco-tools/<name>-<hash>), so repeated runs of the suite pay
// for each install once. Not a test file: tests/ecosystem/*.test.mjs import it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mustRun } from '../../ecosystem-tests/lib/harness.mjs';
import { root } from '../../scripts/lib/paths.mjs';

/** Every version pinned exactly; the npm packages `node`, `deno` and `bun` bring the binaries. */
export const TOOLS = {
  node22: { node: '22.23.3' },
  node24: { node: '24.21.0' },
  deno: { deno: '2.9.6' },
  bun: { bun: '1.4.5' },
  // wrangler 4.116.0 depends on exactly miniflare 4.20260730.0, so both share one workerd
  // (1.20260730.1). Both need Node >= 22: run them with the node22 binary.
  cloudflare: { wrangler: '4.116.0', miniflare: '4.20260730.0' },
};

const cacheRoot = join(root, 'node_modules', '.cache', 'spike-eco-tools');

/**
 * Installs `TOOLS[name]` once (npm, warm cache preferred) and returns the folder holding its
 * node_modules. Installs go to a private temp folder first and are renamed into place, so two test
 * processes that race only waste the loser's install.
 */
export async function installTools(name) {
  const dependencies = TOOLS[name];
  if (!dependencies) throw new Error(`unknown tool set ${name}`);
  const key = createHash('sha256').update(JSON.stringify(dependencies)).digest('hex').slice(0, 10);
  const dir = join(cacheRoot, `${name}-${key}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), `${JSON.stringify({ name: `spike-eco-tools-${name}`, private: true, dependencies }, null, 2)}\n`);
  await mustRun('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--no-package-lock'], { cwd: staging, timeoutMs: 600_000 });
  writeFileSync(join(staging, '.complete'), '');
  try {
    renameSync(staging, dir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(dir, '.complete'))) throw err;
  }
  return dir;
}

/** The node binary of `node22` / `node24`. */
export async function nodeBinary(name) {
  return join(await installTools(name), 'node_modules', 'node', 'bin', 'node');
}
