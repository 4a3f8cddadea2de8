//! The `SpikeClient` class exported to JS: options, the public methods, and shared state.
//! The token logic lives in `crate::token` / `crate::expiry`, the retry policy in
//! `crate::retry`; `source.rs` fetches tokens and `send.rs` runs the attempts.

mod events;
mod send;
mod source;

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::{Array, Function, Object, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;

use super::errors::to_js;
use super::{js, options};
use crate::error::{ErrorCode, SdkError};
use crate::expiry::{static_token_expired, DEFAULT_LEEWAY_SECS};
use crate::json::TimeClaims;
use crate::jwt;
use crate::options::{token_source, TokenSourceKind};
use crate::token::TokenState;
use events::Events;

pub const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;
pub const DEFAULT_MAX_RETRIES: u32 = 2;

pub(crate) enum Source {
    Static { token: String, times: TimeClaims, claims_json: String },
    Provider(Function),
    Endpoint(String),
}

pub(crate) struct Inner {
    base_url: String,
    source: Source,
    leeway_secs: f64,
    timeout_ms: f64,
    max_retries: u32,
    fetch: Option<Function>,
    headers: Vec<(String, String)>,
    state: RefCell<TokenState>,
    refresh: RefCell<Option<Promise>>,
    events: Events,
}

#[wasm_bindgen(skip_typescript)]
pub struct SpikeClient {
    inner: Rc<Inner>,
}

fn invalid(message: &'static str) -> JsValue {
    to_js(SdkError::invalid_options(message))
}

/// `tokenEndpoint` as an absolute URL: as given, or resolved against the page in a browser.
fn endpoint_url(path: &str) -> Result<String, JsValue> {
    let lower = path.trim().to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Ok(path.trim().to_owned());
    }
    let base = js::global("document")
        .map(|d| js::get(&d, "baseURI"))
        .filter(|b| b.is_string())
        .or_else(|| js::global("location").map(|l| js::get(&l, "href")))
        .filter(|b| b.is_string())
        .ok_or_else(|| invalid("tokenEndpoint must be an absolute http(s) URL outside a browser (there is no page to resolve a path against)"))?;
    let url = js::construct("URL", &Array::of2(&path.into(), &base)).map_err(|_| invalid("tokenEndpoint is not a valid URL"))?;
    js::get(&url, "href").as_string().ok_or_else(|| invalid("tokenEndpoint is not a valid URL"))
}

fn read_headers(opts: &JsValue) -> Result<Vec<(String, String)>, JsValue> {
    let Some(value) = options::get(opts, "headers") else { return Ok(Vec::new()) };
    if !value.is_object() || Array::is_array(&value) {
        return Err(invalid("headers must be an object of header names to string values"));
    }
    Object::entries(value.unchecked_ref())
        .iter()
        .map(|pair| {
            let pair = Array::from(&pair);
            match (pair.get(0).as_string(), pair.get(1).as_string()) {
                (Some(k), Some(v)) => Ok((k, v)),
                _ => Err(invalid("headers must be an object of header names to string values")),
            }
        })
        .collect()
}

impl Inner {
    fn from_options(opts: &JsValue) -> Result<Inner, JsValue> {
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
            Some(n) if n.fract() == 0.0 && (0.0..=10.0).contains(&n) => n as u32,
            Some(_) => return Err(invalid("maxRetries must be an integer 0..10")),
            None => DEFAULT_MAX_RETRIES,
        };
        Ok(Inner {
            base_url,
            source,
            leeway_secs,
            timeout_ms,
            max_retries,
            fetch: options::function(opts, "fetch", "fetch must be a function")?,
            headers: read_headers(opts)?,
            state: RefCell::new(TokenState::default()),
            refresh: RefCell::new(None),
            events: Events::default(),
        })
    }

    fn is_refreshable(&self) -> bool {
        !matches!(self.source, Source::Static { .. })
    }

    /// `{ claims, expiresAt, secondsLeft }` for the current token, or `null`.
    fn token_info(&self) -> JsValue {
        let now = js::now_ms();
        let (claims_json, expires_at, seconds_left) = match &self.source {
            Source::Static { times, claims_json, .. } => {
                let expires_at = times.exp.map_or(f64::INFINITY, |e| e * 1000.0);
                let left = ((expires_at - now) / 1000.0).max(0.0);
                (claims_json.clone(), expires_at, left)
            }
            _ => match self.state.try_borrow().ok().and_then(|s| s.current().cloned()) {
                Some(t) => (t.claims_json, t.timing.expires_at_ms, t.timing.seconds_left(now)),
                None => return JsValue::NULL,
            },
        };
        let info = Object::new();
        js::set(&info, "claims", &js_sys::JSON::parse(&claims_json).unwrap_or(JsValue::NULL));
        let finite = |n: f64| if n.is_finite() { JsValue::from(n.round()) } else { JsValue::NULL };
        js::set(&info, "expiresAt", &finite(expires_at));
        js::set(&info, "secondsLeft", &if seconds_left.is_finite() { JsValue::from(seconds_left.floor()) } else { JsValue::NULL });
        info.into()
    }

    fn emit_error(&self, err: &JsValue) {
        self.events.emit("error", err);
    }

    /// The static token, or `token_expired` without sending anything.
    fn static_token(&self) -> Option<Result<(String, u64), JsValue>> {
        match &self.source {
            Source::Static { token, times, .. } => Some(if static_token_expired(times, js::now_ms()) {
                Err(to_js(
                    SdkError::new(ErrorCode::TokenExpired, "The static token has expired; nothing was sent (pass a tokenProvider or tokenEndpoint to refresh)")
                        .with_status(401),
                ))
            } else {
                Ok((token.clone(), 0))
            }),
            _ => None,
        }
    }
}

