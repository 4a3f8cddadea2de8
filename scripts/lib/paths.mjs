// Where things live. Everything generated goes under build/ (staging) or dist/ (tarballs).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const buildDir = join(root, 'build');
/** The staged npm package: exactly what `npm pack` publishes. */
export const packageDir = join(buildDir, 'package');
export const distDir = join(root, 'dist');

const cargoToml = readFileSync(join(root, 'Cargo.toml'), 'utf8');
/** wasm-bindgen CLI and crate must match exactly; Cargo.toml is the one place the version lives. */
export const wasmBindgenVersion = /^wasm-bindgen = (?:\{ version = )?"=([^"]+)"/m.exec(cargoToml)?.[1];
if (!wasmBindgenVersion) throw new Error('Cargo.toml must pin wasm-bindgen to an exact version (=0.2.x)');

export const packageVersion = JSON.parse(readFileSync(join(root, 'pkg-template', 'package.json'), 'utf8')).version;
