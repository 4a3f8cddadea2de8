//! Validation of `SpikeClient` options that does not need JS types.

use alloc::borrow::ToOwned;
use alloc::string::String;
use crate::common::error::SdkError;
use crate::common::text::{cat, strip_prefix_ignore_case, trim};

pub const DEFAULT_BASE_URL: &str = "https://api.spikelabs.com";

/// Where the client gets its tokens from. Exactly one source may be configured: with two, which
/// one wins would be a silent guess.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenSourceKind {
    Static,
    Provider,
    Endpoint,
}

pub fn token_source(has_token: bool, has_provider: bool, has_endpoint: bool) -> Result<TokenSourceKind, SdkError> {
    match (has_token, has_provider, has_endpoint) {
        (true, false, false) => Ok(TokenSourceKind::Static),
        (false, true, false) => Ok(TokenSourceKind::Provider),
        (false, false, true) => Ok(TokenSourceKind::Endpoint),
        (false, false, false) => Err(SdkError::invalid_options(
            "SpikeClient needs one token source: token, tokenProvider or tokenEndpoint",
        )),
        _ => Err(SdkError::invalid_options(
            "SpikeClient takes exactly one of token, tokenProvider and tokenEndpoint",
        )),
    }
}

/// Normalises `baseUrl`: absolute http(s), no trailing slash (paths are joined with one).
pub fn base_url(value: Option<&str>) -> Result<String, SdkError> {
    let raw = trim(value.unwrap_or(DEFAULT_BASE_URL));
    let rest = strip_prefix_ignore_case(raw, "https://").or_else(|| strip_prefix_ignore_case(raw, "http://"));
    match rest {
        Some(host) if !host.is_empty() && host.as_bytes().first() != Some(&b'/') => {
            let slashes = raw.bytes().rev().take_while(|&b| b == b'/').count();
            Ok(raw.get(..raw.len() - slashes).unwrap_or(raw).to_owned())
        }
        _ => Err(SdkError::invalid_options("baseUrl must be an absolute http(s) URL")),
    }
}

/// `baseUrl` as given, else the environment's `SPIKE_API_URL` (server runtimes), else the default.
pub fn base_url_or_env(explicit: Option<&str>, env: Option<&str>) -> Result<String, SdkError> {
    match (explicit, env) {
        (Some(url), _) => base_url(Some(url)),
        (None, Some(url)) => base_url(Some(url))
            .map_err(|_| SdkError::invalid_options("SPIKE_API_URL (the default baseUrl in server runtimes) must be an absolute http(s) URL")),
        (None, None) => base_url(None),
    }
}

/// `tokenEndpoint.method`: the two methods a token endpoint is fetched with, in any case.
pub fn endpoint_method(value: Option<&str>) -> Result<&'static str, SdkError> {
    match value.map(trim) {
        None => Ok("GET"),
        Some(m) if m.eq_ignore_ascii_case("GET") => Ok("GET"),
        Some(m) if m.eq_ignore_ascii_case("POST") => Ok("POST"),
        Some(_) => Err(SdkError::invalid_options("tokenEndpoint.method must be 'GET' or 'POST'")),
    }
}

/// `tokenEndpoint.credentials`, fetch's `RequestCredentials` (exact, as fetch reads them).
/// Default `same-origin`: the session cookie of a backend on the page's own origin.
pub fn endpoint_credentials(value: Option<&str>) -> Result<&'static str, SdkError> {
    match value {
        None | Some("same-origin") => Ok("same-origin"),
        Some("include") => Ok("include"),
        Some("omit") => Ok("omit"),
        Some(_) => Err(SdkError::invalid_options("tokenEndpoint.credentials must be 'same-origin', 'include' or 'omit'")),
    }
}

/// The option names of `SpikeClient`.
pub const CLIENT_OPTIONS: &[&str] =
    &["baseUrl", "token", "tokenProvider", "tokenEndpoint", "refreshLeewaySeconds", "timeoutMs", "maxRetries", "fetch", "headers", "shareAcrossTabs"];
