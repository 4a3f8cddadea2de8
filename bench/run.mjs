// `npm run bench [-- --smoke] [-- --only 3,4]`: every benchmark of BENCHMARKS.md in one run, the
// SDK beside its peers (interleaved rounds, medians). Prints a markdown table and writes
// bench/results.json and BENCHMARKS.md; `--smoke` runs tiny counts (for `npm test`) and writes
// tests/artifacts/bench-smoke.json instead, so the recorded figures are only from full runs.
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
    const ratio = r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}x ${r.ratioOf}`;
    lines.push(`| ${r.id} | ${r.measure}${r.note ? `<br><sub>${r.note}</sub>` : ''} | ${r.show(r.sdk)} | ${peers} | ${ratio} | ${r.goal ?? ''} | ${verdict(r)} |`);
  }
  return lines.join('\n');
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
  smoke,
  rows: rows.map(({ show, ...r }) => r),
};
if (smoke) {
  mkdirSync(join(root, 'tests', 'artifacts'), { recursive: true });
  writeFileSync(join(root, 'tests', 'artifacts', 'bench-smoke.json'), `${JSON.stringify(results, null, 2)}\n`);
} else {
  writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  if (!only) {
    const doc = `# Benchmarks\n\nThe latest full \`npm run bench\` (${results.date.slice(0, 10)}), on ${results.machine}.\n` +
      `Regenerate with \`npm run bench\`; raw figures in \`bench/results.json\`. How each row is measured, and\n` +
      `the story behind each missed goal: see [bench/README.md](bench/README.md).\n\n${md}\n`;
    writeFileSync(join(root, 'BENCHMARKS.md'), doc);
  }
}
