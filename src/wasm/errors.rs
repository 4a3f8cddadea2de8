//! Turning [`SdkError`] into instances of the JS `SpikeError` class.
//!
//! `SpikeError` must be a real JS class (`extends Error`, `instanceof` works across entry points),
//! which wasm-bindgen cannot declare. The JS entry registers the class once at load time and Rust
//! constructs it through `Reflect.construct`, so every error thrown from wasm is a `SpikeError`.

use alloc::string::String;
use core::cell::OnceCell;

use wasm_bindgen::prelude::*;

use super::js;
use super::one_thread::OneThread;
use crate::common::error::SdkError;

/// The registered class (see [`OneThread`]).
static ERROR_CLASS: OneThread<OnceCell<JsValue>> = OneThread(OnceCell::new());

/// What `__setErrorClass` takes: js-sys's `Function` where js-sys is linked (the Node build,
/// whose tests pass one), any value in the browser build (the entry passes the class).
#[cfg(feature = "server")]
type Class = js_sys::Function;
#[cfg(not(feature = "server"))]
type Class = JsValue;

/// Called once by each JS entry point with the `SpikeError` constructor.
#[wasm_bindgen(js_name = "__setErrorClass", skip_typescript)]
#[allow(clippy::useless_conversion)] // `Class` is `JsValue` itself in the browser build
pub fn set_error_class(class: Class) {
    let _ = ERROR_CLASS.0.set(class.into());
}

/// `new SpikeError(code, message, { status })`, or a plain `Error` carrying `code` if the class
/// was never registered (only possible when the raw wasm module is used directly).
pub fn to_js(err: SdkError) -> JsValue {
    to_js_with(err, None, None)
}

/// Like [`to_js`], also attaching `cause` (the underlying JS error) and `body` (a parsed answer).
pub fn to_js_with(err: SdkError, cause: Option<&JsValue>, body: Option<&JsValue>) -> JsValue {
    let options = js::object();
    if let Some(status) = err.status {
        js::set(&options, "status", &JsValue::from(status));
    }
    if let Some(cause) = cause {
        js::set(&options, "cause", cause);
    }
    if let Some(body) = body {
        js::set(&options, "body", body);
    }
    let code = err.code.as_str();
    let args = js::error_args(code, &err.message, &options);
    match ERROR_CLASS.0.get().map(|class| js::construct(class, &args)) {
        Some(Ok(value)) => value,
        _ => {
            let fallback: JsValue = js::error(&err.message);
            js::set(&fallback, "code", &code.into());
            fallback
        }
    }
}

/// The `code` of a thrown SpikeError (or anything with a string `code`).
pub fn code_of(err: &JsValue) -> Option<String> {
    js::get(err, "code").as_string()
}
