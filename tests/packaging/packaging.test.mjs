// Packs the staged package with npm, installs the tarball into a fresh temp project (no
// workspace links), and uses it the ways our users do: Node ESM, Node CJS, a Vite production
// build in Chromium, and a plain page with an import map. (Types under every moduleResolution:
// tests/ecosystem/types-and-lint.test.mjs.)
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { capture, run } from '../../scripts/lib/run.mjs';
import { root } from '../../scripts/lib/paths.mjs';
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { pack } from '../../scripts/package.mjs';
import { collectPageResults, launchChromium } from '../lib/chromium.mjs';
import * as fx from './fixtures.mjs';

let project;
let packed;
let browser;

const quiet = { stdio: ['ignore', 'pipe', 'inherit'] };
// Tools run synchronously: a stalled tool must fail the test by name, not block it forever.
const TOOL_TIMEOUT = { timeout: 150_000 };

function assertAllPassed(results, where) {
  assert.ok(results.length >= 8, `${where}: only ${results.length} cases ran`);
  const failed = results.filter((r) => !r.ok);
  assert.deepEqual(failed, [], `${where}: failing cases`);
}

function nodeScript(file) {
  const out = capture(process.execPath, [file], { cwd: project, ...TOOL_TIMEOUT });
  assert.ok(out, `node ${file} failed`);
  return JSON.parse(out.split('\n').at(-1));
}

before(async () => {
  project = mkdtempSync(join(tmpdir(), 'spike-sdk-pkg-'));
  packed = pack(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', packed.tarball, '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', '--loglevel=error'], { cwd: project, ...quiet, ...TOOL_TIMEOUT });
  for (const dir of ['cases', 'vite-app/cases']) cpSync(join(root, 'tests/cases'), join(project, dir), { recursive: true });
  writeFileSync(join(project, 'esm.mjs'), fx.ESM_SCRIPT);
  writeFileSync(join(project, 'cjs.cjs'), fx.CJS_SCRIPT);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

test('the tarball holds the built package and nothing else', () => {
  const entries = ['index', 'server', 'server.node', 'server.browser', 'testing', 'testing.browser'].map((e) => `dist/${e}.mjs`);
  for (const file of ['package.json', 'README.md', 'LICENSE', ...entries, 'dist/index.cjs', 'dist/index.workerd.mjs', 'dist/index.edge.mjs', 'dist/client.wasm', 'dist/server.wasm', 'types/index.d.ts', 'types/index.d.cts', 'server/package.json', 'testing/package.json']) {
    assert.ok(packed.files.includes(file), `missing ${file}`);
  }
  const strays = packed.files.filter((f) => !/^(package\.json|README\.md|LICENSE|(dist|types)\/.+|(server|testing)\/package\.json)$/.test(f));
  assert.deepEqual(strays, []);
});

test("no file in the package names the builder's home or cargo's registry folder", () => {
  // Panic locations in the wasm name their source files; the build remaps the registry's path
  // (scripts/build.mjs, remapRegistryFlags), so a package built anywhere has the same bytes.
  const installed = join(project, 'node_modules', '@spike', 'sdk');
  // As text (the .wasm files, and any JS) and as hex (the wasm inlined in the entries).
  const leaks = [`${homedir()}/`, '.cargo/registry', 'index.crates.io-'].flatMap((s) => [s, Buffer.from(s).toString('hex')]);
  for (const file of packed.files) {
    const text = readFileSync(join(installed, file)).toString('latin1');
    for (const leak of leaks) assert.ok(!text.includes(leak), `${file} contains ${leak}`);
  }
});

test('the README npm shows is the project README, whose examples tests/docs runs', () => {
  const shipped = readFileSync(join(project, 'node_modules', '@spike', 'sdk', 'README.md'), 'utf8');
  assert.equal(shipped, readFileSync(join(root, 'README.md'), 'utf8'));
  assert.match(shipped, /<!-- doc-test: node -->/);
});

test('Node ESM: import works with no init call', () => {
  const { results, resolved, sameError } = nodeScript(join(project, 'esm.mjs'));
  assert.ok(resolved.startsWith(join(project, 'node_modules')), `resolved to ${resolved}`);
  assert.ok(resolved.endsWith('dist/index.mjs'), resolved);
  assert.ok(sameError, 'every entry shares one SpikeError');
  assertAllPassed(results, 'Node ESM');
});

test('Node CJS: require works with no init call', () => {
  const { results, resolved, sameError } = nodeScript(join(project, 'cjs.cjs'));
  assert.ok(resolved.endsWith('dist/index.cjs'), resolved);
  assert.ok(sameError, 'every entry shares one SpikeError');
  assertAllPassed(results, 'Node CJS');
});

test('Vite production build runs in Chromium', async () => {
  const app = join(project, 'vite-app');
  writeFileSync(join(app, 'index.html'), fx.VITE_INDEX);
  writeFileSync(join(app, 'main.js'), fx.VITE_MAIN);
  run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: app, ...TOOL_TIMEOUT });
  const server = await startStaticServer(join(app, 'dist'));
  try {
    const { results, problems } = await collectPageResults(browser, `${server.url}/`);
    assert.deepEqual(problems, []);
    assertAllPassed(results, 'Vite build');
  } finally {
    await server.close();
  }
});

test('a plain <script type="module"> page with an import map runs in Chromium', async () => {
  writeFileSync(join(project, 'importmap.html'), fx.IMPORTMAP_PAGE);
  const server = await startStaticServer(project);
  try {
    const { results, problems } = await collectPageResults(browser, `${server.url}/importmap.html`);
    assert.deepEqual(problems, []);
    assertAllPassed(results, 'import map page');
  } finally {
    await server.close();
  }
});
