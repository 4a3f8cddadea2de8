//! Getting a token: the single-flight loop over `TokenState`, and fetching from the
//! `tokenProvider` or `tokenEndpoint`.

use std::rc::Rc;

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::{send, Inner, Source};
use crate::error::{ErrorCode, SdkError};
use crate::expiry::Timing;
use crate::jwt;
use crate::token::Decision;
use crate::wasm::errors::to_js_with;
use crate::wasm::{http, js};

fn provider_failed(message: &str, status: Option<u16>, cause: Option<&JsValue>) -> JsValue {
    let mut err = SdkError::new(ErrorCode::TokenProviderFailed, message);
    err.status = status;
    to_js_with(err, cause, None)
}

/// A token to send now, with its generation (0 for a static token). Waits for a running
/// refresh instead of starting another; a failed refresh rejects everyone who waited for it.
pub async fn token(inner: &Rc<Inner>) -> Result<(String, u64), JsValue> {
    if let Some(fixed) = inner.static_token() {
        return fixed;
    }
    loop {
        let decision = match inner.state.try_borrow() {
            Ok(s) => s.decide(js::now_ms(), inner.leeway_secs),
            Err(_) => Decision::Wait,
        };
        let promise = match decision {
            Decision::Use(token, generation) => return Ok((token, generation)),
            Decision::BackOffUntil(at) => {
                js::sleep(at - js::now_ms()).await;
                continue;
            }
            Decision::Wait => match inner.refresh.try_borrow().ok().and_then(|r| r.clone()) {
                Some(p) => p,
                None => start_refresh(inner),
            },
            Decision::Refresh => start_refresh(inner),
        };
        JsFuture::from(promise).await?;
        // Use the token that refresh produced, even if it is short-lived: never refresh twice in
        // a row for one call (that is how refresh loops start).
        let current = inner.state.try_borrow().ok().and_then(|s| s.current().map(|t| (t.value.clone(), t.generation)));
        if let Some(found) = current {
            return Ok(found);
        }
    }
}

fn start_refresh(inner: &Rc<Inner>) -> js_sys::Promise {
    let forced = inner.state.try_borrow_mut().is_ok_and(|mut s| s.begin_refresh());
    let promise = future_to_promise(refresh(Rc::clone(inner), forced));
    if let Ok(mut r) = inner.refresh.try_borrow_mut() {
        *r = Some(promise.clone());
    }
    promise
}

/// `forced`: the API rejected the current token (or the app invalidated it), so the source is
/// asked not to hand back a cached copy of it.
async fn refresh(inner: Rc<Inner>, forced: bool) -> Result<JsValue, JsValue> {
    let fetched = match &inner.source {
        Source::Provider(f) => from_provider(f, forced, inner.timeout_ms).await,
        Source::Endpoint(url) => from_endpoint(&inner, url, forced).await,
        Source::Static { .. } => Err(provider_failed("a static token cannot be refreshed", None, None)),
    };
    let installed = fetched.and_then(|(token, expires_in)| {
        let decoded = jwt::decode(&token).map_err(|e| provider_failed(&format!("the token source returned something that is not a JWT ({})", e.message), None, None))?;
        let timing = Timing::new(&decoded.times, expires_in, js::now_ms());
        let mut state = inner.state.try_borrow_mut().map_err(|_| provider_failed("token state busy", None, None))?;
        Ok(state.refresh_succeeded(token, decoded.payload_json, timing))
    });
    if let Ok(mut r) = inner.refresh.try_borrow_mut() {
        *r = None;
    }
    match installed {
        Ok(generation) => {
            if inner.events.has("tokenRefreshed") {
                inner.events.emit("tokenRefreshed", &inner.token_info());
            }
            Ok(JsValue::from(generation as f64))
        }
        Err(err) => {
            if let Ok(mut s) = inner.state.try_borrow_mut() {
                s.refresh_failed(js::now_ms());
            }
            Err(err)
        }
    }
}

/// Reads `{ token, expires_in? }` (or a bare string) from what a source produced.
fn token_from(value: &JsValue, what: &str) -> Result<(String, Option<f64>), JsValue> {
    if let Some(token) = value.as_string() {
        return Ok((token, None));
    }
    let token = if value.is_object() { js::get(value, "token").as_string() } else { None };
    let token = token.ok_or_else(|| provider_failed(&format!("{what} did not give a token string (expected a string or {{ token, expires_at? }})"), None, None))?;
    let expires_in = if value.is_object() { js::get(value, "expires_in").as_f64() } else { None };
    Ok((token, expires_in))
}

async fn from_provider(provider: &js_sys::Function, forced: bool, timeout_ms: f64) -> Result<(String, Option<f64>), JsValue> {
    let context = js_sys::Object::new();
    js::set(&context, "forceRefresh", &JsValue::from_bool(forced));
    let called = provider.call1(&JsValue::UNDEFINED, &context).map_err(|e| provider_failed("tokenProvider threw", None, Some(&e)))?;
    // A provider that never settles must not hang every request behind it: it gets `timeoutMs`.
    // The timer is cleared as soon as the race settles, so it never keeps Node's event loop alive.
    let marker = js_sys::Object::new();
    let mut handle = JsValue::UNDEFINED;
    let timer = js_sys::Promise::new(&mut |resolve, _| {
        handle = js::set_timeout(&resolve.bind1(&JsValue::NULL, &marker).into(), timeout_ms);
    });
    let raced = js_sys::Promise::race(&Array::of2(&js_sys::Promise::resolve(&called), &timer));
    let settled = js::resolve(raced.into()).await;
    js::clear_timeout(&handle);
    let value = settled.map_err(|e| provider_failed("tokenProvider rejected", None, Some(&e)))?;
    if value == JsValue::from(marker) {
        return Err(provider_failed(&format!("tokenProvider did not answer within {} ms", timeout_ms.round() as u64), None, None));
    }
    token_from(&value, "tokenProvider")
}

async fn from_endpoint(inner: &Rc<Inner>, url: &str, forced: bool) -> Result<(String, Option<f64>), JsValue> {
    let headers: &[(&str, &str)] = if forced { &[("accept", "application/json"), ("cache-control", "no-cache")] } else { &[("accept", "application/json")] };
    let init = http::request_init("GET", headers, None);
    // The app's own backend knows the user by its session cookie.
    js::set(&init, "credentials", &"same-origin".into());
    let response = send::attempt(inner, url, &init, None).await.map_err(|e| {
        provider_failed("the token endpoint could not be reached", None, Some(&e.into_js()))
    })?;
    let status = js::get(&response, "status").as_f64().unwrap_or(0.0) as u16;
    let text = js::resolve(js::call_method(&response, "text", &Array::new()).unwrap_or(JsValue::UNDEFINED))
        .await
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_default();
    if !(200..300).contains(&status) {
        return Err(provider_failed(&format!("the token endpoint answered HTTP {status}"), Some(status), None));
    }
    let body = js_sys::JSON::parse(&text).map_err(|_| {
        let what = if text.trim_start().starts_with('<') { "HTML" } else { "something that is not JSON" };
        provider_failed(&format!("the token endpoint answered {what} instead of {{ token }}"), Some(status), None)
    })?;
    if !body.is_object() {
        return Err(provider_failed("the token endpoint answered JSON that is not { token }", Some(status), None));
    }
    token_from(&body, "the token endpoint")
}
