// A virtual clock, timers and randomness for SpikeClient (handed to it under
// Symbol.for('@spike/sdk.io')), and a scripted fake `fetch`: retry, back-off, Retry-After and
// timeout cases run in virtual milliseconds, with exact delays, and take no real time.
//
//   const io = fakeIo();
//   const fetch = scriptedFetch(io, [{ status: 503 }, { status: 200, body: { ok: true } }]);
//   const spike = new SpikeClient({ token, fetch, [IO]: io });
//   await io.run(spike.get('/x'));       // settles the call, firing timers in virtual time
//   io.delays();                         // every delay the client armed, in order

/** The key under which SpikeClient takes its clock, timers and randomness. */
export const IO = Symbol.for('@spike/sdk.io');

/** A whole second (HTTP dates have one-second resolution): Mon, 30 Nov 2026 00:00:00 GMT. */
export const T0 = Date.UTC(2026, 10, 30);

export const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A virtual clock. `now()` is virtual ms (from `start`); `setTimeout`/`clearTimeout` keep a timer
 * queue that only `run`/`advance` fire; `random()` hands out the values given to `setRandom` in
 * order, then `randomDefault` (0.5).
 */
export function fakeIo({ start = T0, randomDefault = 0.5 } = {}) {
  let now = start;
  let nextId = 1;
  let activity = 0; // bumped by every call the client makes into io (and by scriptedFetch)
  const pending = new Map(); // id -> timer { id, at (virtual due time), run, arg }
  const delays = []; // every delay armed, in order
  let randoms = [];
  /** The earliest pending timer (ties: the first armed). */
  const earliest = () => {
    let first;
    for (const timer of pending.values()) if (!first || timer.at < first.at) first = timer;
    return first;
  };

  const io = {
    now() {
      activity += 1;
      return now;
    },
    random() {
      activity += 1;
      return randoms.length ? randoms.shift() : randomDefault;
    },
    setTimeout(run, ms, arg) {
      activity += 1;
      if (typeof run !== 'function') throw new TypeError('fake setTimeout: not a function');
      const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
      const timer = { id: nextId++, at: now + delay, run, arg };
      pending.set(timer.id, timer);
      delays.push(ms);
      return timer.id;
    },
    clearTimeout(id) {
      activity += 1;
      pending.delete(id);
    },

    /** Values for the next random() calls, in order. */
    setRandom(...values) {
      randoms = values;
    },
    /** Virtual ms since `start`. */
    get elapsed() {
      return now - start;
    },
    /** Timers armed and neither fired nor cleared. */
    get pending() {
      return [...pending.values()];
    },
    /** The delays armed so far (ms), in order. */
    delays() {
      return [...delays];
    },

    /**
     * Lets everything that is not waiting on a timer happen: macrotask turns (setImmediate) until
     * `quiet` turns in a row saw no call into io or fetch.
     */
    async settle(quiet = 3) {
      for (let still = 0, last = activity, guard = 0; still < quiet; guard += 1) {
        if (guard > 10_000) throw new Error('fake io: the client never went quiet');
        await turn();
        if (activity === last) still += 1;
        else {
          still = 0;
          last = activity;
        }
      }
    },

    /** Fires the earliest due timer (ties: the first armed), moving the clock to its due time. */
    fireNext() {
      const first = earliest();
      if (!first) return false;
      pending.delete(first.id);
      now = Math.max(now, first.at);
      activity += 1;
      first.run(first.arg);
      return true;
    },

    /**
     * Settles `promise`, jumping the clock from timer to timer. Resolves or rejects as it does;
     * throws if it is still pending with no timer left (the client would hang forever).
     */
    async run(promise) {
      const maxTimers = 1_000;
      let done = false;
      const watched = Promise.resolve(promise).then(
        (value) => {
          done = true;
          return value;
        },
        (err) => {
          done = true;
          throw err;
        },
      );
      watched.catch(() => {});
      for (let fired = 0; ; fired += 1) {
        await io.settle();
        if (done) return watched;
        if (fired >= maxTimers) throw new Error(`fake io: still pending after ${maxTimers} timers`);
        if (!io.fireNext()) throw new Error('fake io: the promise is pending and no timer is armed (it would hang)');
      }
    },

    /** Moves the clock by `ms`, firing the timers due meanwhile, in order. */
    async advance(ms) {
      const until = now + ms;
      for (;;) {
        await io.settle();
        if (!(earliest()?.at <= until)) break;
        io.fireNext();
      }
      now = until;
      await io.settle();
    },
  };
  return io;
}

/**
 * A scripted `fetch`: answers the calls in order from `script`, and records each call in
 * `fetch.calls` ({ url, method, authorization, signal, body, at: virtual ms }).
 * A script entry is:
 *   { status, headers?, body? }  a new Response (a non-string body is sent as JSON)
 *   'hang'                       never answers; rejects with the signal's reason once it aborts
 *   { error }                    rejects with `error` (a network failure)
 *   (call) => Response|Promise   anything else
 * A call past the end of the script rejects with an Error saying so (the test then fails on its
 * counts).
 */
export function scriptedFetch(io, script = []) {
  const queue = [...script];
  const fetch = async (url, init = {}) => {
    const call = {
      url: String(url),
      method: init.method ?? 'GET',
      authorization: new Headers(init.headers).get('authorization'),
      signal: init.signal,
      body: init.body,
      at: io.now(),
    };
    fetch.calls.push(call);
    if (!queue.length) {
      throw new Error(`scriptedFetch: unexpected call #${fetch.calls.length} (${call.method} ${call.url})`);
    }
    const step = queue.shift();
    if (step === 'hang') return hang(init.signal);
    if (typeof step === 'function') return step(call);
    if (step.error) throw step.error;
    return answer(step);
  };
  fetch.calls = [];
  /** Adds entries to the end of the script. */
  fetch.push = (...steps) => queue.push(...steps);
  return fetch;
}

/** A new Response: `body` a string, or anything else as JSON. */
function answer({ status = 200, headers = {}, body } = {}) {
  const json = body !== undefined && typeof body !== 'string';
  const h = new Headers(headers);
  if (json && !h.has('content-type')) h.set('content-type', 'application/json');
  return new Response(body === undefined ? null : json ? JSON.stringify(body) : body, { status, headers: h });
}

/** A promise that never settles unless `signal` aborts (then it rejects with its reason, as fetch does). */
function hang(signal) {
  return new Promise((_, reject) => {
    if (!signal) return;
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
