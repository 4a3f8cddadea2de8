// SpikeClient: the IO around the wasm `SpikeCore` (src/wasm/client/). This file performs what the
// core decides — it calls fetch, arms timers and abort signals, calls the token source, emits
// events — and asks the core at every step: which token to send, whether to refresh, what to do
// with an answer, which error the caller gets. The core owns the state (the token, whether a
// refresh runs, each request's retries); this file holds only IO handles (the running refresh's
// promise, timers, signals). What is decided here, and why (ARCHITECTURE.md, "Where each
// decision lives"): how the caller's input becomes a fetch (bodies, headers, which bodies can be
// sent twice), which failures of an attempt are a timeout or a network error, and the `retry`
// and `tokenRefreshed` events.

import { shareTokens } from './tabs.js';

/**
 * The core's named answers this driver handles, per enum (wasm-bindgen enums of
 * src/wasm/client/mod.rs). tests/js/boundary.test.mjs checks these lists against the built glue,
 * both ways, so the two sides cannot drift apart.
 */
export const STEPS = {
  TokenStep: ['Use', 'Wait', 'Refresh', 'BackOff', 'Expired'],
  AttemptStep: ['Succeeded', 'Failed', 'RetryNow', 'RetryLater'],
  RefreshEnd: ['Installed', 'Superseded', 'Failed', 'Kept'],
};

const EVENTS = ['tokenRefreshed', 'retry', 'error'];
/** The headers of a JSON body when nothing else sets any (see withBody). */
const JSON_TYPE = Object.freeze({ 'content-type': 'application/json' });

/**
 * The driver's clock, timers and randomness: the real ones, looked up at each call (so a test
 * runner's fake timers apply too). The SDK's own tests hand a client a fake one under this symbol
 * key (`new SpikeClient({ ..., [IO]: io })`, not part of the public API; `fetch` is an option
 * already) to run retry, back-off and Retry-After cases without waiting. `io.runtimeFetch`, when
 * set, stands for the runtime's own fetch (see `runtimeFetch`): the client calls it and trusts
 * its signal as it would the real one (tests/js/runtime-fetch.test.mjs, bench rows 2b and 2c).
 */
export const IO = Symbol.for('@spike/sdk.io');
const realIo = {
  now: () => Date.now(),
  random: () => Math.random(),
  setTimeout: (run, ms, arg) => setTimeout(run, ms, arg),
  clearTimeout: (timer) => clearTimeout(timer),
};
const TIMED_OUT = Symbol('timeout');
/** A direct attempt's timer (see SpikeClient.#direct): aborts its controller with the timeout reason. */
const timeOut = (controller) => controller.abort(TIMED_OUT);

/**
 * The runtime's own fetch, when the global fetch is still it as this module loads: a platform
 * function (`function fetch() { [native code] }`: browsers, Bun, workerd; not a bound function or
 * a Proxy, which print no name) or Node's own (its lazy wrapper around the undici it bundles).
 * The platform's fetch rejects the request and the read of its body once its signal aborts, so a
 * call through it can rely on that signal alone (SpikeClient.#direct). Any other fetch (the
 * `fetch` option, a mock or polyfill installed as the global fetch before or after the SDK loads,
 * a runtime not recognised here) may ignore its signal: its attempts also cut the read themselves
 * (Attempt), which only costs a little more.
 */
export const runtimeFetch = (() => {
  if (typeof fetch !== 'function') return undefined;
  let source;
  try {
    source = Function.prototype.toString.call(fetch);
  } catch {
    return undefined;
  }
  // Node's whole wrapper, from its signature to its last line (Node 20, 22 and 24). Code that
  // patches Function.prototype.toString to pass a mock off as native defeats this; nothing else here.
  const node = /^function fetch\(input, init = undefined\) \{[^]*require\('internal\/deps\/undici\/undici'\)[^]*return fetchImpl\(input, init\);\s*\}$/;
  const platform = /^function fetch\(\) \{\s*\[native code\]\s*\}$/.test(source) || node.test(source);
  return platform ? fetch : undefined;
})();

/**
 * Bodies that fetch re-reads from scratch on every call; anything else is sent at most once.
 * Classes by brand (`fetchBodyBrand`), so another realm's (an iframe's, a `vm` context's) count too.
 */
const isReplayable = (body) =>
  body === undefined ||
  body === null ||
  typeof body !== 'object' ||
  ArrayBuffer.isView(body) ||
  REPLAYABLE_BRANDS.has(fetchBodyBrand(body));
const REPLAYABLE_BRANDS = new Set(['URLSearchParams', 'FormData', 'Blob', 'File', 'ArrayBuffer']);

/** Streamed bodies, which fetch sends only with `duplex: 'half'`. */
const isStream = (body) =>
  (typeof ReadableStream === 'function' && body instanceof ReadableStream) ||
  (body !== null && typeof body === 'object' && typeof body[Symbol.asyncIterator] === 'function');

/**
 * Classes fetch sends as they are, by tag, each with a brand check: this realm's real method or
 * getter, which throws for anything but a real instance (also another realm's: WebIDL brand checks
 * hold across realms), so a class that only claims the tag is not sent as "[object Blob]".
 */
const brandCheck = (cls, key) => {
  const proto = typeof globalThis[cls] === 'function' ? globalThis[cls].prototype : undefined;
  const desc = proto && Object.getOwnPropertyDescriptor(proto, key);
  const f = desc && (desc.get ?? desc.value);
  return typeof f === 'function' ? f : undefined;
};
// Built on first use: touching FormData, Blob... at import makes Node load undici (~35 ms of cold start).
let fetchBodyBrands;
const bodyBrands = () =>
  (fetchBodyBrands ??= new Map(
    [
      ['URLSearchParams', brandCheck('URLSearchParams', 'toString')],
      ['FormData', brandCheck('FormData', 'keys')],
      ['Blob', brandCheck('Blob', 'size')],
      ['File', brandCheck('Blob', 'size')],
      ['ArrayBuffer', brandCheck('ArrayBuffer', 'byteLength')],
      ['ReadableStream', brandCheck('ReadableStream', 'locked')],
    ].filter(([, f]) => f),
  ));
