// One build: cargo once per feature set, wasm-bindgen once per JS target, wasm-opt, then the JS
// glue, into build/package/ (exactly what is published). See README "Hacking" for the layout.
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { run, step } from './lib/run.mjs';
import { buildDir, packageDir, root } from './lib/paths.mjs';
import { ensureBuildTools } from './setup.mjs';

const TARGET = 'wasm32-unknown-unknown';
// Features Rust enables by default for wasm32 today; wasm-opt must be allowed to keep them.
export const WASM_FEATURES = [
  '--enable-bulk-memory',
  '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int',
  '--enable-sign-ext',
  '--enable-reference-types',
  '--enable-multivalue',
];

/** Both builds: the browser one without Node-only helpers, the Node one with them. */
/** (Each with its own cargo profile, see Cargo.toml: the browser one optimises for size.) */
/** wasm-opt passes: the browser one also runs -Oz to a fixed point and drops the (unused) */
/** target_features section, 0.3 KB gzip smaller (see `npm run size` for where bytes go). */
export const FLAVOURS = [
  { name: 'web', features: [], bindgenTarget: 'web', profile: 'release-web', wasmOpt: ['-Oz', '--converge', '--strip-target-features'] },
  { name: 'node', features: ['server'], bindgenTarget: 'nodejs', profile: 'release', wasmOpt: ['-Oz'] },
];

function cargoBuild(flavour) {
  const features = flavour.features.length ? ['--features', flavour.features.join(',')] : [];
  run('cargo', ['build', '--profile', flavour.profile, '--lib', '--target', TARGET, ...features], { cwd: root });
  const out = join(buildDir, 'wasm', `${flavour.name}.wasm`);
  mkdirSync(join(buildDir, 'wasm'), { recursive: true });
  copyFileSync(join(root, 'target', TARGET, flavour.profile, 'spike_sdk.wasm'), out);
  return out;
}

function bindgen(flavour, wasmFile) {
  const outDir = join(buildDir, flavour.name);
  rmSync(outDir, { recursive: true, force: true });
  run('wasm-bindgen', ['--target', flavour.bindgenTarget, '--out-dir', outDir, '--out-name', 'spike_sdk', '--no-typescript', wasmFile]);
  const bg = join(outDir, 'spike_sdk_bg.wasm');
  const wasmOpt = join(root, 'node_modules', '.bin', 'wasm-opt');
  run(wasmOpt, [...flavour.wasmOpt, '--strip-debug', '--strip-producers', ...WASM_FEATURES, bg, '-o', bg]);
  return outDir;
}

// esbuild is a dev dependency: imported only after ensureBuildTools() has run `npm ci`.
const loadEsbuild = () => import('esbuild');

async function stageBrowser(webDir) {
  const esbuild = await loadEsbuild();
  const out = join(packageDir, 'browser');
  mkdirSync(out, { recursive: true });
  // Bundled and minified so a page without a bundler loads one JS file and one .wasm; the wasm is
  // found through `new URL('spike_sdk_bg.wasm', import.meta.url)`, which esbuild leaves intact, so
  // the glue must stay in index.js (next to the wasm), never in a chunk elsewhere.
  const common = { bundle: true, format: 'esm', target: 'es2022', minify: true, keepNames: true, legalComments: 'none', logLevel: 'warning' };
  await esbuild.build({ ...common, entryPoints: [join(root, 'js/browser/index.js')], outdir: out });
  // The server/testing stubs import SpikeError from ./index.js at run time (kept external), so a
  // page has one SpikeError class whichever entry it imported.
  await esbuild.build({
    ...common,
    entryPoints: [join(root, 'js/browser/server.js'), join(root, 'js/browser/testing.js')],
    outdir: out,
    external: ['./index.js'],
  });
  copyFileSync(join(webDir, 'spike_sdk_bg.wasm'), join(out, 'spike_sdk_bg.wasm'));
}

async function stageNode(nodeDir) {
  const esbuild = await loadEsbuild();
  const out = join(packageDir, 'node');
  mkdirSync(out, { recursive: true });
  // The package is "type": "module", so CommonJS files must end in .cjs.
  copyFileSync(join(nodeDir, 'spike_sdk.js'), join(out, 'spike_sdk.cjs'));
  copyFileSync(join(nodeDir, 'spike_sdk_bg.wasm'), join(out, 'spike_sdk_bg.wasm'));
  // The shared ESM sources (the error class, the client driver) as CommonJS for the Node build.
  for (const name of ['error', 'client']) {
    const source = readFileSync(join(root, 'js', `${name}.js`), 'utf8');
    const cjs = await esbuild.transform(source, { format: 'cjs', target: 'node18', keepNames: true });
    writeFileSync(join(out, `${name}.cjs`), cjs.code);
  }
  cpSync(join(root, 'js/node'), out, { recursive: true });
  // ESM entries re-export the CJS ones, so `import` and `require` share one wasm instance and
  // one SpikeError class (no dual-package hazard). Names are read from the built CJS module.
  const require = createRequire(join(out, 'index.cjs'));
  for (const entry of ['index', 'server', 'testing']) {
    const names = Object.keys(require(join(out, `${entry}.cjs`)));
    const body = `import cjs from './${entry}.cjs';\n\nexport const { ${names.join(', ')} } = cjs;\n`;
    writeFileSync(join(out, `${entry}.mjs`), body);
  }
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

function stageMetadata() {
  for (const file of ['package.json', 'README.md', 'LICENSE']) {
    copyFileSync(join(root, 'pkg-template', file), join(packageDir, file));
  }
}

export async function build() {
  ensureBuildTools();
  rmSync(packageDir, { recursive: true, force: true });
  const dirs = {};
  for (const flavour of FLAVOURS) {
    step(`Building the ${flavour.name} wasm (${flavour.features.length ? flavour.features.join(',') : 'no extra features'})`);
    dirs[flavour.name] = bindgen(flavour, cargoBuild(flavour));
  }
  step('Staging build/package');
  await stageBrowser(dirs.web);
  await stageNode(dirs.node);
  stageTypes();
  stageMetadata();
  console.log(`Built ${packageDir}`);
}

/** Newest modification time of the files a build reads. */
function newestSource() {
  let newest = 0;
  const visit = (path) => {
    const st = statSync(path);
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const path of ['src', 'js', 'pkg-template', 'Cargo.toml', 'Cargo.lock', 'scripts/build.mjs']) visit(join(root, path));
  return newest;
}

/** Builds only when build/package is missing or older than a source (for `npm run demo`). */
export async function buildIfStale() {
  const marker = join(packageDir, 'package.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= newestSource()) return;
  await build();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await build();
}
