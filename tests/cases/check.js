// Minimal assertions that run unchanged in Node and in a browser page (node:assert does not
// exist in browsers). Each throws an Error saying what differed.

export function equal(actual, expected, what) {
  if (!Object.is(actual, expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

export function deepEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new Error(`${what}: expected ${b}, got ${a}`);
}

/** Runs fn, expects it to throw a SpikeError with `code`; returns the error. */
export function throwsSpikeError(fn, SpikeError, code, what) {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof SpikeError)) throw new Error(`${what}: threw a non-SpikeError: ${err}`);
    if (!(err instanceof Error)) throw new Error(`${what}: SpikeError is not an Error`);
    equal(err.code, code, `${what}: code`);
    equal(err.name, 'SpikeError', `${what}: name`);
    return err;
  }
  throw new Error(`${what}: did not throw`);
}

/** Runs every case; never throws. Returns [{ name, ok, error }]. */
export async function runCases(cases) {
  const results = [];
  for (const [name, fn] of cases) {
    try {
      await fn();
      results.push({ name, ok: true });
    } catch (err) {
      results.push({ name, ok: false, error: String(err?.stack ?? err) });
    }
  }
  return results;
}

export function ok(condition, what) {
  if (!condition) throw new Error(`${what}: not true`);
}

/** Awaits `promise`, expecting a SpikeError with `code`; returns it. */
export async function rejectsWith(promise, SpikeError, code, what) {
  try {
    await promise;
  } catch (err) {
    if (!(err instanceof SpikeError)) throw new Error(`${what}: rejected with a non-SpikeError: ${err}`);
    equal(err.code, code, `${what}: code`);
    return err;
  }
  throw new Error(`${what}: did not reject`);
}
