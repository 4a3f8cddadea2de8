//! The `SpikeClient` class exported to JS.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use super::errors::to_js;
use crate::error::SdkError;
use crate::options::{self, TokenSourceKind};

#[wasm_bindgen(skip_typescript)]
pub struct SpikeClient {
    base_url: String,
    source: TokenSourceKind,
}

/// Reads `options[name]`, treating `undefined` and `null` as absent.
fn option(options: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(options, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

#[wasm_bindgen]
impl SpikeClient {
    #[wasm_bindgen(constructor)]
    pub fn new(options: &JsValue) -> Result<SpikeClient, JsValue> {
        if !options.is_object() {
            return Err(to_js(SdkError::invalid_options("SpikeClient options must be an object")));
        }
        let token = option(options, "token");
        let provider = option(options, "tokenProvider");
        let endpoint = option(options, "tokenEndpoint");
        let source = options::token_source(token.is_some(), provider.is_some(), endpoint.is_some()).map_err(to_js)?;
        if token.as_ref().is_some_and(|t| t.as_string().is_none()) {
            return Err(to_js(SdkError::invalid_options("token must be a string")));
        }
        if provider.as_ref().is_some_and(|p| !p.is_function()) {
            return Err(to_js(SdkError::invalid_options("tokenProvider must be a function")));
        }
        if endpoint.as_ref().is_some_and(|e| e.as_string().is_none()) {
            return Err(to_js(SdkError::invalid_options("tokenEndpoint must be a string")));
        }
        let base_url = match option(options, "baseUrl") {
            None => options::base_url(None),
            Some(v) => match v.as_string() {
                Some(s) => options::base_url(Some(&s)),
                None => Err(SdkError::invalid_options("baseUrl must be a string")),
            },
        }
        .map_err(to_js)?;
        Ok(SpikeClient { base_url, source })
    }

    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    #[wasm_bindgen(getter, js_name = tokenSource)]
    pub fn token_source(&self) -> String {
        match self.source {
            TokenSourceKind::Static => "token",
            TokenSourceKind::Provider => "tokenProvider",
            TokenSourceKind::Endpoint => "tokenEndpoint",
        }
        .to_owned()
    }
}
