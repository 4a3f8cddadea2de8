//! Small typed wrappers over the JS globals the client needs (all exist in Node >= 18 and in
//! browsers): timers, `Headers`, `AbortController`, `URL`.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Local time in ms, from JS (`std::time` does not exist on wasm32-unknown-unknown).
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

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
pub fn call_method(target: &JsValue, method: &str, args: &Array) -> Result<JsValue, JsValue> {
    let f: Function = get(target, method).dyn_into()?;
    Reflect::apply(&f, target, args)
}

/// Awaits any value (a promise, a thenable or a plain value).
pub async fn resolve(value: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(Promise::resolve(&value)).await
}

/// `setTimeout(f, ms)`, returning the timer handle.
pub fn set_timeout(f: &JsValue, ms: f64) -> JsValue {
    global("setTimeout")
        .and_then(|st| st.dyn_into::<Function>().ok())
        .and_then(|st| st.call2(&JsValue::UNDEFINED, f, &ms.into()).ok())
        .unwrap_or(JsValue::UNDEFINED)
}

pub fn clear_timeout(handle: &JsValue) {
    if let Some(ct) = global("clearTimeout").and_then(|f| f.dyn_into::<Function>().ok()) {
        let _ = ct.call1(&JsValue::UNDEFINED, handle);
    }
}

/// Resolves after `ms` milliseconds (no Rust closure: the promise's own resolve is the timer).
pub async fn sleep(ms: f64) {
    if ms <= 0.0 {
        return;
    }
    let promise = Promise::new(&mut |resolve, _reject| {
        set_timeout(&resolve.into(), ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// `value instanceof globalThis[class]`, by walking the prototype chain (no `new Function`, which
/// a strict Content-Security-Policy forbids).
pub fn is_instance_of(value: &JsValue, class: &str) -> bool {
    let Some(proto) = global(class).map(|c| get(&c, "prototype")).filter(JsValue::is_object) else {
        return false;
    };
    if !value.is_object() {
        return false;
    }
    let mut p: JsValue = Object::get_prototype_of(value).into();
    while p.is_object() {
        if p == proto {
            return true;
        }
        p = Object::get_prototype_of(&p).into();
    }
    false
}
