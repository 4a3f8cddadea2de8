//! `decodeToken` and `isTokenExpired`.

use alloc::string::String;
use alloc::vec::Vec;
use core::cell::Cell;
use wasm_bindgen::prelude::*;

use super::errors::to_js;
use super::one_thread::OneThread;
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

/// `decodeToken`'s fast path (js/client/decode.js), which spares a call the string and error
/// handling of wasm-bindgen's boundary: JS writes the token's UTF-8 into this scratch memory and
/// reads the payload's JSON text back from it, `JSON.parse`s it, and calls `decodeToken` above
/// only when the token does not decode here (for its `SpikeError`). Kept between calls; it holds
/// the largest token seen so far and its payload (at most ~112 KiB).
static SCRATCH: OneThread<Cell<Vec<u8>>> = OneThread(Cell::new(Vec::new()));

/// The address of room for a token of `len` bytes, valid until the next call of this function;
/// null (0) when no such token can decode.
#[wasm_bindgen(js_name = __decodeScratch, skip_typescript)]
pub fn decode_scratch(len: usize) -> *mut u8 {
    if len > jwt::MAX_TOKEN_LEN {
        return core::ptr::null_mut();
    }
    let mut scratch = alloc::vec![0; jwt::in_place_room(len)];
    let at = scratch.as_mut_ptr();
    SCRATCH.0.set(scratch);
    at
}

/// Decodes the `len`-byte token JS wrote at `__decodeScratch`'s address and writes the payload's
/// JSON text right after it: returns its length, or -1 when the token does not decode.
#[wasm_bindgen(js_name = __decodeInPlace, skip_typescript)]
pub fn decode_in_place(len: usize) -> i32 {
    let mut scratch = SCRATCH.0.take();
    let decoded = jwt::decode_in_place(&mut scratch, len);
    SCRATCH.0.set(scratch);
    decoded.map_or(-1, |n| n as i32)
}

/// The instance's `WebAssembly.Memory`, which holds the scratch.
#[wasm_bindgen(js_name = __decodeMemory, skip_typescript)]
pub fn decode_memory() -> JsValue {
    wasm_bindgen::memory()
}

#[wasm_bindgen(js_name = isTokenExpired, skip_typescript)]
pub fn is_token_expired(token: &JsValue, leeway_seconds: &JsValue) -> Result<bool, JsValue> {
    let leeway = super::options::non_negative_seconds(leeway_seconds, "leewaySeconds must be a finite number >= 0")?.unwrap_or(0.0);
    let decoded = jwt::decode(&token_arg(token)?).map_err(to_js)?;
    Ok(jwt::is_expired(&decoded.times, super::js::now() / 1000.0, leeway))
}
