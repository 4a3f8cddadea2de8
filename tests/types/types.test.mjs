// The package's types as a strict TypeScript user meets them: tests/types/fixtures/*.ts and every
// ```js / ```ts block of the README, compiled against the staged package (build/package, what
// `npm pack` publishes, copied into a project's node_modules) with --strict
// --exactOptionalPropertyTypes --noUncheckedIndexedAccess, under `moduleResolution: nodenext`
// (each fixture as .mts and .cts: the import and the require types; Node's globals, no DOM) and
// `bundler` (DOM and Node's globals together), with TypeScript 7; `nodenext` again with
// TypeScript 5.9, what most projects still have (~10 s of CPU, so only that one). @types/node and
// @types/express are the workspace's pinned dev dependencies. The fixtures' `@ts-expect-error`
// lines are what must not compile: tsc fails on one that is not an error, so the suite fails
// both ways.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageDir, root } from '../../scripts/lib/paths.mjs';

const here = dirname(fileURLToPath(import.meta.url));
/** The workspace's pinned compilers: `typescript` (7) and `typescript-5` (npm:typescript@5.9.3). */
const COMPILERS = ['typescript', 'typescript-5'].map((dir) => {
  const version = JSON.parse(readFileSync(join(root, 'node_modules', dir, 'package.json'), 'utf8')).version;
  return { name: `TypeScript ${version}`, bin: join(root, 'node_modules', dir, 'bin', 'tsc') };
});
const fixtures = readdirSync(join(here, 'fixtures')).filter((f) => f.endsWith('.ts'));

const STRICT = { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, noEmit: true, skipLibCheck: false, target: 'es2022' };

/**
 * README sections whose blocks are run as written elsewhere, with what they need that this
 * project does not have: `## Testing your app` (Vitest recipes, run by ecosystem-tests/vitest).
 */
const SKIPPED_SECTIONS = ['## Testing your app'];

/**
 * The README's ```js and ```ts blocks, with the README line each starts on. A block whose fence is
 * preceded (blank lines aside) by `<!-- doc-test: skip ... -->`, or in a SKIPPED_SECTIONS section,
 * is left out.
 */
