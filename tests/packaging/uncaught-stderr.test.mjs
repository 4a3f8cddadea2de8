// Issue 22 review F1: Node prints the source line of an uncaught error's throw site. The bundles
// were one minified line holding the wasm as hex, so an uncaught SpikeError printed 170-940 KB of
// stderr. Every staged bundle keeps its lines short, the hex on lines of its own; an uncaught error
// from the client and the server entries (ESM and CommonJS) prints a short stderr that still says
// what went wrong.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { packageDir } from '../../scripts/lib/paths.mjs';

const MAX_STDERR = 4096;
let dir;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'spike-uncaught-'));
  mkdirSync(join(dir, 'node_modules', '@spike'), { recursive: true });
  symlinkSync(packageDir, join(dir, 'node_modules', '@spike', 'sdk'), 'dir');
});
after(() => rmSync(dir, { recursive: true, force: true }));

function runUncaught(file, source) {
  writeFileSync(join(dir, file), source);
  return spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', env: { ...process.env, SPIKE_API_URL: '', SPIKE_API_KEY: '' } });
}

const CASES = [
  ['client entry, ESM', 'client.mjs', "import { SpikeClient } from '@spike/sdk';\nnew SpikeClient({});\n", 'SpikeClient needs one token source', 'invalid_options'],
  ['client entry, CommonJS', 'client.cjs', "const { SpikeClient } = require('@spike/sdk');\nnew SpikeClient({});\n", 'SpikeClient needs one token source', 'invalid_options'],
  ['server entry, ESM', 'server.mjs', "import { signUserId } from '@spike/sdk/server';\nsignUserId('', 'user-42');\n", 'hmacKey', 'invalid_options'],
  ['server entry, CommonJS', 'server.cjs', "const { signUserId } = require('@spike/sdk/server');\nsignUserId('', 'user-42');\n", 'hmacKey', 'invalid_options'],
];

for (const [name, file, source, message, code] of CASES) {
  test(`an uncaught SpikeError from the ${name} prints a short stderr with its message and code`, () => {
    const result = runUncaught(file, source);
    assert.notEqual(result.status, 0, 'the process fails');
    assert.match(result.stderr, /SpikeError/);
    assert.ok(result.stderr.includes(message), `stderr names the problem (${message}): ${result.stderr.slice(0, 2000)}`);
    assert.ok(result.stderr.includes(`code: '${code}'`), `stderr carries the code ${code}`);
    assert.ok(result.stderr.length < MAX_STDERR, `stderr is ${result.stderr.length} characters (limit ${MAX_STDERR})`);
    assert.doesNotMatch(result.stderr, /[0-9a-f]{200}/, 'no wasm hex in stderr');
  });
}

test('every staged bundle has short lines, but for the wasm hex on lines of its own', () => {
  const distDir = join(packageDir, 'dist');
  const files = readdirSync(distDir).filter((f) => /\.(mjs|cjs)$/.test(f));
  assert.ok(files.includes('index.mjs') && files.includes('server.node.cjs') && files.includes('index.workerd.mjs') && files.includes('server.edge.mjs'));
  let hexLines = 0;
  for (const file of files) {
    readFileSync(join(distDir, file), 'utf8').split('\n').forEach((line, i) => {
      if (line.length <= 1000) return;
      // The hex alone (ESM bundles), or the whole of a CommonJS hex module's export line.
      assert.match(line, /^(module\.exports = '[0-9a-f]+';|"[0-9a-f]+")$/, `${file}:${i + 1} is ${line.length} characters and not a bare hex literal: ${line.slice(0, 120)}`);
      hexLines += 1;
    });
  }
  // index.mjs, server.mjs, server.node.mjs and the two CommonJS hex modules.
  assert.equal(hexLines, 5);
});
