//! Calling `fetch` from Rust: whichever fetch the caller configured, else `globalThis.fetch`.

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::JsCast;

use crate::common::error::SdkError;

/// The configured fetch, or the global one; `invalid_options` when neither exists.
pub fn fetch_function(configured: Option<Function>) -> Result<Function, SdkError> {
    if let Some(f) = configured {
        return Ok(f);
    }
    super::js::global("fetch")
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
