// Timing helpers for `npm run bench`: contenders are measured in interleaved rounds (in pairs of
// rounds, one order and then its reverse, so no contender always runs warm or cold; each pair in a
// new shuffled order, so none always follows the same one and pays for its garbage) and reported
// as medians.

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Nanoseconds per call of a synchronous `fn`, run in batches for about `sliceMs`. */
export function nsPerCall(fn, sliceMs) {
  let calls = 0;
  let batch = 16;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < batch; i += 1) fn();
    calls += batch;
    batch = Math.min(batch * 2, 4096);
    elapsed = performance.now() - t0;
  } while (elapsed < sliceMs);
  return (elapsed * 1e6) / calls;
}

/** Nanoseconds per call of an async `fn`, awaited one at a time for about `sliceMs`. */
export async function nsPerAsyncCall(fn, sliceMs) {
  let calls = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < 64; i += 1) await fn();
    calls += 64;
    elapsed = performance.now() - t0;
  } while (elapsed < sliceMs);
  return (elapsed * 1e6) / calls;
}

/**
 * Runs `measure(fn)` for every contender in `rounds` interleaved rounds and returns, per
 * contender name, the list of results (one per round).
 */
export async function interleave(contenders, rounds, measure) {
  const names = Object.keys(contenders);
  const results = Object.fromEntries(names.map((n) => [n, []]));
  let order = names;
  for (let round = 0; round < rounds; round += 1) {
    order = round % 2 ? [...order].reverse() : shuffled(names, round);
    for (const name of order) results[name].push(await measure(contenders[name], name));
  }
  return results;
}

/** `names` in an order drawn from `seed` (the same in every run; the first round keeps the given order). */
function shuffled(names, seed) {
  const out = [...names];
  if (seed === 0) return out;
  let state = seed * 0x9e3779b1;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) ^ Math.imul(state ^ (state >>> 12), 0x297a2d39);
    const j = (state >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Interleaved medians of ns/call for synchronous contenders. */
export async function compareSync(contenders, { rounds, sliceMs }) {
  for (const fn of Object.values(contenders)) nsPerCall(fn, sliceMs / 4); // warm-up (JIT, caches)
  const results = await interleave(contenders, rounds, (fn) => nsPerCall(fn, sliceMs));
  return Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
}

/** Interleaved medians of ns/call for async contenders. */
export async function compareAsync(contenders, { rounds, sliceMs }) {
  for (const fn of Object.values(contenders)) await nsPerAsyncCall(fn, sliceMs / 4);
  const results = await interleave(contenders, rounds, (fn) => nsPerAsyncCall(fn, sliceMs));
  return Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
}

/** Microseconds of each of `count` awaited calls of `fn`, one after another (rows 1a/1b). */
export async function sequentialLatencies(fn, count) {
  const out = [];
  for (let i = 0; i < count; i += 1) {
    const t0 = performance.now();
    await fn();
    out.push((performance.now() - t0) * 1000);
  }
  return out;
}

/** Requests per second: `total` calls of `fn`, `concurrency` of them in flight (row 1c). */
export async function throughput(fn, total, concurrency) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        await fn();
      }
    }),
  );
  return total / ((performance.now() - t0) / 1000);
}
