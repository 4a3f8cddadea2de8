// Installs what the build and tests need, skipping what is already there, so that `npm test`,
// `npm run demo` and `npm run package` work on a fresh machine with nothing but Rust and Node.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { capture, run, step } from './lib/run.mjs';
import { root, wasmBindgenVersion } from './lib/paths.mjs';

export function ensureNpmDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  step('Installing npm dev dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root });
}

export function ensureRustWasmTarget() {
  const installed = capture('rustup', ['target', 'list', '--installed']) ?? '';
  if (installed.split('\n').includes('wasm32-unknown-unknown')) return;
  step('Adding the wasm32-unknown-unknown Rust target');
  run('rustup', ['target', 'add', 'wasm32-unknown-unknown']);
}

/** clippy and rustfmt, which `npm test` runs before anything else (a minimal rustup profile lacks them). */
export function ensureRustLintComponents() {
  const installed = (capture('rustup', ['component', 'list', '--installed']) ?? '').split('\n').map((line) => line.split('-')[0]);
  const missing = ['clippy', 'rustfmt'].filter((name) => !installed.includes(name));
  if (!missing.length) return;
  step(`Adding the Rust components ${missing.join(' and ')}`);
  run('rustup', ['component', 'add', ...missing]);
}

export function ensureWasmBindgenCli() {
  const version = capture('wasm-bindgen', ['--version']);
  if (version === `wasm-bindgen ${wasmBindgenVersion}`) return;
  step(`Installing wasm-bindgen-cli ${wasmBindgenVersion} (found: ${version ?? 'none'}; takes ~7 minutes once)`);
  // Without --locked: a locked dependency version can be missing from the registry mirror.
  run('cargo', ['install', 'wasm-bindgen-cli', '--version', wasmBindgenVersion, '--force']);
}

export function ensureChromium() {
  if (existsSync('/usr/bin/chromium') && existsSync('/usr/bin/chromedriver')) return;
  step('Installing Debian chromium and chromium-driver (headless browser tests)');
  const [cmd, prefix] = process.getuid?.() === 0 ? ['apt-get', []] : ['sudo', ['apt-get']];
  const apt = (...args) => run(cmd, [...prefix, ...args], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  apt('update');
  apt('install', '-y', '--no-install-recommends', 'chromium', 'chromium-driver');
}

/** Everything `npm run build` needs. */
export function ensureBuildTools() {
  ensureNpmDependencies();
  ensureRustWasmTarget();
  ensureWasmBindgenCli();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureBuildTools();
  ensureRustLintComponents();
  ensureChromium();
}
