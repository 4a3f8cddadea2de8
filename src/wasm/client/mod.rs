//! `SpikeCore`: the decisions behind `SpikeClient`, made synchronously. The JS driver
//! (`js/client/driver.js`) performs the IO — fetch, timers, abort signals, calling the token source —
//! and asks the core at every step: which token to send, whether to refresh, what to do with an
//! answer, what error the caller gets. The logic itself lives in the pure modules
//! (`crate::client::token`, `crate::client::expiry`, `crate::client::attempts`, `crate::client::retry`).
//!
//! Sans-IO keeps the browser wasm small (no futures, closures or promise glue) and the hot path
//! fast (a request makes two cheap calls into wasm with numbers and short strings).

use alloc::string::String;

mod config;
mod requests;
mod tokens;

use wasm_bindgen::prelude::*;

use super::errors::to_js;
use super::js;
use crate::client::attempts::{Attempt, Next};
use crate::common::error::{ErrorCode, SdkError};
use crate::client::expiry::static_token_expired;
use crate::client::retry;
use crate::common::num;
use crate::client::token::{Decision, TokenState};
use config::{Config, Source};

/// `decide()` answers: a generation (> 0) to send, or one of these.
const WAIT: f64 = 0.0;
const REFRESH: f64 = -1.0;
const BACK_OFF: f64 = -2.0;
/// `installFromProvider()` / `installFromEndpoint()`: the refresh was superseded, nothing installed.
const SUPERSEDED: f64 = 0.0;
/// `afterAnswer()` / `afterFailure()` answers: a delay (>= 0) before retrying, or one of these.
const DONE: f64 = -1.0;
const TOKEN_RETRY: f64 = -2.0;

fn next_code(next: Next) -> f64 {
    match next {
        Next::Done => DONE,
        Next::TokenRetry => TOKEN_RETRY,
        Next::RetryAfter(ms) => ms.max(0.0),
    }
}

#[wasm_bindgen(skip_typescript)]
pub struct SpikeCore {
    config: Config,
    state: TokenState,
}

