// A smoke run of `npm run bench` (tiny counts) so the benchmarks cannot rot: every row is
// produced with real figures, and the two rows whose goal is a count (refresh storms) hold.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { root } from '../../scripts/lib/paths.mjs';

const ROWS = ['1a', '1b', '1c', '2a', '2b', '2c', '3', '3b', '4a', '4b', '5a', '5b', '6a', '6b', '7a', '7b'];

test('npm run bench -- --smoke prints every row and writes its results', () => {
  const table = execFileSync(process.execPath, [join(root, 'bench', 'run.mjs'), '--smoke'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  for (const id of ROWS) assert.match(table, new RegExp(`^\\| ${id} \\|`, 'm'), `row ${id} in the table`);
  const results = JSON.parse(readFileSync(join(root, 'tests', 'artifacts', 'bench-smoke.json'), 'utf8'));
  assert.equal(results.smoke, true);
  assert.deepEqual(results.rows.map((r) => r.id), ROWS);
  for (const row of results.rows) {
    assert.ok(Number.isFinite(row.sdk) && row.sdk > 0, `${row.id}: the SDK figure is a positive number (${row.sdk})`);
    for (const [peer, value] of Object.entries(row.peers)) assert.ok(Number.isFinite(value) && value > 0, `${row.id}: ${peer} is a positive number`);
  }
  for (const row of results.rows.filter((r) => ['1a', '1b', '1c'].includes(r.id))) {
    assert.deepEqual(Object.keys(row.peers), ['raw fetch', 'raw fetch + timeout signal', 'ky', 'floor: the core + timeout signal'], `${row.id}: its peers, from the same run`);
  }
  for (const row of results.rows.filter((r) => ['2b', '2c'].includes(r.id))) {
    assert.deepEqual(
      Object.keys(row.peers),
      ['the stub fetch alone', 'floor: the core + timeout signal', 'the SDK, stub as the fetch option'],
      `${row.id}: the stub, the floor and the fetch-option path, in memory`,
    );
  }
  // The goals missed in the full runs say, in the row, by how much, what was tried and why the
  // rest is out of reach (other rows can miss in a smoke run's tiny counts: no note asked there;
  // 3b, met in the full runs, can too, and then says by how much and what it does).
  for (const row of results.rows.filter((r) => r.met === false && ['1a', '1c', '3b', '6a', '7a'].includes(r.id))) {
    assert.equal(typeof row.note, 'string', `${row.id}: a missed row carries a note`);
    if (['1a', '1c', '6a'].includes(row.id)) assert.match(row.note, /tried/, `${row.id}: what was tried`);
    // 6a's verdict is computed from the run's split, which a one-round smoke run cannot settle.
    if (row.id === '7a') assert.match(row.note, /not reachable/, '7a: why the rest is out of reach');
    if (row.id === '3b') assert.match(row.note, /^[\d.]+x jose's time in this run \(met in the full bench .*\): the token through wasm memory/, '3b: by how much, and what it does');
    if (row.id === '6a') assert.match(row.note, /leaves .* above an empty ES module; the wasm's own part takes .*reachable/, '6a: the split and what it leaves');
  }
  const storm = Object.fromEntries(results.rows.filter((r) => r.id.startsWith('5')).map((r) => [r.id, r]));
  assert.equal(storm['5a'].sdk, 1, 'one token fetch for concurrent calls at expiry');
  assert.equal(storm['5b'].sdk, 1, 'one token fetch for concurrent token_expired answers');
  assert.equal(storm['5a'].met, true, 'and every call succeeded');
  assert.equal(storm['5b'].met, true, 'and every call succeeded');
});

// The floors that rows 1, 3b and 6a cite (`node bench/transport-floor.mjs`, `decode-floor.mjs`,
// `cold-floor.mjs`, not part of `npm run bench`) still run and measure every contender, in one round.
const tableRows = (out) => Object.fromEntries([...out.matchAll(/^\| ([^|]+?) \| ([\d.]+) \|/gm)].map(([, name, value]) => [name, Number(value)]));
for (const [script, contenders] of [
  ['transport-floor.mjs', ['raw fetch', 'raw fetch + timeout signal', 'floor (fetch)', '@spike/sdk', 'node:http + timer', 'floor over node:http']],
  ['decode-floor.mjs', ['@spike/sdk', '@spike/sdk, opt-level 3', 'hand-off floor', 'jose decodeJwt', 'Buffer + JSON.parse']],
  ['cold-floor.mjs', ['jwt-decode', 'empty', 'wasm', 'wasm+imports', 'wasm+imports/1', '@spike/sdk', '@spike/sdk, decode wasm only', '@spike/sdk, decode wasm only, one file']],
]) {
  test(`node bench/${script} 1 measures each of its contenders`, () => {
    const out = execFileSync(process.execPath, [join(root, 'bench', script), '1'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const rows = tableRows(out);
    assert.deepEqual(Object.keys(rows), contenders, `${script}: one row per contender`);
    for (const [name, value] of Object.entries(rows)) assert.ok(value > 0, `${script}: ${name} measured ${value}`);
  });
}
