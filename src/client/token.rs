//! The client's token state: which token to send, when to refresh, and who refreshes.
//!
//! Single flight: one refresh at a time; everyone who needs a token meanwhile waits for it.
//! Generations: every new token gets the next number, so a request that was sent with token
//! `g` and answered `token_expired` can tell whether someone already refreshed since (use the new
//! token) or not (refresh) — 100 requests failing together cause one refresh, not 100.
//! Rejections: a token is replaced after two `token_expired` answers in a row; a single one
//! between acceptances is retried with the same token, so stray rejections from a flaky API do
//! not cost a token fetch each.
//! Backoff: after a failed refresh the next one waits a little (doubling, capped), so a down
//! token backend is not hammered but is used again within seconds once it is back.
//! Epochs: a refresh remembers the epoch it started in, and every change that makes what it is
//! fetching unusable (`invalidate()`, the rejection that marks the token stale, a token installed
//! meanwhile) starts a new epoch. A refresh that ends in an older epoch is superseded: its token
//! is dropped, never installed or handed out, and its failure counts for nothing; its waiters
//! decide again, which starts one forced refresh for all of them.
//! A static token (`token` option) goes through the same state: installed at construction as
//! generation 1 and fixed (never refreshed; past its `exp` it is `Expired`).

use crate::client::expiry::Timing;
use alloc::string::String;

pub const REFRESH_BACKOFF_BASE_MS: f64 = 250.0;
pub const REFRESH_BACKOFF_MAX_MS: f64 = 4_000.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub value: String,
    /// The payload JSON, for `tokenInfo().claims`.
    pub claims_json: String,
    pub timing: Timing,
    pub generation: u64,
}

/// What to do after the API answered `401 token_expired` to a request.
#[derive(Clone, Debug, PartialEq)]
pub enum Rejected {
    /// A newer token (this generation) arrived since the request was sent: retry with it.
    Newer(u64),
    /// The token's first rejection since it was last accepted: retry with the same token.
    Again(u64),
    /// The token is now stale: get a token through `decide` (which refreshes, or waits for the
    /// refresh someone else started).
    Refresh,
}

/// Rejections in a row, with no acceptance between, after which a token is replaced. One alone
/// is retried as is: a token the API accepted just before is far more often hit by a hiccup than
/// really expired, and replacing it on every stray `token_expired` would fetch a token per failure.
pub const REJECTIONS_TO_REPLACE: u32 = 2;

/// What a caller that needs a token should do now.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// Send the current token (`TokenState::current`), of this generation.
    Use(u64),
    /// A refresh is running: wait for it.
    Wait,
    /// Start the refresh (the caller becomes the one refresher).
    Refresh,
    /// A refresh failed recently: wait until this local time, then decide again.
    BackOffUntil(f64),
    /// The fixed (static) token has expired: nothing can be sent.
    Expired,
}

/// How a failed refresh ends for the calls waiting on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// It was superseded: its failure is about a token nobody wants any more, so it starts no
    /// back-off and its waiters decide again.
    Moot,
    /// It counts (the back-off starts), but it began early, in the refresh leeway, and the
    /// current token is still alive: its waiters send that token (`decide` gives it during the
    /// back-off) instead of failing, since the API would still accept it.
    TokenLives,
    /// It counts, and there is no live token to fall back on, or the source said no (a signed-out
    /// user): its waiters get the error.
    Stands,
}

#[derive(Debug, Default)]
pub struct TokenState {
    current: Option<Token>,
    stale: bool,
    generation: u64,
    refreshing: bool,
    failures: u32,
    not_before_ms: f64,
    /// `token_expired` answers for the current token since it was last accepted.
    rejections: u32,
    /// See "Epochs" above.
    epoch: u64,
    /// The epoch the running (or last) refresh started in.
    refresh_epoch: u64,
    /// A static token: never refreshed.
    fixed: bool,
    /// The hashes of the last tokens this client replaced (a ring; see `has_held`).
    replaced: [u64; REMEMBERED],
    replaced_next: usize,
}

