// Row 6a's floor (not part of `npm run bench`): what any wasm costs a Node cold start, measured
// the way row 6a measures the SDK. Each contender is an ES module shaped like our entry (the wasm
// as hex in the JS, compiled with `new WebAssembly.Module` and instantiated on the first call, no
// top-level await), imported in a fresh process and called once:
//   empty          an ES module with one function: what the ESM loader costs by itself
//   wasm           + a hand-written 45-byte wasm with one exported function and no imports
//   wasm+imports   + the client wasm's function imports (count and signatures read from
//                  build/package/dist/client.wasm), each a JS function of matching arity
//   wasm+imports/1 the same number of imports, all of one signature
// beside jwt-decode and @spike/sdk (build/package/dist/index.mjs), and @spike/sdk with a wasm cut
// down to `decodeToken` and `isTokenExpired` (the shipped wasm with every other public export
// removed and re-optimised, as `npm run size` makes its groups: scripts/size.mjs), the same entry
// otherwise: what the decode path alone would cost; and that cut entry bundled into one file. Interleaved rounds, medians
// of wall time and of process CPU (all threads: V8 compiles wrappers in the background) from just
// before `import()` to just after the first call.
//   node bench/cold-floor.mjs [rounds=21]
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageDir, root } from '../scripts/lib/paths.mjs';
import { wasmFunctionTypes } from '../scripts/lib/wasm-types.mjs';
import { exportGroupBinaries, wasmHex } from '../scripts/size.mjs';
import { interleave, median } from './lib/measure.mjs';

const rounds = Number(process.argv[2] ?? 21);
const TOKEN = [{ alg: 'RS256', typ: 'JWT' }, { sub: 't:u', user_id: 'u', iat: 1795454562, exp: 1795458162 }]
  .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
  .concat('c2ln')
  .join('.');

// The few pieces of the wasm binary format the contenders need.
const leb = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const name = (s) => [...leb(s.length), ...Buffer.from(s)];
const vec = (items) => [...leb(items.length), ...items.flat()];
const section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];
const I32 = 0x7f;

/** A module importing functions of `signatures` ([params, results] of value-type bytes) as
 * a.i0, a.i1...; it exports `f(i32) -> i32`, which returns its argument plus one. */
function wasmWith(signatures) {
  const types = [];
  const typeOf = (sig) => {
    const key = JSON.stringify(sig);
    let i = types.findIndex((t) => JSON.stringify(t) === key);
    if (i < 0) i = types.push(sig) - 1;
    return i;
  };
  const imports = signatures.map(typeOf);
  const f = typeOf([[I32], [I32]]);
  const body = [0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b]; // no locals; local.get 0; i32.const 1; i32.add; end
  return Buffer.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types.map(([params, results]) => [0x60, ...vec(params.map((t) => [t])), ...vec(results.map((t) => [t]))]))),
    ...(imports.length ? section(2, vec(imports.map((t, i) => [...name('a'), ...name(`i${i}`), 0x00, ...leb(t)]))) : []),
    ...section(3, vec([leb(f)])),
    ...section(7, vec([[...name('f'), 0x00, ...leb(imports.length)]])),
    ...section(10, vec([[...leb(body.length), ...body]])),
  ]);
}

const EXTERNREF = 0x6f;
const jsFunction = ([params, results]) => {
  const args = params.map((_, i) => `a${i}`);
  const value = results.length === 0 ? '' : results[0] === EXTERNREF ? 'null' : '0';
  return `function (${args.join(', ')}) { return ${value || 'undefined'}; }`;
};
const entry = (bytes, signatures) => `const hex = '${bytes.toString('hex')}';
const imports = { a: { ${signatures.map((sig, i) => `i${i}: ${jsFunction(sig)}`).join(',\n')} } };
let instance;
export function decode(token) {
  instance ??= new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(hex, 'hex')), imports);
  return instance.exports.f(token.length);
}
`;

const dir = join(tmpdir(), 'spike-cold-floor');
mkdirSync(dir, { recursive: true });
const ours = wasmFunctionTypes(readFileSync(join(packageDir, 'dist', 'client.wasm'))).imports.map(({ type }) => [type.params, type.results]);
const oneSignature = ours.map(() => [[I32], [I32]]);
const files = {
  empty: 'export function decode(token) { return token.length; }\n',
  wasm: entry(wasmWith([]), []),
  'wasm+imports': entry(wasmWith(ours), ours),
  'wasm+imports/1': entry(wasmWith(oneSignature), oneSignature),
};
const contenders = {
  'jwt-decode': [pathToFileURL(join(root, 'node_modules', 'jwt-decode', 'build', 'esm', 'index.js')).href, 'jwtDecode'],
};
for (const [label, source] of Object.entries(files)) {
  const file = join(dir, `${label.replace(/\W/g, '_')}.mjs`);
  writeFileSync(file, source);
  contenders[label] = [pathToFileURL(file).href, 'decode'];
}
contenders['@spike/sdk'] = [pathToFileURL(join(packageDir, 'dist', 'index.mjs')).href, 'decodeToken'];
// The same package with the decode group's wasm in its entry instead of the whole client wasm.
const decodeOnly = (await exportGroupBinaries()).find(({ group }) => group === 'decodeToken + isTokenExpired').binary;
const cut = join(dir, 'decode-only');
rmSync(cut, { recursive: true, force: true });
cpSync(join(packageDir, 'dist'), cut, { recursive: true });
const entryFile = join(cut, 'index.mjs');
const shipped = wasmHex(entryFile);
writeFileSync(entryFile, readFileSync(entryFile, 'utf8').replace(shipped, decodeOnly.toString('hex')));
contenders['@spike/sdk, decode wasm only'] = [pathToFileURL(entryFile).href, 'decodeToken'];
// That entry with its two modules (driver.mjs, error.mjs) bundled into one minified file by
// esbuild: the decode-only wasm and the entry's JS at their least together. (Tree shaking down to
// `decodeToken` keeps the same code: the entry's module-level code uses the driver and the error
// class.)
const oneFile = join(cut, 'one-file.mjs');
const { build: esbuild } = await import('esbuild');
await esbuild({ entryPoints: [entryFile], bundle: true, minify: true, format: 'esm', platform: 'node', outfile: oneFile, logLevel: 'error' });
contenders['@spike/sdk, decode wasm only, one file'] = [pathToFileURL(oneFile).href, 'decodeToken'];

function coldStart([url, fn]) {
  const script = `const c0 = process.cpuUsage(); const t0 = performance.now(); const m = await import(${JSON.stringify(url)}); m.${fn}(${JSON.stringify(TOKEN)}); const t = performance.now() - t0; const c = process.cpuUsage(c0); console.log(JSON.stringify([t, (c.user + c.system) / 1000]));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

const results = await interleave(contenders, rounds, (spec) => coldStart(spec));
const wall = (label) => median(results[label].map(([t]) => t));
const cpu = (label) => median(results[label].map(([, c]) => c));
const distinct = new Set(ours.map((sig) => JSON.stringify(sig))).size;
console.log(`Node ${process.version}, ${rounds} interleaved rounds, medians; client wasm: ${ours.length} function imports, ${distinct} distinct signatures`);
console.log(`| contender | wall ms | x jwt-decode | process CPU ms | x jwt-decode |\n|---|---:|---:|---:|---:|`);
for (const label of Object.keys(contenders)) {
  const row = [label, wall(label).toFixed(1), (wall(label) / wall('jwt-decode')).toFixed(2), cpu(label).toFixed(1), (cpu(label) / cpu('jwt-decode')).toFixed(2)];
  console.log(`| ${row.join(' | ')} |`);
}