#[wasm_bindgen]
impl SpikeCore {
    #[wasm_bindgen(constructor)]
    pub fn new(options: &JsValue, defaults: &JsValue) -> Result<SpikeCore, JsValue> {
        Ok(SpikeCore { config: Config::from_options(options, defaults)?, state: TokenState::default() })
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

    /// Which token to send now: its generation (> 0), `WAIT` for the running refresh, `REFRESH`
    /// (the caller starts it), or `BACK_OFF` until `notBefore()`. An expired static token throws
    /// `token_expired`: nothing is sent.
    pub fn decide(&self, now_ms: f64) -> Result<f64, JsValue> {
        if let Source::Static { times, .. } = &self.config.source {
            if static_token_expired(times, now_ms) {
                return Err(to_js(
                    SdkError::new(ErrorCode::TokenExpired, "The static token has expired; nothing was sent (pass a tokenProvider or tokenEndpoint to refresh)")
                        .with_status(401),
                ));
            }
            return Ok(1.0);
        }
        Ok(match self.state.decide(now_ms, self.config.leeway_secs) {
            Decision::Use(_, generation) => generation as f64,
            Decision::Wait => WAIT,
            Decision::Refresh => REFRESH,
            Decision::BackOffUntil(_) => BACK_OFF,
        })
    }

    #[wasm_bindgen(js_name = notBefore)]
    pub fn not_before(&self) -> f64 {
        self.state.not_before_ms()
    }

    /// Marks a refresh as running. A forced one (the source must not hand back a cached copy of
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

    /// The running refresh failed (the source, or installing what it gave); false when it was
    /// superseded (its failure is nobody's: the waiters decide again instead of getting it).
    #[wasm_bindgen(js_name = refreshFailed)]
    pub fn refresh_failed(&mut self, now_ms: f64) -> bool {
        self.state.refresh_failed(now_ms)
    }

    /// Installs what the `tokenProvider` resolved to; returns the token's generation, or `SUPERSEDED`.
    #[wasm_bindgen(js_name = installFromProvider)]
    pub fn install_from_provider(&mut self, value: &JsValue, now_ms: f64) -> Result<f64, JsValue> {
        let found = tokens::token_from(value, "tokenProvider", None)?;
        Ok(tokens::install(&mut self.state, found, now_ms, None, tokens::PROVIDER_HINT)?.map_or(SUPERSEDED, |g| g as f64))
    }

    /// Installs the token endpoint's answer; returns the token's generation, or `SUPERSEDED`.
    #[wasm_bindgen(js_name = installFromEndpoint)]
    pub fn install_from_endpoint(&mut self, status: u16, text: &str, now_ms: f64) -> Result<f64, JsValue> {
        let found = tokens::from_endpoint_answer(status, text)?;
        Ok(tokens::install(&mut self.state, found, now_ms, Some(status), tokens::ENDPOINT_HINT)?.map_or(SUPERSEDED, |g| g as f64))
    }

    /// The current token (read once per refresh by the driver, which keeps it).
    #[wasm_bindgen(js_name = currentToken)]
    pub fn current_token(&self) -> JsValue {
        self.state.current().map_or(JsValue::UNDEFINED, |t| t.value.as_str().into())
    }

    pub fn invalidate(&mut self) {
        self.state.invalidate();
    }

    /// `{ claims, expiresAt, refreshAt, secondsLeft }` for the current token, or `null`.
    /// `refreshAt` is when the client refreshes it (never, for a static token), so nobody has
    /// to recompute the leeway rule.
    #[wasm_bindgen(js_name = tokenInfo)]
    pub fn token_info(&self, now_ms: f64) -> JsValue {
        let (claims_json, expires_at, refresh_at, seconds_left) = match &self.config.source {
            Source::Static { times, claims_json, .. } => {
                let expires_at = times.exp.map_or(f64::INFINITY, |e| e * 1000.0);
                (claims_json.as_str(), expires_at, f64::INFINITY, ((expires_at - now_ms) / 1000.0).max(0.0))
            }
            _ => match self.state.current() {
                Some(t) => {
                    let refresh_at = t.timing.expires_at_ms - t.timing.effective_leeway_ms(self.config.leeway_secs);
                    (t.claims_json.as_str(), t.timing.expires_at_ms, refresh_at, t.timing.seconds_left(now_ms))
                }
                None => return JsValue::NULL,
            },
        };
        let info = js::object();
        js::set(&info, "claims", &js::parse_json(claims_json).unwrap_or(JsValue::NULL));
        let finite = |n: f64| if n.is_finite() { JsValue::from(num::round(n)) } else { JsValue::NULL };
        js::set(&info, "expiresAt", &finite(expires_at));
        js::set(&info, "refreshAt", &finite(refresh_at));
        js::set(&info, "secondsLeft", &if seconds_left.is_finite() { JsValue::from(num::floor(seconds_left)) } else { JsValue::NULL });
        info
    }

    /// After an HTTP answer: `DONE`, `TOKEN_RETRY`, or the delay before a transient retry.
    /// `error_code` is the `error` field of a 401's JSON body.
    #[wasm_bindgen(js_name = afterAnswer)]
    #[allow(clippy::too_many_arguments)]
    pub fn after_answer(
        &mut self,
        status: u16,
        error_code: Option<String>,
        retry_after: Option<String>,
        method: &str,
        replayable: bool,
        force_retry: Option<bool>,
        generation: f64,
        token_retries: u32,
        transient_retries: u32,
        now_ms: f64,
        random: f64,
    ) -> f64 {
        let attempt = self.attempt(method, replayable, force_retry, generation, token_retries, transient_retries);
        let retry_after_ms = retry_after.and_then(|v| retry::parse_retry_after(&v, now_ms));
        next_code(attempt.after_answer(&mut self.state, status, error_code.as_deref() == Some("token_expired"), retry_after_ms, random))
    }

    /// After an attempt without an HTTP answer: `DONE` (the error stands) or the retry delay.
    #[wasm_bindgen(js_name = afterFailure)]
    pub fn after_failure(&self, timeout: bool, method: &str, replayable: bool, force_retry: Option<bool>, transient_retries: u32, random: f64) -> f64 {
        next_code(self.attempt(method, replayable, force_retry, 0.0, 0, transient_retries).after_failure(timeout, random))
    }

    /// The `SpikeError` for a non-2xx answer to `request()`; `body` is the parsed answer.
    #[wasm_bindgen(js_name = answerError)]
    pub fn answer_error(&self, status: u16, method: &str, url: &str, body: &JsValue) -> JsValue {
        requests::answer_error(status, method, url, body)
    }
}

impl SpikeCore {
    fn attempt<'a>(&self, method: &'a str, replayable: bool, force_retry: Option<bool>, generation: f64, token_retries: u32, transient_retries: u32) -> Attempt<'a> {
        Attempt {
            method,
            replayable,
            force_retry,
            refreshable: self.config.is_refreshable(),
            max_retries: self.config.max_retries,
            generation: generation.max(0.0) as u64,
            token_retries,
            transient_retries,
        }
    }
}