/// How many replaced tokens a client remembers (as hashes), so another tab cannot hand one back.
pub const REMEMBERED: usize = 8;

impl TokenState {
    /// The state of a client with a static token: that token, for good.
    pub fn fixed(value: String, claims_json: String, timing: Timing) -> TokenState {
        TokenState {
            current: Some(Token { value, claims_json, timing, generation: 1 }),
            generation: 1,
            fixed: true,
            ..TokenState::default()
        }
    }

    /// Whether the token can be replaced (a provider or endpoint client), so a `token_expired`
    /// answer is worth a refresh.
    pub fn is_refreshable(&self) -> bool {
        !self.fixed
    }

    /// When the current token will be refreshed (`tokenInfo().refreshAt`): infinite for a fixed
    /// token, which never is; `None` without a token.
    pub fn refresh_at_ms(&self, leeway_secs: f64) -> Option<f64> {
        let t = self.current.as_ref()?;
        // Not before the back-off of a failed refresh: an app that calls getToken() at this time
        // (to keep the token warm) then waits it out instead of spinning on a live token.
        Some(if self.fixed { f64::INFINITY } else { t.timing.refresh_at_ms(leeway_secs).max(self.not_before_ms) })
    }

    pub fn current(&self) -> Option<&Token> {
        self.current.as_ref()
    }

    /// Local time before which, after a failed refresh, no new refresh starts.
    pub fn not_before_ms(&self) -> f64 {
        self.not_before_ms
    }

    /// The current token, unless it was refused or invalidated, or has expired.
    fn usable(&self, now_ms: f64) -> Option<&Token> {
        self.current.as_ref().filter(|t| !self.stale && !t.timing.is_expired(now_ms))
    }

    pub fn decide(&self, now_ms: f64, leeway_secs: f64) -> Decision {
        if self.fixed {
            return match &self.current {
                Some(t) if !t.timing.is_expired(now_ms) => Decision::Use(t.generation),
                _ => Decision::Expired,
            };
        }
        let usable = self.usable(now_ms);
        if let Some(t) = usable {
            if !t.timing.needs_refresh(now_ms, leeway_secs) {
                return Decision::Use(t.generation);
            }
        }
        if self.refreshing {
            return Decision::Wait;
        }
        if now_ms < self.not_before_ms {
            // Inside the failure backoff: a token that is still alive is better than waiting.
            return match usable {
                Some(t) => Decision::Use(t.generation),
                None => Decision::BackOffUntil(self.not_before_ms),
            };
        }
        Decision::Refresh
    }

    /// Marks a refresh as running. Returns whether it is forced: the current token was rejected
    /// or invalidated, so a source that caches tokens must not hand back the same one.
    pub fn begin_refresh(&mut self) -> bool {
        self.refreshing = true;
        self.refresh_epoch = self.epoch;
        // Stale without a token: invalidated before the first token came (a user switch), or a
        // superseded fetch. Either way a caching source must not answer from its cache.
        self.stale
    }

    /// The token a forced refresh must not bring back: the current one, once the API refused it
    /// (two `token_expired` in a row) or the app invalidated it. A source that answers a forced
    /// refresh with this very token ignored `forceRefresh`: retrying with it could only fail again.
    pub fn refused(&self) -> Option<&str> {
        self.current.as_ref().filter(|_| self.stale).map(|t| t.value.as_str())
    }

    /// Whether the running refresh started before a change that makes its result unusable.
    pub fn refresh_superseded(&self) -> bool {
        self.refresh_epoch != self.epoch
    }

    /// Starts a new epoch: a refresh running now cannot install what it fetches.
    fn supersede(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
    }

