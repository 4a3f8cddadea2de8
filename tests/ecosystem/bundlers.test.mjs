// Browser bundlers with no config for @spike/sdk: esbuild (esm, default iife, --target=es2020),
// Rollup 4 + node-resolve, webpack 5, Vite 7 and 8 (build, and the dev server with its
// pre-bundling). Each fixture in ecosystem-tests/<tool>/ is installed fresh from the tarball, built
// with its own pinned tool, and its page runs the client cases in one headless Chromium.
//
// Installs and builds run ahead, two at a time, while earlier tools' pages are checked. Pages run
// one at a time against one emulator, reset with two token_expired faults queued before each.
// SPIKE_BUNDLERS=esbuild,vite8 runs a subset.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLIENT_CASES, assertResults, concurrencyLimit, exec, makeProject, startFixtureEmulator } from '../../ecosystem-tests/lib/harness.mjs';
import { startStaticServer } from '../../scripts/lib/static-server.mjs';
import { collectPageResults, launchChromium } from '../lib/chromium.mjs';

// builds: npm script -> the page (served from `serve`) that loads what it built.
// warnings: what the tool prints for a warning; a clean build is part of "no config".
const TOOLS = {
  esbuild: {
    builds: { 'build:esm': 'esm.html', 'build:iife': 'iife.html', 'build:es2020': 'es2020.html' },
    serve: '.',
    warnings: /\[WARNING\]/,
  },
  rollup: { builds: { build: 'index.html' }, serve: '.', warnings: /^\(!\)/m },
  webpack: { builds: { build: 'index.html' }, serve: '.', warnings: /WARNING in/ },
  vite7: { builds: { build: 'index.html' }, serve: 'dist', dev: true },
  vite8: { builds: { build: 'index.html' }, serve: 'dist', dev: true },
};
const only = process.env.SPIKE_BUNDLERS?.split(',').map((s) => s.trim()).filter(Boolean);
const selected = Object.keys(TOOLS).filter((name) => !only || only.includes(name));

// Two installs/builds at a time: the machine is shared, and npm is mostly waiting on disk.
const limited = concurrencyLimit(2);

/** Installs the fixture, then runs each of its build scripts; a failed build is kept, not thrown. */
function prepare(name) {
  return limited(async () => {
    const project = await makeProject(name);
    const builds = {};
    for (const script of Object.keys(TOOLS[name].builds)) {
      builds[script] = await exec('npm', ['run', '--silent', script], { cwd: project.dir, timeoutMs: 180_000 });
    }
    return { ...project, builds };
  });
}

const prepared = Object.fromEntries(selected.map((name) => [name, prepare(name)]));
for (const p of Object.values(prepared)) p.catch(() => {}); // awaited by the tests; no unhandled rejection meanwhile

let browser;
let fixture;
before(async () => {
  [browser, fixture] = await Promise.all([launchChromium(), startFixtureEmulator()]);
});
after(async () => {
  await browser?.close();
  fixture?.emulator.close();
  for (const p of Object.values(prepared)) (await p.catch(() => null))?.cleanup();
});

function buildFailure(where, result) {
  return `${where} failed (${result.code})\n--- stdout\n${result.stdout.slice(-3000)}\n--- stderr\n${result.stderr.slice(-3000)}`;
}

/** Opens `url` with `?env=<JSON>`; asserts every client case ran and passed. */
async function checkPage(url, where) {
  fixture.emulator.reset(); // no fault left over from a page that failed early
  fixture.emulator.inject({ tokenExpired: 2 });
  const outcome = await collectPageResults(browser, `${url}?env=${encodeURIComponent(JSON.stringify(fixture.env))}`);
  await outcome.page.close();
  const problems = outcome.problems.length ? `\npage problems:\n${outcome.problems.join('\n')}` : '';
  try {
    assertResults(outcome.results, where, { min: CLIENT_CASES });
  } catch (err) {
    throw new Error(`${err.message}${problems}`);
  }
  // The cases themselves meet 401/404 from the emulator; anything failing on the page's own
  // origin (a .wasm or chunk the bundle expected beside it) is a packaging bug even if cases pass.
  const origin = new URL(url).origin;
  const ownMisses = outcome.problems.filter((p) => p.startsWith('HTTP ') && p.includes(` for ${origin}/`));
  assert.deepEqual(ownMisses, [], `${where}: requests to the page's own server failed${problems}`);
}

function wasmFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.wasm'));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `vite --host 127.0.0.1 --port P --strictPort` in `dir`; resolves { url, stop } once it answers. */
async function startViteDev(dir) {
  const port = await freePort();
  const child = spawn(join(dir, 'node_modules/.bin/vite'), ['--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    return output;
  };
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite dev exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(url)).ok) return { url, stop, output: () => output };
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`vite dev did not answer on ${url} in 30 s:\n${output}`);
}

for (const name of selected) {
  const tool = TOOLS[name];
  describe(name, () => {
    let project;
    before(async () => {
      project = await prepared[name];
    });

    for (const [script, page] of Object.entries(tool.builds)) {
      test(`npm run ${script} builds with no config`, () => {
        const result = project.builds[script];
        assert.equal(result.code, 0, buildFailure(`${name}: npm run ${script}`, result));
        if (tool.warnings) {
          const output = `${result.stdout}\n${result.stderr}`;
          assert.doesNotMatch(output, tool.warnings, `${name}: npm run ${script} printed warnings:\n${output.slice(-3000)}`);
        }
      });

      test(`the ${script} output runs the client cases in Chromium (${page})`, async (t) => {
        if (project.builds[script].code !== 0) return t.skip('the build failed');
        const server = await startStaticServer(join(project.dir, tool.serve));
        try {
          await checkPage(`${server.url}/${page}`, `${name} ${script}`);
        } finally {
          await server.close();
        }
      });
    }

    test('the build emits no .wasm file (the wasm is inlined, so none, and never two)', (t) => {
      if (Object.values(project.builds).some((b) => b.code !== 0)) return t.skip('a build failed');
      assert.deepEqual(wasmFiles(join(project.dir, 'dist')), []);
    });

    if (tool.dev) {
      test('the dev server (pre-bundling, no optimizeDeps setting) runs the client cases in Chromium', async () => {
        const dev = await startViteDev(project.dir);
        try {
          await checkPage(dev.url, `${name} dev server`);
          // The page must have run Vite's pre-bundled copy (the case that broke), not the raw files.
          const metadata = join(project.dir, 'node_modules/.vite/deps/_metadata.json');
          const optimized = existsSync(metadata) ? Object.keys(JSON.parse(readFileSync(metadata, 'utf8')).optimized ?? {}) : [];
          assert.ok(optimized.includes('@spike/sdk'), `${name} dev server did not pre-bundle @spike/sdk (optimized: ${optimized.join(', ') || 'none'})`);
        } catch (err) {
          throw new Error(`${err.message}\n--- vite output\n${(await dev.stop()).slice(-3000)}`);
        } finally {
          await dev.stop();
        }
      });
    }
  });
}
