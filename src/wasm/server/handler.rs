//! `createTokenHandler`: a Web-standard `(Request) => Promise<Response>` that answers the app's
//! users with `{ token, expires_at }`, minting with the API key.
//!
//! A page-reload storm must not mint per request: a per-user cache (`TokenCache`) answers while
//! the token has life left, and concurrent requests for a user whose token is being minted wait
//! for that one mint (the in-flight JS promise is shared). A forced refresh (`Cache-Control:
//! no-cache`) within a second of a mint shares that token too, unless it names it as the token
//! the API refused (`spike-refused-token=`, see `crate::common::fingerprint`): then it gets a new one. The cache key is the mint request body
//! itself, so a changed name, email or scopes mints a new token instead of serving old claims.
//!
//! The answer goes to a browser, so no text from elsewhere ever reaches it: errors are a fixed
//! `{ error, message }` per case, and the details (the `SpikeError` of a failed mint, what
//! `getUser` threw) go to the server-side `onError(error)` option.
//!
//! With the `cors` option, pages on the listed origins may fetch it cross-origin: preflights are
//! answered here (without calling `getUser`), and every answer carries the CORS headers that
//! `crate::server::cors` decides for the request's `Origin`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::mint::{mint_request, response_object, MintConfig};
use crate::common::error::SdkError;
use crate::common::fingerprint::refused_in_cache_control;
use crate::jwt;
use crate::server::cors::CorsPolicy;
use crate::server::mint::{self, MintRequest};
use crate::server::token_cache::{CachedToken, Forced, TokenCache, DEFAULT_CAPACITY};
use crate::wasm::errors::to_js;
use crate::wasm::{js, options};

#[wasm_bindgen(skip_typescript)]
pub struct TokenHandler {
    inner: Rc<Inner>,
}

struct Inner {
    config: MintConfig,
    get_user: Function,
    exp_seconds: Option<u32>,
    scopes: Option<Vec<String>>,
    on_error: Option<Function>,
    cors: Option<CorsPolicy>,
    cache: RefCell<TokenCache>,
    in_flight: RefCell<HashMap<String, Promise>>,
}

/// The fixed answers; their text never depends on what failed.
const MINT_FAILED: &str = "Could not get a token from Spike. Try again later.";
const GET_USER_FAILED: &str = "getUser threw or rejected";
const INVALID_USER: &str = "getUser must return a user ID or { id, name?, email?, scopes? }";

/// `new Response(JSON.stringify(body), { status, headers })` with the global Response class.
fn json_response(status: u16, body: &JsValue) -> Result<JsValue, JsValue> {
    let text = js_sys::JSON::stringify(body)?;
    let headers = Object::new();
    Reflect::set(&headers, &"content-type".into(), &"application/json".into())?;
    Reflect::set(&headers, &"cache-control".into(), &"no-store".into())?;
    let init = Object::new();
    Reflect::set(&init, &"status".into(), &status.into())?;
    Reflect::set(&init, &"headers".into(), &headers)?;
    let class = Reflect::get(&js_sys::global(), &"Response".into())?;
    Reflect::construct(&class.into(), &js_sys::Array::of2(&text, &init))
}

/// `request.headers.get(name)` (or `response.headers`), when there is such a header.
fn header(message: &JsValue, name: &str) -> Option<String> {
    let headers = Reflect::get(message, &"headers".into()).unwrap_or(JsValue::UNDEFINED);
    let get = Reflect::get(&headers, &"get".into()).ok().and_then(|g| g.dyn_into::<Function>().ok());
    get.and_then(|g| g.call1(&headers, &name.into()).ok()).and_then(|v| v.as_string())
}

/// Whether the request says `Cache-Control: no-cache` (the client's "the API rejected my token").
fn no_cache(request: &JsValue) -> bool {
    header(request, "cache-control").is_some_and(|v| v.to_ascii_lowercase().contains("no-cache"))
}

