// Row 2c: the bytes one request allocates in memory (the same stub fetch as row 2b), for the SDK,
// the floor and the stub alone. Run as its own process with a young generation large enough that
// no garbage collection falls inside a round, and with no background compiler or collector
// threads (their allocations land in the heap at random and moved the figures by ~70-170 B between
// runs; bench/request.mjs passes the flags), so the growth of the heap over a round is what the
// round allocated: the same figure in every run, unlike time.
// Prints one JSON object: bytes per request, per contender.
import v8 from 'node:v8';
import { inMemoryContenders } from './in-memory.mjs';

const contenders = inMemoryContenders(process.env.SPIKE_BENCH_TOKEN);
const perRound = 300;
const out = {};
for (const [name, fn] of Object.entries(contenders)) {
  for (let i = 0; i < 3000; i += 1) await fn(); // warm-up: optimised code allocates less
  const rounds = [];
  for (let round = 0; round < 5; round += 1) {
    const before = v8.getHeapStatistics().used_heap_size;
    for (let i = 0; i < perRound; i += 1) await fn();
    const grew = v8.getHeapStatistics().used_heap_size - before;
    if (grew > 0) rounds.push(grew / perRound); // a round the collector ran in shrinks the heap: left out
  }
  if (rounds.length === 0) throw new Error(`allocations: a collection fell in every round of ${name}`);
  out[name] = Math.min(...rounds);
}
console.log(JSON.stringify(out));
