// One build: cargo once per feature set, wasm-bindgen once per JS target, wasm-opt, then the JS
// glue, into build/package/ (exactly what is published). See README "Hacking" for the layout.
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { run, step } from './lib/run.mjs';
import { buildDir, packageDir, root } from './lib/paths.mjs';
import { ensureBuildTools } from './setup.mjs';
import { leb, readName, wasmSections } from './lib/wasm-types.mjs';

const TARGET = 'wasm32-unknown-unknown';
// Features Rust enables by default for wasm32 today; wasm-opt must be allowed to keep them. Not
// multivalue, which the build turns off before wasm-bindgen (see `withoutFeature`).
export const WASM_FEATURES = [
  '--enable-bulk-memory',
  '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int',
  '--enable-sign-ext',
  '--enable-reference-types',
];

/**
 * Two wasm builds: the client (what `@spike/sdk` loads, optimised for size, no server code) and the
 * server (`@spike/sdk/server`, with the `server` feature). Both go through wasm-bindgen's `web`
 * target without its default `new URL('*.wasm', import.meta.url)` fetch: each entry hands the
 * glue a compiled module itself (see js/shared/load.js), so no tool ever has to find a .wasm file.
 * wasm-opt: the client's also runs -Oz to a fixed point and drops the (unused) target_features
 * section, 0.3 KB gzip smaller (`npm run size` shows where the bytes go); `--low-memory-unused`
 * lets it fold constant offsets into loads, assuming no address below 1024 is used: Rust puts its
 * 1 MB stack at the bottom of memory (data starts at 1 MB), so that KB is reached only by a stack
 * about to overflow; 0.15 KB. `minifyNames`: see `minifyNames()`.
 */
export const FLAVOURS = [
  { name: 'client', features: [], profile: 'release-web', wasmOpt: ['-Oz', '--converge', '--strip-target-features', '--low-memory-unused'], minifyNames: true },
  { name: 'server', features: ['server'], profile: 'release', wasmOpt: ['-Oz'] },
];

/**
 * RUSTFLAGS for both wasm builds: a panic location in a dependency (dlmalloc's asserts) names
 * its source file by its path on the building machine (`~/.cargo/registry/src/index.crates.io-
 * <hash>/dlmalloc-0.2.14/src/dlmalloc.rs`), which lands in the wasm's data although a panic there
 * only traps. Remapped to `dlmalloc-0.2.14/src/...`: no builder's path in the package (the server
 * wasm's dependencies name theirs too), ~50 B gzip of the browser entry.
 */
function remapRegistryFlags() {
  // The sources first (a no-op once they are there): on a fresh machine the registry folder, and
  // so the prefix to remap, exists only once cargo has downloaded them.
  run('cargo', ['fetch', '--target', TARGET], { cwd: root });
  const registry = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'registry', 'src');
  const indexes = existsSync(registry) ? readdirSync(registry) : [];
  // CARGO_ENCODED_RUSTFLAGS (one flag per \x1f-separated field) keeps a home path with spaces
  // whole; it takes the place of RUSTFLAGS, whose flags are carried over.
  const given = process.env.CARGO_ENCODED_RUSTFLAGS?.split('\x1f') ?? process.env.RUSTFLAGS?.split(' ') ?? [];
  const flags = indexes.map((index) => `--remap-path-prefix=${join(registry, index)}/=`);
  return [...given, ...flags].filter(Boolean).join('\x1f');
}

/** `env`: the environment with the build's RUSTFLAGS (`remapRegistryFlags`, computed once). */
function cargoBuild(flavour, env) {
  const features = flavour.features.length ? ['--features', flavour.features.join(',')] : [];
  run('cargo', ['build', '--profile', flavour.profile, '--lib', '--target', TARGET, ...features], { cwd: root, env });
  const out = join(buildDir, 'wasm', `${flavour.name}.wasm`);
  mkdirSync(join(buildDir, 'wasm'), { recursive: true });
  copyFileSync(join(root, 'target', TARGET, flavour.profile, 'spike_sdk.wasm'), out);
  return out;
}