/// The keys of a `tokenEndpoint` object.
pub const ENDPOINT_OPTIONS: &[&str] = &["url", "method", "headers", "credentials", "body"];

/// Common names for an option that has another name here (what other SDKs and fetch wrappers
/// call it): only suggested when the right name is one the options take.
const ALIASES: &[(&str, &str)] = &[
    ("timeout", "timeoutMs"),
    ("retries", "maxRetries"),
    ("leeway", "refreshLeewaySeconds"),
    ("baseURL", "baseUrl"),
    ("apiUrl", "baseUrl"),
    ("key", "apiKey"),
    ("secret", "signatureKey"),
    ("user", "userId"),
    ("expiresIn", "expSeconds"),
    ("ttl", "expSeconds"),
    ("provider", "tokenProvider"),
    ("endpoint", "tokenEndpoint"),
    ("onEvent", "onEvents"),
];

/// Lower case without `_` and `-`: `api_key`, `APIKEY` and `apiKey` are one name. ASCII case only:
/// every option name is ASCII, and `char::to_lowercase` brings Unicode's case tables (~11 KB) into
/// the browser wasm.
fn loose(name: &str) -> String {
    name.chars().filter(|c| *c != '_' && *c != '-').map(|c| c.to_ascii_lowercase()).collect()
}

