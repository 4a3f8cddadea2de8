//! `signUserId`, `verifyWebhookSignature`, `parseWebhookEvents`.

use std::cell::OnceCell;

use js_sys::{Function, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::common::error::SdkError;
use crate::server::{secret, signature, webhook};
use crate::wasm::errors::to_js;

/// A body given as a string (UTF-8 bytes) or any Uint8Array (Node's Buffer is one).
fn body_bytes(body: &JsValue) -> Option<Vec<u8>> {
    if let Some(text) = body.as_string() {
        return Some(text.into_bytes());
    }
    body.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec)
}

/// A key must be a string without surrounding whitespace or control characters (see
/// `crate::server::secret`); `name` is the option's name, the key is never printed.
fn key_string(key: &JsValue, name: &str) -> Result<String, JsValue> {
    let key = key.as_string().ok_or_else(|| to_js(SdkError::invalid_options(format!("{name} must be a non-empty string"))))?;
    secret::check_key(&key, name).map_err(to_js)?;
    Ok(key)
}

#[wasm_bindgen(js_name = signUserId, skip_typescript)]
pub fn sign_user_id(hmac_key: &JsValue, user_id: &JsValue) -> Result<String, JsValue> {
    let key = key_string(hmac_key, "hmacKey")?;
    let user = user_id.as_string().ok_or_else(|| to_js(SdkError::invalid_options("userId must be a string")))?;
    signature::sign_user_id(&key, &user).map_err(to_js)
}

thread_local! {
    static NATIVE_HMAC: OnceCell<Function> = const { OnceCell::new() };
}

/// Registers `(key: string, body: string | Uint8Array) => Uint8Array`, an HMAC-SHA256 computed
/// natively (node:crypto): ~10x faster than SHA-256 in wasm on large bodies, and the body is
/// never copied into wasm memory. Only the MAC comes back; the comparison stays here.
#[wasm_bindgen(js_name = "__setNativeHmac", skip_typescript)]
pub fn set_native_hmac(f: Function) {
    NATIVE_HMAC.with(|cell| {
        let _ = cell.set(f);
    });
}

/// The native HMAC of a string or Uint8Array body, when one is registered and works.
fn native_hmac(key: &JsValue, body: &JsValue) -> Option<Vec<u8>> {
    if !(body.is_string() || body.is_instance_of::<Uint8Array>()) {
        return None;
    }
    let f = NATIVE_HMAC.with(|cell| cell.get().cloned())?;
    let out = f.call2(&JsValue::UNDEFINED, key, body).ok()?;
    out.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec)
}

/// A missing or malformed header is `false`; only a missing key (a programming error) throws.
#[wasm_bindgen(js_name = verifyWebhookSignature, skip_typescript)]
pub fn verify_webhook_signature(signature_key: &JsValue, raw_body: &JsValue, header: &JsValue) -> Result<bool, JsValue> {
    let key = key_string(signature_key, "signatureKey")?;
    let Some(header) = header.as_string() else {
        return Ok(false);
    };
    // The key as JS gave it (checked above to be a non-empty string): no round trip through wasm.
    if let Some(mac) = native_hmac(signature_key, raw_body) {
        return Ok(webhook::header_matches(&header, &mac));
    }
    let Some(body) = body_bytes(raw_body) else {
        return Ok(false);
    };
    Ok(webhook::verify(key.as_bytes(), &body, &header))
}

#[wasm_bindgen(js_name = parseWebhookEvents, skip_typescript)]
pub fn parse_webhook_events(raw_body: &JsValue) -> Result<JsValue, JsValue> {
    let bytes = body_bytes(raw_body).ok_or_else(|| to_js(SdkError::invalid_options("rawBody must be a string or Uint8Array")))?;
    let text = String::from_utf8(bytes).map_err(|_| to_js(SdkError::invalid_options("webhook body is not UTF-8")))?;
    let events = webhook::parse_events(&text).map_err(to_js)?;
    let json = serde_json::to_string(&events).map_err(|_| to_js(SdkError::invalid_options("could not encode events")))?;
    js_sys::JSON::parse(&json)
}
