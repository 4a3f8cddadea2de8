//! Request URLs and the errors for non-2xx answers.

use alloc::string::String;
use wasm_bindgen::prelude::*;

use crate::common::error::{ErrorCode, SdkError};
use crate::common::text::{cat, is_http_url, uint};
use crate::wasm::errors::{to_js, to_js_with};
use crate::wasm::js;

/// The request URL: a path joined to `baseUrl`, or an absolute URL on the same origin. Anything
/// else is refused so the token is never sent to another host.
pub fn resolve_url(base_url: &str, path: &JsValue) -> Result<String, JsValue> {
    let path = path.as_string().ok_or_else(|| to_js(SdkError::invalid_options("the path must be a string such as '/platform/api/workspaces'")))?;
    if is_http_url(&path) || path.starts_with("//") {
        let same_origin = path.get(..base_url.len()).is_some_and(|p| p.eq_ignore_ascii_case(base_url))
            && matches!(path.as_bytes().get(base_url.len()), None | Some(b'/' | b'?' | b'#'));
        return if same_origin {
            Ok(path)
        } else {
            Err(to_js(SdkError::invalid_options("absolute URLs must be on the client's baseUrl; the token is never sent to another origin")))
        };
    }
    Ok(if path.as_bytes().first() == Some(&b'/') { cat(&[base_url, &path]) } else { cat(&[base_url, "/", &path]) })
}

/// `request()`'s error for a non-2xx answer: the API's 401 code when it sent one, else
/// `http_error`, with `status` and the parsed `body`.
pub fn answer_error(status: u16, method: &str, url: &str, body: &JsValue) -> JsValue {
    let api_code = js::get(body, "error").as_string();
    let api_message = js::get(body, "message").as_string();
    let code = match (status, api_code.as_deref().and_then(ErrorCode::from_api)) {
        (401, Some(code)) => code,
        _ => ErrorCode::HttpError,
    };
    let detail = api_message.or(api_code).map(|m| cat(&[": ", &m])).unwrap_or_default();
    let message = cat(&[method, " ", path_only(url), " answered HTTP ", &uint(status.into()), &detail]);
    let err = SdkError::new(code, message).with_status(status);
    to_js_with(err, None, Some(body))
}

/// The path part of a URL, for messages (query strings can hold secrets). Byte searches, not
/// `str` patterns, to keep the pattern machinery out of the wasm.
fn path_only(url: &str) -> &str {
    let scheme_end = url.as_bytes().windows(3).position(|w| w == b"://").map_or(0, |i| i + 3);
    let rest = url.get(scheme_end..).unwrap_or("");
    let path = rest.bytes().position(|b| b == b'/').and_then(|i| rest.get(i..)).unwrap_or("/");
    let end = path.bytes().position(|b| b == b'?' || b == b'#').unwrap_or(path.len());
    path.get(..end).unwrap_or(path)
}
