//! Small wrappers over the JS globals and property access the wasm layer needs.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub fn global(name: &str) -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &name.into()).ok().filter(|v| !v.is_undefined())
}

pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &key.into(), value);
}

/// `new globalThis[class](...args)`.
pub fn construct(class: &str, args: &Array) -> Result<JsValue, JsValue> {
    let ctor = global(class).ok_or_else(|| JsValue::from_str(class))?;
    Reflect::construct(&ctor.unchecked_into::<Function>(), args)
}

/// Calls `target[method](...args)`.
#[cfg(feature = "server")]
pub fn call_method(target: &JsValue, method: &str, args: &Array) -> Result<JsValue, JsValue> {
    let f: Function = get(target, method).dyn_into()?;
    Reflect::apply(&f, target, args)
}

/// Awaits any value (a promise, a thenable or a plain value).
#[cfg(feature = "server")]
pub async fn resolve(value: JsValue) -> Result<JsValue, JsValue> {
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&value)).await
}
