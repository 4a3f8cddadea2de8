//! Reading and checking `SpikeClient` options once, at construction.

use alloc::borrow::ToOwned;
use alloc::string::String;
use wasm_bindgen::prelude::*;

use crate::expiry::DEFAULT_LEEWAY_SECS;
use crate::json::TimeClaims;
use crate::jwt;
use crate::options::{token_source, TokenSourceKind};
use crate::text::{is_http_url, trim};
use crate::wasm::errors::to_js;
use crate::wasm::{js, options};

pub const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;
pub const DEFAULT_MAX_RETRIES: u32 = 2;

pub enum Source {
    Static { token: String, times: TimeClaims, claims_json: String },
    /// The `tokenProvider` function.
    Provider(JsValue),
    Endpoint(String),
}

pub struct Config {
    pub base_url: String,
    pub source: Source,
    pub leeway_secs: f64,
    pub timeout_ms: f64,
    pub max_retries: u32,
    /// The `fetch` option (a function).
    pub fetch: Option<JsValue>,
    /// `[[name, value]]`, every value a string.
    pub headers: JsValue,
}

pub fn invalid(message: &'static str) -> JsValue {
    to_js(crate::error::SdkError::invalid_options(message))
}

/// `tokenEndpoint` as an absolute URL: as given, or resolved against the page in a browser.
fn endpoint_url(path: &str) -> Result<String, JsValue> {
    if is_http_url(trim(path)) {
        return Ok(trim(path).to_owned());
    }
    // `get` on a missing `document`/`location` (Node, a worker) is `undefined`, so no string.
    let base = Some(js::get(&js::document(), "baseURI"))
        .filter(|b| b.is_string())
        .or_else(|| Some(js::get(&js::location(), "href")))
        .filter(|b| b.is_string())
        .ok_or_else(|| invalid("tokenEndpoint must be an absolute http(s) URL outside a browser (there is no page to resolve a path against)"))?;
    let url = js::url(path, &base).map_err(|_| invalid("tokenEndpoint is not a valid URL"))?;
    js::get(&url, "href").as_string().ok_or_else(|| invalid("tokenEndpoint is not a valid URL"))
}

/// `Object.entries(headers)`, once every value is checked to be a string (the names are).
fn read_headers(opts: &JsValue) -> Result<JsValue, JsValue> {
    let Some(value) = options::get(opts, "headers") else { return Ok(js::empty_array()) };
    let bad = || invalid("headers must be an object of header names to string values");
    if !value.is_object() || value.is_array() {
        return Err(bad());
    }
    let entries = js::entries(&value)?;
    let len = js::get(&entries, "length").as_f64().unwrap_or(0.0) as u32;
    for i in 0..len {
        if !js::at(&js::at(&entries, i), 1).is_string() {
            return Err(bad());
        }
    }
    Ok(entries)
}

impl Config {
    pub fn from_options(opts: &JsValue) -> Result<Config, JsValue> {
        options::object(opts, "SpikeClient options must be an object")?;
        let token = options::string(opts, "token", "token must be a string")?;
        let provider = options::function(opts, "tokenProvider", "tokenProvider must be a function")?;
        let endpoint = options::string(opts, "tokenEndpoint", "tokenEndpoint must be a string")?;
        let kind = token_source(token.is_some(), provider.is_some(), endpoint.is_some()).map_err(to_js)?;
        // Options first, then the token: a bad option is reported as such even with a bad token.
        let base_url = options::string(opts, "baseUrl", "baseUrl must be a string")?;
        let base_url = crate::options::base_url(base_url.as_deref()).map_err(to_js)?;
        let source = match (kind, token, provider, endpoint) {
            (TokenSourceKind::Static, Some(token), _, _) => {
                let decoded = jwt::decode(&token).map_err(to_js)?;
                Source::Static { token, times: decoded.times, claims_json: decoded.payload_json }
            }
            (TokenSourceKind::Provider, _, Some(f), _) => Source::Provider(f),
            (TokenSourceKind::Endpoint, _, _, Some(e)) => Source::Endpoint(endpoint_url(&e)?),
            _ => return Err(invalid("SpikeClient needs one token source: token, tokenProvider or tokenEndpoint")),
        };
        let leeway_secs = options::non_negative_seconds(&js::get(opts, "refreshLeewaySeconds"), "refreshLeewaySeconds must be a finite number >= 0")?
            .unwrap_or(DEFAULT_LEEWAY_SECS);
        let timeout_ms = match options::number(opts, "timeoutMs", "timeoutMs must be a number > 0")? {
            Some(t) if t > 0.0 => t,
            Some(_) => return Err(invalid("timeoutMs must be a number > 0")),
            None => DEFAULT_TIMEOUT_MS,
        };
        let max_retries = match options::number(opts, "maxRetries", "maxRetries must be an integer 0..10")? {
            Some(n) if (0.0..=10.0).contains(&n) && n == f64::from(n as u32) => n as u32,
            Some(_) => return Err(invalid("maxRetries must be an integer 0..10")),
            None => DEFAULT_MAX_RETRIES,
        };
        Ok(Config {
            base_url,
            source,
            leeway_secs,
            timeout_ms,
            max_retries,
            fetch: options::function(opts, "fetch", "fetch must be a function")?,
            headers: read_headers(opts)?,
        })
    }

    pub fn is_refreshable(&self) -> bool {
        !matches!(self.source, Source::Static { .. })
    }

    /// What the JS driver needs to do the IO: `{ baseUrl, source, token?, provider?, endpoint?,
    /// fetch?, headers: [[name, value]], timeoutMs }`.
    pub fn to_js(&self) -> JsValue {
        let out = js::object();
        js::set(&out, "baseUrl", &self.base_url.as_str().into());
        let kind = match &self.source {
            Source::Static { token, .. } => {
                js::set(&out, "token", &token.as_str().into());
                "token"
            }
            Source::Provider(f) => {
                js::set(&out, "provider", f);
                "tokenProvider"
            }
            Source::Endpoint(url) => {
                js::set(&out, "endpoint", &url.as_str().into());
                "tokenEndpoint"
            }
        };
        js::set(&out, "source", &kind.into());
        if let Some(f) = &self.fetch {
            js::set(&out, "fetch", f);
        }
        js::set(&out, "headers", &self.headers);
        js::set(&out, "timeoutMs", &self.timeout_ms.into());
        out
    }
}
