//! `SpikeCore`: the decisions behind `SpikeClient`, made synchronously. The JS driver
//! (`js/client/driver.js`) performs the IO — fetch, timers, abort signals, calling the token source —
//! and asks the core at every step: which token to send, whether to refresh, what to do with an
//! answer, what error the caller gets. The logic itself lives in the pure modules
//! (`crate::client::{token, expiry, attempts, retry, source, requests}`).
//!
//! The boundary is typed: every decision crosses as a named value of an enum defined once here
//! (`TokenStep`, `AttemptStep`, `RefreshEnd`, exported by wasm-bindgen to the driver, which reads
//! every name once and throws on a value it does not know; `tests/js/boundary.test.mjs` checks
//! the two lists match). The state has one owner, this core: the current token (a static one
//! too), whether a refresh runs, and each request's retry budget (`beginRequest` ..
//! `endRequest`). The driver holds IO handles (the running refresh's promise, timers, signals)
//! and its events' bookkeeping. Reading the options from JS (types, ranges, defaults) is
//! `config.rs`; every other rule is in the pure modules.
//!
//! Sans-IO keeps the browser wasm small (no futures, closures or promise glue) and the hot path
//! fast (a request makes a few cheap calls into wasm with numbers and short strings).

use alloc::string::String;

mod config;
mod requests;
mod tokens;

use wasm_bindgen::prelude::*;

use super::errors::to_js;
use super::js;
use crate::client::attempts::{Next, Request, Requests};
use crate::client::retry;
use crate::client::source::{self, ENDPOINT_HINT, PROVIDER_HINT};
use crate::client::token::{Decision, Failure, TokenState};
use crate::common::error::{ErrorCode, SdkError};
use crate::common::num;
use config::Config;

/// `decide()`: what a caller that needs a token does now.
#[wasm_bindgen(skip_typescript)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenStep {
    /// Send the current token (`currentToken()`, or `tokenFor(request)`).
    Use = 0,
    /// A refresh is running: wait for it.
    Wait = 1,
    /// Start the refresh (`beginRefresh()`); the caller is the one refresher.
    Refresh = 2,
    /// A refresh failed recently: sleep until `notBefore()`, then decide again.
    BackOff = 3,
    /// The static token has expired and nothing can refresh it: throw `expiredError()`, send nothing.
    Expired = 4,
}

/// `afterAnswer()` / `afterFailure()`: what the request does next.
#[wasm_bindgen(skip_typescript)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptStep {
    /// A 2xx answer: the caller gets it.
    Succeeded = 0,
    /// The caller gets this non-2xx answer (`request()` throws `answerError(...)`, `fetch()`
    /// resolves with it), or, after `afterFailure`, the attempt's error: no retry is left or allowed.
    Failed = 1,
    /// `401 token_expired`: send again now, with the token `decide()` gives.
    RetryNow = 2,
    /// A transient failure: send again after `retryDelay(request)` milliseconds.
    RetryLater = 3,
}

/// How a refresh ended (`installFromProvider()`, `installFromEndpoint()`, `refreshFailed()`).
#[wasm_bindgen(skip_typescript)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefreshEnd {
    /// Its token is now the current one.
    Installed = 0,
    /// A change since it started (`invalidate()`, a rejection, another install) made it moot:
    /// nothing was installed and its failure counts for nothing; its waiters decide again.
    Superseded = 1,
    /// It failed, and the failure stands: its waiters get the error, the next refresh backs off.
    Failed = 2,
    /// It failed, but it began early (in the refresh leeway) and the current token is still
    /// alive: its waiters send that token, the failure is only reported (`error` event), and the
    /// next refresh backs off.
    Kept = 3,
}

#[wasm_bindgen(skip_typescript)]
pub struct SpikeCore {
    config: Config,
    state: TokenState,
    requests: Requests,
    /// The current token as a JS string, made once per generation (the hot path hands it out
    /// without copying 700 bytes out of wasm memory per request).
    token_js: Option<(u64, JsValue)>,
}

#[wasm_bindgen]
impl SpikeCore {
    #[wasm_bindgen(constructor)]
    pub fn new(options: &JsValue, defaults: &JsValue) -> Result<SpikeCore, JsValue> {
        let (config, state) = Config::from_options(options, defaults)?;
        Ok(SpikeCore { config, state, requests: Requests::default(), token_js: None })
    }

    /// The checked options the driver needs (see `Config::to_js`).
    pub fn config(&self) -> JsValue {
        self.config.to_js()
    }

    /// The URL for `path` (joined to `baseUrl`, or an absolute URL on its origin).
    #[wasm_bindgen(js_name = resolveUrl)]
    /// (A JS string made here, not a `String` handed over: that shrinks the buffer first, and the
    /// shrinking code is 1 KB of the wasm.)
    pub fn resolve_url(&self, path: &JsValue) -> Result<JsValue, JsValue> {
        requests::resolve_url(&self.config.base_url, path).map(|url| url.as_str().into())
    }

