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

use alloc::string::String;
use crate::expiry::Timing;

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
    /// A newer token arrived since the request was sent: retry with it.
    Newer(String, u64),
    /// The token's first rejection since it was last accepted: retry with the same token.
    Again(String, u64),
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
    /// Send this token (value, generation).
    Use(String, u64),
    /// A refresh is running: wait for it.
    Wait,
    /// Start the refresh (the caller becomes the one refresher).
    Refresh,
    /// A refresh failed recently: wait until this local time, then decide again.
    BackOffUntil(f64),
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
}

impl TokenState {
    pub fn current(&self) -> Option<&Token> {
        self.current.as_ref()
    }

    /// Local time before which, after a failed refresh, no new refresh starts.
    pub fn not_before_ms(&self) -> f64 {
        self.not_before_ms
    }

    pub fn decide(&self, now_ms: f64, leeway_secs: f64) -> Decision {
        let usable = self.current.as_ref().filter(|t| !self.stale && !t.timing.is_expired(now_ms));
        if let Some(t) = usable {
            if !t.timing.needs_refresh(now_ms, leeway_secs) {
                return Decision::Use(t.value.clone(), t.generation);
            }
        }
        if self.refreshing {
            return Decision::Wait;
        }
        if now_ms < self.not_before_ms {
            // Inside the failure backoff: a token that is still alive is better than waiting.
            return match usable {
                Some(t) => Decision::Use(t.value.clone(), t.generation),
                None => Decision::BackOffUntil(self.not_before_ms),
            };
        }
        Decision::Refresh
    }

    /// Marks a refresh as running. Returns whether it is forced: the current token was rejected
    /// or invalidated, so a source that caches tokens must not hand back the same one.
    pub fn begin_refresh(&mut self) -> bool {
        self.refreshing = true;
        self.stale && self.current.is_some()
    }

    /// The token a forced refresh must not bring back: the current one, once the API refused it
    /// (two `token_expired` in a row) or the app invalidated it. A source that answers a forced
    /// refresh with this very token ignored `forceRefresh`: retrying with it could only fail again.
    pub fn refused(&self) -> Option<&str> {
        self.current.as_ref().filter(|_| self.stale).map(|t| t.value.as_str())
    }

    /// Installs a fresh token; returns its generation.
    pub fn refresh_succeeded(&mut self, value: String, claims_json: String, timing: Timing) -> u64 {
        self.generation += 1;
        self.current = Some(Token { value, claims_json, timing, generation: self.generation });
        self.stale = false;
        self.refreshing = false;
        self.rejections = 0;
        self.failures = 0;
        self.not_before_ms = 0.0;
        self.generation
    }

    pub fn refresh_failed(&mut self, now_ms: f64) {
        self.refreshing = false;
        self.failures = self.failures.saturating_add(1);
        let step = REFRESH_BACKOFF_BASE_MS * f64::from(1u32 << self.failures.min(8).saturating_sub(1));
        self.not_before_ms = now_ms + step.min(REFRESH_BACKOFF_MAX_MS);
    }

    /// `invalidateToken()`: the next call refreshes.
    pub fn invalidate(&mut self) {
        self.stale = true;
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
            return Rejected::Newer(t.value.clone(), t.generation);
        }
        if t.generation < sent_generation {
            return Rejected::Refresh;
        }
        self.rejections = self.rejections.saturating_add(1);
        if self.rejections < REJECTIONS_TO_REPLACE {
            return Rejected::Again(t.value.clone(), t.generation);
        }
        self.stale = true;
        Rejected::Refresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::TimeClaims;

    fn timing(now: f64, life_s: f64) -> Timing {
        Timing::new(&TimeClaims { iat: Some(0.0), exp: Some(life_s), nbf: None }, None, now)
    }

