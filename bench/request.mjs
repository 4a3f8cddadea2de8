// Rows 1 and 2: what a request through the client costs over a hand-written fetch with the same
// header, against the emulator (its own process) on 127.0.0.1; and the token check on the hot path.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ky from 'ky';
import { SpikeClient } from '../build/package/dist/index.mjs';
import { mintToken } from '../build/package/dist/server.node.mjs';
import { startEmulatorProcess } from './lib/emulator-process.mjs';
import { floorClient } from './lib/floor-client.mjs';
import { compareAsync, interleave, median, percentile, sequentialLatencies, throughput } from './lib/measure.mjs';

const PATH = '/platform/api/workspaces';

export async function requestRows({ smoke }) {
  const emu = await startEmulatorProcess();
  try {
    const { token } = await mintToken({ apiKey: emu.apiKey, baseUrl: emu.url, userId: 'bench' });
    const client = new SpikeClient({ baseUrl: emu.url, tokenProvider: () => mintToken({ apiKey: emu.apiKey, baseUrl: emu.url, userId: 'bench' }) });
    const authorization = `Bearer ${token}`;
    const floorGet = floorClient(emu.url, `${emu.url}${PATH}`, token);
    const contenders = {
      sdk: () => client.get(PATH),
      raw: () => fetch(`${emu.url}${PATH}`, { headers: { authorization } }).then((r) => r.json()),
      // A hand-written fetch that also enforces a timeout the usual way: most of what the SDK
      // costs over raw fetch is this per-request AbortSignal, which undici tracks with a
      // FinalizationRegistry.
      rawTimeout: () => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 30_000);
        return fetch(`${emu.url}${PATH}`, { headers: { authorization }, signal: controller.signal })
          .then((r) => r.json())
          .finally(() => clearTimeout(timer));
      },
      // ky with its defaults (a 10 s timeout, two retries for GET): the fetch wrapper most apps
      // would reach for instead.
      ky: () => ky.get(`${emu.url}${PATH}`, { headers: { authorization } }).json(),
      // The floor of any client on this core (bench/lib/floor-client.mjs): the core's calls and
      // the same deadline as rawTimeout, nothing else. Not a peer to beat: what the SDK cannot
      // go below.
      floor: floorGet,
    };
    const rounds = smoke ? 2 : 16;
    const perRound = smoke ? 20 : 300;
    for (const fn of Object.values(contenders)) await sequentialLatencies(fn, perRound); // warm-up
    const lat = await interleave(contenders, rounds, (fn) => sequentialLatencies(fn, perRound));
    const all = (name) => lat[name].flat();
    const p50 = Object.fromEntries(Object.keys(contenders).map((k) => [k, percentile(all(k), 50)]));
    const p99 = Object.fromEntries(Object.keys(contenders).map((k) => [k, percentile(all(k), 99)]));
    const perThroughputRound = smoke ? 64 : 2000;
    for (const fn of Object.values(contenders)) await throughput(fn, perThroughputRound, 32); // warm-up
    const tput = await interleave(contenders, rounds, (fn) => throughput(fn, perThroughputRound, 32));
    const rps = Object.fromEntries(Object.keys(contenders).map((k) => [k, median(tput[k])]));
    const peers = (m) => ({ 'raw fetch': m.raw, 'raw fetch + timeout signal': m.rawTimeout, ky: m.ky, 'floor: the core + timeout signal': m.floor });

    // Row 2: the token is cached and valid. getToken() is the check every request makes; the
    // peer is the floor for any async API, an already-resolved promise.
    const hot = await compareAsync(
      { sdk: () => client.getToken(), floor: () => Promise.resolve(token) },
      { rounds: smoke ? 2 : 10, sliceMs: smoke ? 20 : 200 },
    );
    // The whole client overhead per request, network excluded: the same in-memory answer through
    // client.get, through the floor and through the stub fetch directly (bench/lib/in-memory.mjs),
    // each measured in a process of its own, where the stub is the runtime's fetch.
    const child = (file, flags = []) =>
      JSON.parse(
        execFileSync(process.execPath, [...flags, fileURLToPath(new URL(file, import.meta.url))], {
          env: { ...process.env, SPIKE_BENCH_TOKEN: token, SPIKE_BENCH_SMOKE: smoke ? '1' : '0' },
          encoding: 'utf8',
        }),
      );
    // Row 2b: time (bench/lib/in-memory-time.mjs).
    const mem = child('./lib/in-memory-time.mjs');
    // Row 2c: what each of them allocates per request (bench/lib/allocations.mjs).
    const allocated = child('./lib/allocations.mjs', ['--single-threaded', '--min-semi-space-size=64', '--max-semi-space-size=64']);

    const us = (x) => `${x.toFixed(0)} us`;
    // A difference with `digits` decimals, never "-0" (a driver that allocates what the floor does).
    const diff = (x, digits) => {
      const text = x.toFixed(digits);
      return Number(text) === 0 ? (0).toFixed(digits) : text;
    };
    // For a missed goal, the row itself says by how much and why (details: bench/README.md). Two
    // references from the same run: the "raw fetch + timeout signal" peer (the deadline alone) and
    // the floor (the core's calls and that deadline, nothing else). "Not reachable" only when the
    // floor misses the goal in this run too: then no driver making the same calls into this core
    // can meet it in this run. Ratios near a 5% goal print with three decimals (1.054x is not 1.05x).
    const times = (a, b) => `${(a / b).toFixed(3)}x`;
    // Each goal, asked of the SDK and of the floor alike.
    const p50Met = (v) => v / p50.raw <= 1.05;
    const rpsMet = (v) => v / rps.raw >= 0.95;
    const tried =
      'tried: sans-IO client (was ~80 us), plain headers, cached URLs, no closures per attempt, one async frame per call, no Promise.race, ' +
      'a plain call through the platform\'s own fetch made like the floor (its signal alone ends it: no cut; within a few dozen bytes of the floor\'s allocations, row 2c), ' +
      'no string or Result crossing into wasm per request; no cheaper deadline for a fetch that still cancels the request: one signal shared by many requests, ' +
      'or reused for up to 16, costs undici as much, and a timer shared by attempts saved nothing measurable; outside fetch, node:http with a keep-alive agent and a timer ' +
      'that destroys the request measured ~1.8x raw fetch\'s throughput and ~0.7x its p50 with this core\'s calls (node bench/transport-floor.mjs, not in this run), ' +
      'not taken: the contract makes the transport globalThis.fetch or the fetch option, whose dispatcher (proxies, mocks, CAs) apps configure (bench/README.md)';
    const why = (gapUs, m, floorMisses) =>
      `+${gapUs.toFixed(0)} us: the deadline alone (raw fetch + timeout signal) is ${times(m.rawTimeout, m.raw)} in this run and the floor ` +
      `(this core's calls and that deadline, nothing else) ${times(m.floor, m.raw)}` +
      (floorMisses
        ? ', so no client making the core\'s calls through fetch under a deadline that cancels the request meets it in this run (the floor\'s own ratio moves by several % between runs: bench/README.md, row 1)'
        : ': the floor meets the goal in this run, so what is left is the driver and noise') +
      (m.sdk >= m.floor
        ? `; the SDK measured ${(m.sdk - m.floor).toFixed(0)} us above the floor here (its plain GET makes the floor's calls, and reads the call, from caches), `
        : `; the SDK measured ${(m.floor - m.sdk).toFixed(0)} us below the floor here (this run's noise: it makes the same calls and more), `) +
      `against ${diff((mem.sdk - mem.floor) / 1000, 1)} us and ${diff(allocated.sdk - allocated.floor, 0)} B per request in memory (rows 2b, 2c); ${tried}`;
    const rpsNote = (m, floorMisses) =>
      `${((1 - m.sdk / m.raw) * 100).toFixed(0)}% fewer: the deadline alone (raw fetch + timeout signal) is ${times(m.rawTimeout, m.raw)} under load (undici tracks each signal with a FinalizationRegistry: GC work), ` +
      `the floor ${times(m.floor, m.raw)}` +
      (floorMisses ? ', so no client over this core and fetch meets it in this run (the floor itself moves by several % between runs); ' : `; the floor meets the goal in this run, so what is left is the driver's work and noise; `) +
      `the SDK ${times(m.sdk, m.floor)} the floor's; ${tried}`;
    // A goal met in this run: by how much, beside the floor and the peer, which move as much.
    const metNote = (m, what) =>
      `met in this run, within this VM's noise: the floor ${times(m.floor, m.raw)} and the deadline alone (raw fetch + timeout signal) ${times(m.rawTimeout, m.raw)}, ` +
      `the SDK ${times(m.sdk, m.floor)} the floor's; every contender's ${what} moves by several % between full runs, ` +
      'and the goal was missed in most (bench/README.md, row 1, lists each full run)';
    return [
      {
        id: '1a', measure: 'GET latency p50, sequential', unit: 'us', sdk: p50.sdk, peers: peers(p50),
        show: us, ratio: p50.sdk / p50.raw, ratioOf: 'raw fetch', digits: 3, goal: '<= 1.05x', met: p50Met(p50.sdk),
        note: p50Met(p50.sdk) ? metNote(p50, 'p50') : why(p50.sdk - p50.raw, p50, !p50Met(p50.floor)),
      },
      {
        id: '1b', measure: 'GET latency p99, sequential', unit: 'us', sdk: p99.sdk, peers: peers(p99),
        // Shown beside p50, with no goal: issue 12 sets none for p99, which moves a lot between full
        // runs on this 2-core VM (bench/README.md, row 1, gives the ranges).
        show: us, ratio: p99.sdk / p99.raw, ratioOf: 'raw fetch', goal: null, met: null,
        note: 'no goal (issue 12 sets p50 and throughput): the tail is noise-bound on this 2-core VM, where the timeout-signal peer, which does more than raw fetch, often measures below it (bench/README.md, row 1)',
      },
      {
        id: '1c', measure: 'GET throughput, 32 concurrent', unit: 'req/s', sdk: rps.sdk, peers: peers(rps),
        show: (x) => `${x.toFixed(0)} req/s`, ratio: rps.sdk / rps.raw, ratioOf: 'raw fetch', digits: 3, goal: '>= 0.95x', met: rpsMet(rps.sdk),
        note: rpsMet(rps.sdk) ? metNote(rps, 'throughput') : rpsNote(rps, !rpsMet(rps.floor)),
      },
      {
        id: '2a', measure: 'token check, cached token (`getToken()`)', unit: 'us', sdk: hot.sdk / 1000, peers: { 'resolved promise': hot.floor / 1000 },
        show: (x) => `${x.toFixed(2)} us`, goal: '<= 2 us', met: hot.sdk / 1000 <= 2,
      },
      {
        id: '2b', measure: 'client overhead per request, in-memory fetch (`get()`)', unit: 'us', sdk: mem.sdk / 1000,
        peers: { 'the stub fetch alone': mem.raw / 1000, 'floor: the core + timeout signal': mem.floor / 1000, 'the SDK, stub as the fetch option': mem['sdk, fetch option'] / 1000 },
        show: (x) => `${x.toFixed(2)} us`, goal: null, met: null,
        note: `${((mem.sdk - mem.raw) / 1000).toFixed(2)} us added per request (headers, AbortController, timer, token), ` +
          `of which the floor's calls and deadline ${((mem.floor - mem.raw) / 1000).toFixed(2)}: the driver's own ${diff((mem.sdk - mem.floor) / 1000, 2)} us ` +
          `through the runtime's fetch, ${diff((mem['sdk, fetch option'] - mem.floor) / 1000, 2)} us through a fetch option (which may ignore its signal: each attempt also cuts the read itself)`,
      },
      {
        id: '2c', measure: 'bytes allocated per request, in-memory fetch (`get()`)', unit: 'B', sdk: allocated.sdk,
        peers: { 'the stub fetch alone': allocated.raw, 'floor: the core + timeout signal': allocated.floor, 'the SDK, stub as the fetch option': allocated['sdk, fetch option'] },
        show: (x) => `${x.toFixed(0)} B`, goal: null, met: null,
        note: `the same in every run (no collection inside a round; bench/lib/allocations.mjs): the driver's own ${diff(allocated.sdk - allocated.floor, 0)} B above the floor ` +
          `through the runtime's fetch, ${diff(allocated['sdk, fetch option'] - allocated.floor, 0)} B through a fetch option (the cut for reads whose fetch ignores its signal, and the attempt's bookkeeping)`,
      },
    ];
  } finally {
    await emu.close();
  }
}
