//! Sending a request: one attempt with a timeout and the caller's AbortSignal, then the loop that
//! retries `401 token_expired` (per `crate::token`'s rejection rule) and transient failures (per
//! `crate::retry`).

use std::rc::Rc;

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{source, Inner};
use crate::error::{ErrorCode, SdkError};
use crate::retry::{self, Failure};
use crate::token::Rejected;
use crate::wasm::errors::{to_js, to_js_with};
use crate::wasm::{http, js};

/// How one attempt failed without an HTTP answer.
pub enum AttemptError {
    Aborted(JsValue),
    Timeout(f64),
    Network(JsValue),
    Setup(JsValue),
}

impl AttemptError {
    pub fn into_js(self) -> JsValue {
        match self {
            AttemptError::Aborted(reason) => to_js_with(SdkError::new(ErrorCode::Aborted, "The request was aborted"), Some(&reason), None),
            // An integer: formatting an f64 would pull ~15 KB of float printing into the wasm.
            AttemptError::Timeout(ms) => to_js(SdkError::new(ErrorCode::Timeout, format!("No answer within {} ms", ms.round() as u64))),
            AttemptError::Network(cause) => {
                to_js_with(SdkError::new(ErrorCode::NetworkError, "The request failed before any HTTP answer (connection refused, reset or DNS)"), Some(&cause), None)
            }
            AttemptError::Setup(err) => err,
        }
    }
}

fn signal_aborted(signal: Option<&JsValue>) -> bool {
    signal.is_some_and(|s| js::get(s, "aborted").as_bool() == Some(true))
}

/// One fetch with `timeoutMs`, aborting if the caller's signal fires. Resolves when the headers
/// arrive; the caller's signal stays linked so it can still abort the body.
pub async fn attempt(inner: &Inner, url: &str, init: &Object, caller_signal: Option<&JsValue>) -> Result<JsValue, AttemptError> {
    if signal_aborted(caller_signal) {
        return Err(AttemptError::Aborted(caller_signal.map(|s| js::get(s, "reason")).unwrap_or(JsValue::UNDEFINED)));
    }
    let fetch = http::fetch_function(inner.fetch.clone()).map_err(|e| AttemptError::Setup(to_js(e)))?;
    let controller = js::construct("AbortController", &Array::new()).map_err(AttemptError::Setup)?;
    let signal = js::get(&controller, "signal");
    let abort: js_sys::Function = js::get(&controller, "abort").dyn_into().map_err(AttemptError::Setup)?;
    let timeout_marker = Object::new();
    let timer = js::set_timeout(&abort.bind1(&controller, &timeout_marker).into(), inner.timeout_ms);
    if let Some(caller) = caller_signal {
        let once = Object::new();
        js::set(&once, "once", &JsValue::TRUE);
        let forward: JsValue = abort.bind1(&controller, &js::get(caller, "reason")).into();
        let _ = js::call_method(caller, "addEventListener", &Array::of3(&"abort".into(), &forward, &once));
    }
    let attempt_init = Object::assign(&Object::new(), init);
    js::set(&attempt_init, "signal", &signal);
    let sent = fetch.call2(&JsValue::UNDEFINED, &url.into(), &attempt_init);
    let result = match sent {
        Ok(p) => js::resolve(p).await,
        Err(e) => Err(e),
    };
    js::clear_timeout(&timer);
    result.map_err(|cause| {
        if signal_aborted(caller_signal) {
            AttemptError::Aborted(caller_signal.map(|s| js::get(s, "reason")).unwrap_or(JsValue::UNDEFINED))
        } else if js::get(&signal, "reason") == JsValue::from(timeout_marker) {
            AttemptError::Timeout(inner.timeout_ms)
        } else {
            AttemptError::Network(cause)
        }
    })
}

/// The request URL: a path joined to `baseUrl`, or an absolute URL on the same origin. Anything
/// else is refused so the token is never sent to another host.
fn resolve_url(base_url: &str, path: &JsValue) -> Result<String, JsValue> {
    let path = path.as_string().ok_or_else(|| to_js(SdkError::invalid_options("the path must be a string such as '/platform/api/workspaces'")))?;
    let lower = path.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//") {
        let same_origin = path.get(..base_url.len()).is_some_and(|p| p.eq_ignore_ascii_case(base_url))
            && matches!(path.as_bytes().get(base_url.len()), None | Some(b'/' | b'?' | b'#'));
        return if same_origin {
            Ok(path)
        } else {
            Err(to_js(SdkError::invalid_options("absolute URLs must be on the client's baseUrl; the token is never sent to another origin")))
        };
    }
    Ok(if path.starts_with('/') { format!("{base_url}{path}") } else { format!("{base_url}/{path}") })
}

