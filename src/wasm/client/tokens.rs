//! Checking what a token source produced and installing it: a provider's result, or the token
//! endpoint's answer. Anything unusable is `token_provider_failed`, with a message that never
//! contains the token.

use alloc::string::String;
use wasm_bindgen::prelude::*;

use crate::common::error::{ErrorCode, SdkError};
use crate::client::expiry::Timing;
use crate::jwt;
use crate::common::text::{cat, uint};
use crate::client::token::TokenState;
use crate::wasm::errors::to_js;
use crate::wasm::js;

pub fn provider_failed(message: &str, status: Option<u16>) -> JsValue {
    let mut err = SdkError::new(ErrorCode::TokenProviderFailed, message);
    err.status = status;
    to_js(err)
}

/// How to fix a source that answered a forced refresh with the refused token.
pub const PROVIDER_HINT: &str = "the tokenProvider ignored { forceRefresh: true }: pass forceRefresh to your backend (send the cacheControl it gets as Cache-Control) so it mints a new token";
pub const ENDPOINT_HINT: &str = "the token endpoint must mint a new token when asked with Cache-Control: no-cache (createTokenHandler does)";

/// What a source produced: the token, `expires_in` (seconds left) and `expires_at` (ms epoch).
pub struct Found {
    token: String,
    expires_in: Option<f64>,
    expires_at_ms: Option<f64>,
}

/// Reads `{ token, expires_in?, expires_at? }` (or a bare string) from what a source produced.
/// `status`: the token endpoint's HTTP status, carried by every error about its answer.
pub fn token_from(value: &JsValue, what: &str, status: Option<u16>) -> Result<Found, JsValue> {
    if let Some(token) = value.as_string() {
        return Ok(Found { token, expires_in: None, expires_at_ms: None });
    }
    let token = if value.is_object() { js::get(value, "token").as_string() } else { None };
    let token = token.ok_or_else(|| provider_failed(&cat(&[what, " did not give a token string (expected a string or { token, expires_at? })"]), status))?;
    let expires_in = if value.is_object() { js::get(value, "expires_in").as_f64() } else { None };
    let expires_at_ms = if value.is_object() { js::get(value, "expires_at").as_string() } else { None }
        .map(|at| js::parse_date(&at))
        .filter(|ms| ms.is_finite());
    Ok(Found { token, expires_in, expires_at_ms })
}

/// The token endpoint's answer (status and body text) as `{ token, expires_in?, expires_at? }`.
pub fn from_endpoint_answer(status: u16, text: &str) -> Result<Found, JsValue> {
    if !(200..300).contains(&status) {
        return Err(provider_failed(&cat(&["the token endpoint answered HTTP ", &uint(status.into())]), Some(status)));
    }
    let body = js::parse_json(text).map_err(|_| {
        let what = if crate::common::text::trim(text).as_bytes().first() == Some(&b'<') { "HTML" } else { "something that is not JSON" };
        provider_failed(&cat(&["the token endpoint answered ", what, " instead of { token }"]), Some(status))
    })?;
    if !body.is_object() {
        return Err(provider_failed("the token endpoint answered JSON that is not { token }", Some(status)));
    }
    token_from(&body, "the token endpoint", Some(status))
}

/// Decodes the token and makes it current; returns its generation, or `None` when the refresh
/// was superseded (see `crate::client::token`): the token is dropped. A forced refresh that brings back
/// the refused token fails (`source_hint` says how to fix the source): sending it again could
/// only be refused again, so it is never retried.
///
/// `expires_at` ends the token's life early when it comes before `exp`. Like `exp`, it is the
/// issuer's clock, so it is measured from `iat` (the life it leaves is anchored at arrival) and
/// the device clock does not matter; one before `iat` is nonsense and ignored.
/// `status`: the token endpoint's, for its errors (`None` for a provider).
pub fn install(state: &mut TokenState, found: Found, now_ms: f64, status: Option<u16>, source_hint: &str) -> Result<Option<u64>, JsValue> {
    if !state.refresh_superseded() && state.refused() == Some(found.token.as_str()) {
        return Err(provider_failed(&cat(&["the token source answered a forced refresh with the very token that was just refused; ", source_hint]), status));
    }
    let decoded = jwt::decode(&found.token).map_err(|e| provider_failed(&cat(&["the token source returned something that is not a JWT (", &e.message, ")"]), status))?;
    let mut times = decoded.times;
    if let Some(at) = found.expires_at_ms.map(|ms| ms / 1000.0).filter(|at| times.iat.is_none_or(|iat| *at > iat)) {
        times.exp = Some(times.exp.map_or(at, |exp| exp.min(at)));
    }
    let timing = Timing::new(&times, found.expires_in, now_ms);
    Ok(state.refresh_succeeded(found.token, decoded.payload_json, timing))
}
