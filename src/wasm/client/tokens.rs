//! Reading what a token source produced from JS into a `Found` (`crate::client::source` checks
//! and installs it): a provider's result, or the token endpoint's answer.

use wasm_bindgen::prelude::*;

use crate::client::source::{self, Found};
use crate::common::text::cat;
use crate::wasm::errors::to_js;
use crate::wasm::js;

/// Reads `{ token, expires_in?, expires_at? }` (or a bare string) from what a source produced.
/// `status`: the token endpoint's HTTP status, carried by every error about its answer.
pub fn token_from(value: &JsValue, what: &str, status: Option<u16>) -> Result<Found, JsValue> {
    if let Some(token) = value.as_string() {
        return Ok(Found { token, expires_in: None, expires_at_ms: None });
    }
    let token = if value.is_object() { js::get(value, "token").as_string() } else { None };
    let token = token.ok_or_else(|| {
        to_js(source::failed(&cat(&[what, " did not give a token string (expected a string or { token, expires_at? })"]), status))
    })?;
    // An object by now: a string token was read from it.
    let expires_in = js::get(value, "expires_in").as_f64();
    let expires_at_ms = js::get(value, "expires_at").as_string().map(|at| js::parse_date(&at)).filter(|ms| ms.is_finite());
    Ok(Found { token, expires_in, expires_at_ms })
}

/// The token endpoint's answer (status and body text) as `{ token, expires_in?, expires_at? }`.
pub fn from_endpoint_answer(status: u16, text: &str) -> Result<Found, JsValue> {
    source::check_endpoint_status(status).map_err(to_js)?;
    let body = js::parse_json(text).map_err(|_| to_js(source::endpoint_not_json(text, status)))?;
    if !body.is_object() {
        return Err(to_js(source::failed("the token endpoint answered JSON that is not { token }", Some(status))));
    }
    token_from(&body, "the token endpoint", Some(status))
}