impl SpikeClient {
    fn verb(&self, path: JsValue, init: Result<JsValue, JsValue>) -> Promise {
        match init {
            Ok(init) => self.request(path, init),
            Err(err) => {
                self.inner.emit_error(&err);
                Promise::reject(&err)
            }
        }
    }
}

#[wasm_bindgen]
impl SpikeClient {
    #[wasm_bindgen(constructor)]
    pub fn new(options: &JsValue) -> Result<SpikeClient, JsValue> {
        Ok(SpikeClient { inner: Rc::new(Inner::from_options(options)?) })
    }

    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.base_url.clone()
    }

    #[wasm_bindgen(getter, js_name = tokenSource)]
    pub fn token_source(&self) -> String {
        match self.inner.source {
            Source::Static { .. } => "token",
            Source::Provider(_) => "tokenProvider",
            Source::Endpoint(_) => "tokenEndpoint",
        }
        .to_owned()
    }

    /// `fetch(path, init)`: like `fetch`, with the token, refresh-and-retry and transient retries.
    pub fn fetch(&self, path: JsValue, init: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        future_to_promise(async move {
            let result = send::send(&inner, &path, &init).await.map(|r| r.response);
            if let Err(e) = &result {
                inner.emit_error(e);
            }
            result
        })
    }

    /// `request(path, init)`: parsed JSON (null for 204), `SpikeError` on non-2xx.
    pub fn request(&self, path: JsValue, init: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        future_to_promise(async move {
            let result = send::request(&inner, &path, &init).await;
            if let Err(e) = &result {
                inner.emit_error(e);
            }
            result
        })
    }

    pub fn get(&self, path: JsValue, init: JsValue) -> Promise {
        self.verb(path, send::with_method(&init, "GET", None))
    }

    pub fn post(&self, path: JsValue, body: JsValue, init: JsValue) -> Promise {
        self.verb(path, send::with_method(&init, "POST", Some(&body)))
    }

    pub fn put(&self, path: JsValue, body: JsValue, init: JsValue) -> Promise {
        self.verb(path, send::with_method(&init, "PUT", Some(&body)))
    }

    pub fn patch(&self, path: JsValue, body: JsValue, init: JsValue) -> Promise {
        self.verb(path, send::with_method(&init, "PATCH", Some(&body)))
    }

    pub fn delete(&self, path: JsValue, init: JsValue) -> Promise {
        self.verb(path, send::with_method(&init, "DELETE", None))
    }

    /// A token valid for at least the leeway (refreshing first if needed).
    #[wasm_bindgen(js_name = getToken)]
    pub fn get_token(&self) -> Promise {
        let inner = Rc::clone(&self.inner);
        future_to_promise(async move {
            let result = source::token(&inner).await.map(|(t, _)| JsValue::from(t));
            if let Err(e) = &result {
                inner.emit_error(e);
            }
            result
        })
    }

    #[wasm_bindgen(js_name = tokenInfo)]
    pub fn token_info(&self) -> JsValue {
        self.inner.token_info()
    }

    #[wasm_bindgen(js_name = invalidateToken)]
    pub fn invalidate_token(&self) {
        if let Ok(mut s) = self.inner.state.try_borrow_mut() {
            s.invalidate();
        }
    }

    /// `on(event, listener)`; returns the function that removes the listener.
    pub fn on(&self, event: &JsValue, listener: &JsValue) -> Result<JsValue, JsValue> {
        let listener: Function = listener.clone().dyn_into().map_err(|_| invalid("on() takes a listener function"))?;
        let name = event.as_string().unwrap_or_default();
        let id = self.inner.events.add(&name, listener).ok_or_else(|| invalid("on() takes 'tokenRefreshed', 'retry' or 'error'"))?;
        let weak: Weak<Inner> = Rc::downgrade(&self.inner);
        // FnMut, not once: calling the unsubscribe function twice must be harmless.
        let off = Closure::<dyn FnMut()>::new(move || {
            if let Some(inner) = weak.upgrade() {
                inner.events.remove(id);
            }
        });
        Ok(off.into_js_value())
    }
}
