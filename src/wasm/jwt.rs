//! `decodeToken` and `isTokenExpired`.

use alloc::string::String;
use wasm_bindgen::prelude::*;

use super::errors::to_js;
use crate::common::error::SdkError;
use crate::jwt;

/// Reads the token argument; anything but a string is `invalid_token` (as a JS caller would
/// expect from `decodeToken(undefined)`), not a wasm-bindgen type error.
fn token_arg(token: &JsValue) -> Result<String, JsValue> {
    token.as_string().ok_or_else(|| to_js(SdkError::invalid_token("Invalid token: must be a string")))
}

#[wasm_bindgen(js_name = decodeToken, skip_typescript)]
pub fn decode_token(token: &JsValue) -> Result<JsValue, JsValue> {
    let decoded = jwt::decode(&token_arg(token)?).map_err(to_js)?;
    // Rust has validated the JSON; the engine's own parser builds the object fastest and keeps
    // every claim exactly as issued.
    super::js::parse_json(&decoded.payload_json)
        .map_err(|_| to_js(SdkError::invalid_token("Invalid token: part #2 (payload) is not valid JSON")))
}

#[wasm_bindgen(js_name = isTokenExpired, skip_typescript)]
pub fn is_token_expired(token: &JsValue, leeway_seconds: &JsValue) -> Result<bool, JsValue> {
    let leeway = super::options::non_negative_seconds(leeway_seconds, "leewaySeconds must be a finite number >= 0")?.unwrap_or(0.0);
    let decoded = jwt::decode(&token_arg(token)?).map_err(to_js)?;
    Ok(jwt::is_expired(&decoded.times, super::js::now() / 1000.0, leeway))
}
