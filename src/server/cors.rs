//! CORS for `createTokenHandler`, for apps whose pages are on another origin than the handler
//! (`app.example.com` fetching `api.example.com/spike-token`). Off unless configured.
//!
//! The handler hands out tokens, so the rules are the strict ones: an explicit list of origins
//! (no `*`, no patterns), `Access-Control-Allow-Origin` is always the one exact origin that asked,
//! `Access-Control-Allow-Credentials` goes only with that exact origin, and an origin not on the
//! list gets no CORS headers at all (its browser then refuses to hand the answer to the page).
//! Every answer says `Vary: Origin`, since what it carries depends on who asked.

use url::{Host, Url};

use super::allowed::is_domain_name;
use crate::common::error::SdkError;

/// Request headers a `SpikeClient` token fetch may send that are not CORS-safelisted: the
/// bearer of an identity provider, the JSON body's type, and the forced refresh's `no-cache`.
const DEFAULT_ALLOW_HEADERS: [&str; 3] = ["authorization", "cache-control", "content-type"];

/// How long a browser may reuse a preflight answer (Chromium caps this at 2 hours).
const PREFLIGHT_MAX_AGE_SECS: &str = "600";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorsPolicy {
    /// Serialised origins (`https://app.example.com`, `http://127.0.0.1:5173`), lowercase.
    origins: Vec<String>,
    credentials: bool,
    /// `Access-Control-Allow-Headers` for preflights.
    allow_headers: String,
}

const NOT_AN_ORIGIN: &str =
    "cors.origins entries must be origins like https://app.example.com or http://localhost:5173 (scheme, host and port only: no path, no trailing slash, no *)";

/// `entry` as a serialised origin, when it is exactly one (case aside): `http(s)://host[:port]`.
pub fn origin(entry: &str) -> Option<String> {
    let url = Url::parse(entry).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    // WHATWG hosts may hold `*`; as an entry it can only be a wildcard that was meant, and refused.
    if let Some(Host::Domain(name)) = url.host() {
        if !is_domain_name(name) {
            return None;
        }
    }
    let serialised = url.origin().ascii_serialization();
    entry.eq_ignore_ascii_case(&serialised).then_some(serialised)
}

/// An HTTP header name (RFC 9110 token).
fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

impl CorsPolicy {
    /// `origins`: the allowed origins (at least one). `credentials`: whether their pages may send
    /// cookies (`credentials: 'include'`). `extra_headers`: request headers to allow besides
    /// `Authorization`, `Cache-Control` and `Content-Type` (a CSRF header, say).
    pub fn new(origins: &[String], credentials: bool, extra_headers: &[String]) -> Result<CorsPolicy, SdkError> {
        if origins.is_empty() {
            return Err(SdkError::invalid_options("cors.origins must list at least one origin"));
        }
        let origins =
            origins.iter().map(|o| origin(o).ok_or_else(|| SdkError::invalid_options(NOT_AN_ORIGIN))).collect::<Result<Vec<_>, _>>()?;
        let mut allow: Vec<String> = DEFAULT_ALLOW_HEADERS.iter().map(|h| (*h).to_owned()).collect();
        for name in extra_headers {
            if !is_header_name(name) {
                return Err(SdkError::invalid_options("cors.allowHeaders entries must be header names"));
            }
            let name = name.to_ascii_lowercase();
            if !allow.contains(&name) {
                allow.push(name);
            }
        }
        Ok(CorsPolicy { origins, credentials, allow_headers: allow.join(", ") })
    }

    fn allows(&self, origin: Option<&str>) -> Option<String> {
        origin.filter(|o| self.origins.iter().any(|allowed| allowed == o)).map(str::to_owned)
    }

    /// The headers to add to an answer to a request from `origin` (its `Origin` header).
    pub fn response_headers(&self, origin: Option<&str>) -> Vec<(&'static str, String)> {
        let mut out = vec![("vary", "Origin".to_owned())];
        if let Some(origin) = self.allows(origin) {
            out.push(("access-control-allow-origin", origin));
            if self.credentials {
                out.push(("access-control-allow-credentials", "true".to_owned()));
            }
        }
        out
    }