/// The caller's headers plus the client's defaults (caller wins) as a `Headers` object.
fn base_headers(inner: &Inner, init: &JsValue) -> Result<JsValue, JsValue> {
    let given = js::get(init, "headers");
    let args = if given.is_undefined() || given.is_null() { Array::new() } else { Array::of1(&given) };
    let headers = js::construct("Headers", &args).map_err(|_| to_js(SdkError::invalid_options("init.headers is not valid headers")))?;
    for (k, v) in &inner.headers {
        if js::call_method(&headers, "has", &Array::of1(&k.into())).ok().and_then(|h| h.as_bool()) != Some(true) {
            let _ = js::call_method(&headers, "set", &Array::of2(&k.into(), &v.into()));
        }
    }
    Ok(headers)
}

fn retry_event(inner: &Inner, attempt: u32, reason: &str, status: Option<u16>, delay_ms: f64, method: &str, url: &str) {
    if !inner.events.has("retry") {
        return;
    }
    let e = Object::new();
    js::set(&e, "attempt", &attempt.into());
    js::set(&e, "reason", &reason.into());
    if let Some(s) = status {
        js::set(&e, "status", &s.into());
    }
    js::set(&e, "delayMs", &delay_ms.round().into());
    js::set(&e, "method", &method.into());
    js::set(&e, "url", &url.into());
    inner.events.emit("retry", &e);
}

/// The `error` code in a JSON 401 body, read from a clone so the caller still gets the body.
async fn api_error_code(response: &JsValue) -> Option<String> {
    let clone = js::call_method(response, "clone", &Array::new()).ok()?;
    let body = js::resolve(js::call_method(&clone, "json", &Array::new()).ok()?).await.ok()?;
    js::get(&body, "error").as_string()
}

/// Frees a response we will not hand out (its body would otherwise hold the connection).
fn discard_body(response: &JsValue) {
    let body = js::get(response, "body");
    if body.is_object() {
        if let Ok(p) = js::call_method(&body, "cancel", &Array::new()) {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = js::resolve(p).await;
            });
        }
    }
}

/// Retries after `token_expired` per request: the same token once (see `crate::token`), then a
/// fresh one. Bounded, so an API that rejects every token gets three attempts, never a loop.
const MAX_TOKEN_RETRIES: u32 = 2;

pub struct Sent {
    pub response: JsValue,
    pub method: String,
    pub url: String,
}

/// Runs the whole request: token, attempts, at most two retries on `token_expired`, and up to
/// `maxRetries` transient retries when `crate::retry` allows them.
pub async fn send(inner: &Rc<Inner>, path: &JsValue, init: &JsValue) -> Result<Sent, JsValue> {
    let url = resolve_url(&inner.base_url, path)?;
    let init = if init.is_undefined() || init.is_null() { JsValue::from(Object::new()) } else { init.clone() };
    if !init.is_object() {
        return Err(to_js(SdkError::invalid_options("init must be an object like fetch's")));
    }
    let method = js::get(&init, "method").as_string().unwrap_or_else(|| "GET".to_owned()).to_ascii_uppercase();
    let force_retry = js::get(&init, "retry").as_bool();
    let caller_signal = Some(js::get(&init, "signal")).filter(JsValue::is_object);
    let body = js::get(&init, "body");
    // A stream can be read once: such a request is never sent twice.
    let replayable = !js::is_instance_of(&body, "ReadableStream");
    let headers = base_headers(inner, &init)?;
    let request_init = Object::assign(&Object::new(), init.unchecked_ref());
    let _ = js_sys::Reflect::delete_property(&request_init, &"retry".into());
    js::set(&request_init, "method", &method.as_str().into());
    js::set(&request_init, "headers", &headers);

    let mut token_retries: u32 = 0;
    let mut transient_retries: u32 = 0;
    let mut next_token: Option<(String, u64)> = None;
    loop {
        let (token, generation) = match next_token.take() {
            Some(t) => t,
            None => source::token(inner).await?,
        };
        // fetch copies the headers when called, so one Headers object serves every attempt.
        let _ = js::call_method(&headers, "set", &Array::of2(&"authorization".into(), &format!("Bearer {token}").into()));
        let failure = match attempt(inner, &url, &request_init, caller_signal.as_ref()).await {
            Ok(response) => {
                let status = js::get(&response, "status").as_f64().unwrap_or(0.0) as u16;
                if (200..300).contains(&status) {
                    if let Ok(mut s) = inner.state.try_borrow_mut() {
                        s.on_accepted(generation);
                    }
                }
                let may_refresh = status == 401 && token_retries < MAX_TOKEN_RETRIES && replayable && inner.is_refreshable();
                if may_refresh && api_error_code(&response).await.as_deref() == Some("token_expired") {
                    token_retries += 1;
                    next_token = match inner.state.try_borrow_mut().map(|mut s| s.on_token_expired(generation)) {
                        Ok(Rejected::Newer(t, g) | Rejected::Again(t, g)) => Some((t, g)),
                        Ok(Rejected::Refresh) | Err(_) => None,
                    };
                    retry_event(inner, token_retries, "token_expired", Some(401), 0.0, &method, &url);
                    discard_body(&response);
                    continue;
                }
                let failure = Failure::Status(status);
                if !(replayable && transient_retries < inner.max_retries && retry::is_retryable(&method, failure, force_retry)) {
                    return Ok(Sent { response, method, url });
                }
                let retry_after = js::call_method(&js::get(&response, "headers"), "get", &Array::of1(&"retry-after".into()))
                    .ok()
                    .and_then(|v| v.as_string())
                    .and_then(|v| retry::parse_retry_after(&v, js::now_ms()));
                discard_body(&response);
                (failure, retry_after, "status")
            }
            Err(AttemptError::Aborted(reason)) => return Err(AttemptError::Aborted(reason).into_js()),
            Err(AttemptError::Setup(e)) => return Err(e),
            Err(err) => {
                let failure = if matches!(err, AttemptError::Timeout(_)) { Failure::Timeout } else { Failure::Network };
                if !(replayable && transient_retries < inner.max_retries && retry::is_retryable(&method, failure, force_retry)) {
                    return Err(err.into_js());
                }
                (failure, None, if failure == Failure::Timeout { "timeout" } else { "network_error" })
            }
        };
        let (failure, retry_after, reason) = failure;
        let delay = retry::backoff_ms(transient_retries, retry_after, js_sys::Math::random());
        transient_retries += 1;
        let status = match failure {
            Failure::Status(s) => Some(s),
            _ => None,
        };
        retry_event(inner, transient_retries, reason, status, delay, &method, &url);
        js::sleep(delay).await;
        if signal_aborted(caller_signal.as_ref()) {
            return Err(AttemptError::Aborted(caller_signal.as_ref().map(|s| js::get(s, "reason")).unwrap_or(JsValue::UNDEFINED)).into_js());
        }
    }
}