export function readmeBlocks(text) {
  const lines = text.split('\n');
  const blocks = [];
  let section = '';
  for (let i = 0; i < lines.length; i += 1) {
    if (/^## /.test(lines[i])) section = lines[i].trim();
    const open = /^```(js|ts)\s*$/.exec(lines[i]);
    if (!open) {
      if (lines[i].startsWith('```')) for (i += 1; i < lines.length && !lines[i].startsWith('```'); i += 1); // skip sh, html, jsonc...
      continue;
    }
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before -= 1;
    const skip = before >= 0 && lines[before].trim().startsWith('<!-- doc-test: skip');
    const start = i + 1;
    for (i += 1; i < lines.length && !lines[i].startsWith('```'); i += 1);
    if (!skip && !SKIPPED_SECTIONS.includes(section)) blocks.push({ lang: open[1], line: start + 1, code: lines.slice(start, i).join('\n') });
  }
  return blocks;
}

/**
 * What the README's examples leave to the reader (your session lookup, your Express app, the
 * request you are handling...) or import in an earlier block, declared once so each block is
 * checked as the reader completes it. Deno's one API the README uses is typed as Deno types it.
 */
const README_GLOBALS = `
import type { Express, Request as ExpressRequest, Response as ExpressResponse } from 'express';
import type * as Sdk from '@spike/sdk';
import type * as Server from '@spike/sdk/server';
declare global {
  const SpikeClient: typeof Sdk.SpikeClient;
  const mintToken: typeof Server.mintToken;
  const createTokenHandler: typeof Server.createTokenHandler;
  const http: typeof import('node:http');
  const Deno: { env: { get(name: string): string | undefined } };
  const app: Express;
  const req: ExpressRequest;
  const res: ExpressResponse;
  const rawBody: Buffer;
  const apiKey: string;
  const csrf: string;
  const auth0: { getTokenSilently(): Promise<string> };
  const spike: Sdk.SpikeClient;
  const path: string;
  const body: Record<string, unknown>;
  const init: RequestInit;
  function lookUpSession(request: Request, env: unknown): Promise<{ id: string } | null>;
  function sessionFromCookie(request: Request): Promise<{ id: string } | null>;
  function getUser(request: Request): Promise<{ id: string } | null>;
  function report(error: unknown): void;
}
export {};
`;

let project;
before(() => {
  assert.ok(existsSync(join(packageDir, 'package.json')), 'build/package is missing: run `npm run build` first');
  // Inside the workspace, so the pinned typescript, @types/node and @types/express resolve.
  mkdirSync(join(root, 'build'), { recursive: true });
  project = mkdtempSync(join(root, 'build', 'types-test-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'spike-types-test', private: true, type: 'module' }));
  cpSync(packageDir, join(project, 'node_modules', '@spike', 'sdk'), { recursive: true });
  for (const f of fixtures) {
    copyFileSync(join(here, 'fixtures', f), join(project, f));
    copyFileSync(join(here, 'fixtures', f), join(project, f.replace(/\.ts$/, '.mts')));
    copyFileSync(join(here, 'fixtures', f), join(project, f.replace(/\.ts$/, '.cts')));
  }
  const tsconfig = (name, compilerOptions, files) =>
    writeFileSync(join(project, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions: { ...STRICT, ...compilerOptions }, files }, null, 2));
  tsconfig('nodenext', { module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2023'], types: ['node'] }, fixtures.flatMap((f) => [f.replace(/\.ts$/, '.mts'), f.replace(/\.ts$/, '.cts')]));
  tsconfig('bundler', { module: 'esnext', moduleResolution: 'bundler', lib: ['es2023', 'dom', 'dom.iterable'], types: ['node'] }, fixtures);
  const blocks = readmeBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
  mkdirSync(join(project, 'readme'));
  writeFileSync(join(project, 'readme', 'globals.d.ts'), README_GLOBALS);
  const files = ['readme/globals.d.ts'];
  for (const b of blocks) {
    const file = `readme/line-${b.line}.${b.lang}`;
    writeFileSync(join(project, file), `${b.code}\nexport {};\n`); // a module: top-level await, own scope
    files.push(file);
  }
  // noImplicitAny off: a JS example's untyped parameters are idiomatic, not a mistake.
  const npm = (entry) => [`./node_modules/@spike/sdk/types/${entry}.d.ts`];
  tsconfig('readme', {
    module: 'esnext', moduleResolution: 'bundler', lib: ['es2023', 'dom', 'dom.iterable'], types: ['node'], allowJs: true, checkJs: true, noImplicitAny: false,
    paths: { 'npm:@spike/sdk': npm('index'), 'npm:@spike/sdk/server': npm('server') }, // Deno's specifiers
  }, files);
});
after(() => {
  if (project && process.env.SPIKE_TYPES_KEEP !== '1') rmSync(project, { recursive: true, force: true });
});

/** Every compile, started together once the project is laid out (they overlap on a busy machine). */
const runs = new Map();
const tsc = (name, compiler) => runs.get(`${name} ${compiler.bin}`);
const RUNS = [['nodenext', COMPILERS[0]], ['bundler', COMPILERS[0]], ['readme', COMPILERS[0]], ['nodenext', COMPILERS[1]]];
before(() => {
  for (const [name, compiler] of RUNS) {
    const run = compile(name, compiler);
    run.catch(() => {}); // awaited by its test
    runs.set(`${name} ${compiler.bin}`, run);
  }
});

/** Runs a compiler on one tsconfig: { code, output, errors (lines), files (what it read) }. */
function compile(name, compiler) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [compiler.bin, '-p', `tsconfig.${name}.json`, '--pretty', 'false', '--listFiles'], { cwd: project });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = out.split('\n').filter(Boolean);
      const files = lines.filter((l) => l.startsWith('/'));
      const diagnostics = lines.filter((l) => !l.startsWith('/'));
      resolve({ code, output: diagnostics.join('\n'), errors: lines.filter((l) => / error TS\d+/.test(l)), files });
    });
  });
}

const TYPES = (ext) => ['index', 'server', 'testing'].map((e) => `node_modules/@spike/sdk/types/${e}.${ext}`);

