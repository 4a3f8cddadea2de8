//! Reading option values passed from JS, with `invalid_options` errors that name the option.

use wasm_bindgen::prelude::*;

use super::errors::to_js;
use crate::error::SdkError;

/// `undefined`/`null` -> `None`; a finite number >= 0 -> `Some`; anything else is `error`.
pub fn non_negative_seconds(value: &JsValue, error: &'static str) -> Result<Option<f64>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(n) if n.is_finite() && n >= 0.0 => Ok(Some(n)),
        _ => Err(to_js(SdkError::invalid_options(error))),
    }
}