    #[test]
    fn fresh_client_refreshes_once_and_others_wait() {
        let mut s = TokenState::default();
        assert_eq!(s.decide(0.0, 60.0), Decision::Refresh);
        assert!(!s.begin_refresh(), "the first fetch is not forced");
        assert_eq!(s.decide(0.0, 60.0), Decision::Wait);
        let g = s.refresh_succeeded("t1".into(), "{}".into(), timing(0.0, 3600.0));
        assert_eq!(g, 1);
        assert_eq!(s.decide(10.0, 60.0), Decision::Use("t1".into(), 1));
        assert_eq!(s.decide(3_540_000.0, 60.0), Decision::Refresh);
    }

    #[test]
    fn token_expired_storm_refreshes_once() {
        let mut s = TokenState::default();
        s.begin_refresh();
        s.refresh_succeeded("t1".into(), "{}".into(), timing(0.0, 3600.0));
        // The first rejection retries the same token; the second in a row marks it stale.
        assert_eq!(s.on_token_expired(1), Rejected::Again("t1".into(), 1));
        assert_eq!(s.decide(5.0, 60.0), Decision::Use("t1".into(), 1));
        assert_eq!(s.on_token_expired(1), Rejected::Refresh);
        assert_eq!(s.decide(5.0, 60.0), Decision::Refresh);
        assert!(s.begin_refresh(), "a rejected token forces the refresh");
        // Others failing with generation 1 while the refresh runs wait for it.
        assert_eq!(s.on_token_expired(1), Rejected::Refresh);
        assert_eq!(s.decide(5.0, 60.0), Decision::Wait);
        s.refresh_succeeded("t2".into(), "{}".into(), timing(5.0, 3600.0));
        // Late failures from generation 1 reuse generation 2 without refreshing.
        assert_eq!(s.on_token_expired(1), Rejected::Newer("t2".into(), 2));
        assert_eq!(s.decide(6.0, 60.0), Decision::Use("t2".into(), 2));
    }

    #[test]
    fn stray_rejections_between_acceptances_never_replace_the_token() {
        let mut s = TokenState::default();
        s.begin_refresh();
        s.refresh_succeeded("t1".into(), "{}".into(), timing(0.0, 3600.0));
        for _ in 0..50 {
            assert_eq!(s.on_token_expired(1), Rejected::Again("t1".into(), 1));
            s.on_accepted(1);
        }
        assert_eq!(s.decide(10.0, 60.0), Decision::Use("t1".into(), 1));
        // An acceptance of an older generation says nothing about the current token.
        assert_eq!(s.on_token_expired(1), Rejected::Again("t1".into(), 1));
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
        s.refresh_failed(0.0);
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
        s.refresh_failed(1000.0);
        assert_eq!(s.decide(1100.0, 60.0), Decision::BackOffUntil(1250.0));
        assert_eq!(s.decide(1250.0, 60.0), Decision::Refresh);
        for _ in 0..20 {
            s.begin_refresh();
            s.refresh_failed(0.0);
        }
        assert_eq!(s.decide(0.0, 60.0), Decision::BackOffUntil(REFRESH_BACKOFF_MAX_MS));
        s.begin_refresh();
        s.refresh_succeeded("t".into(), "{}".into(), timing(5000.0, 60.0));
        assert_eq!(s.decide(5001.0, 60.0), Decision::Use("t".into(), 1));
    }

    #[test]
    fn a_live_token_is_used_during_backoff_and_invalidate_forces_refresh() {
        let mut s = TokenState::default();
        s.begin_refresh();
        s.refresh_succeeded("t".into(), "{}".into(), timing(0.0, 100.0));
        // In the refresh window (leeway 60 capped to 50 s) a refresh fails: keep using "t".
        s.begin_refresh();
        s.refresh_failed(60_000.0);
        assert_eq!(s.decide(60_100.0, 60.0), Decision::Use("t".into(), 1));
        s.invalidate();
        assert_eq!(s.decide(60_100.0, 60.0), Decision::BackOffUntil(60_250.0));
        assert_eq!(s.decide(60_300.0, 60.0), Decision::Refresh);
    }
}
