//! Checking what a token source produced and installing it: a provider's result, or the token
//! endpoint's answer. Anything unusable is `token_provider_failed`, with a message that never
//! contains the token.

use alloc::string::String;
use wasm_bindgen::prelude::*;

use crate::error::{ErrorCode, SdkError};
use crate::expiry::Timing;
use crate::jwt;
use crate::text::{cat, uint};
use crate::token::TokenState;
use crate::wasm::errors::to_js;
use crate::wasm::js;

pub fn provider_failed(message: &str, status: Option<u16>) -> JsValue {
    let mut err = SdkError::new(ErrorCode::TokenProviderFailed, message);
    err.status = status;
    to_js(err)
}

/// Reads `{ token, expires_in? }` (or a bare string) from what a source produced.
pub fn token_from(value: &JsValue, what: &str) -> Result<(String, Option<f64>), JsValue> {
    if let Some(token) = value.as_string() {
        return Ok((token, None));
    }
    let token = if value.is_object() { js::get(value, "token").as_string() } else { None };
    let token = token.ok_or_else(|| provider_failed(&cat(&[what, " did not give a token string (expected a string or { token, expires_at? })"]), None))?;
    let expires_in = if value.is_object() { js::get(value, "expires_in").as_f64() } else { None };
    Ok((token, expires_in))
}

/// The token endpoint's answer (status and body text) as `{ token, expires_in? }`.
pub fn from_endpoint_answer(status: u16, text: &str) -> Result<(String, Option<f64>), JsValue> {
    if !(200..300).contains(&status) {
        return Err(provider_failed(&cat(&["the token endpoint answered HTTP ", &uint(status.into())]), Some(status)));
    }
    let body = js::parse_json(text).map_err(|_| {
        let what = if crate::text::trim(text).as_bytes().first() == Some(&b'<') { "HTML" } else { "something that is not JSON" };
        provider_failed(&cat(&["the token endpoint answered ", what, " instead of { token }"]), Some(status))
    })?;
    if !body.is_object() {
        return Err(provider_failed("the token endpoint answered JSON that is not { token }", Some(status)));
    }
    token_from(&body, "the token endpoint")
}

/// Decodes the token and makes it current; returns its generation.
pub fn install(state: &mut TokenState, (token, expires_in): (String, Option<f64>), now_ms: f64) -> Result<u64, JsValue> {
    let decoded = jwt::decode(&token).map_err(|e| provider_failed(&cat(&["the token source returned something that is not a JWT (", &e.message, ")"]), None))?;
    let timing = Timing::new(&decoded.times, expires_in, now_ms);
    Ok(state.refresh_succeeded(token, decoded.payload_json, timing))
}