    /// What a caller that needs a token does now. A plain number, not a `Result`: this runs on
    /// every request, and a `Result` crosses through wasm memory (three reads and two calls more).
    pub fn decide(&self, now_ms: f64) -> TokenStep {
        match self.state.decide(now_ms, self.config.leeway_secs) {
            Decision::Use(_) => TokenStep::Use,
            Decision::Wait => TokenStep::Wait,
            Decision::Refresh => TokenStep::Refresh,
            Decision::BackOffUntil(_) => TokenStep::BackOff,
            Decision::Expired => TokenStep::Expired,
        }
    }

    /// The error for `TokenStep::Expired`: `token_expired` (401); nothing was sent.
    #[wasm_bindgen(js_name = expiredError)]
    pub fn expired_error(&self) -> JsValue {
        to_js(
            SdkError::new(
                ErrorCode::TokenExpired,
                "The static token has expired; nothing was sent (pass a tokenProvider or tokenEndpoint to refresh)",
            )
            .with_status(401),
        )
    }

    /// The current token (a JS string), or `undefined` before the first one.
    #[wasm_bindgen(js_name = currentToken)]
    pub fn current_token(&mut self) -> JsValue {
        let Some(t) = self.state.current() else { return JsValue::UNDEFINED };
        match &self.token_js {
            Some((generation, value)) if *generation == t.generation => value.clone(),
            _ => {
                let value = JsValue::from(t.value.as_str());
                self.token_js = Some((t.generation, value.clone()));
                value
            }
        }
    }

    #[wasm_bindgen(js_name = notBefore)]
    pub fn not_before(&self) -> f64 {
        self.state.not_before_ms()
    }

    /// Marks a refresh as running. Returns data, not a decision code: a forced one (the source must not hand back a cached copy of
    /// a token the API rejected or the app invalidated) returns the `Cache-Control` to send the
    /// token endpoint, or to hand a provider: `no-cache`, naming the refused token by its
    /// fingerprint (see `crate::common::fingerprint`) so that a throttling cache does not hand it back.
    /// Otherwise `undefined`.
    #[wasm_bindgen(js_name = beginRefresh)]
    pub fn begin_refresh(&mut self) -> Option<String> {
        if !self.state.begin_refresh() {
            return None;
        }
        // Forced with no token to name (invalidated before the first one came): plain no-cache.
        Some(self.state.refused().map_or_else(|| String::from("no-cache"), crate::common::fingerprint::forced_cache_control))
    }

    /// The running refresh failed (the source, or installing what it gave): `Failed`, `Kept`
    /// (the current token still lives: the waiters use it) or `Superseded` (its failure is
    /// nobody's: the waiters decide again instead of getting it).
    /// `status`: the token endpoint's answer, when the failure is one (the error's `status`).
    #[wasm_bindgen(js_name = refreshFailed)]
    pub fn refresh_failed(&mut self, now_ms: f64, status: Option<u16>) -> RefreshEnd {
        match self.state.refresh_failed(now_ms, source::said_no(status)) {
            Failure::Stands => RefreshEnd::Failed,
            Failure::TokenLives => RefreshEnd::Kept,
            Failure::Moot => RefreshEnd::Superseded,
        }
    }

    /// Installs what the `tokenProvider` resolved to, or (`from_tab`) a token another tab shared,
    /// if `TokenState::takes_shared` takes it (else `Superseded`: not installed).
    #[wasm_bindgen(js_name = installFromProvider)]
    pub fn install_from_provider(&mut self, value: &JsValue, now_ms: f64, from_tab: bool) -> Result<RefreshEnd, JsValue> {
        let found = tokens::token_from(value, "tokenProvider", None)?;
        if from_tab && !self.state.takes_shared(&found.token, found.expires_in, now_ms) {
            return Ok(RefreshEnd::Superseded);
        }
        Ok(installed(source::install(&mut self.state, found, now_ms, None, PROVIDER_HINT).map_err(to_js)?))
    }

    /// Installs the token endpoint's answer.
    #[wasm_bindgen(js_name = installFromEndpoint)]
    pub fn install_from_endpoint(&mut self, status: u16, text: &str, now_ms: f64) -> Result<RefreshEnd, JsValue> {
        let found = tokens::from_endpoint_answer(status, text)?;
        Ok(installed(source::install(&mut self.state, found, now_ms, Some(status), ENDPOINT_HINT).map_err(to_js)?))
    }

    pub fn invalidate(&mut self) {
        self.state.invalidate();
    }

