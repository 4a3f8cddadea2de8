//! Option checks every helper shares, with no JS types: `baseUrl` (and its `SPIKE_API_URL`
//! default), and refusing unknown option names with a "did you mean" hint. The client's own
//! option rules are in `crate::client::options`.

use crate::common::error::SdkError;
use crate::common::text::{cat, strip_prefix_ignore_case, trim};
use alloc::borrow::ToOwned;
use alloc::string::String;

pub const DEFAULT_BASE_URL: &str = "https://api.spikelabs.com";

/// Normalises `baseUrl`: absolute http(s), no trailing slash (paths are joined with one).
pub fn base_url(value: Option<&str>) -> Result<String, SdkError> {
    let raw = trim(value.unwrap_or(DEFAULT_BASE_URL));
    let rest = strip_prefix_ignore_case(raw, "https://").or_else(|| strip_prefix_ignore_case(raw, "http://"));
    match rest {
        Some(host) if !matches!(host.as_bytes().first(), None | Some(b'/')) => {
            let mut end = raw.len();
            while end > 0 && raw.as_bytes().get(end - 1) == Some(&b'/') {
                end -= 1;
            }
            Ok(raw.get(..end).unwrap_or(raw).to_owned())
        }
        _ => Err(SdkError::invalid_options("baseUrl must be an absolute http(s) URL")),
    }
}

/// `baseUrl` as given, else the environment's `SPIKE_API_URL` (server runtimes), else the default.
pub fn base_url_or_env(explicit: Option<&str>, env: Option<&str>) -> Result<String, SdkError> {
    match (explicit, env) {
        (Some(url), _) => base_url(Some(url)),
        (None, Some(url)) => base_url(Some(url)).map_err(|_| {
            SdkError::invalid_options("SPIKE_API_URL (the default baseUrl in server runtimes) must be an absolute http(s) URL")
        }),
        (None, None) => base_url(None),
    }
}

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

/// Appends a key as it may appear in a message: at most 40 characters, control characters as `?`.
fn push_shown(out: &mut String, key: &str) {
    for (n, c) in key.chars().enumerate() {
        if n == 40 {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { '?' } else { c });
    }
}

/// Refuses the first of `keys` (an options object's own keys) that `known` does not list: an
/// option that is silently ignored (`timeout` for `timeoutMs`) is a bug the caller never sees.
pub fn unknown_option<'a>(what: &str, keys: impl IntoIterator<Item = &'a str>, known: &[&'static str]) -> Result<(), SdkError> {
    match keys.into_iter().find(|k| !known.contains(k)) {
        Some(key) => Err(unknown_key(what, key, known)),
        None => Ok(()),
    }
}

/// The error for `key`, an option `known` does not list (see `unknown_option`).
pub fn unknown_key(what: &str, key: &str, known: &[&'static str]) -> SdkError {
    let mut message = cat(&[what, ": unknown option '"]);
    push_shown(&mut message, key);
    message.push('\'');
    if let Some(s) = suggestion(key, known) {
        message.push_str(" (did you mean '");
        message.push_str(s);
        message.push_str("'?)");
    }
    message.push_str("; the options are ");
    // By hand, not `known.join(", ")`: the generic join costs ~0.4 KB of the browser wasm.
    for (i, name) in known.iter().enumerate() {
        message.push_str(if i == 0 { "" } else { ", " });
        message.push_str(name);
    }
    SdkError::invalid_options(message)
}

#[cfg(test)]
mod tests {
    use super::*;
    // The client's option names, as real input for the shared check (tests only).
    use crate::client::options::{CLIENT_OPTIONS, ENDPOINT_OPTIONS};
    use crate::common::error::ErrorCode;

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
        assert_eq!(
            err.message,
            "tokenEndpoint: unknown option 'header' (did you mean 'headers'?); the options are url, method, headers, credentials, body"
        );
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
