//! The token handler's per-user cache: a page-reload storm must not mint a token per request.
//!
//! Freshness is judged by the token's lifetime anchored at the local time it was minted (like
//! the client), so a server clock that disagrees with the API's cannot make it hand out expired
//! tokens or mint on every request.

use std::collections::HashMap;

/// Default number of users kept; the oldest entry is dropped past it.
pub const DEFAULT_CAPACITY: usize = 10_000;
/// A forced refresh re-mints at most once per user per this many ms, unless it names the cached
/// token as the one the API refused (then at most once more in the same window).
pub const MIN_FORCED_REMINT_MS: f64 = 1_000.0;
/// Never hand out a cached token with less than this much life left...
const MAX_REUSE_MARGIN_MS: f64 = 300_000.0;
/// ...nor in the last second before that: `expires_in` is whole seconds, rounded down, so a client
/// judges a cached token up to a second older than we do. Without this, a client whose refresh
/// point is the same (a short token: its leeway and our margin are both half the lifetime) could
/// ask at its refresh point, still inside our window, and get back a token already due.
const ROUNDING_SLACK_MS: f64 = 1_000.0;

#[derive(Clone, Debug, PartialEq)]
pub struct CachedToken {
    pub token: String,
    pub expires_at: String,
    /// Local time (ms) after which the cached token is no longer handed out.
    pub reuse_until_ms: f64,
    /// Local time (ms) at which the token expires (its lifetime anchored at minting).
    pub expires_local_ms: f64,
    /// Local time (ms) it was stored.
    pub stored_at_ms: f64,
    /// Minted because a request named the previous token as refused.
    pub replaced_refused: bool,
    stored_seq: u64,
}

/// What a forced request (`Cache-Control: no-cache`) gets.
#[derive(Clone, Debug, PartialEq)]
pub enum Forced<'a> {
    /// The cached token: a flood of `no-cache` requests within a second of a mint shares it.
    Serve(&'a CachedToken),
    /// Mint a new token now.
    Mint,
    /// Mint a new token now, replacing the cached one, which the request named as refused.
    Replace,
    /// Mint, but not before this local time (ms): the cached token is the refused one and was
    /// itself minted to replace a refused token less than a second ago.
    MintAt(f64),
}

impl CachedToken {
    pub fn seconds_left(&self, now_ms: f64) -> f64 {
        ((self.expires_local_ms - now_ms) / 1000.0).floor().max(0.0)
    }
}

#[derive(Debug)]
pub struct TokenCache {
    entries: HashMap<String, CachedToken>,
    capacity: usize,
    seq: u64,
}

impl TokenCache {
    pub fn new(capacity: usize) -> Self {
        TokenCache { entries: HashMap::new(), capacity: capacity.max(1), seq: 0 }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A cached token for `user` that still has a comfortable part of its life left.
    pub fn get(&self, user: &str, now_ms: f64) -> Option<&CachedToken> {
        self.entries.get(user).filter(|e| now_ms < e.reuse_until_ms)
    }

    /// Like `get` for a request that asked for a fresh token (`Cache-Control: no-cache`, sent by
    /// the client when the API rejected its token): the cache still answers if its token is under
    /// [`MIN_FORCED_REMINT_MS`] old, so such requests cannot make the handler mint on every call.
    pub fn get_forced(&self, user: &str, now_ms: f64) -> Option<&CachedToken> {
        match self.forced(user, now_ms, None) {
            Forced::Serve(entry) => Some(entry),
            _ => None,
        }
    }

    /// A forced request, which may name the token the API refused (`refused`, its fingerprint,
    /// see `crate::common::fingerprint`). The refused token is never served: naming the cached token
    /// re-mints at once, however young it is, so a client whose fresh token the API revoked gets
    /// a new one. Such re-mints stay bounded: one whose cached token already replaced a refused
    /// one within the window waits for the window's end, so a client that names every token it
    /// gets as refused makes at most two mints per second. Without a (matching) name, the
    /// `no-cache` flood throttle of [`Self::get_forced`] applies.
    pub fn forced(&self, user: &str, now_ms: f64, refused: Option<&str>) -> Forced<'_> {
        let Some(entry) = self.get(user, now_ms) else { return Forced::Mint };
        let young = now_ms - entry.stored_at_ms < MIN_FORCED_REMINT_MS;
        if refused.is_some_and(|r| crate::common::fingerprint::names(r, &entry.token)) {
            return if entry.replaced_refused && young {
                Forced::MintAt(entry.stored_at_ms + MIN_FORCED_REMINT_MS)
            } else {
                Forced::Replace
            };
        }
        if young {
            Forced::Serve(entry)
        } else {
            Forced::Mint
        }
    }

    /// Stores a token that lives `lifetime_secs` from `now_ms`. It is reused until a second before
    /// the last `min(5 min, half its lifetime)`, so short tokens are still reused for about half
    /// their life.
    pub fn put(&mut self, user: &str, token: String, expires_at: String, lifetime_secs: f64, now_ms: f64) {
        self.put_replacing(user, token, expires_at, lifetime_secs, now_ms, false);
    }

