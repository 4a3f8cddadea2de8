// Next.js 16, App Router, with no next.config setting for @spike/sdk: built with Turbopack (the
// default) and with webpack, each served by `next start` and by the `output: 'standalone'`
// server. Each server answers a Node route handler and an Edge route handler (client and server
// cases, run in that runtime) and a page whose server component decodes during render and whose
// 'use client' component runs the client cases in headless Chromium.
// Then `next dev` (Turbopack) serves the same three (SPIKE_ECOSYSTEM_NEXT_DEV=0 skips it).
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLIENT_CASES,
  SERVER_CASES,
  assertResults,
  makeProject,
  mustRun,
  startFixtureEmulator,
} from '../../ecosystem-tests/lib/harness.mjs';
import { collectPageResults, launchChromium } from '../lib/chromium.mjs';

const NEXT_ENV = { NEXT_TELEMETRY_DISABLED: '1' };
const BUILD_TIMEOUT = 600_000; // a webpack build takes minutes on a busy 2-core machine
const READY_TIMEOUT = 90_000;
const SERVER_COMPONENT_CASE = 'server component: decodeToken during render';

const BUILDS = [
  { name: 'Turbopack', args: ['build'] },
  { name: 'webpack', args: ['build', '--webpack'] },
];

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts a long-running server (its own process group, so stop() ends it and its children) and
 * waits until 127.0.0.1:port answers HTTP at all. Keeps its output for failure messages.
 */
