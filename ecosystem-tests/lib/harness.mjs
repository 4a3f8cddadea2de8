// The ecosystem suite's shared machinery: pack the built package once, make a fresh project per
// fixture that installs that tarball (no workspace links, as a user's project would), start an
// emulator on 127.0.0.1, and read the results a fixture reports. Used by tests/ecosystem/*.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { packageDir, root } from '../../scripts/lib/paths.mjs';
import { pack } from '../../scripts/package.mjs';

export const ecosystemDir = join(root, 'ecosystem-tests');
const keepProjects = process.env.SPIKE_ECOSYSTEM_KEEP === '1';

let tarball;
/** The packed tarball of build/package (`npm test` builds it first), packed once per process. */
export function packedTarball() {
  if (process.env.SPIKE_TARBALL) return process.env.SPIKE_TARBALL;
  if (!tarball) {
    if (!existsSync(join(packageDir, 'package.json'))) throw new Error('build/package is missing: run `npm run build` first');
    tarball = pack(mkdtempSync(join(tmpdir(), 'spike-eco-tgz-'))).tarball;
  }
  return tarball;
}

/**
 * Runs a command with a deadline; resolves { code, stdout, stderr }, never throws for a non-zero
 * exit (callers assert, so a failure names its command and shows its output).
 */
export function exec(cmd, args, { cwd, env, timeoutMs = 300_000, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      stderr += `\n[harness] ${cmd} ${args.join(' ')} killed after ${timeoutMs} ms`;
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} could not start: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // EPIPE when the child exits before reading its input
    child.stdin.end(input ?? '');
  });
}

/** Throws with the command's output when it did not exit 0. */
export async function mustRun(cmd, args, options) {
  const result = await exec(cmd, args, options);
  if (result.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${result.code}) in ${options?.cwd}\n--- stdout\n${result.stdout.slice(-4000)}\n--- stderr\n${result.stderr.slice(-4000)}`);
  }
  return result;
}

/**
 * A fresh copy of `ecosystem-tests/<name>` in a temp folder, with `shared/cases.js` copied in as
 * `spike-cases.js`, the tarball as the `@spike/sdk` dependency, and `npm install` run (the npm
 * cache makes repeated local runs fast). Returns { dir, cleanup }.
 */
export async function makeProject(name, { timeoutMs = 600_000 } = {}) {
  const source = join(ecosystemDir, name);
  const dir = mkdtempSync(join(tmpdir(), `spike-eco-${name.replaceAll('/', '-')}-`));
  cpSync(source, dir, { recursive: true, filter: (path) => !path.includes('node_modules') });
  cpSync(join(ecosystemDir, 'shared', 'cases.js'), join(dir, 'spike-cases.js'));
  const manifestPath = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.dependencies = { ...manifest.dependencies, '@spike/sdk': `file:${packedTarball()}` };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  await mustRun('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--no-package-lock'], { cwd: dir, timeoutMs });
  return {
    dir,
    cleanup: () => {
      if (!keepProjects) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The reference figures the cases compare with, computed by node:crypto. */
export function expectedFigures() {
  const hmacKey = 'eco_hmac_key_0123456789';
  const webhookKey = 'eco_webhook_key_abcdef';
  const userId = 'eco-user-42';
  const webhookBody = JSON.stringify([{ event_type: 'record_change', application_user_id: userId, note: 'Zoë 🚀' }]);
  return {
    userId,
    hmacKey,
    userSignature: createHmac('sha256', hmacKey).update(userId).digest('hex'),
    webhookKey,
    webhookBody,
    webhookSignature: createHmac('sha256', webhookKey).update(webhookBody).digest('hex'),
  };
}

/**
 * A server on 127.0.0.1 that never finishes an answer, for the timeout case: `/body` gets a 200's
 * headers and then no body, any other path nothing at all. CORS is open (a page of another origin
 * calls it with an Authorization header: its preflight gets a 204).
 */
async function startStallServer() {
  const sockets = new Set();
  const server = createServer((req, res) => {
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET',
      'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'authorization',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
    } else if (req.url.startsWith('/body')) {
      res.writeHead(200, { ...cors, 'content-type': 'application/json' });
      res.flushHeaders();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/**
 * Starts an emulator from the built package (self-reference through its own `exports`), with two
 * `token_expired` answers queued for the client case, and the stall server of the timeout case
 * (`expect.stallUrl`; `emulator.close()` closes both). Returns { emulator, env } where env is what
 * the cases take and `processEnv` is the same as variables for a child process.
 */
export async function startFixtureEmulator() {
  // SPIKE_PACKAGE_DIR: an unpacked copy of the tarball under test (when build/package is in flux).
  const require = createRequire(join(process.env.SPIKE_PACKAGE_DIR ?? packageDir, 'package.json'));
  const { startEmulator } = require('@spike/sdk/testing');
  const [emulator, stall] = await Promise.all([startEmulator({ port: 0 }), startStallServer()]);
  const closeEmulator = emulator.close.bind(emulator);
  emulator.close = async () => {
    stall.close();
    return closeEmulator();
  };
  emulator.inject({ tokenExpired: 2 });
  const env = { apiUrl: emulator.url, apiKey: emulator.apiKey, expect: { ...expectedFigures(), stallUrl: stall.url } };
  const processEnv = { SPIKE_API_URL: env.apiUrl, SPIKE_API_KEY: env.apiKey, SPIKE_EXPECT: JSON.stringify(env.expect) };
  return { emulator, env, processEnv };
}

/** Parses the `SPIKE_RESULTS [...]` line a command-line fixture prints last. */
export function parseResults(stdout, where) {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith('SPIKE_RESULTS '));
  if (!line) throw new Error(`${where} printed no SPIKE_RESULTS line:\n${stdout.slice(-3000)}`);
  return JSON.parse(line.slice('SPIKE_RESULTS '.length));
}

/** Asserts every case passed and at least `min` ran (a fixture that runs nothing must fail). */
export function assertResults(results, where, { min = 1 } = {}) {
  if (!Array.isArray(results) || results.length < min) {
    throw new Error(`${where}: expected at least ${min} cases, got ${JSON.stringify(results)}`);
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length) throw new Error(`${where}: ${failed.length} case(s) failed:\n${failed.map((f) => `- ${f.name}\n${f.error}`).join('\n')}`);
}

/** Number of cases each list has, so fixtures can be held to running all of them. */
export const CLIENT_CASES = 5;
export const SERVER_CASES = 4;

export function ensureDir(path) {
  mkdirSync(path, { recursive: true });
  return path;
}

/** `limited(fn)` runs at most `max` of the fns at a time (installs and builds on a shared 2-core machine). */
export function concurrencyLimit(max) {
  const waiting = [];
  let running = 0;
  return async function limited(fn) {
    if (running >= max) await new Promise((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await fn();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}
