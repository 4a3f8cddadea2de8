//! The client's option rules that need no JS types: exactly one token source, the token
//! endpoint's method and credentials, and the option names `SpikeClient` takes. (Reading the
//! values from JS, with their types, ranges and defaults, is `crate::wasm::client::config`.)

use crate::common::error::SdkError;
use crate::common::text::trim;

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
        (false, false, false) => {
            Err(SdkError::invalid_options("SpikeClient needs one token source: token, tokenProvider or tokenEndpoint"))
        }
        _ => Err(SdkError::invalid_options("SpikeClient takes exactly one of token, tokenProvider and tokenEndpoint")),
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
pub const CLIENT_OPTIONS: &[&str] = &[
    "baseUrl",
    "token",
    "tokenProvider",
    "tokenEndpoint",
    "refreshLeewaySeconds",
    "timeoutMs",
    "maxRetries",
    "fetch",
    "headers",
    "shareAcrossTabs",
];
/// The keys of a `tokenEndpoint` object.
pub const ENDPOINT_OPTIONS: &[&str] = &["url", "method", "headers", "credentials", "body"];

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
}
