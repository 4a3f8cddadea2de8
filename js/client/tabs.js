// `shareAcrossTabs`: same-origin tabs and workers whose clients have the same token source share
// one token, in memory only (nothing is written to any storage). A BroadcastChannel carries the
// tokens; a Web Lock elects the one tab that fetches. No wait on another tab is without a deadline:
// the browser releases the lock of a closed tab, and a waiter steals the lock of a tab that holds
// it past `timeoutMs` (frozen, or stuck), then fetches itself.
// Outside a browser, or where BroadcastChannel or navigator.locks is missing, nothing is shared: null.

/** How long the tab about to fetch waits for another tab to answer "who has a token?". */
const ASK_MS = 100;

/**
 * The channel (and lock) name: the explicit name, or the token source and `baseUrl` (the
 * endpoint's URL, method and string, JSON or URLSearchParams body; a provider function cannot be
 * compared across tabs, so every provider on one `baseUrl` shares unless named). Not hashed: two
 * sources never get one name.
 */
function channelName(option, { source, endpoint, baseUrl }, invalid) {
  const named = typeof option === 'string' && option.trim() !== '';
  if (option !== true && !named) throw invalid('shareAcrossTabs must be true, false or a non-empty channel name');
  if (source === 'token') throw invalid('shareAcrossTabs needs a tokenProvider or tokenEndpoint, not a static token');
  const { url, method, body } = endpoint ?? {};
  return `spike-sdk-tabs:${JSON.stringify(named ? ['name', option] : [source, url, method, bodyKey(body, invalid), baseUrl])}`;
}

/**
 * The body's part of the channel name: a string (JSON is one by now) as it is, URLSearchParams by
 * its text. A Blob, FormData or bytes cannot be read here (or not at once): two users' clients
 * that differ only there would share, so `true` is refused and the channel must be named.
 */
function bodyKey(body, invalid) {
  if (body === undefined || body === null || typeof body === 'string') return body ?? null;
  const tag = Object.prototype.toString.call(body).slice(8, -1);
  if (tag === 'URLSearchParams') return ['form', String(body)];
  throw invalid(
    `shareAcrossTabs: true cannot tell apart token endpoints whose body is a ${tag} (only a string, JSON or URLSearchParams body is part of the channel): name the channel, e.g. shareAcrossTabs: \`spike-\${userId}\``,
  );
}

/**
 * `option`: `shareAcrossTabs` (true or a name; checked here). `core`: what the driver lets this
 * file ask of the client's SpikeCore (`usable(now)`, `token()`, `tokenInfo(now)`, `install(data,
 * now)`, `invalidate()`, `refreshFailed(now)`); its `install` is the core's install from a tab,
 * which checks every token that comes from another tab like one from the source, and more.
 * `installed(passive)`: a token from another tab is now the client's (`passive`: outside a
 * refresh of this client, which announces it itself).
 * `io`: the driver's clock and timers.
 */
