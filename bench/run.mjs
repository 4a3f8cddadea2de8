// `npm run bench [-- --smoke] [-- --only 3,4]`: every benchmark of BENCHMARKS.md in one run, the
// SDK beside its peers (interleaved rounds, medians). Prints a markdown table and writes
// bench/results.json and BENCHMARKS.md, with the commit measured; `--smoke` runs tiny counts (for
// `npm test`) and `--only` some sections, and each writes tests/artifacts/ instead, so the recorded
// figures are only ever from one full run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { root } from '../scripts/lib/paths.mjs';
import { buildIfStale } from '../scripts/build.mjs';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : null;

const SECTIONS = [
  ['1', 'request overhead', async () => (await import('./request.mjs')).requestRows],
  ['3', 'decodeToken', async () => (await import('./decode.mjs')).decodeRows],
  ['4', 'webhook verification', async () => (await import('./webhook.mjs')).webhookRows],
  ['5', 'refresh storms', async () => (await import('./storm.mjs')).stormRows],
  ['6', 'cold start', async () => (await import('./cold-start.mjs')).coldStartRows],
  ['7', 'size', async () => (await import('./size.mjs')).sizeRows],
];

function verdict(row) {
  if (row.met === null) return '';
  return row.met ? 'met' : '**missed**';
}

function table(rows) {
  const lines = ['| # | measure | @spike/sdk | peers, same run | ratio | goal | |', '|---|---|---:|---|---:|---|---|'];
  for (const r of rows) {
    const peers = Object.entries(r.peers).map(([k, v]) => `${k}: ${r.show(v)}`).join('<br>');
    const ratio = r.ratio === undefined ? '' : `${r.ratio.toFixed(r.digits ?? 2)}x ${r.ratioOf}`;
    lines.push(`| ${r.id} | ${r.measure}${r.note ? `<br><sub>${r.note}</sub>` : ''} | ${r.show(r.sdk)} | ${peers} | ${ratio} | ${r.goal ?? ''} | ${verdict(r)} |`);
  }
  return lines.join('\n');
}

/** The commit measured, and whether the tree differed from it (the recorded figures themselves aside). */
function commit() {
  try {
    const git = (...a) => execFileSync('git', a, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const changed = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!BENCHMARKS.md', ':!bench/results.json');
    return { commit: git('rev-parse', '--short=12', 'HEAD'), dirty: changed !== '' };
  } catch {
    return { commit: null, dirty: null }; // not a git checkout
  }
}

function machine() {
  const cpu = cpus();
  return `${cpu.length} x ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
}

await buildIfStale();
const rows = [];
for (const [id, name, load] of SECTIONS) {
  if (only && !only.includes(id)) continue;
  const started = performance.now();
  const section = await (await load())({ smoke });
  rows.push(...section);
  console.error(`bench: ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
const md = table(rows);
console.log(md);
const results = {
  date: new Date().toISOString(),
  machine: machine(),
  ...commit(),
  smoke,
  only,
  rows: rows.map(({ show, ...r }) => r),
};
if (smoke || only) {
  mkdirSync(join(root, 'tests', 'artifacts'), { recursive: true });
  writeFileSync(join(root, 'tests', 'artifacts', smoke ? 'bench-smoke.json' : 'bench-only.json'), `${JSON.stringify(results, null, 2)}\n`);
} else {
  writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const at = results.commit ? ` at commit ${results.commit}${results.dirty ? ' with uncommitted changes' : ''}` : '';
  const doc = `# Benchmarks\n\nThe latest full \`npm run bench\` (${results.date.slice(0, 10)})${at}, on ${results.machine}.\n` +
    `Regenerate with \`npm run bench\`; raw figures in \`bench/results.json\`. How each row is measured, and\n` +
    `the story behind each missed goal: see [bench/README.md](bench/README.md).\n\n${md}\n`;
  writeFileSync(join(root, 'BENCHMARKS.md'), doc);
}
