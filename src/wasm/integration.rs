//! `parseIntegrationRedirect` (both builds: the app's return page is in the browser).

use alloc::string::String;
use wasm_bindgen::prelude::*;

use super::errors::to_js;
use super::js;
use crate::client::integration::parse_integration_redirect;
use crate::common::error::SdkError;

#[wasm_bindgen(js_name = parseIntegrationRedirect, skip_typescript)]
pub fn parse_integration_redirect_js(url: &JsValue) -> Result<JsValue, JsValue> {
    let url = url.as_string().ok_or_else(|| to_js(SdkError::invalid_options("parseIntegrationRedirect takes the URL as a string")))?;
    let parsed = parse_integration_redirect(&url).map_err(to_js)?;
    let out = js::object();
    let set = |k: &str, v: Option<String>| js::set(&out, k, &v.map_or(JsValue::NULL, JsValue::from));
    set("userId", parsed.user_id);
    set("providerSlug", parsed.provider_slug);
    if parsed.error.is_some() {
        set("error", parsed.error);
    }
    Ok(out)
}
