//! What a request does after each attempt: hand the answer to the caller, retry for the token
//! (`401 token_expired`, per `crate::client::token`'s rejection rule), or retry a transient failure after
//! a delay (per `crate::client::retry`). The JS driver performs the attempts; this decides between them.
//!
//! Each request's budget (its retries so far, the token generation its last attempt carried)
//! lives here, in a `Request` the core keeps from the request's start to its end (`Requests`),
//! so the driver never holds or sends back a counter.

use alloc::vec::Vec;

use crate::client::retry::{self, Failure};
use crate::client::token::TokenState;

/// Retries after `token_expired` per request: the same token once, then a fresh one. Bounded, so
/// an API that rejects every token gets three attempts, never a loop.
pub const MAX_TOKEN_RETRIES: u32 = 2;

/// One request: what it may replay, and the retries it has used so far.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// Whether a transient failure may be retried: the method is idempotent, or the caller's
    /// `retry: true/false` says so (it overrides the per-method default).
    pub may_retry: bool,
    /// False for a streamed body, which can be sent only once.
    pub replayable: bool,
    /// The token generation the last attempt was sent with.
    pub generation: u64,
    pub token_retries: u32,
    pub transient_retries: u32,
    /// The wait chosen by the last `Next::RetryAfter` (kept for the driver to read).
    pub delay_ms: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Next {
    /// A 2xx answer: the caller gets it.
    Succeeded,
    /// The caller gets this non-2xx answer (as an error from `request()`, as it is from
    /// `fetch()`), or after an attempt without an answer, its error: no retry is left or allowed.
    Failed,
    /// Send again now, with whatever token `TokenState::decide` gives.
    TokenRetry,
    /// Send again after this many milliseconds.
    RetryAfter(f64),
}

impl Request {
    /// `may_retry`: `retry::may_retry` of its method and the caller's `retry` option.
    pub fn new(may_retry: bool, replayable: bool) -> Request {
        Request { may_retry, replayable, ..Request::default() }
    }

    /// Retries so far, whatever their reason (the `retry` event's count).
    pub fn retries(&self) -> u32 {
        self.token_retries.saturating_add(self.transient_retries)
    }

    /// After an HTTP answer. `error_code`: the `error` field of a 401's JSON body (the API says
    /// `token_expired` there). `retry_after_ms`: the parsed `Retry-After` header. `random` in
    /// [0, 1) jitters the backoff. A retry is counted.
    pub fn after_answer(
        &mut self,
        state: &mut TokenState,
        max_retries: u32,
        status: u16,
        error_code: Option<&str>,
        retry_after_ms: Option<f64>,
        random: f64,
    ) -> Next {
        if (200..300).contains(&status) {
            state.on_accepted(self.generation);
            return Next::Succeeded;
        }
        if status == 401
            && error_code == Some("token_expired")
            && state.is_refreshable()
            && self.replayable
            && self.token_retries < MAX_TOKEN_RETRIES
        {
            // The outcome (same token, a newer one, or a refresh) shows in the next `decide`.
            let _ = state.on_token_expired(self.generation);
            self.token_retries += 1;
            return Next::TokenRetry;
        }
        self.transient(max_retries, Failure::Status(status), retry_after_ms, random)
    }

    /// After an attempt that got no HTTP answer (`timeout` or a network error).
    pub fn after_failure(&mut self, max_retries: u32, timeout: bool, random: f64) -> Next {
        self.transient(max_retries, if timeout { Failure::Timeout } else { Failure::Network }, None, random)
    }

    fn transient(&mut self, max_retries: u32, failure: Failure, retry_after_ms: Option<f64>, random: f64) -> Next {
        if self.replayable && self.transient_retries < max_retries && retry::is_transient(failure) && self.may_retry {
            let delay = retry::backoff_ms(self.transient_retries, retry_after_ms, random);
            self.transient_retries += 1;
            // (max: a NaN `random` from an injected clock waits 0, not NaN.)
            self.delay_ms = delay.max(0.0);
            Next::RetryAfter(delay)
        } else {
            Next::Failed
        }
    }
}

/// The requests in flight, by a small number the driver holds from `begin` to `end`: the index
/// of the request's slot, which `end` frees for the next `begin`. (A scan for a free slot: apps
/// have a few requests in flight, and even a thousand cost microseconds; a free list cost the
/// browser wasm more code than it saves.)
#[derive(Debug, Default)]
pub struct Requests {
    slots: Vec<Option<Request>>,
}

impl Requests {
    pub fn begin(&mut self, request: Request) -> u32 {
        match self.slots.iter().position(Option::is_none) {
            Some(free) => {
                if let Some(slot) = self.slots.get_mut(free) {
                    *slot = Some(request);
                }
                free as u32
            }
            None => {
                self.slots.push(Some(request));
                (self.slots.len() - 1) as u32
            }
        }
    }

