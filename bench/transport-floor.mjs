// Rows 1a and 1c outside fetch (not part of `npm run bench`): what a request costs when it is not
// made with fetch at all. The floor of rows 1a-1c (bench/lib/floor-client.mjs) is the least a client
// of this core can do through fetch under a deadline that cancels the request; in Node, node:http
// with a keep-alive agent cancels a request without any AbortSignal (a timer that destroys it),
// and is a faster HTTP client than Node's fetch (undici) to begin with. Contenders, against the
// emulator in its own process, as row 1 measures them (sequential p50 over 300 requests per round,
// throughput of 2,000 requests with 32 in flight per round, interleaved rounds, medians):
//   raw fetch, raw fetch + timeout signal, floor (fetch), @spike/sdk   as in row 1
//   node:http + timer         a GET with the same header through node:http, its deadline a timer
//                             that destroys the request (checked first: a stalled request is
//                             refused at the deadline and its socket closed)
//   floor over node:http      the floor's calls into this core, that GET instead of fetch
// The package's contract makes the client's transport `globalThis.fetch` (or the `fetch` option),
// which is why the SDK does not take this path: bench/README.md, row 1.
//   node bench/transport-floor.mjs [rounds=12]
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpikeClient } from '../build/package/dist/index.mjs';
import { mintToken } from '../build/package/dist/server.node.mjs';
import { packageDir, root } from '../scripts/lib/paths.mjs';
import { startEmulatorProcess } from './lib/emulator-process.mjs';
import { floorClient } from './lib/floor-client.mjs';
import { interleave, median, percentile, sequentialLatencies, throughput } from './lib/measure.mjs';

const rounds = Number(process.argv[2] ?? 12);
const PATH = '/platform/api/workspaces';
const TIMEOUT_MS = 30_000;
const agent = new http.Agent({ keepAlive: true });

/** GET `url` through node:http: `{ status, text }`, or the request destroyed after `timeoutMs`. */
function httpGet(url, authorization, timeoutMs) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, headers: { authorization } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode, text });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    const timer = setTimeout(() => req.destroy(new Error('timeout')), timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end();
  });
}

// The deadline cancels: a server that never answers sees its socket closed when the timer fires.
{
  let closed = false;
  const server = http.createServer((req) => req.socket.on('close', () => (closed = true)));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const t0 = performance.now();
  const outcome = await httpGet(`http://127.0.0.1:${server.address().port}/`, 'Bearer x', 50).then(() => 'answered', (err) => err.message);
  const ms = performance.now() - t0;
  await new Promise((resolve) => setTimeout(resolve, 50));
  server.close();
  if (outcome !== 'timeout' || !closed || ms < 45) throw new Error(`node:http + timer did not cancel: ${outcome} after ${ms.toFixed(0)} ms, socket closed: ${closed}`);
}

const glue = await import(join(root, 'build', 'gen', 'client-glue.js'));
glue.initSync({ module: readFileSync(join(packageDir, 'dist', 'client.wasm')) });

const emu = await startEmulatorProcess();
try {
  const { token } = await mintToken({ apiKey: emu.apiKey, baseUrl: emu.url, userId: 'bench' });
  const url = `${emu.url}${PATH}`;
  const authorization = `Bearer ${token}`;
  const client = new SpikeClient({ baseUrl: emu.url, token });
  const core = new glue.SpikeCore({ baseUrl: emu.url, token }, {});
  const contenders = {
    'raw fetch': () => fetch(url, { headers: { authorization } }).then((r) => r.json()),
    'raw fetch + timeout signal': () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
      return fetch(url, { headers: { authorization }, signal: controller.signal }).then((r) => r.json()).finally(() => clearTimeout(timer));
    },
    'floor (fetch)': floorClient(emu.url, url, token),
    '@spike/sdk': () => client.get(PATH),
    'node:http + timer': () => httpGet(url, authorization, TIMEOUT_MS).then(({ text }) => JSON.parse(text)),
    'floor over node:http': async () => {
      const id = core.beginRequest(true, true);
      try {
        if (core.decide(Date.now()) !== glue.TokenStep.Use) throw new Error('no token');
        const { status, text } = await httpGet(url, `Bearer ${core.tokenFor(id)}`, TIMEOUT_MS);
        if (core.afterAnswer(id, status, undefined, undefined, 0, 0) !== glue.AttemptStep.Succeeded) throw new Error(`got ${status}`);
        return JSON.parse(text);
      } finally {
        core.endRequest(id);
      }
    },
  };
  const expected = JSON.stringify(await contenders['raw fetch']());
  for (const [name, fn] of Object.entries(contenders)) if (JSON.stringify(await fn()) !== expected) throw new Error(`${name} got another answer`);

  for (const fn of Object.values(contenders)) await throughput(fn, 2000, 32); // warm-up
  const latencies = await interleave(contenders, rounds, (fn) => sequentialLatencies(fn, 300));
  const rates = await interleave(contenders, rounds, (fn) => throughput(fn, 2000, 32));
  const p50 = (name) => percentile(latencies[name].flat(), 50);
  const rps = (name) => median(rates[name]);
  console.log(`Node ${process.version}, ${rounds} interleaved rounds; the emulator in its own process on 127.0.0.1\n`);
  console.log('| contender | p50 us | x raw fetch | req/s | x raw fetch |\n|---|---:|---:|---:|---:|');
  for (const name of Object.keys(contenders)) {
    console.log(`| ${name} | ${p50(name).toFixed(0)} | ${(p50(name) / p50('raw fetch')).toFixed(3)} | ${rps(name).toFixed(0)} | ${(rps(name) / rps('raw fetch')).toFixed(3)} |`);
  }
} finally {
  agent.destroy();
  await emu.close();
}