async function startServer(cmd, args, { cwd, env, port }) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let gone = false;
  exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  const log = () => `--- server output (${cmd} ${args.join(' ')})\n${output.slice(-6000)}`;
  const stop = async () => {
    if (gone) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + READY_TIMEOUT;
  while (Date.now() < deadline && !gone) {
    try {
      // Any answer will do (a 404 page): the routes themselves are only called by the checks.
      await fetch(`${url}/__spike_ready`, { signal: AbortSignal.timeout(10_000) });
      return { url, log, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  await stop();
  throw new Error(`server did not answer on ${url}\n${log()}`);
}

/** GET a route handler and assert the cases it ran, in the runtime it was meant to run in. */
async function checkRoute(server, emulator, path, runtime, where) {
  emulator.inject({ tokenExpired: 2 });
  const res = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(60_000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${where}: GET ${path} answered ${res.status}\n${text.slice(0, 3000)}\n${server.log()}`);
  const body = JSON.parse(text);
  assert.equal(body.runtime, runtime, `${where}: ran in ${body.runtime}`);
  try {
    assertResults(body.results, where, { min: CLIENT_CASES + SERVER_CASES });
  } catch (err) {
    err.message += `\n${server.log()}`;
    throw err;
  }
}

/** Loads the page in Chromium: the client cases ran in the browser, the server component decoded. */
async function checkPage(server, emulator, browser, where) {
  emulator.inject({ tokenExpired: 2 });
  let collected;
  try {
    collected = await collectPageResults(browser, `${server.url}/`);
  } catch (err) {
    err.message += `\n${server.log()}`;
    throw err;
  }
  const { results, problems, page } = collected;
  await page.close();
  const where2 = problems.length ? `${where} (page reported: ${problems.join('; ')})` : where;
  assertResults(results, where2, { min: CLIENT_CASES + 1 });
  assert.ok(results.some((r) => r.name === SERVER_COMPONENT_CASE), `${where}: no server component result`);
}

/** Starts a server as its own subtest (a server that never answers fails by name, and the other servers still run), then checks it. */
async function serveAndCheck(t, label, start, emulator, browser) {
  let server;
  await t.test(`${label}: server starts and answers`, async () => {
    server = await start();
  });
  if (!server) return;
  try {
    await checkServer(t, label, server, emulator, browser);
  } finally {
    await server.stop();
  }
}

async function checkServer(t, label, server, emulator, browser) {
  await t.test(`${label}: Node route handler runs client and server cases`, () =>
    checkRoute(server, emulator, '/api/check', 'nodejs', `${label} /api/check`));
  await t.test(`${label}: Edge route handler runs client and server cases`, () =>
    checkRoute(server, emulator, '/api/check-edge', 'edge', `${label} /api/check-edge`));
  await t.test(`${label}: page (server component + 'use client' component in Chromium)`, () =>
    checkPage(server, emulator, browser, `${label} page`));
}

test('Next.js 16: Turbopack and webpack builds, next start and standalone, no config', { timeout: 45 * 60_000 }, async (t) => {
  const started = Date.now();
  const project = await makeProject('nextjs');
  const { emulator, processEnv } = await startFixtureEmulator();
  const browser = await launchChromium();
  t.after(async () => {
    await browser.close();
    await emulator.close();
    project.cleanup();
  });
  const next = join(project.dir, 'node_modules', 'next', 'dist', 'bin', 'next');
  const runEnv = { ...NEXT_ENV, ...processEnv };

  for (const build of BUILDS) {
    let built = false;
    // Its own timeout: `--test-timeout` (300 s in npm test) would otherwise apply to the subtest.
    await t.test(`${build.name}: next ${build.args.join(' ')}`, { timeout: BUILD_TIMEOUT + 30_000 }, async () => {
      rmSync(join(project.dir, '.next'), { recursive: true, force: true });
      const t0 = Date.now();
      // No SPIKE_* variables at build time: the app must read them per request.
      await mustRun(process.execPath, [next, ...build.args], { cwd: project.dir, env: NEXT_ENV, timeoutMs: BUILD_TIMEOUT });
      t.diagnostic(`${build.name} build: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      built = true;
    });
    if (!built) continue;

    // The Edge route must get the package's `edge-light` entry, whose `.wasm?module` import Next
    // ships as an edge wasm binding (listed in the manifest), not bytes compiled at run time.
    await t.test(`${build.name}: the Edge route ships the .wasm as a module (middleware-manifest)`, () => {
      const manifest = JSON.parse(readFileSync(join(project.dir, '.next', 'server', 'middleware-manifest.json'), 'utf8'));
      const fn = manifest.functions?.['/api/check-edge/route'];
      assert.ok(fn, `no /api/check-edge/route in middleware-manifest.json: ${Object.keys(manifest.functions ?? {})}`);
      assert.ok(fn.wasm?.length >= 1, `the Edge route has no wasm binding: ${JSON.stringify(fn.wasm)}`);
    });

    await serveAndCheck(t, `${build.name}, next start`, async () => {
      const port = await freePort();
      return startServer(process.execPath, [next, 'start', '-H', '127.0.0.1', '-p', String(port)], { cwd: project.dir, env: runEnv, port });
    }, emulator, browser);

    // output: 'standalone' as deployed: the static assets copied next to server.js, as Next's docs say.
    await serveAndCheck(t, `${build.name}, standalone server.js`, async () => {
      const standalone = join(project.dir, '.next', 'standalone');
      cpSync(join(project.dir, '.next', 'static'), join(standalone, '.next', 'static'), { recursive: true });
      const port = await freePort();
      return startServer(process.execPath, ['server.js'], { cwd: standalone, env: { ...runEnv, PORT: String(port), HOSTNAME: '127.0.0.1' }, port });
    }, emulator, browser);
  }

  if (process.env.SPIKE_ECOSYSTEM_NEXT_DEV !== '0') {
    const t0 = Date.now();
    await serveAndCheck(t, 'next dev (Turbopack)', async () => {
      const port = await freePort();
      return startServer(process.execPath, [next, 'dev', '-H', '127.0.0.1', '-p', String(port)], { cwd: project.dir, env: runEnv, port });
    }, emulator, browser);
    t.diagnostic(`next dev: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  t.diagnostic(`total: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
