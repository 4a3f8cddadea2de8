//! Request URLs and the errors for non-2xx answers (`crate::client::requests`), from JS values.

use wasm_bindgen::prelude::*;

use crate::client::requests;
use crate::common::error::SdkError;
use crate::wasm::errors::{to_js, to_js_with};
use crate::wasm::js;

pub fn resolve_url(base_url: &str, path: &JsValue) -> Result<alloc::string::String, JsValue> {
    let path =
        path.as_string().ok_or_else(|| to_js(SdkError::invalid_options("the path must be a string such as '/platform/api/workspaces'")))?;
    requests::resolve_url(base_url, path).map_err(to_js)
}

/// `request()`'s error for a non-2xx answer, carrying the parsed `body`.
pub fn answer_error(status: u16, method: &str, url: &str, body: &JsValue) -> JsValue {
    let err = requests::answer_error(status, method, url, js::get(body, "error").as_string(), js::get(body, "message").as_string());
    to_js_with(err, None, Some(body))
}
