// Row 3b's floor (not part of `npm run bench`): what `decodeToken`'s time is made of, beside jose's
// `decodeJwt` with today's checks, and what more a wasm built for speed would give. CPU time per call (`process.cpuUsage`, steadier than wall time
// on a shared 2-core machine; it also counts the GC's threads), every contender in one process,
// interleaved rounds of 20,000 calls, medians:
//   @spike/sdk                 the shipped Node entry (build/package), its client wasm built at
//                              opt-level "z" (Cargo.toml's release-web profile)
//   @spike/sdk, opt-level 3    the same sources and build with that wasm at opt-level 3
//                              (CARGO_PROFILE_RELEASE_WEB_OPT_LEVEL=3, in a copy of the repo under
//                              build/decode-floor): what building the wasm for speed gives
//   hand-off floor             what any wasm decoder that hands `JSON.parse` the payload pays before
//                              it checks anything: the token copied into wasm memory (`encodeInto`),
//                              the payload's bytes (already decoded) made text (`TextDecoder`) and
//                              `JSON.parse`d (`decodeToken`'s in-memory path, js/client/decode.js,
//                              is this plus the Rust checks)
//   jose decodeJwt             the fastest peer (row 3b's goal)
//   Buffer + JSON.parse        the payload alone, no checks: the native limit
//   node bench/decode-floor.mjs [rounds=15]     (the opt-level 3 build takes a few minutes once)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeJwt } from 'jose';
import { newestFile } from '../scripts/build.mjs';
import { buildDir, packageDir, root } from '../scripts/lib/paths.mjs';
import { interleave, median } from './lib/measure.mjs';

const rounds = Number(process.argv[2] ?? 15);
const CALLS = 20_000;

const shipped = join(packageDir, 'dist', 'index.mjs');
if (!existsSync(shipped)) throw new Error('build/package is missing: run `npm run build` first');

// The opt-level 3 build: the sources the build reads, copied with their times (so the copy's build
// sees node_modules as current), built there with one profile setting changed.
const variantRoot = join(buildDir, 'decode-floor');
const SOURCES = ['src', 'crates', 'js', 'pkg-template', 'scripts', 'Cargo.toml', 'Cargo.lock', 'README.md', 'package.json', 'package-lock.json', 'rustfmt.toml'];
const variantEntry = join(variantRoot, 'build', 'package', 'dist', 'index.mjs');
const stale = !existsSync(variantEntry) || newestFile(SOURCES) > statSync(variantEntry).mtimeMs;
if (stale) {
  console.log('Building the client wasm at opt-level 3 in build/decode-floor (a few minutes once)...');
  for (const path of SOURCES) rmSync(join(variantRoot, path), { recursive: true, force: true });
  for (const path of SOURCES) cpSync(join(root, path), join(variantRoot, path), { recursive: true, preserveTimestamps: true });
  if (!existsSync(join(variantRoot, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(variantRoot, 'node_modules'));
  execFileSync(process.execPath, [join(variantRoot, 'scripts', 'build.mjs')], {
    cwd: variantRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CARGO_PROFILE_RELEASE_WEB_OPT_LEVEL: '3' },
  });
}

const sdk = await import(pathToFileURL(shipped).href);
const fast = await import(pathToFileURL(variantEntry).href);
const { startEmulator } = await import(pathToFileURL(join(packageDir, 'dist', 'testing.mjs')).href);
const emu = await startEmulator();
const { token } = emu.issueToken({ userId: 'bench_user', scopes: ['workspaces:read', 'workspaces:write'] });
await emu.close();

// The hand-off floor's memory: the token's characters and, after them, the payload's decoded bytes.
const memory = new Uint8Array(new WebAssembly.Memory({ initial: 1 }).buffer);
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const payloadBytes = Buffer.from(token.split('.')[1], 'base64url');
const payloadAt = token.length;
memory.set(payloadBytes, payloadAt);

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const contenders = {
  '@spike/sdk': () => sdk.decodeToken(token),
  '@spike/sdk, opt-level 3': () => fast.decodeToken(token),
  'hand-off floor': () => {
    encoder.encodeInto(token, memory);
    return JSON.parse(decoder.decode(memory.subarray(payloadAt, payloadAt + payloadBytes.length)));
  },
  'jose decodeJwt': () => decodeJwt(token),
  'Buffer + JSON.parse': () => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')),
};
// Every contender gives the same claims, and the two builds refuse the same bad token.
const claims = decodeJwt(token);
for (const [name, f] of Object.entries(contenders)) if (!same(f(), claims)) throw new Error(`${name} decoded something else`);
const refused = (decode) => {
  try {
    decode(`${token.split('.')[0]}.${Buffer.from('{"exp":1,"exp":2}').toString('base64url')}.c2ln`);
    return 'accepted';
  } catch (e) {
    return e.code;
  }
};
if (refused(sdk.decodeToken) !== 'invalid_token' || refused(fast.decodeToken) !== 'invalid_token') throw new Error('a build accepted a repeated exp');

const cpuPerCall = (f) => {
  const c0 = process.cpuUsage();
  for (let i = 0; i < CALLS; i += 1) f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / CALLS;
};
for (const f of Object.values(contenders)) cpuPerCall(f); // warm-up: every contender optimised before round 1
const results = await interleave(contenders, rounds, (f) => cpuPerCall(f));

const wasmSize = (dir) => readFileSync(join(dir, 'dist', 'client.wasm')).length;
const jose = median(results['jose decodeJwt']);
console.log(`decodeToken on a ${token.length}-character token, CPU per call, medians of ${rounds} rounds x ${CALLS.toLocaleString('en')} calls (Node ${process.version})\n`);
console.log('| contender | us per call | x jose |\n|---|---:|---:|');
for (const [name, xs] of Object.entries(results)) console.log(`| ${name} | ${median(xs).toFixed(2)} | ${(median(xs) / jose).toFixed(2)} |`);
console.log(`\nclient wasm: ${wasmSize(packageDir).toLocaleString('en')} B at opt-level "z", ${wasmSize(join(variantRoot, 'build', 'package')).toLocaleString('en')} B at opt-level 3 (raw, after wasm-opt)`);