function bindgen(flavour, wasmFile) {
  const outDir = join(buildDir, flavour.name);
  rmSync(outDir, { recursive: true, force: true });
  writeFileSync(wasmFile, withoutFeature(readFileSync(wasmFile), 'multivalue'));
  run('wasm-bindgen', ['--target', 'web', '--omit-default-module-path', '--out-dir', outDir, '--out-name', 'spike_sdk', '--no-typescript', wasmFile]);
  const bg = join(outDir, 'spike_sdk_bg.wasm');
  const wasmOpt = join(root, 'node_modules', '.bin', 'wasm-opt');
  run(wasmOpt, [...flavour.wasmOpt, '--strip-debug', '--strip-producers', ...WASM_FEATURES, bg, '-o', bg]);
  if (flavour.minifyNames) minifyNames(wasmOpt, bg, outDir);
  return outDir;
}

/**
 * The wasm with `feature` marked disabled ('-') in its target_features section, which is where
 * wasm-bindgen looks to decide whether exports return several values at once. Rust enables
 * `multivalue` for wasm32, so every export returning a `Result` returned 2-4 values; V8's
 * generic JS-to-wasm wrapper (Node 20) takes one at most, so `new WebAssembly.Module` compiled a
 * TurboFan wrapper per such signature (7 in the client, 11 in the server build): ~2.3 ms of the
 * client's cold start. Without it wasm-bindgen returns them through a slot on the wasm stack
 * that the glue reads, which costs no measurable time per call (and ~0.12 KB gzip of glue).
 */
export function withoutFeature(bytes, feature) {
  const out = Buffer.from(bytes);
  const section = wasmSections(out).find((s) => s.name === 'custom "target_features"');
  if (section) {
    let [count, p] = leb(out, readName(out, section.start)[1]);
    for (; count > 0; count -= 1) {
      const prefix = p;
      const [name, next] = readName(out, p + 1);
      if (name === feature) {
        out[prefix] = 0x2d; // '-'
        return out;
      }
      p = next;
    }
  }
  // No such feature listed (or no section): wasm-bindgen takes it as off already.
  return out;
}

/**
 * wasm-bindgen names the wasm's imports after the JS functions with a hash
 * (`__wbg_get_34be1a2d933d35d6`) and its exports after the Rust ones (`spikecore_afterAnswer`);
 * the glue spells each name once more. Nobody but the glue sees them, so the browser build
 * shortens them to one or two letters in the wasm (wasm-opt's own pass, which prints the renaming)
 * and in the glue (`renameGlue`): ~1.5 KB gzip of the browser entry.
 */
function minifyNames(wasmOpt, wasmFile, outDir) {
  const result = spawnSync(wasmOpt, ['--minify-imports-and-exports-and-modules', ...WASM_FEATURES, wasmFile, '-o', wasmFile], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`wasm-opt --minify-imports-and-exports-and-modules failed: ${result.stderr}`);
  const { imports, exports } = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'), result.stdout.lastIndexOf('}') + 1));
  // The pass prints the new field names but not the new module name: read it from the wasm.
  const modules = new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmFile))).map((i) => i.module));
  if (modules.size !== 1) throw new Error(`minifyNames: expected one import module, got ${[...modules].join(', ')}`);
  writeFileSync(join(outDir, 'names.json'), JSON.stringify({ module: [...modules][0], imports, exports }));
}

/**
 * The glue with the wasm's shortened names (`minifyNames`): import keys of the object handed to
 * the instance (and the one module's key), and `wasm.<export>` accesses. Checks that every old name
 * is gone afterwards, so a glue of another shape fails the build instead of the first call.
 */
export function renameGlue(source, names) {
  const { module: newModule, imports, exports } = JSON.parse(names);
  const modules = new Set(imports.map(([module]) => module));
  if (modules.size !== 1) throw new Error(`renameGlue: expected one import module, got ${[...modules].join(', ')}`);
  const [[module]] = imports;
  const moduleKey = `"${module}": import0,`;
  if (!source.includes(moduleKey)) throw new Error(`renameGlue: no ${moduleKey} in the glue`);
  let out = source.replace(moduleKey, `"${newModule}": import0,`);
  for (const [, name, short] of imports) {
    const key = new RegExp(`^(\\s+)${name}:`, 'm');
    if (!key.test(out)) throw new Error(`renameGlue: import ${name} is not a key in the glue`);
    out = out.replace(key, `$1${short}:`);
  }
  for (const [name, short] of exports) out = out.replace(new RegExp(`\\bwasm\\.${name}\\b`, 'g'), `wasm.${short}`);
  for (const name of [...imports.map(([, n]) => n), ...exports.map(([n]) => n).filter((n) => n.length > 2)]) {
    if (new RegExp(`(wasm\\.|^\\s+)${name}\\b`, 'm').test(out)) throw new Error(`renameGlue: ${name} is still in the glue`);
  }
  return out;
}