    /// Installs what the running refresh fetched; returns its generation, or `None` (nothing
    /// installed, the refresh is over) when the refresh was superseded.
    pub fn refresh_succeeded(&mut self, value: String, claims_json: String, timing: Timing) -> Option<u64> {
        if self.refresh_superseded() {
            self.refreshing = false;
            return None;
        }
        self.supersede();
        self.refresh_epoch = self.epoch;
        self.generation += 1;
        if let Some(old) = self.current.take().filter(|old| old.value != value) {
            self.remember(&old.value);
        }
        self.current = Some(Token { value, claims_json, timing, generation: self.generation });
        self.stale = false;
        self.refreshing = false;
        self.rejections = 0;
        self.failures = 0;
        self.not_before_ms = 0.0;
        Some(self.generation)
    }

    fn remember(&mut self, value: &str) {
        if let Some(slot) = self.replaced.get_mut(self.replaced_next % REMEMBERED) {
            *slot = crate::common::fingerprint::hash(value);
        }
        self.replaced_next = self.replaced_next.wrapping_add(1);
    }

    /// Whether this client holds `value`, or held it before (one of the last `REMEMBERED` tokens
    /// it replaced: refused by the API, invalidated, or outlived).
    pub fn has_held(&self, value: &str) -> bool {
        self.current.as_ref().is_some_and(|t| t.value == value) || self.replaced.contains(&crate::common::fingerprint::hash(value))
    }

    /// Whether to install `value`, which another tab shares with `expires_in_secs` left, at
    /// `now_ms`: never a token this client holds or held (a tab that has not yet had its own
    /// `token_expired` still offers the token the API just refused, and its replacement may have
    /// been minted within the same second, so its expiry alone cannot tell them apart); never one
    /// whose lifetime is over, or that expires over a second before the current one while that
    /// one is good (a refused or invalidated one is never sent again: any other living token is
    /// better, even a shorter-lived one).
    pub fn takes_shared(&self, value: &str, expires_in_secs: Option<f64>, now_ms: f64) -> bool {
        if self.has_held(value) || expires_in_secs.is_some_and(|life| life.is_nan() || life <= 0.0) {
            return false;
        }
        match self.current.as_ref().filter(|_| !self.stale).map(|t| t.timing.expires_at_ms).filter(|at| at.is_finite()) {
            None => true,
            Some(current) => expires_in_secs.is_some_and(|life| now_ms + life * 1000.0 >= current - 1000.0),
        }
    }

    /// The running refresh failed: whether the failure counts, and for whom (see [`Failure`]).
    /// `said_no`: the source answered that it will not give this user a token (see
    /// `source::said_no`), which no live token outlasts.
    pub fn refresh_failed(&mut self, now_ms: f64, said_no: bool) -> Failure {
        self.refreshing = false;
        if self.refresh_superseded() {
            return Failure::Moot;
        }
        self.failures = self.failures.saturating_add(1);
        let step = REFRESH_BACKOFF_BASE_MS * f64::from(1u32 << self.failures.min(8).saturating_sub(1));
        self.not_before_ms = now_ms + step.min(REFRESH_BACKOFF_MAX_MS);
        if !said_no && self.usable(now_ms).is_some() {
            Failure::TokenLives
        } else {
            Failure::Stands
        }
    }

    /// `invalidateToken()`: the next call refreshes, forced, and a refresh running now is superseded.
    pub fn invalidate(&mut self) {
        self.stale = true;
        self.supersede();
    }

    /// The API accepted a request sent with `generation` (a 2xx answer).
    pub fn on_accepted(&mut self, generation: u64) {
        if self.current.as_ref().is_some_and(|t| t.generation == generation) {
            self.rejections = 0;
        }
    }

