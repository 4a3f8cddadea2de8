// Every code block of README.md runs as written (#22). Each ```js / ```ts / ```sh / ```html block is marked by
// the line before its fence, `<!-- doc-test: MODE ... -->`, which says how it runs; an unmarked
// block fails this test. Modes:
//   node                 a Node ESM file in a temp project (node_modules/@spike/sdk -> build/package),
//                        with SPIKE_API_URL / SPIKE_API_KEY of a fresh emulator in its environment
//   node-server NAME     the same, with PORT set; once it listens, EXERCISES[NAME] calls it
//   worker NAME          a Web-standard module (`export default { fetch }`), called by EXERCISES[NAME]
//                        in Node with an `env` binding (the workerd run is tests/ecosystem/cloudflare-worker)
//   browser              a module in headless Chromium on a page whose backend serves
//                        /api/spike-token (createTokenHandler), with api.spikelabs.com routed to the emulator
//   page                 an ```html block: the page itself, on that same backend
//   deno                 `deno run` (npm package deno) in the temp project, with the emulator's variables
//   sh                   `sh -c` in the temp project, node_modules/.bin on PATH
//   in FILE              each code line of the block, comments and spacing aside, is in FILE, a
//                        test that the ecosystem suite runs (the Vitest recipes)
//   skip (REASON)        not run; the reason is required
// Output: a `// prints: TEXT` comment (`# prints:` in sh) expects one stdout line (console.log in a
// page), in order; `...` in TEXT matches anything. Blocks that run on their own (node, browser,
// deno, sh) say at least one, so a block that fails in silence (a catch that swallows, an exit
// code 0 with nothing done) cannot pass; they must print exactly what they say.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { launchChromium } from '../lib/chromium.mjs';
import { packageDir, root } from '../../scripts/lib/paths.mjs';

const README = process.env.SPIKE_DOC_README ?? join(root, 'README.md');

/** The blocks of a markdown text: `{ lang, code, line, marker }` (marker: the comment before the fence). */
export function extractBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    let end = i + 1;
    while (end < lines.length && lines[end] !== '```') end += 1;
    const marker = /^<!-- doc-test: (.+?) -->$/.exec(lines[start - 1] ?? '')?.[1];
    blocks.push({ lang: open[1], code: lines.slice(start + 1, end).join('\n'), line: start + 1, marker });
    i = end;
  }
  return blocks.filter((b) => ['js', 'ts', 'sh', 'html'].includes(b.lang));
}