    /// The headers of the answer to a preflight (`OPTIONS`) from `origin`.
    pub fn preflight_headers(&self, origin: Option<&str>) -> Vec<(&'static str, String)> {
        let mut out = self.response_headers(origin);
        if self.allows(origin).is_some() {
            out.push(("access-control-allow-methods", "GET, POST".to_owned()));
            out.push(("access-control-allow-headers", self.allow_headers.clone()));
            out.push(("access-control-max-age", PREFLIGHT_MAX_AGE_SECS.to_owned()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::error::ErrorCode;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn get<'a>(headers: &'a [(&'static str, String)], name: &str) -> Option<&'a str> {
        headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    #[test]
    fn entries_must_be_origins() {
        assert_eq!(origin("https://app.example.com").as_deref(), Some("https://app.example.com"));
        assert_eq!(origin("HTTPS://App.Example.com").as_deref(), Some("https://app.example.com"));
        assert_eq!(origin("http://127.0.0.1:5173").as_deref(), Some("http://127.0.0.1:5173"));
        assert_eq!(origin("http://[::1]:8080").as_deref(), Some("http://[::1]:8080"));
        for bad in [
            "",
            "*",
            "null",
            "app.example.com",
            "https://app.example.com/",
            "https://app.example.com/path",
            "https://app.example.com?x",
            "https://user@app.example.com",
            "https://*.example.com",
            "https://app.example.com:443",
            " https://app.example.com",
            "ftp://app.example.com",
            "file:///etc",
            "javascript:alert(1)",
        ] {
            assert_eq!(origin(bad), None, "{bad:?}");
            assert_eq!(CorsPolicy::new(&strings(&[bad]), true, &[]).unwrap_err().code, ErrorCode::InvalidOptions, "{bad:?}");
        }
        assert_eq!(CorsPolicy::new(&[], true, &[]).unwrap_err().code, ErrorCode::InvalidOptions);
        assert_eq!(
            CorsPolicy::new(&strings(&["https://a.example"]), true, &strings(&["x csrf"])).unwrap_err().code,
            ErrorCode::InvalidOptions
        );
    }

    #[test]
    fn an_allowed_origin_gets_itself_back_with_credentials() {
        let cors =
            CorsPolicy::new(&strings(&["https://app.example.com", "http://localhost:3000"]), true, &strings(&["X-CSRF-Token"])).unwrap();
        let h = cors.response_headers(Some("https://app.example.com"));
        assert_eq!(get(&h, "access-control-allow-origin"), Some("https://app.example.com"));
        assert_eq!(get(&h, "access-control-allow-credentials"), Some("true"));
        assert_eq!(get(&h, "vary"), Some("Origin"));
        let p = cors.preflight_headers(Some("http://localhost:3000"));
        assert_eq!(get(&p, "access-control-allow-origin"), Some("http://localhost:3000"));
        assert_eq!(get(&p, "access-control-allow-methods"), Some("GET, POST"));
        assert_eq!(get(&p, "access-control-allow-headers"), Some("authorization, cache-control, content-type, x-csrf-token"));
        assert!(get(&p, "access-control-max-age").is_some());
    }

    #[test]
    fn other_origins_get_no_cors_headers() {
        let cors = CorsPolicy::new(&strings(&["https://app.example.com"]), true, &[]).unwrap();
        for other in [
            None,
            Some("https://evil.example"),
            Some("https://app.example.com.evil.example"),
            Some("null"),
            Some("https://APP.example.com"),
            Some("*"),
        ] {
            for h in [cors.response_headers(other), cors.preflight_headers(other)] {
                assert_eq!(h, vec![("vary", "Origin".to_owned())], "{other:?}");
            }
        }
    }

    #[test]
    fn never_a_wildcard_and_credentials_only_when_asked() {
        let cors = CorsPolicy::new(&strings(&["https://app.example.com"]), false, &[]).unwrap();
        let h = cors.response_headers(Some("https://app.example.com"));
        assert_eq!(get(&h, "access-control-allow-origin"), Some("https://app.example.com"));
        assert_eq!(get(&h, "access-control-allow-credentials"), None);
        assert!(h.iter().all(|(_, v)| v != "*"));
    }
}
