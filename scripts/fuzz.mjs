// `npm run fuzz -- [seconds=60] [target ...]`: runs each cargo-fuzz target (nightly, libFuzzer)
// for the given time, growing fuzz/corpus/<target>/ (commit what it adds; `npm test` replays it
// through tests/fuzz_corpus.rs; each run ends with `cargo fuzz cmin` so it stays small).
// Installs the nightly toolchain and cargo-fuzz when missing.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { capture, run, step } from './lib/run.mjs';
import { root } from './lib/paths.mjs';

const TARGETS = ['jwt_decode', 'json_scanner', 'retry_after', 'redirect_check', 'redirect_template', 'webhook_header'];
const [secondsArg, ...chosen] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 60);
if (!Number.isInteger(seconds) || seconds < 1) throw new Error('usage: npm run fuzz -- [seconds] [target ...]');
const targets = chosen.length ? chosen : TARGETS;
for (const t of targets) if (!TARGETS.includes(t)) throw new Error(`unknown target ${t} (known: ${TARGETS.join(', ')})`);

if (!(capture('rustup', ['toolchain', 'list']) ?? '').includes('nightly')) {
  step('Installing the nightly toolchain (cargo fuzz needs it)');
  run('rustup', ['toolchain', 'install', 'nightly', '--profile', 'minimal']);
}
if (capture('cargo', ['fuzz', '--version']) === null) {
  step('Installing cargo-fuzz');
  run('cargo', ['install', 'cargo-fuzz']);
}

/** Most inputs kept per target; the replay in `cargo test` stays fast. */
const CORPUS_CAP = 150;

/** Keeps every `regression-*` input (a past crash) and an even spread of the others. */
function capCorpus(dir) {
  const files = readdirSync(dir).sort();
  const others = files.filter((f) => !f.startsWith('regression-'));
  const room = Math.max(0, CORPUS_CAP - (files.length - others.length));
  if (others.length <= room) return;
  const keep = new Set(Array.from({ length: room }, (_, i) => others[Math.floor((i * others.length) / room)]));
  for (const f of others) if (!keep.has(f)) rmSync(join(dir, f));
}

const results = [];
for (const target of targets) {
  step(`Fuzzing ${target} for ${seconds} s`);
  const corpus = join(root, 'fuzz', 'corpus', target);
  const started = Date.now();
  let outcome = 'no crash';
  try {
    run('cargo', ['+nightly', 'fuzz', 'run', target, '--', `-max_total_time=${seconds}`, '-max_len=4096', '-timeout=10'], { cwd: root });
  } catch {
    outcome = 'CRASH (see fuzz/artifacts)';
  }
  const ran = Math.round((Date.now() - started) / 1000);
  // Keep the committed corpus small: only inputs that add coverage, then a sample of those.
  run('cargo', ['+nightly', 'fuzz', 'cmin', target], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  capCorpus(corpus);
  results.push({ target, seconds: ran, outcome, corpus: readdirSync(corpus).length });
}
console.log('\n| target | ran (s) | result | corpus files |\n|---|---:|---|---:|');
for (const r of results) console.log(`| ${r.target} | ${r.seconds} | ${r.outcome} | ${r.corpus} |`);
if (results.some((r) => r.outcome !== 'no crash')) process.exit(1);