/** What the block says it prints: one matcher per `// prints:` (or `# prints:`) comment. */
function expectedOutput(code) {
  return [...code.matchAll(/(?:\/\/|#) prints: (.*)$/gm)].map(([, text]) => text.trim());
}

function assertOutput(actual, expected, where) {
  const lines = actual.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
  const regex = (text) => new RegExp(`^${text.split('...').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  assert.equal(lines.length, expected.length, `${where}: printed ${JSON.stringify(lines)}, its comments say ${JSON.stringify(expected)}`);
  expected.forEach((text, i) => assert.match(lines[i], regex(text), `${where}: line ${i + 1}`));
}

const run = promisify(execFile);

/** Resolves once something listens on 127.0.0.1:port. */
async function listening(port, child, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before listening`);
    const ok = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket.end() && true)).on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** HMAC-SHA256 hex, as Spike signs a webhook body. */
const sign = (key, body) => createHmac('sha256', key).update(body).digest('hex');
// The keys the README's emulator setup exports for its webhook examples (the emulator signs
// nothing, so it has no keys of its own to print): blocks get them only from there.
const SETUP_KEYS = /^export SPIKE_HMAC_KEY=(\S+) SPIKE_WEBHOOK_KEY=(\S+)/m.exec(readFileSync(README, 'utf8'));
const [HMAC_KEY, WEBHOOK_KEY] = SETUP_KEYS ? [SETUP_KEYS[1], SETUP_KEYS[2]] : ['', ''];
const webhookBody = JSON.stringify([{ application_user_id: 'user-42', event_type: 'record_change', timestamp: '2026-11-29T12:00:00Z' }]);

/** What calls a server or worker block, and checks what it answers. `base`: its URL. */
const EXERCISES = {
  async 'token-handler'({ base }) {
    const anonymous = await fetch(`${base}/api/spike-token`);
    assert.equal(anonymous.status, 401);
    const res = await fetch(`${base}/api/spike-token`, { headers: { cookie: 'session=demo-session' } });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(typeof body.token, 'string');
    assert.equal(typeof body.expires_at, 'string');
  },
  async webhooks({ base, output }) {
    for (const path of ['/webhooks/spike', '/webhooks/by-hand']) {
      const bad = await fetch(`${base}${path}`, { method: 'POST', headers: { 'x-body-signature': 'f'.repeat(64) }, body: webhookBody });
      assert.equal(bad.status, 401, path);
      const ok = await fetch(`${base}${path}`, { method: 'POST', headers: { 'x-body-signature': sign(WEBHOOK_KEY, webhookBody) }, body: webhookBody });
      assert.equal(ok.status, 200, path);
    }
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(output().trim(), 'record_change user-42'); // the by-hand receiver's log, and nothing else
  },
  async worker({ call }) {
    assert.equal((await call('/api/spike-token')).status, 401);
    const res = await call('/api/spike-token', { headers: { cookie: 'session=demo-session' } });
    assert.equal(res.status, 200);
    assert.equal(typeof (await res.json()).token, 'string');
    const hook = await call('/webhooks/spike', { method: 'POST', headers: { 'x-body-signature': sign(WEBHOOK_KEY, webhookBody) }, body: webhookBody });
    assert.equal(hook.status, 200);
    assert.equal((await call('/elsewhere')).status, 404);
  },
};

const readme = readFileSync(README, 'utf8');
const blocks = extractBlocks(readme);

let project; // the temp project the blocks run in
let emulatorModule;
let browser;
before(async () => {
  project = mkdtempSync(join(tmpdir(), 'spike-doc-test-'));
  mkdirSync(join(project, 'node_modules', '@spike'), { recursive: true });
  mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(packageDir, join(project, 'node_modules', '@spike', 'sdk'), 'dir');
  // What npm's install makes of the package's `bin`: an executable `spike-emulator` on PATH for npx.
  writeFileSync(join(project, 'node_modules', '.bin', 'spike-emulator'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(packageDir, 'dist', 'bin', 'spike-emulator.cjs'))} "$@"\n`, { mode: 0o755 });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'doc-test', private: true, type: 'module' }));
  emulatorModule = await import(join(packageDir, 'dist', 'testing.mjs'));
});
after(async () => {
  await browser?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

/** A fresh emulator and the environment a block runs with (what `eval "$(npx spike-emulator)"` sets). */
async function emulatorEnv() {
  const emulator = await emulatorModule.startEmulator({ tokenTtlSeconds: 600 });
  // Readers run the blocks in any order on one emulator, and the Node quick start leaves a workspace
  // behind: every block meets one already there, so none can print what only a fresh emulator gives.
  const { token } = emulator.issueToken({ userId: 'user-42' });
  const left = await fetch(`${emulator.url}/platform/api/workspaces`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ tier: 'md', ttlSeconds: 3600 }) });
  assert.equal(left.status, 201, 'a workspace left behind by an earlier block');
  const env = { ...process.env, SPIKE_API_URL: emulator.url, SPIKE_API_KEY: emulator.apiKey, SPIKE_WEBHOOK_KEY: WEBHOOK_KEY, SPIKE_HMAC_KEY: HMAC_KEY };
  delete env.NODE_OPTIONS;
  delete env.NODE_TEST_CONTEXT; // a block is a program, not a subtest
  return { emulator, env };
}

function writeBlock(block, ext) {
  const file = join(project, `block-${block.line}${ext}`);
  writeFileSync(file, `${block.code}\n`);
  return file;
}

async function runNode(block) {
  const { emulator, env } = await emulatorEnv();
  try {
    const file = writeBlock(block, '.mjs');
    const out = await run(process.execPath, [file], { cwd: project, env, timeout: 30_000 }).catch((err) => {
      throw new Error(`README line ${block.line}: exited ${err.code}\n${err.stdout}\n${err.stderr}`);
    });
    assertOutput(out.stdout, expectedOutput(block.code), `README line ${block.line}`);
  } finally {
    await emulator.close();
  }
}

async function runNodeServer(block, name) {
  const { emulator, env } = await emulatorEnv();
  const port = await freePort();
  const child = spawn(process.execPath, [writeBlock(block, '.mjs')], { cwd: project, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  try {
    await listening(port, child).catch((err) => {
      throw new Error(`README line ${block.line}: ${err.message}\n${output}`);
    });
    await EXERCISES[name]({ base: `http://127.0.0.1:${port}`, output: () => output });
  } finally {
    child.kill();
    await emulator.close();
  }
}

async function runWorker(block, name) {
  const { emulator } = await emulatorEnv();
  try {
    const file = writeBlock(block, '.mjs');
    const { default: worker } = await import(`${file}?${Date.now()}`);
    const env = { SPIKE_API_URL: emulator.url, SPIKE_API_KEY: emulator.apiKey, SPIKE_WEBHOOK_KEY: WEBHOOK_KEY };
    await EXERCISES[name]({ call: (path, init) => worker.fetch(new Request(`http://worker.test${path}`, init), env, {}) });
  } finally {
    await emulator.close();
  }
}

/** The page server: the package under /node_modules/@spike/sdk/, /api/spike-token from createTokenHandler, the block. */
async function pageServer(emulator) {
  const { createTokenHandler, toNodeHandler } = await import(join(packageDir, 'dist', 'server.node.mjs'));
  const tokens = toNodeHandler(createTokenHandler({ apiKey: emulator.apiKey, baseUrl: emulator.url, getUser: () => 'user-42' }));
  let code = '';
  let html = '';
  const types = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.html': 'text/html' };
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    if (pathname === '/api/spike-token') return tokens(req, res);
    if (pathname === '/block.mjs') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    if (pathname === '/' && html) return res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html>\n${html}`);
    if (pathname === '/') {
      return res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html>
<script type="importmap">{ "imports": { "@spike/sdk": "/node_modules/@spike/sdk/dist/index.mjs" } }</script>
<script type="module">import('/block.mjs').then(() => { window.__done = true; }, (err) => { window.__error = String(err && err.stack || err); });</script>`);
    }
    const prefix = '/node_modules/@spike/sdk/';
    const file = pathname.startsWith(prefix) ? join(packageDir, pathname.slice(prefix.length)) : null;
    if (!file || file.includes('..') || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    setCode: (c) => (code = c),
    setHtml: (h) => (html = h),
    close: () => new Promise((r) => server.close(r)),
  };
}