/// Resolves after `ms` (the global `setTimeout`; at once where there is none).
async fn sleep_ms(ms: f64) {
    let promise = Promise::new(&mut |resolve, _reject| {
        let set_timeout = js::global("setTimeout").and_then(|f| f.dyn_into::<Function>().ok());
        let armed = set_timeout.is_some_and(|f| f.call2(&JsValue::UNDEFINED, &resolve, &ms.max(0.0).into()).is_ok());
        if !armed {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Sets `headers` on a response the handler made (its headers are mutable).
fn with_headers(response: JsValue, headers: &[(&'static str, String)]) -> Result<JsValue, JsValue> {
    let target = Reflect::get(&response, &"headers".into())?;
    let set: Function = Reflect::get(&target, &"set".into())?.dyn_into()?;
    for (name, value) in headers {
        set.call2(&target, &(*name).into(), &value.as_str().into())?;
    }
    Ok(response)
}

/// `new Response(null, { status: 204 })`: the answer to a preflight.
fn no_content() -> Result<JsValue, JsValue> {
    let init = Object::new();
    Reflect::set(&init, &"status".into(), &204.into())?;
    let class = Reflect::get(&js_sys::global(), &"Response".into())?;
    Reflect::construct(&class.into(), &js_sys::Array::of2(&JsValue::NULL, &init))
}

/// The options `createTokenHandler` takes.
const HANDLER_OPTIONS: &[&str] = &["apiKey", "baseUrl", "fetch", "getUser", "expSeconds", "scopes", "cacheSize", "onError", "cors"];

/// The `cors` option: `{ origins: string[], credentials?: boolean (default true), allowHeaders?: string[] }`.
fn cors_option(opts: &JsValue) -> Result<Option<CorsPolicy>, JsValue> {
    let Some(cors) = options::get(opts, "cors") else { return Ok(None) };
    const SHAPE: &str = "cors must be { origins: string[], credentials?: boolean, allowHeaders?: string[] }";
    if !cors.is_object() || cors.is_array() {
        return Err(to_js(SdkError::invalid_options(SHAPE)));
    }
    options::only_known(&cors, "cors", &["origins", "credentials", "allowHeaders"])?;
    let origins = options::string_array(&cors, "origins", "cors.origins must be an array of origins like https://app.example.com")?
        .ok_or_else(|| to_js(SdkError::invalid_options("cors.origins is required: the origins of the pages that fetch tokens")))?;
    let credentials = match options::get(&cors, "credentials") {
        None => true,
        Some(v) => v.as_bool().ok_or_else(|| to_js(SdkError::invalid_options("cors.credentials must be a boolean")))?,
    };
    let extra = options::string_array(&cors, "allowHeaders", "cors.allowHeaders must be an array of header names")?.unwrap_or_default();
    CorsPolicy::new(&origins, credentials, &extra).map(Some).map_err(to_js)
}

fn error_response(status: u16, code: &str, message: &str) -> Result<JsValue, JsValue> {
    let body = Object::new();
    Reflect::set(&body, &"error".into(), &code.into())?;
    Reflect::set(&body, &"message".into(), &message.into())?;
    json_response(status, &body)
}

impl Inner {
    /// Hands an error to `onError` (server side). What it throws or rejects with is ignored: a
    /// broken reporter must not break the answer nor leave an unhandled rejection behind.
    fn report(&self, error: &JsValue) {
        let Some(on_error) = &self.on_error else { return };
        if let Ok(returned) = on_error.call1(&JsValue::UNDEFINED, error) {
            let settled = JsFuture::from(Promise::resolve(&returned));
            wasm_bindgen_futures::spawn_local(async move {
                let _ = settled.await;
            });
        }
    }

    /// What `getUser` returned, as a mint request: a user ID string, or `{ id | userId | user_id,
    /// name?, email?, scopes? }`. `Ok(None)` means "not signed in".
    fn user_request(&self, user: &JsValue) -> Result<Option<MintRequest>, JsValue> {
        if user.is_undefined() || user.is_null() || user.as_bool() == Some(false) {
            return Ok(None);
        }
        let mut request = if let Some(id) = user.as_string() {
            MintRequest { user_id: id, ..MintRequest::default() }
        } else if user.is_object() {
            let id = ["id", "userId", "user_id"].iter().find_map(|k| options::get(user, k).and_then(|v| v.as_string()));
            let user_opts = Object::new();
            Reflect::set(&user_opts, &"userId".into(), &id.unwrap_or_default().into())?;
            for key in ["name", "email", "scopes"] {
                if let Some(v) = options::get(user, key) {
                    Reflect::set(&user_opts, &key.into(), &v)?;
                }
            }
            mint_request(&user_opts.into())?
        } else {
            return Err(to_js(SdkError::invalid_options("getUser must return a user ID or { id, name?, email?, scopes? }")));
        };
        if request.user_id.trim().is_empty() {
            return Err(to_js(SdkError::invalid_options("getUser returned a user without an ID")));
        }
        request.exp_seconds = self.exp_seconds;
        if request.scopes.is_none() {
            request.scopes = self.scopes.clone();
        }
        Ok(Some(request))
    }

    /// The answer with CORS, when configured: a preflight is answered here, without `getUser`.
    async fn answer(self: Rc<Self>, request: JsValue) -> Result<JsValue, JsValue> {
        if self.cors.is_none() {
            return self.handle(request).await;
        }
        let origin = header(&request, "origin");
        let method = Reflect::get(&request, &"method".into()).ok().and_then(|m| m.as_string()).unwrap_or_default();
        let response = if method.eq_ignore_ascii_case("OPTIONS") { no_content()? } else { Rc::clone(&self).handle(request).await? };
        let Some(cors) = &self.cors else { return Ok(response) };
        let headers = if method.eq_ignore_ascii_case("OPTIONS") {
            cors.preflight_headers(origin.as_deref())
        } else {
            cors.response_headers(origin.as_deref())
        };
        with_headers(response, &headers)
    }

    async fn handle(self: Rc<Self>, request: JsValue) -> Result<JsValue, JsValue> {
        let user = match self.get_user.call1(&JsValue::UNDEFINED, &request) {
            Ok(value) => JsFuture::from(Promise::resolve(&value)).await,
            Err(e) => Err(e),
        };
        let user = match user {
            Ok(user) => user,
            Err(thrown) => {
                self.report(&thrown);
                return error_response(500, "get_user_failed", GET_USER_FAILED);
            }
        };
        let minting = match self.user_request(&user) {
            Ok(Some(r)) => r,
            Ok(None) => return error_response(401, "unauthorized", "Not signed in"),
            Err(err) => {
                self.report(&err);
                return error_response(500, "invalid_user", INVALID_USER);
            }
        };
        // Everything that goes into the mint request (user ID, name, email, scopes, expSeconds):
        // the serialised request body itself.
        let key = match mint::request_body(&minting, &self.config.api_key) {
            Ok(body) => body,
            Err(err) => {
                self.report(&to_js(err));
                return error_response(500, "invalid_user", INVALID_USER);
            }
        };
        let forced = no_cache(&request);
        // The client's forced refresh names the token the API refused; that one is never served.
        let cache_control = if forced { header(&request, "cache-control") } else { None };
        let refused = cache_control.as_deref().and_then(refused_in_cache_control);
        // What to do: serve a cached token, mint (`replacing` the refused one or not), or look
        // again at a later local time (the bounded re-mint of `TokenCache::forced`).
        enum Step {
            Serve(CachedToken),
            Mint(bool),
            WaitUntil(f64),
        }
        let (cached, replacing) = loop {
            let now = js_sys::Date::now();
            let step = match self.cache.try_borrow() {
                Err(_) => Step::Mint(false),
                Ok(cache) => {
                    match if forced { cache.forced(&key, now, refused) } else { cache.get(&key, now).map_or(Forced::Mint, Forced::Serve) } {
                        Forced::Serve(hit) => Step::Serve(hit.clone()),
                        Forced::Mint => Step::Mint(false),
                        Forced::Replace => Step::Mint(true),
                        Forced::MintAt(at) => Step::WaitUntil(at),
                    }
                }
            };
            match step {
                Step::Serve(hit) => break (Some((hit, now)), false),
                Step::Mint(replacing) => break (None, replacing),
                Step::WaitUntil(at) => sleep_ms(at - now).await,
            }
        };
        if let Some((hit, now)) = cached {
            let body = response_object(&mint::MintResponse { token: hit.token.clone(), expires_at: hit.expires_at.clone() });
            Reflect::set(&body, &"expires_in".into(), &hit.seconds_left(now).into())?;
            return json_response(200, &body);
        }
        let shared = self.in_flight.try_borrow().ok().and_then(|m| m.get(&key).cloned());
        let (promise, started) = match shared {
            Some(p) => (p, false),
            None => {
                let p = future_to_promise(Rc::clone(&self).mint_and_cache(key.clone(), minting, replacing));
                if let Ok(mut m) = self.in_flight.try_borrow_mut() {
                    m.insert(key.clone(), p.clone());
                }
                (p, true)
            }
        };
        let result = JsFuture::from(promise).await;
        // Only the request that started this mint removes its entry: a waiter resuming later
        // would remove a newer mint for the same user and let a second one start beside it.
        if started {
            if let Ok(mut m) = self.in_flight.try_borrow_mut() {
                m.remove(&key);
            }
        }
        match result {
            Ok(body) => json_response(200, &body),
            // Reported once per failed mint (in `mint_and_cache`), not once per waiting request.
            Err(_) => error_response(502, "mint_failed", MINT_FAILED),
        }
    }

    async fn mint_and_cache(self: Rc<Self>, key: String, request: MintRequest, replacing: bool) -> Result<JsValue, JsValue> {
        let minted = match self.config.mint(&request).await {
            Ok(minted) => minted,
            Err(err) => {
                let err = to_js(err);
                self.report(&err);
                return Err(err);
            }
        };
        let body = response_object(&minted);
        // Lifetime from the token itself, anchored at our clock: the API's clock does not matter.
        // `expires_in` tells the client how much is left, so a cached token is not taken for new.
        let lifetime = jwt::decode(&minted.token).ok().and_then(|d| Some(d.times.exp? - d.times.iat?));
        if let Some(lifetime) = lifetime.filter(|l| *l > 0.0) {
            Reflect::set(&body, &"expires_in".into(), &lifetime.floor().into())?;
            if let Ok(mut cache) = self.cache.try_borrow_mut() {
                cache.put_replacing(&key, minted.token.clone(), minted.expires_at.clone(), lifetime, js_sys::Date::now(), replacing);
            }
        }
        Ok(body)
    }
}

#[wasm_bindgen]
impl TokenHandler {
    #[wasm_bindgen(constructor)]
    pub fn new(opts: &JsValue, defaults: &JsValue) -> Result<TokenHandler, JsValue> {
        super::refuse_in_browser("createTokenHandler needs the Spike API key and must run on a server, never in a browser")?;
        options::object(opts, "createTokenHandler takes an options object")?;
        options::only_known(opts, "createTokenHandler", HANDLER_OPTIONS)?;
        let config = MintConfig::from_js(opts, defaults)?;
        let get_user = options::function(opts, "getUser", "getUser must be a function (request) => user | null")?
            .ok_or_else(|| to_js(SdkError::invalid_options("getUser is required: (request) => user ID, { id, ... } or null")))?;
        let exp_seconds = options::number(opts, "expSeconds", "expSeconds must be an integer from 1 to 86400")?
            .map(mint::exp_seconds)
            .transpose()
            .map_err(to_js)?;
        let scopes = options::string_array(opts, "scopes", "scopes must be an array of strings")?;
        let capacity = options::number(opts, "cacheSize", "cacheSize must be a number")?.map_or(DEFAULT_CAPACITY, |n| n.max(1.0) as usize);
        let on_error = options::function(opts, "onError", "onError must be a function (error) => void")?;
        let cors = cors_option(opts)?;
        Ok(TokenHandler {
            inner: Rc::new(Inner {
                config,
                get_user,
                exp_seconds,
                scopes,
                on_error,
                cors,
                cache: RefCell::new(TokenCache::new(capacity)),
                in_flight: RefCell::new(HashMap::new()),
            }),
        })
    }

    /// Answers one request; never rejects (failures are JSON error responses).
    pub fn handle(&self, request: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        future_to_promise(inner.answer(request))
    }
}
