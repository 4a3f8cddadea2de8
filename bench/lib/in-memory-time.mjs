// Row 2b: the time of one request of each in-memory contender (bench/lib/in-memory.mjs), in its own
// process, like row 2c's allocations. `SPIKE_BENCH_SMOKE=1`: tiny
// counts. Prints one JSON object: ns per request, per contender.
import { inMemoryContenders } from './in-memory.mjs';
import { compareAsync } from './measure.mjs';

const smoke = process.env.SPIKE_BENCH_SMOKE === '1';
const contenders = inMemoryContenders(process.env.SPIKE_BENCH_TOKEN);
console.log(JSON.stringify(await compareAsync(contenders, { rounds: smoke ? 2 : 10, sliceMs: smoke ? 20 : 200 })));
