//! `mintToken`: reads the options, lets `crate::server::mint` validate and map, sends with fetch.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::common::error::{ErrorCode, SdkError};
use crate::server::mint::{self, MintRequest, MintResponse, MINT_PATH};
use crate::server::secret;
use crate::wasm::errors::to_js;
use crate::wasm::{http, js, options};

/// Everything needed to mint for one user, read from JS once.
#[derive(Clone)]
pub struct MintConfig {
    pub api_key: String,
    pub base_url: String,
    pub fetch: Option<Function>,
}

impl MintConfig {
    /// Reads `apiKey`, `baseUrl` and `fetch` from an options object; `defaults` (`{ apiKey?,
    /// baseUrl? }`, from `SPIKE_API_KEY` / `SPIKE_API_URL` in server runtimes) fill what it leaves out.
    pub fn from_js(opts: &JsValue, defaults: &JsValue) -> Result<MintConfig, JsValue> {
        let api_key = options::string_or_default(opts, defaults, "apiKey", "apiKey must be a string")?.ok_or_else(|| {
            to_js(SdkError::invalid_options(
                "apiKey is required: pass it, or set SPIKE_API_KEY in a server runtime that has environment variables",
            ))
        })?;
        secret::check_api_key(&api_key).map_err(to_js)?;
        let base_url = options::base_url(opts, defaults)?;
        let fetch = options::function(opts, "fetch", "fetch must be a function")?;
        Ok(MintConfig { api_key, base_url, fetch })
    }

    /// Sends the mint request. Every error message is scrubbed of every form of the API key
    /// (and of any 8+ character piece of it) in case the server quoted it back.
    pub async fn mint(&self, request: &MintRequest) -> Result<MintResponse, SdkError> {
        self.send(request).await.map_err(|mut e| {
            e.message = secret::redact(&e.message, &[&self.api_key]);
            e
        })
    }

    async fn send(&self, request: &MintRequest) -> Result<MintResponse, SdkError> {
        let body = mint::request_body(request, &self.api_key)?;
        let fetch = http::fetch_function(self.fetch.clone())?;
        let auth = format!("Bearer {}", self.api_key);
        let init = http::request_init("POST", &[("authorization", &auth), ("content-type", "application/json")], Some(&body));
        let url = format!("{}{MINT_PATH}", self.base_url);
        let (status, text) = fetch_text(&fetch, &url, &init, &self.base_url).await?;
        mint::parse_response(status, &text)
    }
}

/// Sends the request and reads the whole body as text: `(status, text)`. A rejected fetch is a
/// `network_error` whose message names only the origin (never the key in the headers).
async fn fetch_text(fetch: &Function, url: &str, init: &Object, origin: &str) -> Result<(u16, String), SdkError> {
    let network = || SdkError::new(ErrorCode::NetworkError, format!("could not reach {origin}"));
    let response = fetch.call2(&JsValue::UNDEFINED, &url.into(), init).map_err(|_| network())?;
    let response = js::resolve(response).await.map_err(|_| network())?;
    let status = js::get(&response, "status").as_f64().unwrap_or(0.0);
    let text = js::call_method(&response, "text", &js_sys::Array::new()).map_err(|_| network())?;
    let text = js::resolve(text).await.map_err(|_| network())?;
    Ok((status as u16, text.as_string().unwrap_or_default()))
}

/// Reads the per-user part of a mint call: `userId`, `name`, `email`, `scopes`, `expSeconds`.
pub fn mint_request(opts: &JsValue) -> Result<MintRequest, JsValue> {
    let user_id = options::string(opts, "userId", "userId must be a non-empty string")?.unwrap_or_default();
    let exp_seconds = options::number(opts, "expSeconds", "expSeconds must be an integer from 1 to 86400")?
        .map(mint::exp_seconds)
        .transpose()
        .map_err(to_js)?;
    Ok(MintRequest {
        user_id,
        name: options::string(opts, "name", "name must be a string")?,
        email: options::string(opts, "email", "email must be a string")?,
        scopes: options::string_array(opts, "scopes", "scopes must be an array of strings")?,
        exp_seconds,
    })
}

pub fn response_object(r: &MintResponse) -> JsValue {
    let out = Object::new();
    let _ = Reflect::set(&out, &"token".into(), &r.token.as_str().into());
    let _ = Reflect::set(&out, &"expires_at".into(), &r.expires_at.as_str().into());
    out.into()
}

/// The options `mintToken` takes.
const MINT_OPTIONS: &[&str] = &["apiKey", "baseUrl", "fetch", "userId", "name", "email", "scopes", "expSeconds"];

#[wasm_bindgen(js_name = mintToken, skip_typescript)]
pub fn mint_token(opts: JsValue, defaults: JsValue) -> Promise {
    future_to_promise(async move {
        super::refuse_in_browser("mintToken needs the Spike API key and must run on a server, never in a browser")?;
        options::object(&opts, "mintToken takes an options object")?;
        options::only_known(&opts, "mintToken", MINT_OPTIONS)?;
        let config = MintConfig::from_js(&opts, &defaults)?;
        let request = mint_request(&opts)?;
        let minted = config.mint(&request).await.map_err(to_js)?;
        Ok(response_object(&minted))
    })
}
