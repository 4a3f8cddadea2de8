//! Reading option values passed from JS, with `invalid_options` errors that name the option.
// Some readers are only used by the server helpers (cargo feature `server`).
#![cfg_attr(not(feature = "server"), allow(dead_code))]

use alloc::string::String;
#[cfg(feature = "server")]
use alloc::vec::Vec;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::errors::to_js;
use super::js;
use crate::common::error::SdkError;

pub fn invalid(message: &'static str) -> JsValue {
    to_js(SdkError::invalid_options(message))
}

/// `options[name]`, with `undefined` and `null` read as absent.
pub fn get(options: &JsValue, name: &str) -> Option<JsValue> {
    Some(js::get(options, name)).filter(|v| !v.is_null_or_undefined())
}

/// Requires an options object.
pub fn object(options: &JsValue, error: &'static str) -> Result<(), JsValue> {
    if options.is_object() {
        Ok(())
    } else {
        Err(invalid(error))
    }
}

/// Refuses an own key of `options` that `known` does not list (`invalid_options` naming it).
pub fn only_known(options: &JsValue, what: &str, known: &[&'static str]) -> Result<(), JsValue> {
    let keys =
        js::keys(options).map_err(|_| to_js(SdkError::invalid_options(crate::common::text::cat(&[what, " options could not be read"]))))?;
    let len = js::get(&keys, "length").as_f64().unwrap_or(0.0) as u32;
    // Only the first unknown key is reported: no need to copy every key into wasm memory.
    match (0..len).filter_map(|i| js::at(&keys, i).as_string()).find(|k| !known.contains(&k.as_str())) {
        Some(key) => Err(to_js(crate::common::options::unknown_key(what, &key, known))),
        None => Ok(()),
    }
}

/// `baseUrl`: the option, else the environment's `SPIKE_API_URL` (`defaults.baseUrl`, server
/// runtimes only), else the production API.
pub fn base_url(options: &JsValue, defaults: &JsValue) -> Result<String, JsValue> {
    let explicit = string(options, "baseUrl", "baseUrl must be a string")?;
    let env = default_string(defaults, "baseUrl");
    crate::common::options::base_url_or_env(explicit.as_deref(), env.as_deref()).map_err(to_js)
}

/// `defaults[name]` as a string (`defaults`: the environment's values, or not an object).
fn default_string(defaults: &JsValue, name: &str) -> Option<String> {
    if defaults.is_object() {
        get(defaults, name).and_then(|v| v.as_string())
    } else {
        None
    }
}

/// `options[name]`, else `defaults[name]` (a value from the environment), as a string.
pub fn string_or_default(options: &JsValue, defaults: &JsValue, name: &str, error: &'static str) -> Result<Option<String>, JsValue> {
    match string(options, name, error)? {
        Some(value) => Ok(Some(value)),
        None => Ok(default_string(defaults, name)),
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
