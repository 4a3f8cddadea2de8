//! Minting user tokens with the API key: `POST {baseUrl}/tenant/api/tokens/mint`.
//!
//! Everything is validated before a request is sent, so a bad call costs no network round trip
//! and never reaches the API with a half-formed body.

use serde::{Deserialize, Serialize};

use super::secret::check_api_key;
use crate::common::error::{ErrorCode, SdkError};

pub const MAX_EXP_SECONDS: u32 = 86400;
pub const MINT_PATH: &str = "/tenant/api/tokens/mint";
/// How much of the API's own error text a `SpikeError` message quotes.
pub const MAX_DETAIL_CHARS: usize = 300;

/// The documented request body.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MintRequest {
    pub user_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp_seconds: Option<u32>,
}

/// The documented response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MintResponse {
    pub token: String,
    pub expires_at: String,
}

#[derive(Deserialize)]
struct ApiError {
    error: Option<String>,
    message: Option<String>,
}

/// Checks an `expSeconds` option given as a JS number.
pub fn exp_seconds(value: f64) -> Result<u32, SdkError> {
    if value.fract() == 0.0 && (1.0..=f64::from(MAX_EXP_SECONDS)).contains(&value) {
        Ok(value as u32)
    } else {
        Err(SdkError::invalid_options("expSeconds must be an integer from 1 to 86400"))
    }
}

/// Validates and serialises the request body.
pub fn request_body(request: &MintRequest, api_key: &str) -> Result<String, SdkError> {
    check_api_key(api_key)?;
    if request.user_id.trim().is_empty() {
        return Err(SdkError::invalid_options("userId must be a non-empty string"));
    }
    serde_json::to_string(request).map_err(|_| SdkError::invalid_options("could not encode the mint request"))
}

/// Maps the API's answer to a token or a `SpikeError`: documented 401 codes keep their code,
/// anything else non-2xx is `http_error` with the status.
pub fn parse_response(status: u16, body: &str) -> Result<MintResponse, SdkError> {
    if (200..300).contains(&status) {
        return serde_json::from_str::<MintResponse>(body)
            .ok()
            .filter(|r| !r.token.is_empty())
            .ok_or_else(|| SdkError::new(ErrorCode::HttpError, "mint answered without { token, expires_at }").with_status(status));
    }
    let api: Option<ApiError> = serde_json::from_str(body).ok();
    let code = api.as_ref().and_then(|a| a.error.as_deref());
    let detail = api.as_ref().and_then(|a| a.message.as_deref()).or(code).unwrap_or("no error body");
    // Upstream text is quoted for the server's developer only (never sent on to a browser): one
    // line, bounded, so it cannot forge log lines or bloat errors.
    let detail: String = detail.chars().take(MAX_DETAIL_CHARS).map(|c| if c.is_control() { ' ' } else { c }).collect();
    let code = match (status, code.and_then(ErrorCode::from_api)) {
        (401, Some(code)) => code,
        (401, None) => ErrorCode::Unauthorized,
        _ => ErrorCode::HttpError,
    };
    Err(SdkError::new(code, format!("mint failed with HTTP {status}: {detail}")).with_status(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_before_sending() {
        let ok = MintRequest { user_id: "u1".into(), scopes: Some(vec!["a".into()]), exp_seconds: Some(60), ..Default::default() };
        assert_eq!(request_body(&ok, "sk").unwrap(), r#"{"user_id":"u1","scopes":["a"],"exp_seconds":60}"#);
        assert_eq!(request_body(&ok, " ").unwrap_err().code, ErrorCode::InvalidOptions);
        assert_eq!(request_body(&ok, "sk_test_key\n").unwrap_err().code, ErrorCode::InvalidOptions);
        let blank = MintRequest { user_id: "  ".into(), ..Default::default() };
        assert_eq!(request_body(&blank, "sk").unwrap_err().code, ErrorCode::InvalidOptions);
        assert_eq!(exp_seconds(86400.0), Ok(86400));
        for bad in [0.0, 86401.0, 1.5, -1.0, f64::NAN, f64::INFINITY] {
            assert!(exp_seconds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn maps_responses() {
        let ok = parse_response(200, r#"{"token":"t","expires_at":"2026-01-01T00:00:00Z"}"#).unwrap();
        assert_eq!(ok.token, "t");
        assert_eq!(parse_response(200, "{}").unwrap_err().code, ErrorCode::HttpError);
        let e = parse_response(401, r#"{"error":"unauthorized","message":"bad key"}"#).unwrap_err();
        assert_eq!((e.code, e.status), (ErrorCode::Unauthorized, Some(401)));
        let e = parse_response(400, r#"{"error":"invalid_request","message":"user_id is required"}"#).unwrap_err();
        assert_eq!((e.code, e.status), (ErrorCode::HttpError, Some(400)));
        assert!(e.message.contains("user_id is required"));
        assert_eq!(parse_response(502, "<html>").unwrap_err().code, ErrorCode::HttpError);
        let long = format!(r#"{{"error":"x","message":"line1\nline2{}"}}"#, "y".repeat(1000));
        let e = parse_response(500, &long).unwrap_err();
        assert!(e.message.contains("line1 line2") && e.message.len() < MAX_DETAIL_CHARS + 40, "{}", e.message);
    }
}
