//! Calling `fetch` from Rust: whichever fetch the caller configured, else `globalThis.fetch`.
// Used by the server helpers now and by the client next.
#![cfg_attr(not(feature = "server"), allow(dead_code))]

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::error::{ErrorCode, SdkError};

/// The configured fetch, or the global one; `invalid_options` when neither exists.
pub fn fetch_function(configured: Option<Function>) -> Result<Function, SdkError> {
    if let Some(f) = configured {
        return Ok(f);
    }
    Reflect::get(&js_sys::global(), &"fetch".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| SdkError::invalid_options("no fetch available: pass the fetch option (Node < 18 has no global fetch)"))
}

/// A `RequestInit` with method, headers and an optional body.
pub fn request_init(method: &str, headers: &[(&str, &str)], body: Option<&str>) -> Object {
    let init = Object::new();
    let header_obj = Object::new();
    for (k, v) in headers {
        let _ = Reflect::set(&header_obj, &(*k).into(), &(*v).into());
    }
    let _ = Reflect::set(&init, &"method".into(), &method.into());
    let _ = Reflect::set(&init, &"headers".into(), &header_obj);
    if let Some(body) = body {
        let _ = Reflect::set(&init, &"body".into(), &body.into());
    }
    init
}

async fn await_value(value: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(Promise::resolve(&value)).await
}

/// Sends the request and reads the whole body as text: `(status, text)`. A rejected fetch is a
/// `network_error` whose message names only the URL's origin.
pub async fn fetch_text(fetch: &Function, url: &str, init: &Object, origin: &str) -> Result<(u16, String), SdkError> {
    let network = || SdkError::new(ErrorCode::NetworkError, format!("could not reach {origin}"));
    let response = fetch.call2(&JsValue::UNDEFINED, &url.into(), init).map_err(|_| network())?;
    let response = await_value(response).await.map_err(|_| network())?;
    let status = Reflect::get(&response, &"status".into()).ok().and_then(|s| s.as_f64()).unwrap_or(0.0);
    let text_fn = Reflect::get(&response, &"text".into()).ok().and_then(|f| f.dyn_into::<Function>().ok()).ok_or_else(network)?;
    let text = text_fn.call0(&response).map_err(|_| network())?;
    let text = await_value(text).await.map_err(|_| network())?;
    Ok((status as u16, text.as_string().unwrap_or_default()))
}