/**
 * Two patches to wasm-bindgen's glue. It builds a TextDecoder and a TextEncoder at module scope;
 * jsdom (Jest) has neither, so every `new TextDecoder(`/`new TextEncoder(` goes through a function
 * that falls back to a small UTF-8 codec and importing never needs those globals. And its
 * `initSync` tells a compiled module from bytes by `instanceof`, which a module from another realm
 * fails (Next.js Edge); it checks the brand instead. (And one more, for the futures executor: below.)
 */
export function patchGlue(source) {
  const count = (re) => (source.match(re) ?? []).length;
  if (count(/new TextDecoder\(/g) === 0) throw new Error('wasm-bindgen glue: no TextDecoder found; check patchGlue against this wasm-bindgen');
  // Next.js compiles Edge wasm outside its Edge sandbox, so the module an entry imports comes from
  // another realm and fails `instanceof`; the glue would then try to compile it as bytes.
  const moduleCheck = 'if (!(module instanceof WebAssembly.Module)) {';
  if (!source.includes(moduleCheck)) throw new Error('wasm-bindgen glue: initSync has no module check; check patchGlue against this wasm-bindgen');
  // initSync's branch for its old calling convention (a bare module, with a console warning):
  // its one caller, js/shared/load.js, passes `{ module }` (~80 B gzip of the browser entry).
  const legacyInitSync = /if \(Object\.getPrototypeOf\(module\) === Object\.prototype\) \{\s*\(\{module\} = module\)\s*\} else \{\s*console\.warn\('using deprecated parameters for `initSync\(\)`; pass a single object instead'\)\s*\}/;
  if (!legacyInitSync.test(source)) throw new Error('wasm-bindgen glue: initSync has no legacy-parameters branch; check patchGlue against this wasm-bindgen');
  let out = source
    .replace(legacyInitSync, '({module} = module)')
    .replaceAll('new TextDecoder(', 'makeTextDecoder(')
    .replaceAll('new TextEncoder(', 'makeTextEncoder(')
    .replace(moduleCheck, 'if (!isWasmModule(module)) {')
    // The futures executor (server build) schedules through the global queueMicrotask, which test
    // tools fake (Jest's default fake timers): a faked one never runs the executor, and its
    // "scheduled" flag then stays set, hanging every later call. Promise jobs cannot be faked.
    .replace(/(__wbg_queueMicrotask_\w+: function\(arg0\) \{\s*)queueMicrotask\(arg0\);/g, '$1Promise.resolve().then(arg0);');
  if (/\bqueueMicrotask\(arg0\)/.test(out)) throw new Error('wasm-bindgen glue: a queueMicrotask call was not replaced; check patchGlue');
  // Imports with `catch` are `function() { return handleError(function (arg0, ...) {...}, arguments) }`:
  // a JS function of arity 0 for a wasm import with parameters. V8 (Node 20) compiles a wasm-to-JS
  // wrapper per signature ahead of time, assuming the arities match; a mismatch costs another
  // TurboFan wrapper per signature at instantiation (7 in the client: ~1 ms of cold start). The
  // outer function declares the inner one's parameters; it still passes `arguments` on.
  const catchImport = /^(\s+\w+: function)\(\) \{ return handleError\(function \(([^)]*)\) \{/gm;
  out = out.replace(catchImport, '$1($2) { return handleError(function ($2) {');
  if (/function\(\) \{ return handleError\(function \(arg/.test(out)) throw new Error('wasm-bindgen glue: a catch import kept arity 0; check patchGlue');
  // Strings into wasm: the glue copies the ASCII prefix with a JS loop, ~2.5 us for a 700-character
  // token (most of decodeToken's time in JS); the native encoder does it in ~0.2 us. Short strings
  // (header names, methods) keep the loop, which beats the native call's fixed cost; so does an
  // encoder without a native encodeInto (jsdom's fallback, polyfills such as fast-text-encoding),
  // where the glue's stand-in for it cannot stop at the end of a short buffer (a RangeError).
  const asciiLoop = /let offset = 0;\s*for \(; offset < len; offset\+\+\) \{/g;
  if ((out.match(asciiLoop) ?? []).length !== 1) throw new Error('wasm-bindgen glue: passStringToWasm0 has no single ASCII loop; check patchGlue');
  const patched = out.replace(asciiLoop, `let offset = 0;
    if (len > 64 && nativeEncodeInto) {
        const copied = cachedTextEncoder.encodeInto(arg, mem.subarray(ptr, ptr + len));
        if (copied.read === copied.written) offset = copied.read;
    }
    for (; offset < len; offset++) {`);
  return `${UTF8_FALLBACK}\n${MODULE_CHECK}\n${patched}`;
}

const MODULE_CHECK = `const isWasmModule = (m) => m instanceof WebAssembly.Module || Object.prototype.toString.call(m) === '[object WebAssembly.Module]';`;

const UTF8_FALLBACK = `// Used only where the runtime has no TextDecoder/TextEncoder (jsdom): UTF-8 by hand. Without
// encodeInto, wasm-bindgen's glue falls back to encode().
const utf8Fallback = {
  decode(bytes = new Uint8Array()) {
    let out = '';
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i++];
      let cp = b;
      if (b >= 0xf0) cp = ((b & 7) << 18) | ((bytes[i++] & 63) << 12) | ((bytes[i++] & 63) << 6) | (bytes[i++] & 63);
      else if (b >= 0xe0) cp = ((b & 15) << 12) | ((bytes[i++] & 63) << 6) | (bytes[i++] & 63);
      else if (b >= 0xc0) cp = ((b & 31) << 6) | (bytes[i++] & 63);
      out += String.fromCodePoint(cp);
    }
    return out;
  },
  encode(text = '') {
    const out = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0);
      if (cp < 0x80) out.push(cp);
      else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
      else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
      else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    }
    return Uint8Array.from(out);
  },
};
const makeTextDecoder = (...args) => {
  try {
    return new TextDecoder(...args);
  } catch {
    return utf8Fallback; // none, or a polyfill that refuses the options
  }
};
const makeTextEncoder = () => (typeof TextEncoder === 'undefined' ? utf8Fallback : new TextEncoder());
// Whether the encoder the glue makes below (at import) has an encodeInto of its own, which stops
// at the end of a short view; wasm-bindgen's stand-in for a missing one cannot.
const nativeEncodeInto = typeof TextEncoder === 'function' && typeof TextEncoder.prototype?.encodeInto === 'function';`;

/** The glue (patched) and the wasm as hex, as modules the entries import by `spike:` names. */
function stageGenerated(dirs) {
  const gen = join(buildDir, 'gen');
  rmSync(gen, { recursive: true, force: true });
  mkdirSync(gen, { recursive: true });
  for (const [name, dir] of Object.entries(dirs)) {
    let glue = readFileSync(join(dir, 'spike_sdk.js'), 'utf8');
    if (existsSync(join(dir, 'names.json'))) glue = renameGlue(glue, readFileSync(join(dir, 'names.json'), 'utf8'));
    writeFileSync(join(gen, `${name}-glue.js`), patchGlue(glue));
    // A placeholder: placeHex() puts the hex in after esbuild (see stagePackage's lineLimit).
    writeFileSync(join(gen, `${name}-hex.js`), `export default '${hexPlaceholder(name)}';\n`);
  }
  return gen;
}

const hexPlaceholder = (name) => `__SPIKE_${name.toUpperCase()}_WASM_HEX__`;

/**
 * Puts the wasm hex where esbuild left its placeholder, as a string literal on lines of its own.
 * esbuild's lineLimit would split the literal with line continuations (~1.8 KB gzip of the browser
 * entry: the breaks cut gzip's matches); one line of hex that no code shares costs nothing, and no
 * throw can point at it. The newlines around it are only whitespace: the token before must not be
 * one after which a line break ends the statement (`return`, `throw`, `yield`, ...).
 */
function placeHex(file) {
  let code = readFileSync(file, 'utf8');
  for (const name of ['client', 'server']) {
    const re = new RegExp(`(["'])${hexPlaceholder(name)}\\1`, 'g');
    const found = [...code.matchAll(re)];
    if (found.length === 0) continue;
    if (found.length !== 1) throw new Error(`placeHex: ${file} has the ${name} placeholder ${found.length} times`);
    const before = code.slice(0, found[0].index).trimEnd();
    if (!/[=(,:[?]$/.test(before)) throw new Error(`placeHex: ${file}: the ${name} hex follows ${JSON.stringify(before.slice(-20))}; a line break there may change the code`);
    const hex = readFileSync(join(buildDir, name, 'spike_sdk_bg.wasm')).toString('hex');
    code = code.replace(re, () => `\n"${hex}"\n`);
  }
  writeFileSync(file, code);
}

// esbuild is a dev dependency: imported only after ensureBuildTools() has run `npm ci`.
const loadEsbuild = () => import('esbuild');

/**
 * Modules every entry shares at run time (one SpikeError class, one driver): kept as files.
 * Imported by file name -> [dist name, source in js/].
 */
const SHARED = { 'error.js': ['error', 'shared/error.js'], 'driver.js': ['driver', 'client/driver.js'] };

/**
 * Resolves what the entries import: `spike:*` to the generated glue and hex (bundled in), the
 * shared modules and sibling entries to the staged file of the same format (kept external), and
 * the `.wasm` imports of the workerd/edge entries to the staged wasm (kept as written).
 */
function layoutPlugin(gen, ext) {
  return {
    name: 'spike-layout',
    setup(b) {
      // CommonJS keeps the hex in a file of its own: when ESM imports a CommonJS file, Node scans
      // its source for export names, and scanning 100 KB of hex cost ~8 ms of cold start.
      b.onResolve({ filter: /^spike:.*-hex$/ }, (args) => (ext === 'cjs' ? { path: `./${args.path.slice(6)}.cjs`, external: true } : undefined));
      b.onResolve({ filter: /^spike:/ }, (args) => ({ path: join(gen, `${args.path.slice(6)}.js`) }));
      b.onResolve({ filter: /\.wasm(\?module)?$|^node:/ }, (args) => ({ path: args.path, external: true }));
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const file = args.path.split('/').at(-1);
        if (SHARED[file]) return { path: `./${SHARED[file][0]}.${ext}`, external: true };
        if (args.importer.includes('/runtimes/') && args.path === '../default/index.js') return { path: `./index.${ext}`, external: true };
        return undefined;
      });
    },
  };
}

/**
 * esbuild options per output. CommonJS is built for platform node only so that esbuild writes its
 * `0 && (module.exports = { ... })` hint, from which Node finds the named exports of a CJS file
 * imported from ESM; the code itself stays runtime-neutral.
 */
const format = (ext) => (ext === 'mjs' ? { format: 'esm' } : { format: 'cjs', platform: 'node' });

async function stagePackage(gen) {
  const esbuild = await loadEsbuild();
  const dist = join(packageDir, 'dist');
  mkdirSync(dist, { recursive: true });
  // lineLimit: Node prints the whole source line of an uncaught error's throw site; one minified
  // line (holding the wasm hex) made that 170-940 KB of stderr. Short lines, and the hex literal on
  // a line of its own (placeHex), keep it to a line of code.
  const common = { bundle: true, target: 'es2022', platform: 'neutral', minify: true, keepNames: true, legalComments: 'none', logLevel: 'warning', charset: 'utf8', lineLimit: 200 };
  // [dist name, source in js/runtimes, formats]: one folder per runtime (ARCHITECTURE.md);
  // workerd/edge entries are ESM only (their tools import ESM).
  const entries = [
    ['index', 'default/index', ['mjs', 'cjs']],
    ['index.workerd', 'workerd/index', ['mjs']],
    ['index.edge', 'edge/index', ['mjs']],
    ['server', 'default/server', ['mjs', 'cjs']],
    ['server.node', 'node/server', ['mjs', 'cjs']],
    ['server.workerd', 'workerd/server', ['mjs']],
    ['server.edge', 'edge/server', ['mjs']],
    ['server.browser', 'browser/server', ['mjs', 'cjs']],
    ['testing.browser', 'browser/testing', ['mjs', 'cjs']],
  ];
  for (const [name, source, formats] of entries) {
    for (const ext of formats) {
      await esbuild.build({
        ...common,
        entryPoints: [join(root, 'js/runtimes', `${source}.js`)],
        outfile: join(dist, `${name}.${ext}`),
        ...format(ext),
        // The client entries hold wasm-bindgen's glue, whose internal functions nobody sees by
        // name (a stack trace through minified code is no clearer with them): keeping their names
        // cost ~0.6 KB gzip of the browser entry. Their public names are object keys and
        // classes from driver.mjs/error.mjs, which keep theirs.
        keepNames: !name.startsWith('index'),
        plugins: [layoutPlugin(gen, ext)],
      });
      placeHex(join(dist, `${name}.${ext}`));
    }
  }
  for (const [name, source] of Object.values(SHARED)) {
    for (const ext of ['mjs', 'cjs']) {
      // The driver's one public name is the SpikeClient class, which names itself
      // (`Object.defineProperty`); keepNames would wrap each of its ~70 functions and arrows in a
      // name-setting call (~0.2 KB gzip of the browser entry). SpikeError keeps keepNames.
      const keepNames = name !== 'driver';
      await esbuild.build({ ...common, keepNames, entryPoints: [join(root, 'js', source)], outfile: join(dist, `${name}.${ext}`), ...format(ext), plugins: [layoutPlugin(gen, ext)] });
    }
  }
  for (const name of ['client', 'server']) {
    copyFileSync(join(buildDir, name, 'spike_sdk_bg.wasm'), join(dist, `${name}.wasm`));
    const hex = readFileSync(join(buildDir, name, 'spike_sdk_bg.wasm')).toString('hex');
    writeFileSync(join(dist, `${name}-hex.cjs`), `'use strict';\nmodule.exports = '${hex}';\n`);
  }
  // The emulator is plain Node CommonJS, shipped as written.
  cpSync(join(root, 'js/testing.cjs'), join(dist, 'testing.cjs'));
  cpSync(join(root, 'js/testing'), join(dist, 'testing'), { recursive: true });
  cpSync(join(root, 'js/bin'), join(dist, 'bin'), { recursive: true });
  // The emulator's ESM face: the CommonJS emulator, with the ESM SpikeError class beside it.
  writeFileSync(join(dist, 'testing.mjs'), "import cjs from './testing.cjs';\n\nexport const { startEmulator } = cjs;\nexport { SpikeError } from './error.mjs';\n");
}

function stageTypes() {
  const out = join(packageDir, 'types');
  mkdirSync(out, { recursive: true });
  for (const entry of ['index', 'server', 'testing']) {
    const dts = readFileSync(join(root, 'js/types', `${entry}.d.ts`), 'utf8');
    writeFileSync(join(out, `${entry}.d.ts`), dts);
    // TypeScript reads .d.cts as CommonJS types; their relative imports must name .cjs files.
    writeFileSync(join(out, `${entry}.d.cts`), dts.replaceAll("from './index.js'", "from './index.cjs'"));
  }
}

/**
 * TypeScript's `node10` resolution and pre-`exports` tools ignore the `exports` map; for them each
 * subpath is a folder whose package.json names the CommonJS build and its types.
 */
function stageLegacySubpaths() {
  for (const [name, main] of [['server', 'server.node.cjs'], ['testing', 'testing.cjs']]) {
    mkdirSync(join(packageDir, name), { recursive: true });
    const manifest = { main: `../dist/${main}`, types: `../types/${name}.d.cts` };
    writeFileSync(join(packageDir, name, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }
}

function stageMetadata() {
  for (const file of ['package.json', 'LICENSE']) {
    copyFileSync(join(root, 'pkg-template', file), join(packageDir, file));
  }
  // npm shows the project README itself, whose every example tests/docs runs: no second text to drift.
  copyFileSync(join(root, 'README.md'), join(packageDir, 'README.md'));
}

export async function build() {
  ensureBuildTools();
  rmSync(packageDir, { recursive: true, force: true });
  const dirs = {};
  // Both wasm builds (their profiles, release-web and release for wasm32, are theirs alone, so the
  // flags never make cargo rebuild the native tests).
  const env = { ...process.env, CARGO_ENCODED_RUSTFLAGS: remapRegistryFlags() };
  for (const flavour of FLAVOURS) {
    step(`Building the ${flavour.name} wasm (${flavour.features.length ? flavour.features.join(',') : 'no extra features'})`);
    dirs[flavour.name] = bindgen(flavour, cargoBuild(flavour, env));
  }
  step('Staging build/package');
  await stagePackage(stageGenerated(dirs));
  stageTypes();
  stageLegacySubpaths();
  stageMetadata();
  console.log(`Built ${packageDir}`);
}

/** Newest modification time of the files under `paths` (relative to the repository root). */
export function newestFile(paths) {
  let newest = 0;
  const visit = (path) => {
    const st = statSync(path);
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const path of paths) visit(join(root, path));
  return newest;
}

/** Newest modification time of the files a build reads. */
const newestSource = () => newestFile(['src', 'crates', 'js', 'pkg-template', 'README.md', 'Cargo.toml', 'Cargo.lock', 'scripts/build.mjs']);

/** Builds only when build/package is missing or older than a source (for `npm run demo`). */
export async function buildIfStale() {
  const marker = join(packageDir, 'package.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= newestSource()) return;
  await build();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await build();
}
