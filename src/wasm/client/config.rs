//! Reading and checking `SpikeClient` options once, at construction.

use alloc::borrow::ToOwned;
use alloc::string::String;
use wasm_bindgen::prelude::*;

use crate::client::expiry::{Timing, DEFAULT_LEEWAY_SECS};
use crate::client::options::{endpoint_method, token_source, TokenSourceKind, CLIENT_OPTIONS, ENDPOINT_OPTIONS};
use crate::client::token::TokenState;
use crate::common::text::{cat, is_http_url, trim};
use crate::jwt;
use crate::wasm::errors::{to_js, to_js_with};
use crate::wasm::js;
use crate::wasm::options::{self, invalid};

pub const DEFAULT_TIMEOUT_MS: f64 = 30_000.0;
/// The longest delay `setTimeout` keeps (2^31 - 1 ms, ~24.8 days): Node, browsers and other
/// runtimes fire a longer one at once (Node after 1 ms), which would time out every attempt.
pub const MAX_TIMEOUT_MS: f64 = 2_147_483_647.0;
const TIMEOUT_RANGE: &str = "timeoutMs must be a number > 0 and <= 2147483647 (a timer's longest delay)";
pub const DEFAULT_MAX_RETRIES: u32 = 2;

pub enum Source {
    /// The `token` option (the token itself is in the core's `TokenState`, from the start).
    Static,
    /// The `tokenProvider` function.
    Provider(JsValue),
    Endpoint(Endpoint),
}

/// `tokenEndpoint`, checked: a URL string, or `{ url, method?, headers?, credentials?, body? }`.
pub struct Endpoint {
    /// Absolute (a path was resolved against the page).
    url: String,
    method: &'static str,
    credentials: &'static str,
    /// A `Headers` snapshot of the option, or the function that gives the headers per fetch.
    headers: Option<JsValue>,
    /// What a `POST` sends: as given, or a plain object/array as JSON text.
    body: Option<JsValue>,
    json: bool,
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
        .ok_or_else(|| {
            invalid("tokenEndpoint must be an absolute http(s) URL outside a browser (there is no page to resolve a path against)")
        })?;
    let url = js::url(path, &base).map_err(|_| invalid("tokenEndpoint is not a valid URL"))?;
    // A path, or a URL the page's base lets through as is (`ftp:`, `data:`): only http(s) is fetched.
    js::get(&url, "href")
        .as_string()
        .filter(|href| is_http_url(href))
        .ok_or_else(|| invalid("tokenEndpoint must be an http(s) URL or a path"))
}

const ENDPOINT_SHAPE: &str = "tokenEndpoint must be a URL string or { url, method?, headers?, credentials?, body? }";

impl Endpoint {
    fn from_option(value: &JsValue) -> Result<Endpoint, JsValue> {
        if let Some(url) = value.as_string() {
            return Ok(Endpoint {
                url: endpoint_url(&url)?,
                method: "GET",
                credentials: "same-origin",
                headers: None,
                body: None,
                json: false,
            });
        }
        if !value.is_object() || value.is_array() {
            return Err(invalid(ENDPOINT_SHAPE));
        }
        options::only_known(value, "tokenEndpoint", ENDPOINT_OPTIONS)?;
        let url =
            options::string(value, "url", "tokenEndpoint.url must be a string")?.ok_or_else(|| invalid("tokenEndpoint.url is required"))?;
        let url = endpoint_url(&url)?;
        let method = options::string(value, "method", "tokenEndpoint.method must be 'GET' or 'POST'")?;
        let method = endpoint_method(method.as_deref()).map_err(to_js)?;
        let credentials = options::string(value, "credentials", "tokenEndpoint.credentials must be 'same-origin', 'include' or 'omit'")?;
        let credentials = crate::client::options::endpoint_credentials(credentials.as_deref()).map_err(to_js)?;
        let headers = match options::get(value, "headers") {
            None => None,
            Some(f) if f.is_function() => Some(f),
            // Copied now: what fetch would refuse is refused at construction, and later changes to
            // the caller's object do not leak into token fetches.
            Some(h) if h.is_object() => Some(js::headers(&h).map_err(|_| invalid(ENDPOINT_HEADERS))?),
            Some(_) => return Err(invalid(ENDPOINT_HEADERS)),
        };
        let (body, json) = match options::get(value, "body") {
            None => (None, false),
            Some(_) if method != "POST" => return Err(invalid("tokenEndpoint.body needs method: 'POST' (a GET has no body)")),
            Some(b) => endpoint_body(b)?,
        };
        Ok(Endpoint { url, method, credentials, headers, body, json })
    }