export function shareTokens(option, core, config, invalid, installed, io) {
  const name = channelName(option, config, invalid);
  const { timeoutMs } = config;
  const locks = globalThis.navigator?.locks;
  // Pages and workers of a browser only: a server runtime that has both (Node 24, Deno) has no
  // tabs, and an open channel would keep its process alive (Deno).
  const browser = typeof document === 'object' || (typeof WorkerGlobalScope === 'function' && globalThis instanceof WorkerGlobalScope);
  if (!browser || typeof BroadcastChannel !== 'function' || typeof locks?.request !== 'function') return null;
  const channel = new BroadcastChannel(name);
  const post = (message) => {
    try {
      channel.postMessage(message);
    } catch {
      // Closed by free(): nobody left to tell.
    }
  };
  let wait = null; // this client's running refresh
  // Every client of the channel holds this lock (shared) while it lives, so the tab about to
  // fetch knows how many answers to wait for: none in a lone tab.
  const here = `${name} here`;
  let leave;
  locks.request(here, { mode: 'shared' }, () => new Promise((resolve) => (leave = resolve))).catch(() => {});
  const others = async () => {
    try {
      const { held = [], pending = [] } = await locks.query();
      return [...held, ...pending].filter((lock) => lock.name === here).length - 1;
    } catch {
      return Infinity;
    }
  };

  /** The current token if this client would send it now, with its expiry, else null. */
  const shareable = () => {
    const now = io.now();
    if (!core.usable(now)) return null;
    const { expiresAt } = core.tokenInfo(now);
    const token = core.token();
    return expiresAt === null ? { token } : { token, expires_in: (expiresAt - now) / 1000, expires_at: new Date(expiresAt).toISOString() };
  };
  /** Sends this client's token if it has one to give; returns whether it did. */
  const offerMine = () => {
    const mine = shareable();
    if (mine) post({ type: 'token', ...mine });
    return Boolean(mine);
  };

  /**
   * Installs a token from another tab, if the core takes it (`install`: never one this client
   * holds or held, never one that expires before the current one while that one is good;
   * `TokenState::takes_shared`). Returns whether it did.
   */
  const take = (data, passive) => {
    try {
      // Not installed: held before, older, or superseded (invalidated meanwhile): dropped.
      if (!core.install(data, io.now())) return false;
    } catch {
      return false; // not a token: ignored, as if never sent
    }
    installed(passive);
    return true;
  };

  channel.onmessage = ({ data }) => {
    if (data?.type === 'ask') offerMine() || post({ type: 'none' });
    else if (data?.type === 'none') wait?.answered();
    else if (data?.type === 'token') wait ? wait.take(data) : take(data, true);
    else if (data?.type === 'invalidate') {
      core.invalidate();
      wait?.invalidated();
    } else if (data?.type === 'late') wait?.late();
  };

  return {
    /** invalidateToken() (after the core's invalidate()): the other tabs invalidate too. */
    invalidated: () => {
      post({ type: 'invalidate' });
      wait?.invalidated();
    },
    /** free(): leaves the channel, and a refresh still queued for the lock never fetches. */
    close: () => {
      channel.close();
      leave?.();
      wait?.cancel();
    },
    /**
     * One refresh: resolves to whether a token was installed: one from another tab, or the one
     * that `fetch()` (the token source) gives while this tab holds the lock (false: superseded).
     */
    refresh: (fetch) =>
      new Promise((resolve, reject) => {
        const queued = new AbortController();
        let granted = false;
        let answered = () => {}; // counts an answer to this tab's ask
        let hush = () => {}; // ends the wait for answers
        let fetching = false;
        let timer;
        const end = (settle, value) => {
          if (wait !== self) return;
          wait = null;
          io.clearTimeout(timer);
          queued.abort();
          hush();
          settle(value);
        };
        const underLock = async () => {
          if (granted || wait !== self) return;
          granted = true;
          io.clearTimeout(timer);
          // Ask the others: one that has a newer token gives it (the token of the tabs a new tab
          // joins, or one sent just before the lock came: a message and a lock grant are not
          // ordered). Every live client answers; a frozen one does not, hence the time limit.
          const count = await others();
          if (count > 0 && wait === self) {
            await new Promise((resolve) => {
              hush = resolve;
              let answers = 0;
              answered = () => ++answers >= count && resolve();
              io.setTimeout(resolve, Math.min(ASK_MS, timeoutMs));
              post({ type: 'ask' });
            });
          }
          if (wait !== self) return;
          fetching = true;
          try {
            const installedHere = await fetch();
            offerMine(); // before the lock is released
            end(resolve, installedHere);
          } catch (err) {
            end(reject, err);
          }
        };
        // The holder has had `timeoutMs` (closed tabs release at once): tell the other waiters
        // (they wait on), take the lock and fetch. A little jitter (the deadline falls in the
        // last tenth of `timeoutMs`), so one waiter goes first.
        const steal = () => {
          if (granted || wait !== self) return;
          post({ type: 'late' });
          queued.abort();
          locks.request(name, { steal: true }, underLock).catch(noLock);
        };
        const arm = () => {
          io.clearTimeout(timer);
          timer = io.setTimeout(steal, timeoutMs * (0.9 + io.random() / 10));
        };
        // No lock to be had (an opaque origin refuses it): fetch alone. AbortError: ours.
        const noLock = (err) => err?.name === 'AbortError' || underLock();
        const self = {
          take: (data) => {
            if (!fetching && take(data, false)) end(resolve, true);
            else answered();
          },
          answered: () => answered(),
          late: () => granted || arm(),
          // An invalidation superseded this refresh: every token it could take from another tab
          // would be dropped, and it would end up fetching itself once it had the lock (one fetch
          // per waiting tab, in a row). Not yet fetching, it ends now: the core's refresh is over
          // (superseded: no back-off), and false (superseded) makes the driver's waiters decide again
          // and start one refresh in the new epoch, which can take the token another tab sends.
          // A fetching one goes on: ending it and starting another would make the core take the
          // old fetch's token as the new refresh's. Its install is dropped; then its waiters
          // decide again.
          invalidated: () => {
            if (fetching) return;
            core.refreshFailed(io.now());
            end(resolve, false);
          },
          cancel: () => end(reject, invalid('this SpikeClient was freed')),
        };
        wait = self;
        locks.request(name, { signal: queued.signal }, underLock).catch(noLock);
        arm();
      }),
  };
}