    /// [`Self::put`] for a token minted because the request named the cached one as refused.
    pub fn put_replacing(
        &mut self,
        user: &str,
        token: String,
        expires_at: String,
        lifetime_secs: f64,
        now_ms: f64,
        replaced_refused: bool,
    ) {
        let lifetime_ms = (lifetime_secs * 1000.0).max(0.0);
        let margin = MAX_REUSE_MARGIN_MS.min(lifetime_ms / 2.0);
        if self.entries.len() >= self.capacity && !self.entries.contains_key(user) {
            self.entries.retain(|_, e| now_ms < e.reuse_until_ms);
            if self.entries.len() >= self.capacity {
                let oldest = self.entries.iter().min_by_key(|(_, e)| e.stored_seq).map(|(k, _)| k.clone());
                if let Some(k) = oldest {
                    self.entries.remove(&k);
                }
            }
        }
        self.seq += 1;
        let entry = CachedToken {
            token,
            expires_at,
            reuse_until_ms: now_ms + lifetime_ms - margin - ROUNDING_SLACK_MS,
            expires_local_ms: now_ms + lifetime_ms,
            stored_at_ms: now_ms,
            replaced_refused,
            stored_seq: self.seq,
        };
        self.entries.insert(user.to_owned(), entry);
    }

    pub fn remove(&mut self, user: &str) {
        self.entries.remove(user);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_until_the_margin() {
        let mut c = TokenCache::new(10);
        c.put("u", "t".into(), "e".into(), 3600.0, 0.0);
        assert_eq!(c.get("u", 600_000.0).map(|e| e.seconds_left(600_000.0)), Some(3000.0));
        assert_eq!(c.get("u", 3_298_999.0).map(|e| e.token.as_str()), Some("t"));
        assert!(c.get("u", 3_299_000.0).is_none());
        c.put("short", "s".into(), "e".into(), 30.0, 0.0);
        assert!(c.get("short", 13_999.0).is_some());
        assert!(c.get("short", 14_000.0).is_none());
        assert!(c.get("nobody", 0.0).is_none());
    }

    #[test]
    fn a_client_at_its_refresh_point_is_never_served_the_same_token() {
        // A 30 s token; a client gets it `d` ms after it was stored, with `expires_in` rounded
        // down as the handler sends it, and refreshes when half the lifetime (its leeway) is left.
        for d in [0.0, 1.0, 150.0, 850.0, 999.0, 5_000.0, 13_999.0] {
            let mut c = TokenCache::new(10);
            c.put("u", "t".into(), "e".into(), 30.0, 0.0);
            let Some(expires_in) = c.get("u", d).map(|e| e.seconds_left(d)) else { continue };
            let refresh_at = d + expires_in * 1000.0 - 15_000.0;
            assert!(c.get("u", refresh_at).is_none(), "got at {d} ms, refreshes at {refresh_at} ms: a new token");
        }
    }

    #[test]
    fn forced_requests_bypass_the_cache_at_most_once_a_second() {
        let mut c = TokenCache::new(10);
        c.put("u", "t".into(), "e".into(), 3600.0, 0.0);
        assert!(c.get_forced("u", 999.0).is_some());
        assert!(c.get_forced("u", 1000.0).is_none());
        assert!(c.get("u", 1000.0).is_some());
    }

    #[test]
    fn naming_the_cached_token_as_refused_re_mints_within_the_window_but_stays_bounded() {
        use crate::common::fingerprint::fingerprint;
        let mut c = TokenCache::new(10);
        c.put("u", "t1".into(), "e".into(), 3600.0, 0.0);
        let t1 = fingerprint("t1");
        // Without a name, or naming another token: the flood throttle serves the cached token.
        assert!(matches!(c.forced("u", 100.0, None), Forced::Serve(e) if e.token == "t1"));
        assert!(matches!(c.forced("u", 100.0, Some(&fingerprint("older"))), Forced::Serve(e) if e.token == "t1"));
        assert_eq!(c.forced("u", 1000.0, None), Forced::Mint, "after the window, no-cache re-mints as before");
        // Naming it: a new token at once, 100 ms after the mint.
        assert_eq!(c.forced("u", 100.0, Some(&t1)), Forced::Replace);
        c.put_replacing("u", "t2".into(), "e".into(), 3600.0, 150.0, true);
        // Late requests naming t1 share t2; naming t2 too soon waits out the window, never serves t2.
        assert!(matches!(c.forced("u", 200.0, Some(&t1)), Forced::Serve(e) if e.token == "t2"));
        assert_eq!(c.forced("u", 200.0, Some(&fingerprint("t2"))), Forced::MintAt(1150.0));
        assert_eq!(c.forced("u", 1150.0, Some(&fingerprint("t2"))), Forced::Replace);
        assert_eq!(c.forced("nobody", 0.0, Some(&t1)), Forced::Mint);
    }

    #[test]
    fn stays_bounded_dropping_expired_then_oldest() {
        let mut c = TokenCache::new(3);
        for (i, user) in ["a", "b", "c"].iter().enumerate() {
            c.put(user, format!("t{i}"), "e".into(), 3600.0, 0.0);
        }
        c.put("d", "td".into(), "e".into(), 3600.0, 1.0);
        assert_eq!(c.len(), 3);
        assert!(c.get("a", 2.0).is_none(), "oldest dropped");
        assert!(c.get("d", 2.0).is_some());
        c.put("b", "tb2".into(), "e".into(), 3600.0, 2.0);
        assert_eq!(c.len(), 3, "updating an existing user does not evict");
    }
}
