//! Request URLs and the errors for non-2xx answers.

use alloc::string::String;

use crate::common::error::{ErrorCode, SdkError};
use crate::common::text::{cat, is_http_url, uint};

/// The request URL: a path joined to `baseUrl`, or an absolute URL on the same origin. Anything
/// else is refused so the token is never sent to another host.
pub fn resolve_url(base_url: &str, path: String) -> Result<String, SdkError> {
    if is_http_url(&path) || path.starts_with("//") {
        let same_origin = path.get(..base_url.len()).is_some_and(|p| p.eq_ignore_ascii_case(base_url))
            && matches!(path.as_bytes().get(base_url.len()), None | Some(b'/' | b'?' | b'#'));
        return if same_origin {
            Ok(path)
        } else {
            Err(SdkError::invalid_options("absolute URLs must be on the client's baseUrl; the token is never sent to another origin"))
        };
    }
    Ok(if path.as_bytes().first() == Some(&b'/') { cat(&[base_url, &path]) } else { cat(&[base_url, "/", &path]) })
}

/// `request()`'s error for a non-2xx answer: the API's 401 code when it sent one, else
/// `http_error`, with `status`. `api_code`/`api_message`: the answer's `error`/`message` fields.
pub fn answer_error(status: u16, method: &str, url: &str, api_code: Option<String>, api_message: Option<String>) -> SdkError {
    let code = match (status, api_code.as_deref().and_then(ErrorCode::from_api)) {
        (401, Some(code)) => code,
        _ => ErrorCode::HttpError,
    };
    let detail = api_message.or(api_code).map(|m| cat(&[": ", &m])).unwrap_or_default();
    let message = cat(&[method, " ", path_only(url), " answered HTTP ", &uint(status.into()), &detail]);
    SdkError::new(code, message).with_status(status)
}

/// The path part of a URL, for messages (query strings can hold secrets). Byte searches, not
/// `str` patterns, to keep the pattern machinery out of the wasm.
fn path_only(url: &str) -> &str {
    let bytes = url.as_bytes();
    let scheme_end = (0..bytes.len()).find(|&i| bytes.get(i..i + 3) == Some(b"://")).map_or(0, |i| i + 3);
    // From the first `/` after the scheme (or `/`) up to the query or fragment.
    let start = (scheme_end..bytes.len()).find(|&i| bytes.get(i) == Some(&b'/'));
    let end = start.and_then(|start| (start..bytes.len()).find(|&i| matches!(bytes.get(i), Some(b'?' | b'#')))).unwrap_or(bytes.len());
    start.and_then(|start| url.get(start..end)).unwrap_or("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://api.example.com";

    #[test]
    fn paths_join_the_base_and_other_origins_are_refused() {
        assert_eq!(resolve_url(BASE, "/a".into()).ok().as_deref(), Some("https://api.example.com/a"));
        assert_eq!(resolve_url(BASE, "a?b".into()).ok().as_deref(), Some("https://api.example.com/a?b"));
        assert_eq!(resolve_url(BASE, "HTTPS://API.example.com/x".into()).ok().as_deref(), Some("HTTPS://API.example.com/x"));
        for other in ["https://api.example.com.evil.test/x", "https://evil.test/", "//evil.test/x", "http://api.example.com/x"] {
            assert_eq!(resolve_url(BASE, other.into()).map_err(|e| e.code), Err(ErrorCode::InvalidOptions), "{other}");
        }
    }

    #[test]
    fn answer_errors_keep_api_401_codes_and_drop_queries() {
        let e = answer_error(401, "GET", "https://a.test/p?secret=1", Some("token_expired".into()), None);
        assert_eq!((e.code, e.status), (ErrorCode::TokenExpired, Some(401)));
        assert_eq!(e.message, "GET /p answered HTTP 401: token_expired");
        let e = answer_error(404, "POST", "https://a.test", Some("token_expired".into()), Some("no such thing".into()));
        assert_eq!(e.code, ErrorCode::HttpError, "API codes count on a 401 only");
        assert_eq!(e.message, "POST / answered HTTP 404: no such thing");
    }
}
