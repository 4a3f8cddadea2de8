//! What a request does after each attempt: hand the answer to the caller, retry for the token
//! (`401 token_expired`, per `crate::client::token`'s rejection rule), or retry a transient failure after
//! a delay (per `crate::client::retry`). The JS driver performs the attempts; this decides between them.

use crate::client::retry::{self, Failure};
use crate::client::token::TokenState;

/// Retries after `token_expired` per request: the same token once, then a fresh one. Bounded, so
/// an API that rejects every token gets three attempts, never a loop.
pub const MAX_TOKEN_RETRIES: u32 = 2;

/// One request: what it may replay, and the retries it has used so far.
#[derive(Clone, Debug, Default)]
pub struct Attempt<'a> {
    pub method: &'a str,
    /// False for a streamed body, which can be sent only once.
    pub replayable: bool,
    /// The caller's `retry: true/false`, overriding the per-method default.
    pub force_retry: Option<bool>,
    /// False for a static token, which cannot be refreshed.
    pub refreshable: bool,
    pub max_retries: u32,
    /// The token generation this attempt was sent with.
    pub generation: u64,
    pub token_retries: u32,
    pub transient_retries: u32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Next {
    /// Give the caller this answer (or, after a failure, this error).
    Done,
    /// Send again now, with whatever token `TokenState::decide` gives.
    TokenRetry,
    /// Send again after this many milliseconds.
    RetryAfter(f64),
}

impl Attempt<'_> {
    /// After an HTTP answer. `token_expired`: the body of a 401 said so. `retry_after_ms`: the
    /// parsed `Retry-After` header. `random` in [0, 1) jitters the backoff.
    pub fn after_answer(&self, state: &mut TokenState, status: u16, token_expired: bool, retry_after_ms: Option<f64>, random: f64) -> Next {
        if (200..300).contains(&status) {
            state.on_accepted(self.generation);
            return Next::Done;
        }
        if status == 401 && token_expired && self.refreshable && self.replayable && self.token_retries < MAX_TOKEN_RETRIES {
            // The outcome (same token, a newer one, or a refresh) shows in the next `decide`.
            let _ = state.on_token_expired(self.generation);
            return Next::TokenRetry;
        }
        self.transient(Failure::Status(status), retry_after_ms, random)
    }

    /// After an attempt that got no HTTP answer (`timeout` or a network error).
    pub fn after_failure(&self, timeout: bool, random: f64) -> Next {
        self.transient(if timeout { Failure::Timeout } else { Failure::Network }, None, random)
    }

    fn transient(&self, failure: Failure, retry_after_ms: Option<f64>, random: f64) -> Next {
        if self.replayable && self.transient_retries < self.max_retries && retry::is_retryable(self.method, failure, self.force_retry) {
            Next::RetryAfter(retry::backoff_ms(self.transient_retries, retry_after_ms, random))
        } else {
            Next::Done
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::expiry::Timing;
    use crate::jwt::json::TimeClaims;
    use crate::client::token::Decision;

    fn state_with_token() -> TokenState {
        let mut s = TokenState::default();
        s.begin_refresh();
        let timing = Timing::new(&TimeClaims { iat: Some(0.0), exp: Some(3600.0), nbf: None }, None, 0.0);
        s.refresh_succeeded("t1".into(), "{}".into(), timing);
        s
    }

    fn get() -> Attempt<'static> {
        Attempt { method: "GET", replayable: true, refreshable: true, max_retries: 2, generation: 1, ..Attempt::default() }
    }

    #[test]
    fn success_and_plain_errors_are_done() {
        let mut s = state_with_token();
        assert_eq!(get().after_answer(&mut s, 200, false, None, 0.0), Next::Done);
        assert_eq!(get().after_answer(&mut s, 404, false, None, 0.0), Next::Done);
        assert_eq!(get().after_answer(&mut s, 401, false, None, 0.0), Next::Done, "other 401 codes are not retried");
    }

    #[test]
    fn token_expired_retries_twice_then_gives_up() {
        let mut s = state_with_token();
        let a = get();
        assert_eq!(a.after_answer(&mut s, 401, true, None, 0.0), Next::TokenRetry);
        assert_eq!(s.decide(1.0, 60.0), Decision::Use("t1".into(), 1), "first rejection: same token");
        let a = Attempt { token_retries: 1, ..get() };
        assert_eq!(a.after_answer(&mut s, 401, true, None, 0.0), Next::TokenRetry);
        assert_eq!(s.decide(1.0, 60.0), Decision::Refresh, "second in a row: refresh");
        let a = Attempt { token_retries: 2, ..get() };
        assert_eq!(a.after_answer(&mut s, 401, true, None, 0.0), Next::Done);
    }

    #[test]
    fn no_token_retry_for_static_tokens_or_streams() {
        let mut s = state_with_token();
        assert_eq!(Attempt { refreshable: false, ..get() }.after_answer(&mut s, 401, true, None, 0.0), Next::Done);
        assert_eq!(Attempt { replayable: false, ..get() }.after_answer(&mut s, 401, true, None, 0.0), Next::Done);
    }

    #[test]
    fn transient_failures_back_off_within_the_budget() {
        let mut s = state_with_token();
        assert_eq!(get().after_answer(&mut s, 503, false, None, 0.0), Next::RetryAfter(500.0));
        assert_eq!(get().after_answer(&mut s, 503, false, Some(2000.0), 0.0), Next::RetryAfter(2000.0));
        assert_eq!(Attempt { transient_retries: 1, ..get() }.after_failure(true, 0.0), Next::RetryAfter(1000.0));
        assert_eq!(Attempt { transient_retries: 2, ..get() }.after_failure(false, 0.0), Next::Done);
        let post = Attempt { method: "POST", ..get() };
        assert_eq!(post.after_failure(false, 0.0), Next::Done, "POST is not replayed by default");
        assert_eq!(Attempt { force_retry: Some(true), ..post }.after_failure(false, 0.0), Next::RetryAfter(500.0));
    }
}
