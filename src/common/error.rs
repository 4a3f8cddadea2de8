//! Error codes shared by every part of the SDK.
//!
//! The JS side turns an [`SdkError`] into a `SpikeError` instance; the string codes below are the
//! stable public contract (they are what callers `switch` on), so never rename one.

use alloc::string::String;
use core::fmt;

/// A stable, machine-readable error code. `as_str` is the value of `SpikeError.code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// Missing or malformed `Authorization` header (documented Spike 401 code).
    Unauthorized,
    /// Malformed token or bad claims (documented Spike 401 code; also our decoder's error).
    InvalidToken,
    /// Signature check failed (documented Spike 401 code).
    InvalidSignature,
    /// Token issued by someone else (documented Spike 401 code).
    InvalidIssuer,
    /// Token past its `exp` (documented Spike 401 code).
    TokenExpired,
    /// The configured `tokenProvider` / `tokenEndpoint` failed to produce a token.
    TokenProviderFailed,
    /// The request never got an HTTP answer.
    NetworkError,
    /// An attempt took longer than `timeoutMs`.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// Any other non-2xx answer.
    HttpError,
    /// The caller passed options or arguments we cannot use.
    InvalidOptions,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 11] = [
        ErrorCode::Unauthorized,
        ErrorCode::InvalidToken,
        ErrorCode::InvalidSignature,
        ErrorCode::InvalidIssuer,
        ErrorCode::TokenExpired,
        ErrorCode::TokenProviderFailed,
        ErrorCode::NetworkError,
        ErrorCode::Timeout,
        ErrorCode::Aborted,
        ErrorCode::HttpError,
        ErrorCode::InvalidOptions,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::InvalidSignature => "invalid_signature",
            ErrorCode::InvalidIssuer => "invalid_issuer",
            ErrorCode::TokenExpired => "token_expired",
            ErrorCode::TokenProviderFailed => "token_provider_failed",
            ErrorCode::NetworkError => "network_error",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Aborted => "aborted",
            ErrorCode::HttpError => "http_error",
            ErrorCode::InvalidOptions => "invalid_options",
        }
    }

    /// Maps the `error` field of a Spike API 401 body back to a code; unknown strings give `None`.
    pub fn from_api(code: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().take(5).find(|c| c.as_str() == code)
    }
}

/// An error with a stable code, a human message (never containing a secret) and an optional
/// HTTP status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SdkError {
    pub code: ErrorCode,
    pub message: String,
    pub status: Option<u16>,
}

impl SdkError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        SdkError { code, message: message.into(), status: None }
    }

    pub fn invalid_token(message: impl Into<String>) -> Self {
        SdkError::new(ErrorCode::InvalidToken, message)
    }

    pub fn invalid_options(message: impl Into<String>) -> Self {
        SdkError::new(ErrorCode::InvalidOptions, message)
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }
}

impl fmt::Display for SdkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl core::error::Error for SdkError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_codes_round_trip_and_sdk_codes_are_not_api_codes() {
        for code in ["unauthorized", "invalid_token", "invalid_signature", "invalid_issuer", "token_expired"] {
            assert_eq!(ErrorCode::from_api(code).map(ErrorCode::as_str), Some(code));
        }
        assert_eq!(ErrorCode::from_api("timeout"), None);
        assert_eq!(ErrorCode::from_api("nope"), None);
    }

    #[test]
    fn display_has_code_and_message() {
        let e = SdkError::invalid_options("bad").with_status(400);
        assert_eq!(e.to_string(), "invalid_options: bad");
        assert_eq!(e.status, Some(400));
    }
}