/** The class fetch sends as it is that `body` really is (its tag, brand-checked), or undefined. */
const fetchBodyBrand = (body) => {
  const tag = Object.prototype.toString.call(body).slice(8, -1);
  const check = bodyBrands().get(tag);
  if (!check) return undefined;
  try {
    check.call(body);
    return tag;
  } catch {
    return undefined;
  }
};
/** A ReadableStream, this realm's or another's (an iframe's). */
const isReadableStream = (body) =>
  typeof ReadableStream === 'function' &&
  (body instanceof ReadableStream || (body !== null && typeof body === 'object' && fetchBodyBrand(body) === 'ReadableStream'));

/**
 * A plain object: `{...}` or `Object.create(null)`, also another realm's (an iframe's, a Node `vm`
 * context's), by shape: its prototype is that realm's `Object.prototype`, whose prototype is null.
 */
const isPlainObject = (proto) =>
  proto === Object.prototype ||
  proto === null ||
  (Object.getPrototypeOf(proto) === null && typeof proto.constructor === 'function' && proto.constructor.name === 'Object');

/**
 * Whether this runtime's fetch streams an async iterable body (Node's does; Chromium's sends
 * "[object Object]"). Measured once, on the first such body, with a Request that is never sent.
 */
let asyncIterableBodies;
const fetchStreamsAsyncIterables = () => {
  if (asyncIterableBodies === undefined) {
    try {
      const probe = { async *[Symbol.asyncIterator]() {} };
      asyncIterableBodies = new Request('http://localhost/', { method: 'POST', body: probe, duplex: 'half' }).headers.get('content-type') === null;
    } catch {
      asyncIterableBodies = typeof Request !== 'function';
    }
  }
  return asyncIterableBodies;
};

/**
 * The SpikeClient class around `core`: `{ SpikeCore, TokenStep, AttemptStep, RefreshEnd }` (the
 * wasm-bindgen glue's class and enums).
 */
