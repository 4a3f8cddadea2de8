// Browser workers in headless Chromium: a module service worker and a module web worker, each
// importing the package's ESM entry (the `import` branch of its exports, served from node_modules
// as a browser would fetch it) and running the client cases against an emulator on 127.0.0.1.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLIENT_CASES, assertResults, makeProject, startFixtureEmulator } from '../../ecosystem-tests/lib/harness.mjs';
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { collectPageResults, launchChromium } from '../lib/chromium.mjs';

/** The file `exports['.']` names for a browser `import` (first matching key wins, `types` skipped). */
function esmEntry(manifest) {
  const conditions = new Set(['browser', 'import', 'default']);
  let target = manifest.exports?.['.'] ?? manifest.exports;
  while (target && typeof target === 'object') {
    const key = Object.keys(target).find((k) => conditions.has(k));
    if (!key) return null;
    target = target[key];
  }
  return typeof target === 'string' ? target.replace(/^\.\//, '') : null;
}

describe('ecosystem: module service worker and module web worker (Chromium)', () => {
  let project;
  let server;
  let browser;
  before(async () => {
    project = await makeProject('browser-workers');
    const pkgDir = join(project.dir, 'node_modules', '@spike', 'sdk');
    const entry = esmEntry(JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')));
    if (!entry) throw new Error('package.json exports have no `import` entry for "."');
    writeFileSync(join(project.dir, 'sdk-entry.js'), `export * from './node_modules/@spike/sdk/${entry}';\n`);
    server = await startStaticServer(project.dir);
    browser = await launchChromium();
  }, { timeout: 900_000 });
  after(async () => {
    await browser?.close();
    await server?.close();
    project?.cleanup();
  });

  for (const kind of ['service-worker', 'web-worker']) {
    test(`${kind}: client cases`, async () => {
      const { emulator, env } = await startFixtureEmulator();
      try {
        const url = `${server.url}/index.html?kind=${kind}&env=${encodeURIComponent(JSON.stringify(env))}`;
        const { results, problems, page } = await collectPageResults(browser, url);
        await page.close();
        assertResults(results, `${kind}${problems.length ? ` (${problems.join('; ')})` : ''}`, { min: CLIENT_CASES });
      } finally {
        await emulator.close();
      }
    });
  }
});
