//! Reading option values passed from JS, with `invalid_options` errors that name the option.
// Some readers are only used by the server helpers (cargo feature `server`).
#![cfg_attr(not(feature = "server"), allow(dead_code))]

use alloc::string::String;
use alloc::vec::Vec;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::errors::to_js;
use super::js;
use crate::common::error::SdkError;

fn invalid(message: &'static str) -> JsValue {
    to_js(SdkError::invalid_options(message))
}

/// `options[name]`, with `undefined` and `null` read as absent.
pub fn get(options: &JsValue, name: &str) -> Option<JsValue> {
    Some(js::get(options, name)).filter(|v| !v.is_null_or_undefined())
}

/// Requires an options object.
pub fn object(options: &JsValue, error: &'static str) -> Result<(), JsValue> {
    if options.is_object() { Ok(()) } else { Err(invalid(error)) }
}

/// Refuses an own key of `options` that `known` does not list (`invalid_options` naming it).
pub fn only_known(options: &JsValue, what: &str, known: &[&'static str]) -> Result<(), JsValue> {
    let keys = js::keys(options).map_err(|_| to_js(SdkError::invalid_options(crate::common::text::cat(&[what, " options could not be read"]))))?;
    let len = js::get(&keys, "length").as_f64().unwrap_or(0.0) as u32;
    let keys: Vec<String> = (0..len).filter_map(|i| js::at(&keys, i).as_string()).collect();
    crate::common::options::unknown_option(what, keys.iter().map(String::as_str), known).map_err(to_js)
}

/// `options[name]`, else `defaults[name]` (a value from the environment), as a string.
pub fn string_or_default(options: &JsValue, defaults: &JsValue, name: &str, error: &'static str) -> Result<Option<String>, JsValue> {
    match string(options, name, error)? {
        Some(value) => Ok(Some(value)),
        None if defaults.is_object() => Ok(get(defaults, name).and_then(|v| v.as_string())),
        None => Ok(None),
    }
}

pub fn string(options: &JsValue, name: &str, error: &'static str) -> Result<Option<String>, JsValue> {
    get(options, name).map(|v| v.as_string().ok_or_else(|| invalid(error))).transpose()
}

pub fn number(options: &JsValue, name: &str, error: &'static str) -> Result<Option<f64>, JsValue> {
    get(options, name).map(|v| v.as_f64().filter(|n| n.is_finite()).ok_or_else(|| invalid(error))).transpose()
}

/// A function option (`typeof value === 'function'`), as the JS type the caller names
/// (`js_sys::Function` in the Node helpers, a plain `JsValue` in the browser client).
pub fn function<F: JsCast>(options: &JsValue, name: &str, error: &'static str) -> Result<Option<F>, JsValue> {
    get(options, name).map(|v| if v.is_function() { Ok(v.unchecked_into()) } else { Err(invalid(error)) }).transpose()
}

#[cfg(feature = "server")]
pub fn string_array(options: &JsValue, name: &str, error: &'static str) -> Result<Option<Vec<String>>, JsValue> {
    let Some(value) = get(options, name) else { return Ok(None) };
    if !value.is_array() {
        return Err(invalid(error));
    }
    js_sys::Array::from(&value).iter().map(|v| v.as_string().ok_or_else(|| invalid(error))).collect::<Result<Vec<_>, _>>().map(Some)
}

/// `undefined`/`null` -> `None`; a finite number >= 0 -> `Some`; anything else is `error`.
pub fn non_negative_seconds(value: &JsValue, error: &'static str) -> Result<Option<f64>, JsValue> {
    if value.is_null_or_undefined() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n.is_finite() && n >= 0.0 => Ok(Some(n)),
        _ => Err(invalid(error)),
    }
}
