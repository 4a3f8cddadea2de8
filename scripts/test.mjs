// `npm test`: the whole suite, installing what it needs first. Order: fast native Rust tests,
// the wasm layer in Node and in headless Chromium, then the JS, browser and packaging tests
// against a fresh build. The node test runner's summary is the last thing printed.
import { join } from 'node:path';
import { run, step } from './lib/run.mjs';
import { root } from './lib/paths.mjs';
import { ensureBuildTools, ensureChromium, ensureRustLintComponents } from './setup.mjs';
import { build } from './build.mjs';

ensureBuildTools();
ensureRustLintComponents();
ensureChromium();

// The SDK defaults baseUrl/apiKey to these in Node; a shell that ran `eval "$(npx spike-emulator
// --detach)"` must not change what the suite tests (each test sets them where it means to).
delete process.env.SPIKE_API_URL;
delete process.env.SPIKE_API_KEY;

step('Rust: rustfmt (rustfmt.toml) on the workspace (the crate, crates/jwt) and the fuzz crate');
run('cargo', ['fmt', '--check'], { cwd: root });
run('cargo', ['fmt', '--check'], { cwd: join(root, 'fuzz') });

step('Rust: clippy (no unwrap/expect/panic/indexing in library code), native and wasm');
run('cargo', ['clippy', '--workspace', '--all-targets', '--all-features', '--', '-D', 'warnings'], { cwd: root });
run('cargo', ['clippy', '--workspace', '--lib', '--all-features', '--target', 'wasm32-unknown-unknown', '--', '-D', 'warnings'], { cwd: root });

step('Rust: native unit tests (the crate and crates/jwt)');
run('cargo', ['test', '--workspace', '--all-features'], { cwd: root });

const wasmTestEnv = { ...process.env, CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: 'wasm-bindgen-test-runner' };
const wasmTest = ['test', '--all-features', '--target', 'wasm32-unknown-unknown', '--test', 'wasm'];
step('Rust: wasm-bindgen tests in Node');
run('cargo', wasmTest, { cwd: root, env: wasmTestEnv });
step('Rust: wasm-bindgen tests in headless Chromium');
run('cargo', wasmTest, {
  cwd: root,
  env: { ...wasmTestEnv, WASM_BINDGEN_USE_BROWSER: '1', CHROMEDRIVER: '/usr/bin/chromedriver' },
});

await build();

step('JS: Node, README blocks, types (tsc strict), headless Chromium, packaging, demo and ecosystem tests (every runtime and build tool, from the packed tarball)');
const suites = ['tests/js', 'tests/docs', 'tests/types', 'tests/browser', 'tests/packaging', 'tests/demo', 'tests/bench', 'tests/ecosystem'].map((dir) => join(root, dir));
run(process.execPath, ['--test', '--test-timeout=300000', ...suites], { cwd: root });