    /// The request `id`, while it runs (`None` after `end`, or for an id never given).
    pub fn get_mut(&mut self, id: u32) -> Option<&mut Request> {
        self.slots.get_mut(id as usize).and_then(Option::as_mut)
    }

    pub fn end(&mut self, id: u32) {
        if let Some(slot) = self.slots.get_mut(id as usize) {
            *slot = None;
        }
    }

    /// Requests in flight.
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.is_some()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::expiry::Timing;
    use crate::client::token::Decision;
    use crate::jwt::json::TimeClaims;

    fn state_with_token() -> TokenState {
        let mut s = TokenState::default();
        s.begin_refresh();
        let timing = Timing::new(&TimeClaims { iat: Some(0.0), exp: Some(3600.0), nbf: None }, None, 0.0);
        s.refresh_succeeded("t1".into(), "{}".into(), timing);
        s
    }

    fn get() -> Request {
        Request { generation: 1, ..Request::new(retry::may_retry("GET", None), true) }
    }

    #[test]
    fn success_and_plain_errors_are_done() {
        let mut s = state_with_token();
        assert_eq!(get().after_answer(&mut s, 2, 200, None, None, 0.0), Next::Succeeded);
        assert_eq!(get().after_answer(&mut s, 2, 404, None, None, 0.0), Next::Failed);
        assert_eq!(get().after_answer(&mut s, 2, 401, None, None, 0.0), Next::Failed, "a 401 without a code is not retried");
        assert_eq!(get().after_answer(&mut s, 2, 401, Some("invalid_token"), None, 0.0), Next::Failed, "other 401 codes are not retried");
    }

    #[test]
    fn token_expired_retries_twice_then_gives_up() {
        let mut s = state_with_token();
        let mut a = get();
        assert_eq!(a.after_answer(&mut s, 2, 401, Some("token_expired"), None, 0.0), Next::TokenRetry);
        assert_eq!(s.decide(1.0, 60.0), Decision::Use(1), "first rejection: same token");
        assert_eq!(a.after_answer(&mut s, 2, 401, Some("token_expired"), None, 0.0), Next::TokenRetry);
        assert_eq!(s.decide(1.0, 60.0), Decision::Refresh, "second in a row: refresh");
        assert_eq!(a.after_answer(&mut s, 2, 401, Some("token_expired"), None, 0.0), Next::Failed);
        assert_eq!((a.token_retries, a.retries()), (2, 2), "the request counts its own retries");
    }

    #[test]
    fn no_token_retry_for_static_tokens_or_streams() {
        let times = TimeClaims { iat: None, exp: None, nbf: None };
        let mut fixed = TokenState::fixed("t".into(), "{}".into(), Timing::fixed(&times));
        assert_eq!(get().after_answer(&mut fixed, 2, 401, Some("token_expired"), None, 0.0), Next::Failed);
        let mut s = state_with_token();
        assert_eq!(Request { replayable: false, ..get() }.after_answer(&mut s, 2, 401, Some("token_expired"), None, 0.0), Next::Failed);
    }

    #[test]
    fn transient_failures_back_off_within_the_budget() {
        let mut s = state_with_token();
        assert_eq!(get().after_answer(&mut s, 2, 503, None, None, 0.0), Next::RetryAfter(500.0));
        assert_eq!(get().after_answer(&mut s, 2, 503, None, Some(2000.0), 0.0), Next::RetryAfter(2000.0));
        let mut a = get();
        assert_eq!(a.after_failure(2, true, 0.0), Next::RetryAfter(500.0));
        assert_eq!(a.after_failure(2, true, 0.0), Next::RetryAfter(1000.0));
        assert_eq!(a.after_failure(2, false, 0.0), Next::Failed, "maxRetries 2 spent");
        assert_eq!(a.retries(), 2);
        assert_eq!(get().after_failure(0, false, 0.0), Next::Failed, "maxRetries 0");
        let post = Request::new(retry::may_retry("POST", None), true);
        assert_eq!(post.clone().after_failure(2, false, 0.0), Next::Failed, "POST is not replayed by default");
        assert_eq!(Request::new(retry::may_retry("POST", Some(true)), true).after_failure(2, false, 0.0), Next::RetryAfter(500.0));
        assert_eq!(
            Request::new(retry::may_retry("GET", Some(false)), true).after_failure(2, false, 0.0),
            Next::Failed,
            "retry: false wins"
        );
    }

    #[test]
    fn requests_reuse_ended_slots_and_ignore_unknown_ids() {
        let mut r = Requests::default();
        let a = r.begin(get());
        let b = r.begin(get());
        assert_ne!(a, b);
        assert_eq!(r.len(), 2);
        r.end(a);
        r.end(a);
        assert_eq!(r.len(), 1, "ending twice frees once");
        assert!(r.get_mut(a).is_none());
        assert!(r.get_mut(99).is_none());
        let c = r.begin(get());
        assert_eq!(c, a, "the ended slot is reused");
        assert!(r.get_mut(b).is_some());
    }
}
