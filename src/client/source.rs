//! What a token source produced, checked and installed: a `tokenProvider`'s result or the token
//! endpoint's answer, read from JS by the wasm layer into a `Found`. Anything unusable is
//! `token_provider_failed`, with a message that never contains the token.

use alloc::string::String;

use crate::client::expiry::Timing;
use crate::client::token::TokenState;
use crate::common::error::{ErrorCode, SdkError};
use crate::common::text::{cat, trim, uint};
use crate::jwt;

/// How to fix a source that answered a forced refresh with the refused token.
pub const PROVIDER_HINT: &str = "the tokenProvider ignored { forceRefresh: true }: pass forceRefresh to your backend (send the cacheControl it gets as Cache-Control) so it mints a new token";
pub const ENDPOINT_HINT: &str =
    "the token endpoint must mint a new token when asked with Cache-Control: no-cache (createTokenHandler does)";

/// What a source produced: the token, `expires_in` (seconds left) and `expires_at` (ms epoch).
pub struct Found {
    pub token: String,
    pub expires_in: Option<f64>,
    pub expires_at_ms: Option<f64>,
}

/// `token_provider_failed`; `status` is the token endpoint's (`None` for a provider).
pub fn failed(message: &str, status: Option<u16>) -> SdkError {
    let mut err = SdkError::new(ErrorCode::TokenProviderFailed, message);
    err.status = status;
    err
}

/// Whether a failed token fetch was the source saying no: a 4xx answer from the token endpoint
/// (a signed-out user's 401, a 403), except 408 and 429, which ask to try later. A live token
/// is no fallback then; a provider's throw, a timeout or a 5xx may pass, and the token may be.
pub fn said_no(status: Option<u16>) -> bool {
    matches!(status, Some(s) if (400..500).contains(&s) && s != 408 && s != 429)
}

/// The token endpoint's status: anything but 2xx fails, whatever the body says.
pub fn check_endpoint_status(status: u16) -> Result<(), SdkError> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    Err(failed(&cat(&["the token endpoint answered HTTP ", &uint(status.into())]), Some(status)))
}

/// The error for a token endpoint body that is not JSON: says whether it looked like HTML (a
/// login page, a dev server's fallback), which is the usual mistake.
pub fn endpoint_not_json(text: &str, status: u16) -> SdkError {
    let what = if trim(text).as_bytes().first() == Some(&b'<') { "HTML" } else { "something that is not JSON" };
    failed(&cat(&["the token endpoint answered ", what, " instead of { token }"]), Some(status))
}

/// Decodes the token and makes it current; returns its generation, or `None` when the refresh
/// was superseded (see `crate::client::token`): the token is dropped. A forced refresh that brings
/// back the refused token fails (`source_hint` says how to fix the source): sending it again could
/// only be refused again, so it is never retried.
///
/// `expires_at` ends the token's life early when it comes before `exp`. Like `exp`, it is the
/// issuer's clock, so it is measured from `iat` (the life it leaves is anchored at arrival) and
/// the device clock does not matter; one before `iat` is nonsense and ignored.
/// `status`: the token endpoint's, for its errors (`None` for a provider).
pub fn install(state: &mut TokenState, found: Found, now_ms: f64, status: Option<u16>, source_hint: &str) -> Result<Option<u64>, SdkError> {
    if !state.refresh_superseded() && state.refused() == Some(found.token.as_str()) {
        return Err(failed(
            &cat(&["the token source answered a forced refresh with the very token that was just refused; ", source_hint]),
            status,
        ));
    }
    let decoded = jwt::decode(&found.token)
        .map_err(|e| failed(&cat(&["the token source returned something that is not a JWT (", &e.message, ")"]), status))?;
    let mut times = decoded.times;
    if let Some(at) = found.expires_at_ms.map(|ms| ms / 1000.0).filter(|at| times.iat.is_none_or(|iat| *at > iat)) {
        times.exp = Some(times.exp.map_or(at, |exp| exp.min(at)));
    }
    let timing = Timing::new(&times, found.expires_in, now_ms);
    Ok(state.refresh_succeeded(found.token, decoded.payload_json, timing))
}

#[cfg(test)]
mod tests {
    use super::said_no;

    #[test]
    fn only_a_4xx_that_is_not_try_later_is_the_source_saying_no() {
        for status in [400, 401, 403, 404, 410, 499] {
            assert!(said_no(Some(status)), "{status}");
        }
        for status in [None, Some(200), Some(302), Some(408), Some(429), Some(500), Some(503)] {
            assert!(!said_no(status), "{status:?}");
        }
    }
}