/// The option `key` most likely meant, if any.
pub fn suggestion(key: &str, known: &[&'static str]) -> Option<&'static str> {
    let alias = ALIASES.iter().find(|(from, _)| loose(from) == loose(key)).map(|(_, to)| *to);
    let alias = alias.and_then(|to| known.iter().copied().find(|k| *k == to));
    let lk = loose(key);
    alias
        .or_else(|| known.iter().copied().find(|k| loose(k) == lk))
        // `refreshLeeway`, `maxRetry`: the start of a name.
        .or_else(|| known.iter().copied().find(|k| lk.len() >= 4 && loose(k).starts_with(&lk)))
}

/// A key as it may appear in a message: at most 40 characters, control characters as `?`.
fn shown(key: &str) -> String {
    let mut out: String = key.chars().take(40).map(|c| if c.is_control() { '?' } else { c }).collect();
    if key.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

/// Refuses the first of `keys` (an options object's own keys) that `known` does not list: an
/// option that is silently ignored (`timeout` for `timeoutMs`) is a bug the caller never sees.
pub fn unknown_option<'a>(what: &str, keys: impl IntoIterator<Item = &'a str>, known: &[&'static str]) -> Result<(), SdkError> {
    let Some(key) = keys.into_iter().find(|k| !known.contains(k)) else { return Ok(()) };
    let hint = suggestion(key, known).map(|s| cat(&[" (did you mean '", s, "'?)"])).unwrap_or_default();
    let mut message = cat(&[what, ": unknown option '", &shown(key), "'", &hint, "; the options are "]);
    // By hand, not `known.join(", ")`: the generic join costs ~0.4 KB of the browser wasm.
    for (i, name) in known.iter().enumerate() {
        message.push_str(if i == 0 { "" } else { ", " });
        message.push_str(name);
    }
    Err(SdkError::invalid_options(message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::error::ErrorCode;

    #[test]
    fn exactly_one_token_source() {
        assert_eq!(token_source(true, false, false).unwrap(), TokenSourceKind::Static);
        assert_eq!(token_source(false, true, false).unwrap(), TokenSourceKind::Provider);
        assert_eq!(token_source(false, false, true).unwrap(), TokenSourceKind::Endpoint);
        for (a, b, c) in [(false, false, false), (true, true, false), (true, false, true), (false, true, true), (true, true, true)] {
            assert_eq!(token_source(a, b, c).unwrap_err().code, ErrorCode::InvalidOptions);
        }
    }

    #[test]
    fn endpoint_method_and_credentials() {
        assert_eq!(endpoint_method(None).unwrap(), "GET");
        assert_eq!(endpoint_method(Some("post")).unwrap(), "POST");
        assert_eq!(endpoint_method(Some(" Get ")).unwrap(), "GET");
        for bad in ["", "PUT", "DELETE", "OPTIONS", "GETX"] {
            assert_eq!(endpoint_method(Some(bad)).unwrap_err().code, ErrorCode::InvalidOptions, "{bad}");
        }
        assert_eq!(endpoint_credentials(None).unwrap(), "same-origin");
        assert_eq!(endpoint_credentials(Some("include")).unwrap(), "include");
        assert_eq!(endpoint_credentials(Some("omit")).unwrap(), "omit");
        for bad in ["", "Include", "true", "cors"] {
            assert_eq!(endpoint_credentials(Some(bad)).unwrap_err().code, ErrorCode::InvalidOptions, "{bad}");
        }
    }

    #[test]
    fn unknown_options_are_refused_by_name_with_a_hint() {
        assert!(unknown_option("SpikeClient", ["baseUrl", "token", "timeoutMs"], CLIENT_OPTIONS).is_ok());
        let err = unknown_option("SpikeClient", ["token", "timeout"], CLIENT_OPTIONS).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidOptions);
        assert!(err.message.starts_with("SpikeClient: unknown option 'timeout' (did you mean 'timeoutMs'?)"), "{}", err.message);
        let hint = |key: &str| unknown_option("x", [key], CLIENT_OPTIONS).unwrap_err().message;
        assert!(hint("baseURL").contains("did you mean 'baseUrl'"));
        assert!(hint("base_url").contains("did you mean 'baseUrl'"));
        assert!(hint("refreshLeeway").contains("did you mean 'refreshLeewaySeconds'"));
        assert!(hint("retries").contains("did you mean 'maxRetries'"));
        // An alias whose target these options do not take suggests nothing.
        assert!(!hint("key").contains("did you mean"));
        assert!(!hint("shareAcrossWindows").contains("did you mean"));
        let long = "k".repeat(100);
        let message = hint(&long);
        assert!(message.contains(&"k".repeat(40)) && !message.contains(&"k".repeat(41)));
        assert!(hint("a\nb").contains("'a?b'"));
        // The whole message, the list of options as `join(", ")` would write it.
        let err = unknown_option("tokenEndpoint", ["header"], ENDPOINT_OPTIONS).unwrap_err();
        assert_eq!(err.message, "tokenEndpoint: unknown option 'header' (did you mean 'headers'?); the options are url, method, headers, credentials, body");
        assert!(unknown_option("x", ["y"], &["only"]).unwrap_err().message.ends_with("; the options are only"));
        // ASCII case only: upper-case ASCII matches, other scripts' letters are never an option name.
        assert!(hint("TIMEOUTMS").contains("did you mean 'timeoutMs'"));
        assert!(!hint("tökenProvider").contains("did you mean"));
    }

    #[test]
    fn base_url_defaults_and_trims() {
        assert_eq!(base_url(None).unwrap(), DEFAULT_BASE_URL);
        assert_eq!(base_url(Some("http://127.0.0.1:8080/")).unwrap(), "http://127.0.0.1:8080");
        for bad in ["", "api.spikelabs.com", "ftp://x", "https://", "https:///x", "javascript:alert(1)"] {
            assert_eq!(base_url(Some(bad)).unwrap_err().code, ErrorCode::InvalidOptions, "{bad}");
        }
        // The explicit option wins over SPIKE_API_URL; a bad SPIKE_API_URL is named as such.
        assert_eq!(base_url_or_env(Some("http://a.test"), Some("http://b.test")).unwrap(), "http://a.test");
        assert_eq!(base_url_or_env(None, Some("http://127.0.0.1:8787/")).unwrap(), "http://127.0.0.1:8787");
        assert_eq!(base_url_or_env(None, None).unwrap(), DEFAULT_BASE_URL);
        assert!(base_url_or_env(None, Some("127.0.0.1:8787")).unwrap_err().message.contains("SPIKE_API_URL"));
    }
}