    /// `{ claims, expiresAt, refreshAt, secondsLeft }` for the current token, or `null`.
    /// `refreshAt` is when the client refreshes it (never, for a static token), so nobody has
    /// to recompute the leeway rule.
    #[wasm_bindgen(js_name = tokenInfo)]
    pub fn token_info(&self, now_ms: f64) -> JsValue {
        let (Some(t), Some(refresh_at)) = (self.state.current(), self.state.refresh_at_ms(self.config.leeway_secs)) else {
            return JsValue::NULL;
        };
        let (claims_json, expires_at, seconds_left) = (t.claims_json.as_str(), t.timing.expires_at_ms, t.timing.seconds_left(now_ms));
        let info = js::object();
        js::set(&info, "claims", &js::parse_json(claims_json).unwrap_or(JsValue::NULL));
        let finite = |n: f64| if n.is_finite() { JsValue::from(num::round(n)) } else { JsValue::NULL };
        js::set(&info, "expiresAt", &finite(expires_at));
        js::set(&info, "refreshAt", &finite(refresh_at));
        js::set(&info, "secondsLeft", &if seconds_left.is_finite() { JsValue::from(num::floor(seconds_left)) } else { JsValue::NULL });
        info
    }

    /// Whether a request with this method may be sent again after a transient failure
    /// (`force_retry`: the caller's `retry` option). The driver asks once per kind of request it
    /// reads, and passes the answer to `beginRequest` (no string crosses per request).
    #[wasm_bindgen(js_name = mayRetry)]
    pub fn may_retry(&self, method: &str, force_retry: Option<bool>) -> bool {
        retry::may_retry(method, force_retry)
    }

    /// Starts a request: its retry budget lives here until `endRequest(request)`. `may_retry`:
    /// `mayRetry()`'s answer for it. Returns the request's number, which the driver passes to
    /// the calls below.
    #[wasm_bindgen(js_name = beginRequest)]
    pub fn begin_request(&mut self, may_retry: bool, replayable: bool) -> u32 {
        self.requests.begin(Request::new(may_retry, replayable))
    }

    #[wasm_bindgen(js_name = endRequest)]
    pub fn end_request(&mut self, request: u32) {
        self.requests.end(request);
    }

    /// The token for the request's next attempt (after `decide()` said `Use`, or a refresh
    /// installed one): the current token, whose generation the request remembers so that a
    /// `token_expired` answer can tell whether someone refreshed since.
    #[wasm_bindgen(js_name = tokenFor)]
    pub fn token_for(&mut self, request: u32) -> JsValue {
        let generation = self.state.current().map_or(0, |t| t.generation);
        if let Some(r) = self.requests.get_mut(request) {
            r.generation = generation;
        }
        self.current_token()
    }

    /// After an HTTP answer. `error_code`: the `error` field of a 401's JSON body;
    /// `retry_after`: the `Retry-After` header of a 4xx/5xx.
    #[wasm_bindgen(js_name = afterAnswer)]
    pub fn after_answer(
        &mut self,
        request: u32,
        status: u16,
        error_code: Option<String>,
        retry_after: Option<String>,
        now_ms: f64,
        random: f64,
    ) -> AttemptStep {
        // An unknown request (ended, or never begun: a driver bug) is never retried.
        let Some(r) = self.requests.get_mut(request) else { return AttemptStep::Failed };
        let retry_after_ms = retry_after.and_then(|v| retry::parse_retry_after(&v, now_ms));
        let next = r.after_answer(&mut self.state, self.config.max_retries, status, error_code.as_deref(), retry_after_ms, random);
        step(next)
    }

    /// After an attempt without an HTTP answer (`timed_out`, or a network error).
    #[wasm_bindgen(js_name = afterFailure)]
    pub fn after_failure(&mut self, request: u32, timed_out: bool, random: f64) -> AttemptStep {
        let Some(r) = self.requests.get_mut(request) else { return AttemptStep::Failed };
        let next = r.after_failure(self.config.max_retries, timed_out, random);
        step(next)
    }

    /// The wait before a `RetryLater`, in milliseconds.
    #[wasm_bindgen(js_name = retryDelay)]
    pub fn retry_delay(&mut self, request: u32) -> f64 {
        self.requests.get_mut(request).map_or(0.0, |r| r.delay_ms)
    }

    /// The request's retries so far, whatever their reason (the `retry` event's `attempt`).
    pub fn retries(&mut self, request: u32) -> u32 {
        self.requests.get_mut(request).map_or(0, |r| r.retries())
    }

    /// The `SpikeError` for a non-2xx answer to `request()`; `body` is the parsed answer.
    #[wasm_bindgen(js_name = answerError)]
    pub fn answer_error(&self, status: u16, method: &str, url: &str, body: &JsValue) -> JsValue {
        requests::answer_error(status, method, url, body)
    }
}

fn installed(generation: Option<u64>) -> RefreshEnd {
    if generation.is_some() {
        RefreshEnd::Installed
    } else {
        RefreshEnd::Superseded
    }
}

/// The core's decision as the driver's step (the delay of a `RetryLater` is the request's).
fn step(next: Next) -> AttemptStep {
    match next {
        Next::Succeeded => AttemptStep::Succeeded,
        Next::Failed => AttemptStep::Failed,
        Next::TokenRetry => AttemptStep::RetryNow,
        Next::RetryAfter(_) => AttemptStep::RetryLater,
    }
}