    /// `{ url, method, credentials, headers?, body?, json }` for the driver's token fetch.
    fn to_js(&self) -> JsValue {
        let out = js::object();
        js::set(&out, "url", &self.url.as_str().into());
        js::set(&out, "method", &self.method.into());
        js::set(&out, "credentials", &self.credentials.into());
        if let Some(headers) = &self.headers {
            js::set(&out, "headers", headers);
        }
        if let Some(body) = &self.body {
            js::set(&out, "body", body);
        }
        js::set(&out, "json", &self.json.into());
        out
    }
}

const ENDPOINT_HEADERS: &str =
    "tokenEndpoint.headers must be headers (an object, [name, value] pairs or Headers) or a function returning them";

/// The body of a `POST` token endpoint, sent again on every token fetch: a string or a body fetch
/// can replay (URLSearchParams, FormData, Blob, ArrayBuffer, typed array), or a plain
/// object/array or an object with `toJSON()`, encoded as JSON now (the README's input table). A
/// stream can be read only once, and a class instance without `toJSON()` would go out as
/// "[object Object]", so both are refused.
fn endpoint_body(body: JsValue) -> Result<(Option<JsValue>, bool), JsValue> {
    if body.is_string() {
        return Ok((Some(body), false));
    }
    if !body.is_object() || js::get(&body, "getReader").is_function() {
        return Err(invalid("tokenEndpoint.body must be a string, URLSearchParams, FormData, Blob, ArrayBuffer or a plain object (sent as JSON); a stream cannot be sent again"));
    }
    if body.is_array() || js::is_plain_object(&body) || js::get(&body, "toJSON").is_function() {
        let text = js::stringify_json(&body).map_err(|_| invalid("tokenEndpoint.body cannot be encoded as JSON (a cycle or a BigInt?)"))?;
        if !text.is_string() {
            return Err(invalid("tokenEndpoint.body's toJSON() gave nothing JSON can encode"));
        }
        return Ok((Some(text), true));
    }
    if js::is_replayable_fetch_body(&body) {
        return Ok((Some(body), false));
    }
    let class = js::get(&js::get(&body, "constructor"), "name").as_string().filter(|n| !n.is_empty());
    Err(to_js(crate::common::error::SdkError::invalid_options(cat(&[
        "tokenEndpoint.body is a ",
        class.as_deref().unwrap_or("class instance"),
        " (a class instance without toJSON()): fetch would send its String() text, such as \"[object Object]\", not its data. Pass a plain object or give the class a toJSON()",
    ]))))
}

/// The `headers` option, any `HeadersInit` (a record, `[name, value]` pairs, a `Headers`), as
/// `[[name, value]]`. Values must be strings (nothing is converted behind the caller's back), and
/// names and values fetch would refuse are refused here, once, instead of at every request.
fn read_headers(opts: &JsValue) -> Result<JsValue, JsValue> {
    let Some(value) = options::get(opts, "headers") else { return Ok(js::empty_array()) };
    let bad = || invalid("headers must be headers with string values: an object of names to values, [name, value] pairs or a Headers");
    let pairs = if js::is_headers(&value) {
        return js::array_from(&value).map_err(|_| bad());
    } else if value.is_array() {
        // A copy: a built-in array whose elements `js::at` may read.
        js::array_from(&value).map_err(|_| bad())?
    } else if js::is_plain_object(&value) {
        // A getter that throws: `invalid_options` with what it threw as the cause.
        js::entries(&value).map_err(|cause| {
            to_js_with(
                crate::common::error::SdkError::invalid_options("headers could not be read: reading one of its values threw (see cause)"),
                Some(&cause),
                None,
            )
        })?
    } else {
        return Err(bad());
    };
    let len = js::get(&pairs, "length").as_f64().unwrap_or(0.0) as u32;
    for i in 0..len {
        let pair = js::at(&pairs, i);
        let is_pair = pair.is_array() && js::get(&pair, "length").as_f64() == Some(2.0);
        if !is_pair || !js::get(&pair, "0").is_string() || !js::get(&pair, "1").is_string() {
            return Err(bad());
        }
    }
    js::headers(&pairs).and_then(|h| js::array_from(&h)).map_err(|_| bad())
}

