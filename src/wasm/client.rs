//! The `SpikeClient` class exported to JS.

use wasm_bindgen::prelude::*;

use super::errors::to_js;
use super::options;
use crate::options::{token_source, TokenSourceKind};

#[wasm_bindgen(skip_typescript)]
pub struct SpikeClient {
    base_url: String,
    source: TokenSourceKind,
}

#[wasm_bindgen]
impl SpikeClient {
    #[wasm_bindgen(constructor)]
    pub fn new(options: &JsValue) -> Result<SpikeClient, JsValue> {
        options::object(options, "SpikeClient options must be an object")?;
        let token = options::string(options, "token", "token must be a string")?;
        let provider = options::function(options, "tokenProvider", "tokenProvider must be a function")?;
        let endpoint = options::string(options, "tokenEndpoint", "tokenEndpoint must be a string")?;
        let source = token_source(token.is_some(), provider.is_some(), endpoint.is_some()).map_err(to_js)?;
        let base_url = options::string(options, "baseUrl", "baseUrl must be a string")?;
        let base_url = crate::options::base_url(base_url.as_deref()).map_err(to_js)?;
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
