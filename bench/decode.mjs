// Row 3: decodeToken against jwt-decode and jose's decodeJwt on a real emulator token, with
// Buffer + JSON.parse (no validation at all) as the native floor.
import { jwtDecode } from 'jwt-decode';
import { decodeJwt } from 'jose';
import { decodeToken } from '../build/package/dist/index.mjs';
import { startEmulator } from '../build/package/dist/testing.mjs';
import { compareSync } from './lib/measure.mjs';

export async function decodeRows({ smoke }) {
  const emu = await startEmulator();
  const { token } = emu.issueToken({ userId: 'bench_user', scopes: ['workspaces:read', 'workspaces:write'] });
  await emu.close();
  const ns = await compareSync(
    {
      sdk: () => decodeToken(token),
      'jwt-decode': () => jwtDecode(token),
      'jose decodeJwt': () => decodeJwt(token),
      'Buffer + JSON.parse': () => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')),
    },
    { rounds: smoke ? 2 : 10, sliceMs: smoke ? 10 : 250 },
  );
  const ops = Object.fromEntries(Object.entries(ns).map(([k, v]) => [k, 1e9 / v]));
  const { sdk, ...peers } = ops;
  const ratio = sdk / ops['jwt-decode'];
  const vsJose = sdk / ops['jose decodeJwt'];
  const show = (x) => `${(x / 1e6).toFixed(2)} M/s`;
  return [
    {
      id: '3', measure: `decodeToken (${token.length}-char token), ops/s`, unit: 'ops/s', sdk, peers,
      show, ratio, ratioOf: 'jwt-decode', goal: '>= 3x', met: ratio >= 3,
    },
    {
      // The same figures against jose, which checks the same shape but not the header, the time
      // claims' types or repeated claims (bench/README.md, row 3).
      id: '3b', measure: 'decodeToken against jose `decodeJwt`, ops/s', unit: 'ops/s', sdk, peers: { 'jose decodeJwt': ops['jose decodeJwt'], 'Buffer + JSON.parse': ops['Buffer + JSON.parse'] },
      show, ratio: vsJose, ratioOf: 'jose', goal: '>= 1x (faster than jose)', met: vsJose >= 1,
      note: vsJose >= 1 ? undefined : `${(1 / vsJose).toFixed(1)}x slower: the Rust checks in the size-optimised wasm and the wasm-bindgen boundary (the call and the hand-off to JSON.parse through it ~4.1 us of jose's ~5.5; the same hand-off in JS alone 2.7 us); the whole wasm built for speed (opt-level 3, +14-16 KB raw) measured 1.18-1.24x jose's time (node bench/decode-floor.mjs, not in this run); not done, and within reach: the same checks behind a raw export (no glue), with a fast path for JSON strings without escapes and base64url four characters at a time, took 0.99x jose's time at opt-level 3 and 1.09x at opt-level z in a reviewer's harness, not committed (bench/README.md, row 3): it needs the decoder in a crate of its own at opt-level 3 and a boundary of its own; tried: the token copied in with encodeInto, base64url into a buffer sized up front, core's UTF-8 validator, the JSON validator's primitives inlined, one scan per part; measured and not adopted: returning the payload text to parse in JS (0.2-0.4 us less, a bigger wasm)`,
    },
  ];
}
