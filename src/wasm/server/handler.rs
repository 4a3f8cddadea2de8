//! `createTokenHandler`: a Web-standard `(Request) => Promise<Response>` that answers the app's
//! users with `{ token, expires_at }`, minting with the API key.
//!
//! A page-reload storm must not mint per request: a per-user cache (`TokenCache`) answers while
//! the token has life left, and concurrent requests for a user whose token is being minted wait
//! for that one mint (the in-flight JS promise is shared).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::mint::{mint_request, response_object, MintConfig};
use crate::error::SdkError;
use crate::jwt;
use crate::server::mint::{self, MintRequest};
use crate::server::token_cache::{TokenCache, DEFAULT_CAPACITY};
use crate::wasm::errors::to_js;
use crate::wasm::options;

#[wasm_bindgen(skip_typescript)]
pub struct TokenHandler {
    inner: Rc<Inner>,
}

struct Inner {
    config: MintConfig,
    get_user: Function,
    exp_seconds: Option<u32>,
    scopes: Option<Vec<String>>,
    cache: RefCell<TokenCache>,
    in_flight: RefCell<HashMap<String, Promise>>,
}

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

/// Whether the request says `Cache-Control: no-cache` (the client's "the API rejected my token").
fn no_cache(request: &JsValue) -> bool {
    let headers = Reflect::get(request, &"headers".into()).unwrap_or(JsValue::UNDEFINED);
    let get = Reflect::get(&headers, &"get".into()).ok().and_then(|g| g.dyn_into::<Function>().ok());
    get.and_then(|g| g.call1(&headers, &"cache-control".into()).ok())
        .and_then(|v| v.as_string())
        .is_some_and(|v| v.to_ascii_lowercase().contains("no-cache"))
}

fn error_response(status: u16, code: &str, message: &str) -> Result<JsValue, JsValue> {
    let body = Object::new();
    Reflect::set(&body, &"error".into(), &code.into())?;
    Reflect::set(&body, &"message".into(), &message.into())?;
    json_response(status, &body)
}

impl Inner {
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

    async fn handle(self: Rc<Self>, request: JsValue) -> Result<JsValue, JsValue> {
        let user = match self.get_user.call1(&JsValue::UNDEFINED, &request) {
            Ok(value) => JsFuture::from(Promise::resolve(&value)).await,
            Err(e) => Err(e),
        };
        let Ok(user) = user else {
            return error_response(500, "get_user_failed", "getUser threw or rejected");
        };
        let minting = match self.user_request(&user) {
            Ok(Some(r)) => r,
            Ok(None) => return error_response(401, "unauthorized", "Not signed in"),
            Err(_) => return error_response(500, "invalid_user", "getUser must return a user ID or { id, name?, email?, scopes? }"),
        };
        let key = format!("{}\u{0}{}", minting.user_id, minting.scopes.as_deref().unwrap_or_default().join("\u{1}"));
        let now = js_sys::Date::now();
        let forced = no_cache(&request);
        let cached = self.cache.try_borrow().ok().and_then(|c| if forced { c.get_forced(&key, now) } else { c.get(&key, now) }.cloned());
        if let Some(hit) = cached {
            let body = response_object(&mint::MintResponse { token: hit.token.clone(), expires_at: hit.expires_at.clone() });
            Reflect::set(&body, &"expires_in".into(), &hit.seconds_left(now).into())?;
            return json_response(200, &body);
        }
        let shared = self.in_flight.try_borrow().ok().and_then(|m| m.get(&key).cloned());
        let (promise, started) = match shared {
            Some(p) => (p, false),
            None => {
                let p = future_to_promise(Rc::clone(&self).mint_and_cache(key.clone(), minting));
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
            Err(err) => {
                let message = Reflect::get(&err, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_default();
                error_response(502, "mint_failed", &format!("Could not mint a Spike token: {message}"))
            }
        }
    }

    async fn mint_and_cache(self: Rc<Self>, key: String, request: MintRequest) -> Result<JsValue, JsValue> {
        let minted = self.config.mint(&request).await.map_err(to_js)?;
        let body = response_object(&minted);
        // Lifetime from the token itself, anchored at our clock: the API's clock does not matter.
        // `expires_in` tells the client how much is left, so a cached token is not taken for new.
        let lifetime = jwt::decode(&minted.token).ok().and_then(|d| Some(d.times.exp? - d.times.iat?));
        if let Some(lifetime) = lifetime.filter(|l| *l > 0.0) {
            Reflect::set(&body, &"expires_in".into(), &lifetime.floor().into())?;
            if let Ok(mut cache) = self.cache.try_borrow_mut() {
                cache.put(&key, minted.token.clone(), minted.expires_at.clone(), lifetime, js_sys::Date::now());
            }
        }
        Ok(body)
    }
}

#[wasm_bindgen]
impl TokenHandler {
    #[wasm_bindgen(constructor)]
    pub fn new(opts: &JsValue) -> Result<TokenHandler, JsValue> {
        super::refuse_in_browser("createTokenHandler needs the Spike API key and must run on a server, never in a browser")?;
        options::object(opts, "createTokenHandler takes an options object")?;
        let config = MintConfig::from_js(opts)?;
        let get_user = options::function(opts, "getUser", "getUser must be a function (request) => user | null")?
            .ok_or_else(|| to_js(SdkError::invalid_options("getUser is required: (request) => user ID, { id, ... } or null")))?;
        let exp_seconds = options::number(opts, "expSeconds", "expSeconds must be an integer from 1 to 86400")?
            .map(mint::exp_seconds)
            .transpose()
            .map_err(to_js)?;
        let scopes = options::string_array(opts, "scopes", "scopes must be an array of strings")?;
        let capacity = options::number(opts, "cacheSize", "cacheSize must be a number")?.map_or(DEFAULT_CAPACITY, |n| n.max(1.0) as usize);
        Ok(TokenHandler {
            inner: Rc::new(Inner {
                config,
                get_user,
                exp_seconds,
                scopes,
                cache: RefCell::new(TokenCache::new(capacity)),
                in_flight: RefCell::new(HashMap::new()),
            }),
        })
    }

    /// Answers one request; never rejects (failures are JSON error responses).
    pub fn handle(&self, request: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        future_to_promise(inner.handle(request))
    }
}
