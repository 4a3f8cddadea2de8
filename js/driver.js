// SpikeClient: the IO around the wasm `SpikeCore` (src/wasm/client/). This file performs what the
// core decides — it calls fetch, arms timers and abort signals, calls the token source, emits
// events — and asks the core at every step: which token to send, whether to refresh, what to do
// with an answer, which error the caller gets. No policy lives here.

// core.decide(): a generation (> 0) to send, or:
const WAIT = 0;
const REFRESH = -1;
const BACK_OFF = -2;
// core.afterAnswer() / core.afterFailure(): a delay (>= 0) before retrying, or:
const DONE = -1;
const TOKEN_RETRY = -2;

const EVENTS = ['tokenRefreshed', 'retry', 'error'];
const TIMED_OUT = Symbol('timeout');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function defineSpikeClient(SpikeCore, SpikeError) {
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

  /** `init` with `method` set and a plain object/array/number/boolean/null body as JSON. */
  const withBody = (init, method, body) =>
    reading(() => {
      const out = init !== null && typeof init === 'object' ? { ...init } : {};
      out.method = method;
      if (body === undefined) return out;
      const proto = body !== null && typeof body === 'object' ? Object.getPrototypeOf(body) : undefined;
      const json = Array.isArray(body) || proto === null || proto === Object.prototype || ['number', 'boolean'].includes(typeof body);
      if (!json) {
        out.body = body;
        return out;
      }
      let text;
      try {
        text = JSON.stringify(body);
      } catch {
        throw invalid('the body cannot be encoded as JSON (a cycle or a BigInt?)');
      }
      const headers = reading(() => new Headers(out.headers), 'init.headers is not valid headers');
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      out.headers = headers;
      out.body = text;
      return out;
    }, 'init could not be read as fetch options');

  /** The caller's init, read once: what every attempt sends, plus what the core needs to know. */
  const readInit = (init, defaults) => {
    if (init === undefined || init === null) init = {};
    else if (typeof init !== 'object') throw invalid("init must be an object like fetch's");
    const req = reading(() => {
      const { retry, ...request } = init;
      return {
        request,
        method: typeof init.method === 'string' ? init.method.toUpperCase() : 'GET',
        signal: init.signal !== null && typeof init.signal === 'object' ? init.signal : undefined,
        replayable: !(typeof ReadableStream === 'function' && init.body instanceof ReadableStream),
        forceRetry: typeof retry === 'boolean' ? retry : undefined,
        headers: init.headers,
      };
    }, 'init could not be read as fetch options');
    // No headers to merge (the usual case): a plain object, which fetch validates once. Else a
    // Headers object, the caller's values first, then the client's defaults where absent.
    if ((req.headers === undefined || req.headers === null) && defaults.length === 0) {
      req.headers = {};
    } else {
      const given = req.headers;
      req.headers = reading(() => new Headers(given ?? undefined), 'init.headers is not valid headers');
      for (const [name, value] of defaults) if (!req.headers.has(name)) req.headers.set(name, value);
    }
    req.request.method = req.method;
    req.request.headers = req.headers;
    return req;
  };

  /** The `error` field of a 401's JSON body, read from a clone so the caller still gets the body. */
  const apiErrorCode = async (response) => {
    try {
      const body = await response.clone().json();
      return typeof body?.error === 'string' ? body.error : undefined;
    } catch {
      return undefined;
    }
  };

  /** Frees an answer nobody will read (its body would otherwise hold the connection). */
  const discard = (response) => {
    response.body?.cancel().catch(() => {});
  };

  return class SpikeClient {
    #wasm; // the SpikeCore, until free()
    #config;
    #token = null; // { value, generation }, the core's current token
    #refreshing = null; // the running refresh, shared by every caller that waits for it
    #listeners = new Map(EVENTS.map((e) => [e, new Set()]));
    #urls = new Map(); // path -> URL as the core resolved it (apps call a handful of paths)

    constructor(options) {
      this.#wasm = new SpikeCore(options);
      this.#config = this.#wasm.config();
      if (this.#config.source === 'token') this.#token = { value: this.#config.token, generation: 1 };
    }

    get #core() {
      if (!this.#wasm) throw invalid('this SpikeClient was freed');
      return this.#wasm;
    }

    /** Releases the wasm memory now instead of at garbage collection; the client is unusable after. */
    free() {
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
      return this.#reporting(async () => (await this.#send(path, init)).response);
    }

    request(path, init) {
      return this.#reporting(() => this.#request(path, init));
    }

    get(path, init) {
      return this.#verb(path, init, 'GET');
    }

    post(path, body, init) {
      return this.#verb(path, init, 'POST', body);
    }

    put(path, body, init) {
      return this.#verb(path, init, 'PUT', body);
    }

    patch(path, body, init) {
      return this.#verb(path, init, 'PATCH', body);
    }

    delete(path, init) {
      return this.#verb(path, init, 'DELETE');
    }

    getToken() {
      return this.#reporting(async () => (await this.#currentToken()).value);
    }

    tokenInfo() {
      return this.#core.tokenInfo(Date.now());
    }

    invalidateToken() {
      this.#core.invalidate();
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

    #verb(path, init, method, body) {
      return this.#reporting(async () => this.#request(path, withBody(init, method, body)));
    }

    async #request(path, init) {
      const { response, method, url } = await this.#send(path, init);
      const text = await response.text();
      let body = null;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      if (response.status >= 200 && response.status < 300) return body;
      throw this.#core.answerError(response.status, method, url, body);
    }

    /** A token to send now. Waits for a running refresh instead of starting another. */
    async #currentToken(first = this.#core.decide(Date.now())) {
      for (let decision = first; ; decision = this.#core.decide(Date.now())) {
        if (decision > 0) return this.#token;
        if (decision === BACK_OFF) {
          await sleep(this.#core.notBefore() - Date.now());
          continue;
        }
        if (decision === REFRESH || (decision === WAIT && !this.#refreshing)) this.#refresh();
        await this.#refreshing;
        // Use the token that refresh produced, even if it is short-lived: never refresh twice in
        // a row for one call (that is how refresh loops start).
        if (this.#token) return this.#token;
      }
    }

    #refresh() {
      const forced = this.#core.beginRefresh();
      this.#refreshing = (async () => {
        try {
          const generation = this.#config.source === 'tokenProvider' ? await this.#fromProvider(forced) : await this.#fromEndpoint(forced);
          this.#token = { value: this.#core.currentToken(), generation };
        } catch (err) {
          this.#core.refreshFailed(Date.now());
          throw err;
        } finally {
          this.#refreshing = null;
        }
        if (this.#listeners.get('tokenRefreshed').size) this.#emit('tokenRefreshed', this.tokenInfo());
      })();
    }

    /** Calls the provider; one that never settles gets `timeoutMs`, so it cannot hang every call. */
    async #fromProvider(forceRefresh) {
      const provider = this.#config.provider;
      const ms = this.#config.timeoutMs;
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(providerFailed(`tokenProvider did not answer within ${Math.round(ms)} ms`)), ms);
      });
      try {
        let called;
        try {
          called = provider({ forceRefresh });
        } catch (cause) {
          throw providerFailed('tokenProvider threw', cause);
        }
        const answered = Promise.resolve(called).catch((cause) => {
          throw providerFailed('tokenProvider rejected', cause);
        });
        return this.#core.installFromProvider(await Promise.race([answered, timeout]), Date.now());
      } finally {
        clearTimeout(timer);
      }
    }

    /**
     * Fetches the app's token endpoint (`tokenEndpoint`: its method, credentials, headers and body).
     * A forced refresh always says `Cache-Control: no-cache`, whatever the method, so neither the
     * backend's token cache nor one in between answers the token the API just rejected.
     */
    async #fromEndpoint(forced) {
      const { url, method, credentials, headers: given, body, json } = this.#config.endpoint;
      const headers = typeof given === 'function' ? await this.#endpointHeaders(given, forced) : new Headers(given);
      if (!headers.has('accept')) headers.set('accept', 'application/json');
      if (json && !headers.has('content-type')) headers.set('content-type', 'application/json');
      if (forced) headers.set('cache-control', 'no-cache');
      let response;
      try {
        response = await this.#attempt(url, { method, headers, credentials, body });
      } catch (cause) {
        throw providerFailed('the token endpoint could not be reached', cause);
      }
      const text = await response.text().catch(() => '');
      return this.#core.installFromEndpoint(response.status, text, Date.now());
    }

    /** `tokenEndpoint.headers` as a function, run per token fetch; it gets `timeoutMs`, like a provider. */
    async #endpointHeaders(headersFn, forceRefresh) {
      const ms = this.#config.timeoutMs;
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(providerFailed(`tokenEndpoint.headers did not answer within ${Math.round(ms)} ms`)), ms);
      });
      try {
        const called = (async () => headersFn({ forceRefresh }))().catch((cause) => {
          throw providerFailed('tokenEndpoint.headers threw or rejected', cause);
        });
        const given = await Promise.race([called, timeout]);
        try {
          return new Headers(given ?? undefined);
        } catch (cause) {
          throw providerFailed('tokenEndpoint.headers gave something that is not headers', cause);
        }
      } finally {
        clearTimeout(timer);
      }
    }

    /** One fetch with `timeoutMs`, aborted if the caller's signal fires (which stays linked to the body). */
    async #attempt(url, init, callerSignal) {
      if (callerSignal?.aborted) throw aborted(callerSignal.reason);
      const fetch = this.#config.fetch ?? globalThis.fetch;
      if (typeof fetch !== 'function') throw invalid('no fetch available: pass the fetch option (Node < 18 has no global fetch)');
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(TIMED_OUT), this.#config.timeoutMs);
      callerSignal?.addEventListener('abort', () => controller.abort(callerSignal.reason), { once: true });
      try {
        // fetch copies init when called, so the one object serves every attempt.
        init.signal = controller.signal;
        return await fetch(url, init);
      } catch (cause) {
        if (callerSignal?.aborted) throw aborted(callerSignal.reason);
        if (controller.signal.reason === TIMED_OUT) throw new SpikeError('timeout', `No answer within ${Math.round(this.#config.timeoutMs)} ms`);
        throw new SpikeError('network_error', 'The request failed before any HTTP answer (connection refused, reset or DNS)', { cause });
      } finally {
        clearTimeout(timer);
      }
    }

    #resolve(path) {
      const url = this.#core.resolveUrl(path);
      if (this.#urls.size >= 256) this.#urls.clear();
      this.#urls.set(path, url);
      return url;
    }

    /** The whole request: token, attempts, and the retries the core asks for. */
    async #send(path, init) {
      const url = this.#urls.get(path) ?? this.#resolve(path);
      const req = readInit(init, this.#config.headers);
      let tokenRetries = 0;
      let transientRetries = 0;
      for (;;) {
        // The token: at once when the current one is good (the hot path), else after a refresh.
        const decision = this.#core.decide(Date.now());
        const { value, generation } = decision > 0 ? this.#token : await this.#currentToken(decision);
        // fetch copies the headers when called, so one headers object serves every attempt.
        if (req.headers instanceof Headers) req.headers.set('authorization', `Bearer ${value}`);
        else req.headers.authorization = `Bearer ${value}`;
        let response;
        let failure;
        try {
          response = await this.#attempt(url, req.request, req.signal);
        } catch (err) {
          if (err.code !== 'timeout' && err.code !== 'network_error') throw err;
          failure = err;
        }
        let next;
        if (response) {
          const status = response.status;
          const code = status === 401 ? await apiErrorCode(response) : undefined;
          const retryAfter = status >= 400 ? (response.headers.get('retry-after') ?? undefined) : undefined;
          next = this.#core.afterAnswer(status, code, retryAfter, req.method, req.replayable, req.forceRetry, generation, tokenRetries, transientRetries, Date.now(), Math.random());
          if (next === DONE) return { response, method: req.method, url };
          discard(response);
        } else {
          next = this.#core.afterFailure(failure.code === 'timeout', req.method, req.replayable, req.forceRetry, transientRetries, Math.random());
          if (next === DONE) throw failure;
        }
        if (next === TOKEN_RETRY) {
          tokenRetries += 1;
          this.#emit('retry', { attempt: tokenRetries, reason: 'token_expired', status: 401, delayMs: 0, method: req.method, url });
          continue;
        }
        transientRetries += 1;
        const status = response ? { status: response.status } : {};
        this.#emit('retry', { attempt: transientRetries, reason: response ? 'status' : failure.code, ...status, delayMs: Math.round(next), method: req.method, url });
        await sleep(next);
        if (req.signal?.aborted) throw aborted(req.signal.reason);
      }
    }
  };
}