/** `block` as a module on the harness page (`browser`), or as the page itself (`page`). */
async function runBrowser(block, asPage = false) {
  const { emulator } = await emulatorEnv();
  browser ??= launchChromium();
  browser = await browser;
  const server = await pageServer(emulator);
  const context = await browser.newContext();
  try {
    if (asPage) server.setHtml(block.code);
    else server.setCode(block.code);
    const tab = await context.newPage();
    // The block calls the production API (its default baseUrl): the emulator answers for it.
    await tab.route('https://api.spikelabs.com/**', async (route) => {
      const request = route.request();
      const target = request.url().replace('https://api.spikelabs.com', emulator.url);
      const response = await route.fetch({ url: target });
      await route.fulfill({ response });
    });
    const logs = [];
    const problems = [];
    tab.on('console', (msg) => (msg.type() === 'log' ? logs.push(msg.text()) : msg.type() === 'error' && problems.push(msg.text())));
    tab.on('pageerror', (err) => problems.push(err.message));
    await tab.goto(server.url);
    const expected = expectedOutput(block.code);
    // A page has no end to wait for: wait for the lines it says it prints (then a moment for more).
    for (let deadline = Date.now() + 20_000; asPage && logs.length < expected.length && problems.length === 0 && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    if (asPage) await new Promise((r) => setTimeout(r, 200));
    else await tab.waitForFunction(() => window.__done || window.__error, null, { timeout: 20_000 });
    const error = await tab.evaluate(() => window.__error);
    assert.equal(error, undefined, `README line ${block.line}: ${error}\n${problems.join('\n')}`);
    assert.deepEqual(problems, [], `README line ${block.line}`);
    assertOutput(logs.join('\n'), expectedOutput(block.code), `README line ${block.line}`);
  } finally {
    await context.close();
    await server.close();
    await emulator.close();
  }
}

async function runDeno(block) {
  const { installTools } = await import('../ecosystem/runtime-tools.mjs');
  const deno = join(await installTools('deno'), 'node_modules', '.bin', 'deno');
  writeFileSync(join(project, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }));
  const { emulator, env } = await emulatorEnv();
  try {
    const file = writeBlock(block, '.ts');
    const denoEnv = { ...env, DENO_DIR: join(project, '.deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
    const out = await run(deno, ['run', '--allow-net=127.0.0.1', '--allow-read', '--allow-env=SPIKE_API_URL,SPIKE_API_KEY', file], { cwd: project, env: denoEnv, timeout: 60_000 }).catch((err) => {
      throw new Error(`README line ${block.line}: exited ${err.code}\n${err.stdout}\n${err.stderr}`);
    });
    assertOutput(out.stdout, expectedOutput(block.code), `README line ${block.line}`);
  } finally {
    await emulator.close();
  }
}

async function runSh(block) {
  const env = { ...process.env, PATH: `${join(project, 'node_modules', '.bin')}:${process.env.PATH}`, npm_config_offline: 'true' };
  delete env.SPIKE_API_URL;
  delete env.SPIKE_API_KEY;
  const out = await run('sh', ['-ec', block.code], { cwd: project, env, timeout: 30_000 }).catch((err) => {
    throw new Error(`README line ${block.line}: exited ${err.code}\n${err.stdout}\n${err.stderr}`);
  });
  assertOutput(out.stdout, expectedOutput(block.code), `README line ${block.line}`);
}

/** Code lines without comments, every run of spacing one space. */
const normalise = (text) => text.replace(/\/\/.*$/gm, '').replace(/\s+/g, ' ').trim();

function runIn(block, file) {
  const target = normalise(readFileSync(join(root, file), 'utf8'));
  for (const line of block.code.split('\n')) {
    const code = normalise(line);
    if (code) assert.ok(target.includes(code), `README line ${block.line}: "${code}" is not in ${file}, which runs the recipe`);
  }
}

describe('README.md: every code block runs as written', { concurrency: 3 }, () => {
  test('every js/ts/sh block is marked with how it runs', () => {
    const unmarked = blocks.filter((b) => !b.marker).map((b) => b.line);
    assert.deepEqual(unmarked, [], `blocks without <!-- doc-test: ... --> at README lines ${unmarked.join(', ')}`);
    for (const b of blocks) {
      if (b.marker?.startsWith('skip')) assert.match(b.marker, /^skip \(.{10,}\)$/, `README line ${b.line}: a skip needs its reason`);
      if (/^(node|browser|page|deno|sh)$/.test(b.marker ?? '')) assert.ok(expectedOutput(b.code).length > 0, `README line ${b.line}: no // prints: comment says what it does`);
    }
  });

  test('the harness fails a block that prints other than it says, prints more, or exits non-zero', async () => {
    const block = (code) => ({ lang: 'js', code, line: 0, marker: 'node' });
    await assert.rejects(runNode(block("console.log('a'); // prints: b")), /line 1/);
    await assert.rejects(runNode(block("console.log('a'); console.log('b'); // prints: a")), /printed \["a","b"\]/);
    await assert.rejects(runNode(block("console.log('x'); // prints: x\nprocess.exitCode = 1;")), /exited 1/);
    await assert.rejects(runNode(block("import { SpikeClient } from '@spike/sdk';\nnew SpikeClient({ token: 't', timeout: 1 }); // prints: x")), /unknown option 'timeout'/);
    await runNode(block("console.log(process.env.SPIKE_API_URL); // prints: http://127.0.0.1:..."));
  });

  for (const block of blocks) {
    const [mode, arg] = (block.marker ?? 'unmarked').split(/\s+/);
    const name = `line ${block.line} (${block.marker ?? 'unmarked'})`;
    if (mode === 'skip' || mode === 'unmarked') continue;
    test(name, { timeout: 120_000 }, async () => {
      if (mode === 'node') return runNode(block);
      if (mode === 'node-server') return runNodeServer(block, arg);
      if (mode === 'worker') return runWorker(block, arg);
      if (mode === 'browser') return runBrowser(block);
      if (mode === 'page') return runBrowser(block, true);
      if (mode === 'deno') return runDeno(block);
      if (mode === 'sh') return runSh(block);
      if (mode === 'in') return runIn(block, arg);
      throw new Error(`README line ${block.line}: unknown doc-test mode ${mode}`);
    });
  }
});