/// `request`: parsed JSON (null for an empty body), `SpikeError` on non-2xx.
pub async fn request(inner: &Rc<Inner>, path: &JsValue, init: &JsValue) -> Result<JsValue, JsValue> {
    let sent = send(inner, path, init).await?;
    let status = js::get(&sent.response, "status").as_f64().unwrap_or(0.0) as u16;
    let text = js::resolve(js::call_method(&sent.response, "text", &Array::new())?).await?.as_string().unwrap_or_default();
    let body = if text.is_empty() { JsValue::NULL } else { js_sys::JSON::parse(&text).unwrap_or_else(|_| JsValue::from(text.as_str())) };
    if (200..300).contains(&status) {
        return Ok(body);
    }
    let api_code = js::get(&body, "error").as_string();
    let api_message = js::get(&body, "message").as_string();
    let code = match (status, api_code.as_deref().and_then(ErrorCode::from_api)) {
        (401, Some(code)) => code,
        _ => ErrorCode::HttpError,
    };
    let detail = api_message.or(api_code).map(|m| format!(": {m}")).unwrap_or_default();
    let err = SdkError::new(code, format!("{} {} answered HTTP {status}{detail}", sent.method, path_only(&sent.url))).with_status(status);
    Err(to_js_with(err, None, Some(&body)))
}

/// The path part of a URL, for messages (query strings can hold secrets).
fn path_only(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').and_then(|i| after_scheme.get(i..)).unwrap_or("/");
    path.split(['?', '#']).next().unwrap_or(path)
}

/// `init` with `method` set and, for a plain object or array body, the JSON body and its
/// Content-Type (strings, FormData, Blobs, streams... go through untouched). A body JSON cannot
/// encode (a cycle, a BigInt) is `invalid_options`, never silently sent as something else.
pub fn with_method(init: &JsValue, method: &str, body: Option<&JsValue>) -> Result<JsValue, JsValue> {
    let out = Object::new();
    if init.is_object() {
        Object::assign(&out, init.unchecked_ref());
    }
    js::set(&out, "method", &method.into());
    if let Some(body) = body.filter(|b| !b.is_undefined()) {
        let proto: JsValue = if body.is_object() { Object::get_prototype_of(body).into() } else { JsValue::UNDEFINED };
        let plain = Array::is_array(body) || proto.is_null() || js::global("Object").is_some_and(|o| js::get(&o, "prototype") == proto);
        if plain || body.is_null() || body.as_f64().is_some() || body.as_bool().is_some() {
            let json = js_sys::JSON::stringify(body)
                .map_err(|_| to_js(SdkError::invalid_options("the body cannot be encoded as JSON (a cycle or a BigInt?)")))?;
            let headers = js::construct("Headers", &Array::of1(&js::get(&out, "headers")))
                .map_err(|_| to_js(SdkError::invalid_options("init.headers is not valid headers")))?;
            if js::call_method(&headers, "has", &Array::of1(&"content-type".into())).ok().and_then(|h| h.as_bool()) != Some(true) {
                let _ = js::call_method(&headers, "set", &Array::of2(&"content-type".into(), &"application/json".into()));
            }
            js::set(&out, "headers", &headers);
            js::set(&out, "body", &json.into());
        } else {
            js::set(&out, "body", body);
        }
    }
    Ok(out.into())
}