for (const compiler of COMPILERS) {
  test(`${compiler.name}: fixtures, moduleResolution nodenext (.mts and .cts, Node globals, no DOM): strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess`, async () => {
    const result = await tsc('nodenext', compiler);
    assert.deepEqual(result.errors, [], result.output);
    assert.equal(result.code, 0, result.output);
    // The package's own types were read, both flavours: import (.d.ts) and require (.d.cts).
    for (const file of [...TYPES('d.ts'), ...TYPES('d.cts')]) assert.ok(result.files.some((f) => f.endsWith(file)), `${file} not checked:\n${result.files.join('\n')}`);
    for (const f of fixtures) assert.ok(result.files.some((l) => l.endsWith(f.replace(/\.ts$/, '.cts'))), `${f} not checked as .cts`);
  });

  if (compiler !== COMPILERS[0]) continue;
  test(`${compiler.name}: fixtures, moduleResolution bundler (DOM and Node globals together): strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess`, async () => {
    const result = await tsc('bundler', compiler);
    assert.deepEqual(result.errors, [], result.output);
    assert.equal(result.code, 0, result.output);
    for (const file of TYPES('d.ts')) assert.ok(result.files.some((f) => f.endsWith(file)), `${file} not checked:\n${result.files.join('\n')}`);
  });
}

/**
 * README lines known not to compile, each (a piece of the line, the TypeScript error) with why.
 * The README's text is what is wrong: the README's rewrite (#22 item 1) fixes them, and this test
 * then fails until the entry is removed. Anything else that does not compile fails the test.
 */
// README lines allowed not to compile, with the reason (none today: every block compiles).
const KNOWN_README_ERRORS = [];

test(`${COMPILERS[0].name}: the README's js/ts blocks typecheck (checkJs, strict, exactOptionalPropertyTypes) against the package`, async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8').split('\n');
  const blocks = readmeBlocks(readme.join('\n'));
  assert.ok(blocks.length >= 12, `only ${blocks.length} blocks found`);
  const result = await tsc('readme', COMPILERS[0]);
  // `readme/line-N.js(l,c): error TSxxxx: ...` -> README.md line N + l - 1, and that line's text.
  const located = result.errors.map((e) => {
    const [, start, l, c, code] = /^readme\/line-(\d+)\.(?:js|ts)\((\d+),(\d+)\): error (TS\d+)/.exec(e) ?? [];
    if (!start) return { where: e, code: '', text: '' };
    const line = Number(start) + Number(l) - 1;
    return { where: `README.md:${line}:${c}: ${e.slice(e.indexOf('error'))}`, code, text: readme[line - 1] ?? '' };
  });
  const isKnown = (err) => KNOWN_README_ERRORS.some((k) => err.code === k.code && err.text.includes(k.line));
  const unknown = located.filter((err) => !isKnown(err));
  assert.deepEqual(unknown.map((e) => e.where), [], `README blocks that do not typecheck:\n${unknown.map((e) => `${e.where}\n    ${e.text.trim()}`).join('\n')}`);
  const fixed = KNOWN_README_ERRORS.filter((k) => !located.some((err) => err.code === k.code && err.text.includes(k.line)));
  assert.deepEqual(fixed, [], 'these README lines compile now: remove them from KNOWN_README_ERRORS');
  assert.ok(result.files.some((f) => f.endsWith('node_modules/@spike/sdk/types/server.d.ts')), 'the README was not checked against the package types');
});

test('the README block extractor: js/ts only, skip markers and skipped sections honoured, line numbers right', () => {
  const md = ['# x', '```sh', 'npm test', '```', '```js', 'const a = 1;', '```', '<!-- doc-test: skip (needs Deno) -->', '', '```ts', 'Deno.exit();', '```', '```html', '<p>', '```', '```ts', 'let b: number = 2;', '```', '## Testing your app', '```js', 'vi.useFakeTimers();', '```', '## Next', '```js', 'c();', '```'].join('\n');
  assert.deepEqual(readmeBlocks(md), [
    { lang: 'js', line: 6, code: 'const a = 1;' },
    { lang: 'ts', line: 17, code: 'let b: number = 2;' },
    { lang: 'js', line: 25, code: 'c();' },
  ]);
});