impl Config {
    /// `defaults`: `{ baseUrl? }` from the environment (`SPIKE_API_URL` in server runtimes), used
    /// only where the options leave it out.
    /// The checked options, and the token state they start with (a static token's, or none).
    pub fn from_options(opts: &JsValue, defaults: &JsValue) -> Result<(Config, TokenState), JsValue> {
        options::object(opts, "SpikeClient options must be an object")?;
        options::only_known(opts, "SpikeClient", CLIENT_OPTIONS)?;
        let token = options::string(opts, "token", "token must be a string")?;
        // An empty token is a missing option (an unset variable), not a malformed token.
        if token.as_deref().is_some_and(|t| trim(t).is_empty()) {
            return Err(invalid("token must be a non-empty string (a JWT)"));
        }
        let provider = options::function(opts, "tokenProvider", "tokenProvider must be a function")?;
        let endpoint = options::get(opts, "tokenEndpoint");
        let kind = token_source(token.is_some(), provider.is_some(), endpoint.is_some()).map_err(to_js)?;
        // Options first, then the token: a bad option is reported as such even with a bad token.
        let base_url = options::base_url(opts, defaults)?;
        let mut state = TokenState::default();
        let source = match (kind, token, provider, endpoint) {
            (TokenSourceKind::Static, Some(token), _, _) => {
                let decoded = jwt::decode(&token).map_err(to_js)?;
                state = TokenState::fixed(token, decoded.payload_json, Timing::fixed(&decoded.times));
                Source::Static
            }
            (TokenSourceKind::Provider, _, Some(f), _) => Source::Provider(f),
            (TokenSourceKind::Endpoint, _, _, Some(e)) => Source::Endpoint(Endpoint::from_option(&e)?),
            _ => return Err(invalid("SpikeClient needs one token source: token, tokenProvider or tokenEndpoint")),
        };
        let leeway_secs =
            options::non_negative_seconds(&js::get(opts, "refreshLeewaySeconds"), "refreshLeewaySeconds must be a finite number >= 0")?
                .unwrap_or(DEFAULT_LEEWAY_SECS);
        let timeout_ms = match options::number(opts, "timeoutMs", TIMEOUT_RANGE)? {
            Some(t) if t > 0.0 && t <= MAX_TIMEOUT_MS => t,
            Some(_) => return Err(invalid(TIMEOUT_RANGE)),
            None => DEFAULT_TIMEOUT_MS,
        };
        let max_retries = match options::number(opts, "maxRetries", "maxRetries must be an integer 0..10")? {
            Some(n) if (0.0..=10.0).contains(&n) && n == f64::from(n as u32) => n as u32,
            Some(_) => return Err(invalid("maxRetries must be an integer 0..10")),
            None => DEFAULT_MAX_RETRIES,
        };
        let config = Config {
            base_url,
            source,
            leeway_secs,
            timeout_ms,
            max_retries,
            fetch: options::function(opts, "fetch", "fetch must be a function")?,
            headers: read_headers(opts)?,
        };
        Ok((config, state))
    }

    /// What the JS driver needs to do the IO: `{ baseUrl, source, provider?, endpoint?
    /// (see `Endpoint::to_js`), fetch?, headers: [[name, value]], timeoutMs }`.
    pub fn to_js(&self) -> JsValue {
        let out = js::object();
        js::set(&out, "baseUrl", &self.base_url.as_str().into());
        let kind = match &self.source {
            Source::Static => "token",
            Source::Provider(f) => {
                js::set(&out, "provider", f);
                "tokenProvider"
            }
            Source::Endpoint(endpoint) => {
                js::set(&out, "endpoint", &endpoint.to_js());
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
