//! Turning [`SdkError`] into instances of the JS `SpikeError` class.
//!
//! `SpikeError` must be a real JS class (`extends Error`, `instanceof` works across entry points),
//! which wasm-bindgen cannot declare. The JS entry registers the class once at load time and Rust
//! constructs it through `Reflect.construct`, so every error thrown from wasm is a `SpikeError`.

use alloc::string::String;
use core::cell::OnceCell;

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::error::SdkError;

/// The registered class. A plain static rather than `thread_local!` (std only, and its lazy-init
/// machinery costs bytes): wasm32 without the `atomics` feature runs one thread, so a
/// `static` holding a JS value is only ever touched by that thread.
static ERROR_CLASS: OneThread<OnceCell<Function>> = OneThread(OnceCell::new());

#[cfg(target_feature = "atomics")]
compile_error!("ERROR_CLASS assumes a single thread: a threaded wasm build needs a thread-local here");

struct OneThread<T>(T);

// SAFETY: without `atomics`, wasm32 has no threads, so no value here is ever shared between
// threads (the compile_error above refuses a build where that could change).
unsafe impl<T> Sync for OneThread<T> {}

/// Called once by each JS entry point with the `SpikeError` constructor.
#[wasm_bindgen(js_name = "__setErrorClass", skip_typescript)]
pub fn set_error_class(class: Function) {
    let _ = ERROR_CLASS.0.set(class);
}

/// `new SpikeError(code, message, { status })`, or a plain `Error` carrying `code` if the class
/// was never registered (only possible when the raw wasm module is used directly).
pub fn to_js(err: SdkError) -> JsValue {
    to_js_with(err, None, None)
}

/// Like [`to_js`], also attaching `cause` (the underlying JS error) and `body` (a parsed answer).
pub fn to_js_with(err: SdkError, cause: Option<&JsValue>, body: Option<&JsValue>) -> JsValue {
    let options = Object::new();
    if let Some(status) = err.status {
        let _ = Reflect::set(&options, &"status".into(), &JsValue::from(status));
    }
    if let Some(cause) = cause {
        let _ = Reflect::set(&options, &"cause".into(), cause);
    }
    if let Some(body) = body {
        let _ = Reflect::set(&options, &"body".into(), body);
    }
    let args = Array::of3(&err.code.as_str().into(), &err.message.as_str().into(), &options);
    let constructed = ERROR_CLASS.0.get().map(|class| Reflect::construct(class, &args));
    match constructed {
        Some(Ok(value)) => value,
        _ => {
            let fallback = js_sys::Error::new(&err.message);
            let _ = Reflect::set(&fallback, &"code".into(), &err.code.as_str().into());
            fallback.into()
        }
    }
}

/// The `code` of a thrown SpikeError (or anything with a string `code`).
pub fn code_of(err: &JsValue) -> Option<String> {
    Reflect::get(err, &"code".into()).ok().and_then(|c| c.as_string())
}