export function defineSpikeClient(core, SpikeError) {
  const { SpikeCore } = core;
  // Every name of STEPS, each handled below (tests/js/boundary.test.mjs checks this list is whole).
  const { Use: USE, Wait: WAIT, Refresh: REFRESH, BackOff: BACK_OFF, Expired: EXPIRED } = core.TokenStep;
  const { Succeeded: SUCCEEDED, Failed: FAILED, RetryNow: RETRY_NOW, RetryLater: RETRY_LATER } = core.AttemptStep;
  const { Installed: INSTALLED, Superseded: SUPERSEDED, Failed: REFRESH_FAILED, Kept: KEPT } = core.RefreshEnd;
  /** A value of a core enum this driver does not know: the two sides were built apart. */
  const unknownStep = (name, value) => new Error(`@spike/sdk: the wasm core answered ${name} ${value}, which this driver does not know`);
  const invalid = (message) => new SpikeError('invalid_options', message);
  const aborted = (reason) => new SpikeError('aborted', 'The request was aborted', { cause: reason });
  const providerFailed = (message, cause) => new SpikeError('token_provider_failed', message, { cause });

  /** Runs `read`, turning anything it throws that is not a SpikeError into `invalid_options`. */
  const reading = (read, message) => {
    try {
      return read();
    } catch (err) {
      throw err instanceof SpikeError ? err : invalid(message);
    }
  };

  /**
   * What a body becomes on the wire (README, "What each body and headers input becomes"): `true`
   * for JSON (a plain object, an array, a finite number, a boolean, an object with `toJSON()`),
   * `false` for what fetch sends as it is (undefined, null, a string, URLSearchParams, FormData,
   * Blob, ArrayBuffer, a typed array or DataView, a ReadableStream, an async iterable: `readInit`
   * sends that only where fetch streams one). Anything else fetch would silently turn into text
   * ("[object Object]", "[object Map]", a function's source): `invalid_options`, naming what it is.
   */
  const isJsonBody = (body, where) => {
    const type = typeof body;
    if (body === undefined || body === null || type === 'string') return false;
    if (type === 'boolean') return true;
    if (type === 'number') {
      if (Number.isFinite(body)) return true;
      throw invalid(`${where} is ${body}, which JSON would send as null`);
    }
    if (type !== 'object') throw invalid(`${where} is a ${type}: send a string, plain data (as JSON) or a body fetch takes`);
    if (Array.isArray(body)) return true;
    const proto = Object.getPrototypeOf(body);
    // The usual case: plain data (unless it is an async iterable: a stream, see `readInit`).
    if (isStream(body)) return false;
    if (isPlainObject(proto)) return true;
    if (ArrayBuffer.isView(body) || fetchBodyBrand(body)) return false;
    if (typeof body.toJSON === 'function') return true;
    const tag = Object.prototype.toString.call(body).slice(8, -1);
    const name = (typeof proto?.constructor === 'function' && proto.constructor.name) || tag;
    if (bodyBrands().has(tag)) {
      throw invalid(`${where} is a ${name} whose Symbol.toStringTag says ${tag} but which is not one: fetch would send its String() text, "[object ${tag}]". Pass a real ${tag}, or plain data (as JSON)`);
    }
    throw invalid(`${where} is a ${name} (a class instance without toJSON()): fetch would send its String() text, such as "[object ${tag}]", not its data. Pass a plain object ({ ...value }) or give ${name} a toJSON()`);
  };

  /**
   * `init` with `method` set and a JSON body (see `isJsonBody`) encoded, sent as
   * `application/json` unless init.headers or (`typeSet`) the client's headers option set a type.
   */
  const withBody = (init, method, body, typeSet) =>
    reading(() => {
      const out = init !== null && typeof init === 'object' ? { ...init } : {};
      out.method = method;
      if (body === undefined) return out;
      if (!isJsonBody(body, 'the body')) {
        out.body = body;
        return out;
      }
      let text;
      try {
        text = JSON.stringify(body);
      } catch {
        throw invalid('the body cannot be encoded as JSON (a cycle or a BigInt?)');
      }
      if (text === undefined) throw invalid("the body's toJSON() gave nothing JSON can encode");
      if (!typeSet && (out.headers === undefined || out.headers === null)) {
        // The usual JSON write: a plain object, like a GET's, not a Headers to copy per attempt.
        out.headers = JSON_TYPE;
      } else if (!typeSet) {
        const headers = reading(() => new Headers(out.headers), 'init.headers is not valid headers');
        if (!headers.has('content-type')) headers.set('content-type', 'application/json');
        out.headers = headers;
      }
      out.body = text;
      return out;
    }, 'init could not be read as fetch options');

  /**
   * The caller's init, read once: what every attempt sends, plus what the core needs to know.
   * `customFetch`: the `fetch` option, which may take bodies the runtime's fetch does not.
   */
  const readInit = (init, defaults, customFetch) => {
    if (init === undefined || init === null) init = {};
    else if (typeof init !== 'object') throw invalid("init must be an object like fetch's");
    const req = reading(() => {
      const { retry, ...request } = init;
      // fetch's init.body: what fetch sends as it is; plain data is the verbs' (they encode JSON).
      if (request.body !== undefined && typeof request.body !== 'string' && isJsonBody(request.body, 'init.body')) {
        throw invalid('init.body is plain data, which fetch would send as text such as "[object Object]": use post/put/patch(path, body), which send it as JSON, or pass JSON.stringify(body)');
      }
      return {
        request,
        method: typeof init.method === 'string' ? init.method.toUpperCase() : 'GET',
        signal: init.signal !== null && typeof init.signal === 'object' ? init.signal : undefined,
        replayable: isReplayable(init.body),
        forceRetry: typeof retry === 'boolean' ? retry : undefined,
        headers: init.headers,
      };
    }, 'init could not be read as fetch options');
    // No headers to merge (the usual case): a plain object, which fetch validates once. Else a
    // Headers object, the caller's values first, then the client's defaults where absent.
    if ((req.headers === undefined || req.headers === null || req.headers === JSON_TYPE) && defaults.length === 0) {
      req.headers ??= {};
    } else {
      const given = req.headers;
      req.headers = reading(() => new Headers(given ?? undefined), 'init.headers is not valid headers');
      for (const [name, value] of defaults) if (!req.headers.has(name)) req.headers.set(name, value);
    }
    req.request.method = req.method;
    req.request.headers = req.headers;
    const readable = isReadableStream(req.request.body);
    if (readable || isStream(req.request.body)) {
      if (!readable && !customFetch && !fetchStreamsAsyncIterables()) {
        throw invalid('the body is an async iterable, which this runtime\'s fetch would send as "[object Object]": pass a ReadableStream');
      }
      if (req.request.duplex === undefined) req.request.duplex = 'half';
    }
    return req;
  };

  /**
   * The caller's signal for one request, listened to once (not once per attempt or wait): it
   * aborts the running attempt and ends any wait (back-off, Retry-After, a running refresh) at once.
   * Without a signal it keeps no state, so one per client serves every such call.
   */
  class Abort {
    #signal;
    #onAbort = null;
    #waits = null; // rejecters of the waits in progress (a Set, made by the first wait)
    current = null; // the running attempt (its abort(reason)), while listening

    #io;

    constructor(signal, io) {
      this.#signal = signal;
      this.#io = io;
      if (signal && typeof signal.addEventListener !== 'function') throw invalid('init.signal must be an AbortSignal');
      if (!signal || signal.aborted) return;
      this.#onAbort = () => {
        this.current?.abort(signal.reason);
        if (this.#waits) for (const reject of this.#waits) reject(this.error());
      };
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }

    get aborted() {
      return Boolean(this.#signal?.aborted);
    }

    /** Whether the caller's signal is listened to (else nothing needs the running attempt). */
    get listening() {
      return this.#onAbort !== null;
    }

    /** The `aborted` error, with the caller's reason as its cause. */
    error() {
      return aborted(this.#signal?.reason);
    }

    check() {
      if (this.#signal?.aborted) throw this.error();
    }

    /** `promise`, or `aborted` as soon as the signal fires. */
    async race(promise) {
      this.check();
      if (!this.#onAbort) return promise;
      let reject;
      const stop = new Promise((_, r) => {
        reject = r;
      });
      (this.#waits ??= new Set()).add(reject);
      try {
        return await Promise.race([promise, stop]);
      } finally {
        this.#waits.delete(reject);
      }
    }

    async sleep(ms) {
      let timer;
      try {
        await this.race(new Promise((resolve) => (timer = this.#io.setTimeout(resolve, ms))));
      } finally {
        this.#io.clearTimeout(timer);
      }
    }

    /** Stops listening (once nothing of the request is left to abort). */
    done() {
      if (this.#onAbort) this.#signal.removeEventListener('abort', this.#onAbort);
      this.#onAbort = null;
      this.current = null;
    }
  }

  /** The `error` field of a 401's JSON body, read from a clone (under the attempt's deadline) so the caller still gets the body. */
  const apiErrorCode = async (attempt) => errorCode(await attempt.read(attempt.response.clone().text()));

  /** The `error` field of an API answer's JSON `text`, if it has one. */
  const errorCode = (text) => {
    try {
      const body = JSON.parse(text);
      return typeof body?.error === 'string' ? body.error : undefined;
    } catch {
      return undefined;
    }
  };

  /**
   * What an attempt whose fetch or body read threw (`cause`) failed with: `timeout` when its timer
   * aborted it (`timedOut`, after `ms`), else `network_error`; a SpikeError stays as it is.
   */
  const exchangeFailure = (timedOut, ms, cause) => {
    if (timedOut) return new SpikeError('timeout', `No complete answer within ${Math.round(ms)} ms`);
    if (cause instanceof SpikeError) return cause;
    return new SpikeError('network_error', 'The request failed before a complete HTTP answer (connection refused, reset or DNS)', { cause });
  };

  /** The headers an attempt sends: the request's (a Headers, or a plain object) and its token's. */
  const withToken = (headers, authorization) => {
    if (!(headers instanceof Headers)) return { ...headers, authorization };
    const copy = new Headers(headers);
    copy.set('authorization', authorization);
    return copy;
  };

  /**
   * What the client needs from `fetch`'s answer: a `Response` (a status, `headers.get`, `text()`)
   * whose body has not been read. A fetch mock that hands out one Response twice, or a plain
   * `{ ok, status, json }` object, fails here by name instead of as a TypeError deeper in.
   */
  const checkResponse = (response) => {
    const shaped = response !== null && typeof response === 'object' && typeof response.status === 'number' && typeof response.headers?.get === 'function' && typeof response.text === 'function';
    if (!shaped) throw invalid('fetch must resolve to a Response (status, headers.get(), text()); it gave something else');
    if (response.bodyUsed === true) throw invalid('fetch resolved to a Response whose body was already read (a fetch mock must return a new Response for every call)');
    // A 401's error code is read from a copy, so the caller still gets the body.
    if (response.status === 401 && typeof response.clone !== 'function') throw invalid('fetch resolved to a 401 without clone() (a fetch mock must return a real Response)');
  };

  /**
   * Frees an answer nobody will read (its body would otherwise hold the connection). Never throws:
   * a late answer of a fetch mock may be anything.
   */
  const discard = (response) => {
    try {
      response.body?.cancel().catch(() => {});
    } catch {
      // Not a Response: nothing to free.
    }
  };

  /** An attempt's timer: aborts it with the timeout reason. */
  const timeUp = (attempt) => attempt.abort(TIMED_OUT);

  /**
   * One attempt's deadline (see `#begin`). A class rather than closures made per attempt: the
   * hot path allocates less.
   */
  class Attempt {
    response = null;
    // For `judge` (see `answer()`): the core's request (`id`), and whether its final answer's body
    // is read at once (`consume`, then `text`); `next` is what the core decided.
    id;
    consume;
    next;
    text;
    #controller = new AbortController();
    #abort;
    #ms;
    #timer;
    // Once aborted (timeout or caller): its reason. Reads end with it even when a custom fetch
    // ignores its signal. The read in progress is rejected directly (`#cutRead`), not through a
    // listener on the signal (an EventTarget listener per attempt showed up in the hot path) nor
    // through Promise.race with a cut-off promise (two reads: 1.36 us with the race and its
    // .catch, 0.62 us as made here, measured alone).
    #cut = false;
    #reason;
    #cutRead = null;

    #io;
    #fetch;

    constructor(abort, ms, io, fetch, id, consume) {
      this.id = id;
      this.consume = consume;
      this.#abort = abort;
      this.#ms = ms;
      this.#io = io;
      this.#fetch = fetch;
      this.#timer = io.setTimeout(timeUp, ms, this);
      if (abort.listening) abort.current = this;
    }

    /** Aborts the fetch and any read in progress (its timer, or the caller's signal). */
    abort(reason) {
      this.#controller.abort(reason);
      if (this.#cut) return;
      this.#cut = true;
      this.#reason = reason;
      this.#cutRead?.(reason);
    }

    /**
     * Calls `fetch(url, init)` with this attempt's signal. Resolves to this attempt once the answer
     * came (`response`, checked by `checkResponse`); else settles it and rejects with its failure.
     * With `judge` (the client's, see `#judge`), the answer is judged as soon as it comes: `judge`
     * sets `next`, and when it returns true the body is read too (`text`), under this deadline,
     * before this resolves: one promise for the answer and its body, the usual request's whole
     * attempt. A promise made by hand rather than an async function: one frame less in flight.
     */
    answer(url, init, judge) {
      return new Promise((resolve, reject) => {
        this.#cutRead = (cause) => {
          this.settle();
          reject(this.failure(cause));
        };
        // Cut before it started (a timer that fired at once): no fetch, as a race would have it.
        if (this.#cut) {
          this.#cutRead(this.#reason);
          return;
        }
        let reading;
        try {
          init.signal = this.#controller.signal;
          // Called as a plain function: a browser's fetch refuses any other `this` (Illegal invocation).
          const fetch = this.#fetch;
          reading = fetch(url, init);
        } catch (cause) {
          this.#cutRead(cause);
          return;
        }
        Promise.resolve(reading).then((response) => {
          // Cut meanwhile (a fetch that ignores its signal): this attempt has already failed, and
          // nobody will read this answer (freed, if it is one, so it does not hold a connection).
          if (this.#cut) {
            discard(response);
            return;
          }
          let body;
          try {
            checkResponse(response);
            this.response = response;
            if (!judge?.(this)) {
              resolve(this);
              return;
            }
            body = response.text();
          } catch (err) {
            // Not a failure of the exchange (a fetch mock's answer, or the core): as it is.
            this.settle();
            reject(err);
            return;
          }
          Promise.resolve(body).then((text) => {
            this.text = text;
            resolve(this);
          }, this.#cutRead);
        }, this.#cutRead);
      });
    }

    /**
     * `reading` (a promise or value), or this attempt's failure as soon as it is aborted; a
     * failure of `reading` becomes this attempt's too. One read at a time (the callers await each).
     */
    read(reading) {
      return new Promise((resolve, reject) => {
        this.#cutRead = (cause) => reject(this.failure(cause));
        Promise.resolve(reading).then(resolve, this.#cutRead);
        // Already aborted: the cut wins unless `reading` had already settled (as a race would).
        // A promise job, not queueMicrotask: test tools fake that one (Jest's default fake timers),
        // and the attempt's timer may already be cleared, so nothing else would end the read.
        if (this.#cut) Promise.resolve(this.#reason).then(this.#cutRead);
      });
    }

    /** Ends the deadline (the answer was read, or nobody will read it). */
    settle() {
      this.#io.clearTimeout(this.#timer);
    }

    failure(cause) {
      if (this.#abort.aborted) return this.#abort.error();
      return exchangeFailure(this.#controller.signal.reason === TIMED_OUT, this.#ms, cause);
    }
  }

  // Named by hand: the build minifies this file without esbuild's keepNames (see scripts/build.mjs).
  const SpikeClient = class SpikeClient {
    #wasm; // the SpikeCore, until free()
    #config;
    #refreshing = null; // the running refresh's promise (the core knows whether one runs): true once it installed a token, false if superseded or kept (see #refresh)
    #listeners = new Map(EVENTS.map((e) => [e, new Set()]));
    #urls = new Map(); // path -> URL as the core resolved it (apps call a handful of paths)
    #bearerToken; // the token #bearerValue was made for
    #bearerValue; // its Authorization value
    #plain = new Map(); // method -> the request of a verb called without init or body (see #plainRequest)
    #tabs = null; // shareAcrossTabs (js/client/tabs.js), where this runtime can share
    #fromTab = false; // whether the current token came from another tab
    #typeSet = false; // whether the headers option sets Content-Type (then JSON bodies keep it)
    #io = realIo; // clock, timers, randomness (see IO)
    #unsignalled; // the Abort of every call without a signal: it holds no state (see Abort)

    constructor(options) {
      this.#wasm = new SpikeCore(options);
      if (options?.[IO]) this.#io = { ...realIo, ...options[IO] };
      this.#unsignalled = new Abort(undefined, this.#io);
      this.#config = this.#wasm.config();
      this.#typeSet = this.#config.headers.some(([name]) => name === 'content-type');
      const share = options.shareAcrossTabs;
      if (share !== undefined && share !== null && share !== false) {
        const wasm = this.#wasm;
        // What tabs.js may ask of the core (named answers stay here).
        const core = {
          usable: (now) => wasm.decide(now) === USE,
          token: () => wasm.currentToken(),
          tokenInfo: (now) => wasm.tokenInfo(now),
          install: (data, now) => wasm.installFromProvider(data, now, true) === INSTALLED,
          invalidate: () => wasm.invalidate(),
          refreshFailed: (now) => wasm.refreshFailed(now),
        };
        this.#tabs = shareTokens(
          share,
          core,
          this.#config,
          invalid,
          (passive) => {
            this.#fromTab = true;
            if (passive) this.#announce();
          },
          this.#io,
        );
      }
    }

    get #core() {
      if (!this.#wasm) throw invalid('this SpikeClient was freed');
      return this.#wasm;
    }

    /** Releases the wasm memory now instead of at garbage collection; the client is unusable after. */
    free() {
      this.#tabs?.close();
      this.#wasm?.free();
      this.#wasm = null;
    }

    /** The normalised base URL (no trailing slash). */
    get baseUrl() {
      return this.#config.baseUrl;
    }

    /** 'token', 'tokenProvider' or 'tokenEndpoint'. */
    get tokenSource() {
      return this.#config.source;
    }

    fetch(path, init) {
      return this.#call(path, init, false);
    }

    request(path, init) {
      return this.#call(path, init, true);
    }

    get(path, init) {
      return this.#call(path, init, true, 'GET');
    }

    post(path, body, init) {
      return this.#call(path, init, true, 'POST', body);
    }

    put(path, body, init) {
      return this.#call(path, init, true, 'PUT', body);
    }

    patch(path, body, init) {
      return this.#call(path, init, true, 'PATCH', body);
    }

    delete(path, init) {
      return this.#call(path, init, true, 'DELETE');
    }

    getToken() {
      return this.#reporting(async () => {
        await this.#ensureToken();
        return this.#core.currentToken();
      });
    }

    tokenInfo() {
      return this.#core.tokenInfo(this.#io.now());
    }

    invalidateToken() {
      this.#core.invalidate();
      this.#tabs?.invalidated();
    }

    /** `on(event, listener)`; returns the function that removes the listener. */
    on(event, listener) {
      if (typeof listener !== 'function') throw invalid('on() takes a listener function');
      if (!EVENTS.includes(event)) throw invalid("on() takes 'tokenRefreshed', 'retry' or 'error'");
      const entry = { listener };
      this.#listeners.get(event).add(entry);
      return () => void this.#listeners.get(event).delete(entry);
    }

    #emit(event, payload) {
      for (const { listener } of [...this.#listeners.get(event)]) {
        try {
          listener(payload);
        } catch {
          // A listener that throws cannot break the request that emitted.
        }
      }
    }

    /** Runs a public call; a failure is also emitted as `error`. */
    async #reporting(run) {
      try {
        return await run();
      } catch (err) {
        this.#emit('error', err);
        throw err;
      }
    }

    /**
     * What `readInit` makes of a call without init or body (a verb's, or fetch()/request()'s with
     * no method): the same for every such call of this client (the client's headers and fetch are
     * fixed), so it is read once per method.
     * Nothing mutates it: every attempt sends its own copy of `request` and of `headers`.
     */
    #plainRequest(method) {
      let req = this.#plain.get(method);
      if (req === undefined) {
        // No method: fetch() or request() without init, which send the init as given (none).
        const init = method === undefined ? undefined : withBody(undefined, method, undefined, this.#typeSet);
        req = this.#readRequest(init);
        Object.freeze(req.request);
        this.#plain.set(method, Object.freeze(req));
      }
      return req;
    }

    /** `readInit` for this client, with the core's `mayRetry` answer for the request (see `#send`). */
    #readRequest(init) {
      const req = readInit(init, this.#config.headers, this.#config.fetch);
      req.mayRetry = this.#core.mayRetry(req.method, req.forceRetry);
      return req;
    }

    /**
     * Resolves once the core has a token to send (its current one): at once when `first` (the
     * core's decision) is Use, else after the back-off or a refresh. Waits for a running refresh
     * instead of starting another.
     */
    async #ensureToken(first = this.#core.decide(this.#io.now()), abort = this.#unsignalled) {
      for (let step = first; step !== USE; step = this.#core.decide(this.#io.now())) {
        if (step === BACK_OFF) {
          await abort.sleep(this.#core.notBefore() - this.#io.now());
          continue;
        }
        // A static token that expired: nothing can refresh it, nothing is sent.
        if (step === EXPIRED) throw this.#core.expiredError();
        // Wait: the refresh someone started, whose promise exists exactly while the core has a
        // refresh running (from beginRefresh to the install or refreshFailed that ends it).
        if (step === REFRESH || (step === WAIT && !this.#refreshing)) this.#refresh();
        else if (step !== WAIT) throw unknownStep('TokenStep', step);
        // An aborted caller stops waiting; the refresh goes on for everyone else.
        // Installed: use that token, even if it is short-lived: never refresh twice in a row for
        // one call (that is how refresh loops start). Superseded (invalidateToken(), or its token
        // went stale meanwhile), or failed while the current token lives (Kept): decide again.
        if (await abort.race(this.#refreshing)) return;
      }
    }

    /** Starts the refresh; `#refreshing` resolves to true (a token was installed) or false (superseded, or failed with the current token kept). */
    #refresh() {
      // A forced refresh: the Cache-Control that names the refused token (see #fromEndpoint); else undefined.
      const forced = this.#core.beginRefresh();
      this.#fromTab = false;
      const fetch = () => (this.#config.source === 'tokenProvider' ? this.#fromProvider(forced) : this.#fromEndpoint(forced));
      const refreshing = (async () => {
        try {
          if (!(await (this.#tabs ? this.#tabs.refresh(fetch) : fetch()))) return false;
        } catch (err) {
          // A superseded refresh's failure is about a token nobody wants, and one that began in the
          // leeway leaves a token the API still takes (Kept: reported, not thrown): either way its
          // waiters decide again, which gives them that token during the back-off.
          const end = this.#core.refreshFailed(this.#io.now(), err?.status);
          if (end === REFRESH_FAILED) throw err;
          if (end === KEPT) this.#emit('error', err);
          else if (end !== SUPERSEDED) throw unknownStep('RefreshEnd', end);
          return false;
        } finally {
          // Only its own: once the core has ended this refresh (the install or refreshFailed just
          // above), a call in the same tick may already have begun the next one.
          if (this.#refreshing === refreshing) this.#refreshing = null;
        }
        this.#announce();
        return true;
      })();
      this.#refreshing = refreshing;
      // Its failure reaches every waiter; this keeps it from being unhandled when all of them aborted.
      refreshing.catch(() => {});
    }

    /** `tokenRefreshed`, with `fromTab` when sharing across tabs. */
    #announce() {
      if (!this.#listeners.get('tokenRefreshed').size) return;
      const info = this.tokenInfo();
      if (this.#tabs) info.fromTab = this.#fromTab;
      this.#emit('tokenRefreshed', info);
    }

    /** Calls the provider; one that never settles gets `timeoutMs`, so it cannot hang every call. */
    async #fromProvider(forced) {
      const provider = this.#config.provider;
      const given = await this.#withinTimeout('tokenProvider', () => {
        let called;
        try {
          // A forced refresh also says what to send the backend (the Cache-Control of #fromEndpoint).
          called = provider(forced ? { forceRefresh: true, cacheControl: forced } : { forceRefresh: false });
        } catch (cause) {
          throw providerFailed('tokenProvider threw', cause);
        }
        return Promise.resolve(called).catch((cause) => {
          throw providerFailed('tokenProvider rejected', cause);
        });
      });
      return this.#core.installFromProvider(given, this.#io.now(), false) === INSTALLED;
    }

    /**
     * `call()` (an app's function: a provider, endpoint headers), or `token_provider_failed` once
     * `timeoutMs` passes without an answer, so one that never settles cannot hang every call.
     */
    async #withinTimeout(what, call) {
      const ms = this.#config.timeoutMs;
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = this.#io.setTimeout(() => reject(providerFailed(`${what} did not answer within ${Math.round(ms)} ms`)), ms);
      });
      try {
        return await Promise.race([call(), timeout]);
      } finally {
        this.#io.clearTimeout(timer);
      }
    }

    /**
     * Fetches the app's token endpoint (`tokenEndpoint`: its method, credentials, headers and body).
     * A forced refresh always says `Cache-Control: no-cache`, whatever the method, so neither the
     * backend's token cache nor one in between answers the token the API just rejected, and names
     * that token by its fingerprint (`no-cache, spike-refused-token=<16 hex>`, never the token), so
     * a backend that throttles `no-cache` floods (createTokenHandler) knows not to hand it back.
     */
    async #fromEndpoint(forced) {
      const { url, method, credentials, headers: given, body, json } = this.#config.endpoint;
      const headers = typeof given === 'function' ? await this.#endpointHeaders(given, Boolean(forced)) : new Headers(given);
      if (!headers.has('accept')) headers.set('accept', 'application/json');
      if (json && !headers.has('content-type')) headers.set('content-type', 'application/json');
      if (forced) headers.set('cache-control', forced);
      let attempt;
      let text;
      try {
        attempt = this.#begin();
        await attempt.answer(url, { method, headers, credentials, body });
        text = await attempt.read(attempt.response.text());
      } catch (cause) {
        throw providerFailed(attempt?.response ? 'the token endpoint did not send its whole answer' : 'the token endpoint could not be reached', cause);
      } finally {
        attempt?.settle();
      }
      return this.#core.installFromEndpoint(attempt.response.status, text, this.#io.now()) === INSTALLED;
    }

    /** `tokenEndpoint.headers` as a function, run per token fetch; it gets `timeoutMs`, like a provider. */
    async #endpointHeaders(headersFn, forceRefresh) {
      const given = await this.#withinTimeout('tokenEndpoint.headers', () =>
        (async () => headersFn({ forceRefresh }))().catch((cause) => {
          throw providerFailed('tokenEndpoint.headers threw or rejected', cause);
        }),
      );
      try {
        return new Headers(given ?? undefined);
      } catch (cause) {
        throw providerFailed('tokenEndpoint.headers gave something that is not headers', cause);
      }
    }

    /**
     * A new attempt: one fetch under `timeoutMs` (`answer()`), which runs until `settle()`: it
     * covers reading the answer's body too (`read()`, or `answer()`'s judge), so a server that
     * sends headers and then stalls cannot hang the call. The caller's `abort` aborts it. Throws
     * `aborted` (or `invalid_options`: no fetch) before it starts; else `answer()` resolves to the
     * Attempt, or rejects with `aborted`, `timeout` or `network_error`. The init given to `answer()`
     * is this attempt's own (fetch mocks record what each attempt sent); only its signal is set there.
     * `id` and `consume` (a call of #send): its request in the core, and whether it reads the body.
     */
    #begin(abort = this.#unsignalled, id = 0, consume = false) {
      abort.check();
      const fetch = this.#clientFetch();
      if (typeof fetch !== 'function') throw invalid('no fetch available: pass the fetch option (this runtime has no global fetch)');
      return new Attempt(abort, this.#config.timeoutMs, this.#io, fetch, id, consume);
    }

    /**
     * What the core makes of an attempt's answer, asked as soon as it comes (Attempt.answer's
     * judge): whether to read its body at once (a final answer of a call that consumes it). A 401
     * waits for its body's error code (is it an expired token?), which #send reads first.
     */
    #judge = (attempt) => attempt.response.status !== 401 && this.#afterAnswer(attempt);

    /** Asks the core what an answer (with the API error `code` of a 401) means (`attempt.next`); true: read its body now. */
    #afterAnswer(attempt, code) {
      const next = this.#next(attempt.id, attempt.response, code);
      attempt.next = next;
      return attempt.consume && (next === SUCCEEDED || next === FAILED);
    }

    /** What the core makes of request `id`'s answer `response` (with the API error `code` of a 401): one of the core's attempt steps. */
    #next(id, response, code) {
      const { status, headers } = response;
      const retryAfter = status >= 400 ? (headers.get('retry-after') ?? undefined) : undefined;
      // The clock only reads a Retry-After date, and randomness only jitters the delay of a retry,
      // which only a 4xx/5xx can lead to.
      return this.#core.afterAnswer(id, status, code, retryAfter, retryAfter === undefined ? 0 : this.#io.now(), status >= 400 ? this.#io.random() : 0);
    }

    /** `Bearer <token>`, made once per token (not a new 700-character string per attempt). */
    #bearer(token) {
      if (token !== this.#bearerToken) {
        this.#bearerToken = token;
        this.#bearerValue = `Bearer ${token}`;
      }
      return this.#bearerValue;
    }

    #resolve(path) {
      const url = this.#core.resolveUrl(path);
      if (this.#urls.size >= 256) this.#urls.clear();
      this.#urls.set(path, url);
      return url;
    }

    /**
     * A call of fetch(), request() or a verb: a plain one (no init, no body) through the runtime's
     * own fetch goes straight to its attempt (#direct); any other to #send.
     */
    #call(path, init, consume, method, body) {
      const plain = (init === undefined || init === null) && body === undefined;
      const fetch = plain ? this.#runtimeFetch() : undefined;
      if (fetch !== undefined) return this.#direct(fetch, path, consume, method);
      return this.#send(path, init, consume, method, body);
    }

    /** The fetch this client calls: the `fetch` option, else a test's `io.runtimeFetch`, else the global one. */
    #clientFetch() {
      return this.#config.fetch ?? this.#io.runtimeFetch ?? globalThis.fetch;
    }

    /** The fetch this client calls, if it is the runtime's own (see `runtimeFetch`; a test's `io.runtimeFetch`). */
    #runtimeFetch() {
      const fetch = this.#clientFetch();
      return fetch !== undefined && fetch === (this.#io.runtimeFetch ?? runtimeFetch) ? fetch : undefined;
    }

    /**
     * What the core makes of request `id`'s attempt that failed with `failure` (`timeout` or
     * `network_error`): the next step, or `failure` thrown when there is none. An answer whose
     * body failed to come (`response`) is freed first.
     */
    #afterFailure(id, failure, response) {
      if (response) discard(response);
      const next = this.#core.afterFailure(id, failure.code === 'timeout', this.#io.random());
      if (next === FAILED) throw failure;
      return next;
    }

    /**
     * A plain call through `fetch`, the runtime's own (see #call): its first attempt, made with
     * the floor's steps of bench/README.md row 1 (the core's calls, one AbortController and timer)
     * when its token is good. That fetch rejects the request and its body's read once the
     * attempt's signal aborts (`runtimeFetch`), so `timeoutMs` needs no cut of its own (Attempt's);
     * the answer is checked as on the general path (checkResponse). An answer the core retries,
     * or a failure it retries, goes on in #send as the same request of the core (`resume`): its
     * retry event, wait and next attempts are #send's. A token that is not good yet: #send from
     * the start.
     */
    async #direct(fetch, path, consume, method) {
      // Not good yet (or a freed client): #send, which waits for a token (or throws).
      if (this.#wasm?.decide(this.#io.now()) !== USE) return this.#send(path, undefined, consume, method);
      let id;
      let resume;
      try {
        const url = this.#urls.get(path) ?? this.#resolve(path);
        const req = this.#plainRequest(method);
        id = this.#core.beginRequest(req.mayRetry, req.replayable);
        const ms = this.#config.timeoutMs;
        const controller = new AbortController();
        const timer = this.#io.setTimeout(timeOut, ms, controller);
        let response;
        let text;
        let next;
        let judging = false;
        try {
          const headers = withToken(req.headers, this.#bearer(this.#core.tokenFor(id)));
          // Called as a plain function: a browser's fetch refuses any other `this`.
          response = await fetch(url, { ...req.request, headers, signal: controller.signal });
          checkResponse(response); // a SpikeError: as it is (below)
          // A 401 waits for its body's error code (is it an expired token?), read from a clone.
          const code = response.status === 401 ? errorCode(await response.clone().text()) : undefined;
          judging = true;
          next = this.#next(id, response, code);
          judging = false;
          if (consume && (next === SUCCEEDED || next === FAILED)) text = await response.text();
        } catch (cause) {
          // Judging the answer is not the exchange (as in Attempt.answer): its errors as they are.
          if (judging || cause instanceof SpikeError) throw cause;
          const failure = exchangeFailure(controller.signal.reason === TIMED_OUT, ms, cause);
          resume = { id, next: this.#afterFailure(id, failure, response), failure };
        } finally {
          this.#io.clearTimeout(timer);
        }
        if (resume === undefined) {
          if (next === SUCCEEDED || next === FAILED) return this.#result(consume, response, text, next === SUCCEEDED, req.method, url);
          discard(response);
          resume = { id, next, status: response.status };
        }
      } catch (err) {
        this.#emit('error', err);
        throw err;
      } finally {
        // Ended here unless #send goes on with it (the core may have been freed meanwhile).
        if (id !== undefined && resume === undefined) this.#wasm?.endRequest(id);
      }
      return this.#send(path, undefined, consume, method, undefined, resume);
    }

    /**
     * A whole call of fetch(), request() or a verb (`method` given: then `init` and `body` go
     * through `withBody` first): token, attempts, and the retries the core asks for. `consume`:
     * read the final answer's body inside the attempt, under its deadline, and resolve to its JSON
     * (or text), or throw the core's error for a non-2xx answer; else resolve to the Response. A
     * failure is also emitted as `error` (as `#reporting` does). One async frame for all of it:
     * this is the hot path, and every frame in flight is more for the GC to keep and copy.
     * `resume`: a plain call's first attempt, already made by #direct (its request `id` in the
     * core, and what the core made of it, `next`, with its `failure` or answer `status`).
     */
    async #send(path, init, consume, method, body, resume) {
      try {
        // A call without init or body (a plain GET): its request is read once (see #plainRequest).
        const plain = (init === undefined || init === null) && body === undefined;
        if (method !== undefined && !plain) init = withBody(init, method, body, this.#typeSet);
        const url = this.#urls.get(path) ?? this.#resolve(path);
        const req = plain ? this.#plainRequest(method) : this.#readRequest(init);
        // The request's retry budget lives in the core until endRequest (a plain request's
        // mayRetry was read once, with the request: no string crosses into wasm per request).
        const id = resume ? resume.id : this.#core.beginRequest(req.mayRetry, req.replayable);
        // Listening to the caller's signal starts inside the try, so that `finally` always stops
        // it (a freed client throws above, before any listener is added).
        let abort = this.#unsignalled;
        let keepListening = false;
        let answer; // the final answer, its body's text (when consumed), and whether it succeeded
        let text;
        let succeeded;
        try {
          if (req.signal !== undefined) abort = new Abort(req.signal, this.#io);
          for (;;) {
            let failure;
            let next;
            let status;
            if (resume) {
              ({ next, failure, status } = resume);
              resume = undefined;
            } else {
              // The token: at once when the current one is good (the hot path), else after a refresh.
              const step = this.#core.decide(this.#io.now());
              if (step !== USE) await this.#ensureToken(step, abort);
              // This attempt's own headers, with its token (see #begin).
              const headers = withToken(req.headers, this.#bearer(this.#core.tokenFor(id)));
              let attempt;
              try {
                attempt = this.#begin(abort, id, consume);
                // The usual answer is judged, and its body read, inside the attempt (see #judge).
                await attempt.answer(url, { ...req.request, headers, signal: undefined }, this.#judge);
                const { response } = attempt;
                if (attempt.next === undefined && this.#afterAnswer(attempt, await apiErrorCode(attempt))) {
                  attempt.text = await attempt.read(response.text());
                }
                next = attempt.next;
                if (next === SUCCEEDED || next === FAILED) {
                  text = attempt.text;
                  // fetch(): the caller reads the body, still abortable through its signal.
                  keepListening = !consume;
                  answer = response;
                  succeeded = next === SUCCEEDED;
                  break;
                }
                status = response.status;
                discard(response);
              } catch (err) {
                if (err.code !== 'timeout' && err.code !== 'network_error') throw err;
                failure = err;
                // An answer whose body failed to come (none when fetch itself failed).
                next = this.#afterFailure(id, failure, attempt?.response);
              } finally {
                attempt?.settle();
              }
            }
            // One count for every retry of this request, whatever its reason.
            const retry = this.#core.retries(id);
            if (next === RETRY_NOW) {
              this.#emit('retry', { attempt: retry, reason: 'token_expired', status: 401, delayMs: 0, method: req.method, url });
              continue;
            }
            if (next !== RETRY_LATER) throw unknownStep('AttemptStep', next);
            const delay = this.#core.retryDelay(id);
            this.#emit('retry', { attempt: retry, reason: failure ? failure.code : 'status', ...(failure ? {} : { status }), delayMs: Math.round(delay), method: req.method, url });
            await abort.sleep(delay);
          }
        } finally {
          // The core may have been freed meanwhile (free()), and the budget with it.
          this.#wasm?.endRequest(id);
          if (!keepListening) abort.done();
        }
        return this.#result(consume, answer, text, succeeded, req.method, url);
      } catch (err) {
        this.#emit('error', err);
        throw err;
      }
    }

    /**
     * What a call resolves to once its final answer came (`response`, with its body's `text` when
     * `consume`): the Response (fetch()), or the body's JSON (or text) if it `succeeded`; else
     * the core's error for the answer.
     */
    #result(consume, response, text, succeeded, method, url) {
      if (!consume) return response;
      let parsed = null;
      if (text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      if (succeeded) return parsed;
      throw this.#core.answerError(response.status, method, url, parsed);
    }
  };
  Object.defineProperty(SpikeClient, 'name', { value: 'SpikeClient' });
  return SpikeClient;
}