    /// A request sent with `sent_generation` got `token_expired`. A newer token, if one arrived
    /// meanwhile, is used; the current token is retried once as is, and marked stale (so the next
    /// `decide` refreshes) at its second rejection in a row.
    pub fn on_token_expired(&mut self, sent_generation: u64) -> Rejected {
        let Some(t) = self.current.as_ref().filter(|_| !self.stale) else {
            return Rejected::Refresh;
        };
        if t.generation > sent_generation {
            return Rejected::Newer(t.generation);
        }
        if t.generation < sent_generation {
            return Rejected::Refresh;
        }
        self.rejections = self.rejections.saturating_add(1);
        if self.rejections < REJECTIONS_TO_REPLACE {
            return Rejected::Again(t.generation);
        }
        self.stale = true;
        // An unforced refresh running now may bring back this very token (from a cache).
        self.supersede();
        Rejected::Refresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::json::TimeClaims;

    fn timing(now: f64, life_s: f64) -> Timing {
        Timing::new(&TimeClaims { iat: Some(0.0), exp: Some(life_s), nbf: None }, None, now)
    }

    /// A state whose first refresh installed `value` (generation 1), living `life_s` from time 0.
    fn installed(value: &str, life_s: f64) -> TokenState {
        let mut s = TokenState::default();
        s.begin_refresh();
        s.refresh_succeeded(value.into(), "{}".into(), timing(0.0, life_s));
        s
    }

    #[test]
    fn fresh_client_refreshes_once_and_others_wait() {
        let mut s = TokenState::default();
        assert_eq!(s.decide(0.0, 60.0), Decision::Refresh);
        assert!(!s.begin_refresh(), "the first fetch is not forced");
        assert_eq!(s.decide(0.0, 60.0), Decision::Wait);
        let g = s.refresh_succeeded("t1".into(), "{}".into(), timing(0.0, 3600.0));
        assert_eq!(g, Some(1));
        assert_eq!(s.decide(10.0, 60.0), Decision::Use(1));
        assert_eq!(s.decide(3_540_000.0, 60.0), Decision::Refresh);
    }

    /// Installs `value` as a refresh would (begin, then succeed), living `life_s` from `now`.
    fn refresh_to(s: &mut TokenState, value: &str, now: f64, life_s: f64) {
        s.begin_refresh();
        assert!(s.refresh_succeeded(value.into(), "{}".into(), timing(now, life_s)).is_some());
    }

    #[test]
    fn a_shared_token_this_client_held_is_never_taken_back() {
        let mut s = installed("t1", 10.0);
        assert!(!s.takes_shared("t1", Some(10.0), 0.0), "the current token");
        assert!(s.takes_shared("t2", Some(10.0), 500.0), "a newer one");
        refresh_to(&mut s, "t2", 500.0, 10.0);
        // t1 was minted within the same second as t2: its expiry alone would pass.
        assert!(!s.takes_shared("t1", Some(10.0), 600.0), "the token it replaced");
        // The last REMEMBERED replaced tokens are remembered (t2 ..= t9 after these eight
        // refreshes, t10 is current); the oldest is evicted first (t1), one at a time.
        for i in 3..(3 + REMEMBERED) {
            refresh_to(&mut s, &alloc::format!("t{i}"), 600.0, 10.0);
        }
        assert!(s.has_held(&alloc::format!("t{}", 2 + REMEMBERED)), "the current token");
        assert!(s.has_held(&alloc::format!("t{}", 1 + REMEMBERED)), "the token just replaced");
        assert!(s.has_held("t2"), "the oldest still remembered");
        assert!(!s.has_held("t1"), "evicted, oldest first");
    }

    #[test]
    fn a_shared_token_must_live_and_not_expire_before_the_current_one() {
        let s = installed("t1", 10.0); // expires at 10,000 ms
        assert!(!s.takes_shared("t2", Some(0.0), 0.0), "a lifetime that is over");
        assert!(!s.takes_shared("t2", Some(-5.0), 0.0));
        assert!(!s.takes_shared("t2", None, 0.0), "no lifetime, against a current token that has one");
        assert!(!s.takes_shared("t2", Some(8.9), 0.0), "over a second before the current one");
        assert!(s.takes_shared("t2", Some(9.0), 0.0), "within a second of it");
        assert!(TokenState::default().takes_shared("t2", None, 0.0), "no current token");
        // Once the current token is refused (or invalidated), a shorter-lived one is better than it.
        let mut refused = installed("t1", 3600.0);
        refused.invalidate();
        assert!(refused.takes_shared("t2", Some(300.0), 0.0), "a shorter-lived token after the current one was invalidated");
        assert!(!refused.takes_shared("t1", Some(7200.0), 0.0), "never the invalidated one itself");
    }

    #[test]
    fn the_same_token_installed_again_takes_no_slot_of_the_ring() {
        let mut s = installed("t1", 10.0);
        refresh_to(&mut s, "t2", 0.0, 10.0);
        // A caching source hands t2 back at every refresh: t1 stays remembered.
        for _ in 0..(2 * REMEMBERED) {
            refresh_to(&mut s, "t2", 0.0, 10.0);
        }
        assert!(s.has_held("t1"), "t1 was not evicted by t2 replacing itself");
    }

    #[test]
    fn token_expired_storm_refreshes_once() {
        let mut s = installed("t1", 3600.0);
        // The first rejection retries the same token; the second in a row marks it stale.
        assert_eq!(s.on_token_expired(1), Rejected::Again(1));
        assert_eq!(s.decide(5.0, 60.0), Decision::Use(1));
        assert_eq!(s.on_token_expired(1), Rejected::Refresh);
        assert_eq!(s.decide(5.0, 60.0), Decision::Refresh);
        assert!(s.begin_refresh(), "a rejected token forces the refresh");
        // Others failing with generation 1 while the refresh runs wait for it.
        assert_eq!(s.on_token_expired(1), Rejected::Refresh);
        assert_eq!(s.decide(5.0, 60.0), Decision::Wait);
        s.refresh_succeeded("t2".into(), "{}".into(), timing(5.0, 3600.0));
        // Late failures from generation 1 reuse generation 2 without refreshing.
        assert_eq!(s.on_token_expired(1), Rejected::Newer(2));
        assert_eq!(s.decide(6.0, 60.0), Decision::Use(2));
    }

    #[test]
    fn stray_rejections_between_acceptances_never_replace_the_token() {
        let mut s = installed("t1", 3600.0);
        for _ in 0..50 {
            assert_eq!(s.on_token_expired(1), Rejected::Again(1));
            s.on_accepted(1);
        }
        assert_eq!(s.decide(10.0, 60.0), Decision::Use(1));
        // An acceptance of an older generation says nothing about the current token.
        assert_eq!(s.on_token_expired(1), Rejected::Again(1));
        s.on_accepted(0);
        assert_eq!(s.on_token_expired(1), Rejected::Refresh);
        // A rejection from a generation the client never had (cannot happen) only refreshes.
        assert_eq!(s.on_token_expired(9), Rejected::Refresh);
    }

    #[test]
    fn the_refused_token_is_known_until_a_new_one_arrives() {
        let mut s = TokenState::default();
        assert_eq!(s.refused(), None);
        s.begin_refresh();
        s.refresh_succeeded("t1".into(), "{}".into(), timing(0.0, 3600.0));
        assert_eq!(s.refused(), None, "a live token is not refused");
        s.on_token_expired(1);
        assert_eq!(s.refused(), None, "one rejection is retried as is");
        s.on_token_expired(1);
        assert_eq!(s.refused(), Some("t1"));
        assert!(s.begin_refresh());
        assert_eq!(s.refused(), Some("t1"), "still refused while the refresh runs");
        assert_eq!(s.refresh_failed(0.0, false), Failure::Stands, "a refused token is no fallback");
        assert_eq!(s.refused(), Some("t1"), "and after it failed");
        s.begin_refresh();
        s.refresh_succeeded("t2".into(), "{}".into(), timing(0.0, 3600.0));
        assert_eq!(s.refused(), None);
        s.invalidate();
        assert_eq!(s.refused(), Some("t2"), "invalidateToken() refuses it too");
    }

    #[test]
    fn failures_back_off_and_recover() {
        let mut s = TokenState::default();
        s.begin_refresh();
        assert_eq!(s.refresh_failed(1000.0, false), Failure::Stands, "no token at all");
        assert_eq!(s.decide(1100.0, 60.0), Decision::BackOffUntil(1250.0));
        assert_eq!(s.decide(1250.0, 60.0), Decision::Refresh);
        for _ in 0..20 {
            s.begin_refresh();
            s.refresh_failed(0.0, false);
        }
        assert_eq!(s.decide(0.0, 60.0), Decision::BackOffUntil(REFRESH_BACKOFF_MAX_MS));
        s.begin_refresh();
        s.refresh_succeeded("t".into(), "{}".into(), timing(5000.0, 60.0));
        assert_eq!(s.decide(5001.0, 60.0), Decision::Use(1));
    }

    #[test]
    fn a_live_token_is_used_during_backoff_and_invalidate_forces_refresh() {
        let mut s = installed("t", 100.0);
        // In the refresh window (leeway 60 capped to 50 s) a refresh fails: keep using "t", also
        // for the calls that waited on that refresh.
        assert_eq!(s.decide(60_000.0, 60.0), Decision::Refresh);
        s.begin_refresh();
        assert_eq!(s.refresh_failed(60_000.0, false), Failure::TokenLives);
        assert_eq!(s.refresh_at_ms(60.0), Some(60_250.0), "the next refresh, after the back-off");
        assert_eq!(s.decide(60_000.0, 60.0), Decision::Use(1));
        assert_eq!(s.decide(60_100.0, 60.0), Decision::Use(1));
        s.invalidate();
        assert_eq!(s.decide(60_100.0, 60.0), Decision::BackOffUntil(60_250.0));
        assert_eq!(s.decide(60_300.0, 60.0), Decision::Refresh);
    }

    #[test]
    fn a_failed_refresh_falls_back_only_on_a_token_the_api_would_still_take() {
        let mut s = installed("t", 100.0);
        // Early (in the leeway): the live token is the fallback.
        s.begin_refresh();
        assert_eq!(s.refresh_failed(50_000.0, false), Failure::TokenLives);
        // Once it has expired, a failure stands.
        s.begin_refresh();
        assert_eq!(s.refresh_failed(100_000.0, false), Failure::Stands);
        // Alive but refused by the API (two rejections in a row): it stands too.
        s.begin_refresh();
        s.refresh_succeeded("u".into(), "{}".into(), timing(200_000.0, 100.0));
        s.on_token_expired(2);
        s.on_token_expired(2);
        s.begin_refresh();
        assert_eq!(s.refresh_failed(200_001.0, false), Failure::Stands);
        // The source said no (a signed-out user): the live token is no fallback either.
        s.begin_refresh();
        s.refresh_succeeded("v".into(), "{}".into(), timing(300_000.0, 100.0));
        s.begin_refresh();
        assert_eq!(s.refresh_failed(350_000.0, true), Failure::Stands);
        // A static token is never refreshed, so it never gets here; a fixed one that is alive is
        // simply used.
        let f = TokenState::fixed("s".into(), "{}".into(), timing(0.0, 100.0));
        assert_eq!(f.decide(99_000.0, 60.0), Decision::Use(1));
    }

    #[test]
    fn invalidate_during_a_refresh_supersedes_it_and_the_next_refresh_is_forced() {
        let mut s = TokenState::default();
        assert_eq!(s.decide(0.0, 60.0), Decision::Refresh);
        assert!(!s.begin_refresh());
        // The user switches while the first fetch runs: its token must never be installed.
        s.invalidate();
        assert!(s.refresh_superseded());
        assert_eq!(s.decide(1.0, 60.0), Decision::Wait, "still one refresh at a time");
        assert_eq!(s.refresh_succeeded("user_a".into(), "{}".into(), timing(0.0, 3600.0)), None);
        assert_eq!(s.current(), None);
        assert_eq!(s.decide(2.0, 60.0), Decision::Refresh);
        assert!(s.begin_refresh(), "forced, though there was no token yet");
        assert_eq!(s.refresh_succeeded("user_b".into(), "{}".into(), timing(2.0, 3600.0)), Some(1));
        assert_eq!(s.decide(3.0, 60.0), Decision::Use(1));
        assert!(!s.refresh_superseded());
    }

    #[test]
    fn a_superseded_refresh_that_fails_starts_no_backoff() {
        let mut s = installed("t1", 3600.0);
        s.invalidate();
        assert!(s.begin_refresh());
        s.invalidate();
        assert_eq!(s.refresh_failed(10.0, false), Failure::Moot, "not counted");
        assert_eq!(s.decide(10.0, 60.0), Decision::Refresh, "no back-off");
        assert!(s.begin_refresh());
        assert_eq!(s.refresh_failed(10.0, false), Failure::Stands, "a refresh of the current epoch counts");
        assert_eq!(s.decide(11.0, 60.0), Decision::BackOffUntil(10.0 + REFRESH_BACKOFF_BASE_MS));
    }

    #[test]
    fn a_rejection_that_makes_the_token_stale_supersedes_an_unforced_refresh() {
        let mut s = installed("t1", 100.0);
        // In the refresh window: an unforced refresh starts (a caching source may answer "t1").
        assert_eq!(s.decide(60_000.0, 60.0), Decision::Refresh);
        assert!(!s.begin_refresh());
        assert_eq!(s.on_token_expired(1), Rejected::Again(1));
        assert!(!s.refresh_superseded(), "one stray rejection does not condemn the token");
        assert_eq!(s.on_token_expired(1), Rejected::Refresh);
        assert!(s.refresh_superseded());
        assert_eq!(s.refresh_succeeded("t1".into(), "{}".into(), timing(60_000.0, 100.0)), None);
        assert_eq!(s.decide(60_001.0, 60.0), Decision::Refresh);
        assert!(s.begin_refresh(), "the replacement is forced");
        assert_eq!(s.refresh_succeeded("t2".into(), "{}".into(), timing(60_001.0, 100.0)), Some(2));
        // Late rejections of generation 1 now use generation 2, as before.
        assert_eq!(s.on_token_expired(1), Rejected::Newer(2));
    }

    #[test]
    fn a_rejection_during_a_forced_refresh_does_not_supersede_it() {
        let mut s = installed("t1", 3600.0);
        s.on_token_expired(1);
        s.on_token_expired(1);
        assert!(s.begin_refresh());
        // Other requests sent with "t1" come back rejected while the forced refresh runs.
        assert_eq!(s.on_token_expired(1), Rejected::Refresh);
        assert!(!s.refresh_superseded());
        assert_eq!(s.refresh_succeeded("t2".into(), "{}".into(), timing(5.0, 3600.0)), Some(2));
    }

    #[test]
    fn a_fixed_token_is_used_until_it_expires_and_never_refreshed() {
        let times = TimeClaims { iat: None, exp: Some(10.0), nbf: None };
        let mut s = TokenState::fixed("t".into(), "{}".into(), Timing::fixed(&times));
        assert!(!s.is_refreshable());
        assert_eq!(s.decide(9_999.0, 60.0), Decision::Use(1), "no leeway refresh for a token that cannot be refreshed");
        s.invalidate();
        assert_eq!(s.decide(9_999.0, 60.0), Decision::Use(1), "invalidating cannot replace it");
        assert_eq!(s.decide(10_000.0, 60.0), Decision::Expired);
    }
}
