// `npm run fuzz -- [seconds=60] [target ...]`: runs each cargo-fuzz target (nightly, libFuzzer)
// for the given time, growing fuzz/corpus/<target>/ (commit what it adds; `npm test` replays it
// through tests/fuzz_corpus.rs; each run ends with `cargo fuzz cmin` and a cap so it stays small).
// Inputs that once crashed are kept in fuzz/regressions/<target>/ and replayed too.
// Installs the nightly toolchain and cargo-fuzz when missing.
import { existsSync, readdirSync, rmSync } from 'node:fs';
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

/** Keeps an even spread of the minimised corpus. Past crashes live in fuzz/regressions/, which
 * cmin and this cap never touch. */
function capCorpus(dir) {
  const files = readdirSync(dir).sort();
  if (files.length <= CORPUS_CAP) return;
  const keep = new Set(Array.from({ length: CORPUS_CAP }, (_, i) => files[Math.floor((i * files.length) / CORPUS_CAP)]));
  for (const f of files) if (!keep.has(f)) rmSync(join(dir, f));
}

const results = [];
for (const target of targets) {
  step(`Fuzzing ${target} for ${seconds} s`);
  const corpus = join(root, 'fuzz', 'corpus', target);
  const started = Date.now();
  let outcome = 'no crash';
  try {
    // New inputs go to the first directory; fuzz/regressions/<target> is read, never rewritten.
    const regressions = join(root, 'fuzz', 'regressions', target);
    const dirs = existsSync(regressions) ? [corpus, regressions] : [corpus];
    run('cargo', ['+nightly', 'fuzz', 'run', target, ...dirs, '--', `-max_total_time=${seconds}`, '-max_len=4096', '-timeout=10'], { cwd: root });
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
