//! Decoding (not verifying) JWTs in the client.
//!
//! The client only needs the claims to know who the token is for and when it expires; the Spike
//! API verifies the signature. Decoding is still strict about shape (three segments, base64url,
//! UTF-8 JSON objects, numeric time claims) so that garbage from a misconfigured token endpoint is
//! reported as `invalid_token` up front instead of as a confusing 401 later.
//!
//! Error messages name the part that failed, never the token's content.
//!
//! Owns: the JWT decoder (`decode`), its base64url and JSON-grammar readers. Pure: no JS types,
//! no clock, no token state (`crate::client` keeps that). Used by the client, the server helpers
//! and `decodeToken`.

pub use spike_jwt::{base64url, json};

use crate::common::error::SdkError;
use alloc::string::String;
use json::JsonError;
pub use json::TimeClaims;

/// Longest token we try to decode. Real JWTs travel in an HTTP header (servers cap those at
/// 8-16 KiB), so anything this big is garbage and decoding it would only burn memory.
pub const MAX_TOKEN_LEN: usize = 65536;

/// A decoded token: the payload as validated JSON text (handed to `JSON.parse` on the JS side so
/// every claim, custom ones included, arrives exactly as issued) plus the time claims Rust needs.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedToken {
    pub payload_json: String,
    pub times: TimeClaims,
}

/// Decodes the payload of a compact JWS (`header.payload.signature`).
pub fn decode(token: &str) -> Result<DecodedToken, SdkError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(SdkError::invalid_token("Invalid token: longer than 65536 bytes"));
    }
    let mut parts = crate::common::text::split(token, b'.');
    let (Some(header), Some(payload), Some(_signature), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(SdkError::invalid_token("Invalid token: expected three dot-separated parts (header.payload.signature)"));
    };
    if header.is_empty() {
        return Err(SdkError::invalid_token("Invalid token: missing part #1 (header)"));
    }
    if payload.is_empty() {
        return Err(SdkError::invalid_token("Invalid token: missing part #2 (payload)"));
    }
    let header_json = segment_json(header, Part::Header)?;
    if !json::is_object(&header_json) {
        return Err(SdkError::invalid_token("Invalid token: part #1 (header) is not a JSON object"));
    }
    let payload_json = segment_json(payload, Part::Payload)?;
    let times = json::object_time_claims(&payload_json).map_err(|e| {
        SdkError::invalid_token(match e {
            JsonError::Syntax => "Invalid token: part #2 (payload) is not valid JSON",
            JsonError::NotObject => "Invalid token: part #2 (payload) is not a JSON object",
            JsonError::BadTimeClaim("exp") => "Invalid token: non-numeric or repeated exp claim",
            JsonError::BadTimeClaim("iat") => "Invalid token: non-numeric or repeated iat claim",
            JsonError::BadTimeClaim(_) => "Invalid token: non-numeric or repeated nbf claim",
        })
    })?;
    Ok(DecodedToken { payload_json, times })
}

#[derive(Clone, Copy)]
enum Part {
    Header,
    Payload,
}

/// Base64url-decodes one segment into UTF-8 text. Messages are literals, not `format!`, which
/// keeps `core::fmt` out of the browser wasm.
fn segment_json(segment: &str, part: Part) -> Result<String, SdkError> {
    let (not_base64, not_utf8) = match part {
        Part::Header => ("Invalid token: part #1 (header) is not valid base64url", "Invalid token: part #1 (header) is not UTF-8"),
        Part::Payload => ("Invalid token: part #2 (payload) is not valid base64url", "Invalid token: part #2 (payload) is not UTF-8"),
    };
    let bytes = base64url::decode(segment).ok_or_else(|| SdkError::invalid_token(not_base64))?;
    crate::common::text::utf8(bytes).ok_or_else(|| SdkError::invalid_token(not_utf8))
}

/// Whether a token with these claims is expired at `now_secs`, treating it as expired
/// `leeway_secs` early. A token without `exp` never expires.
pub fn is_expired(times: &TimeClaims, now_secs: f64, leeway_secs: f64) -> bool {
    times.exp.is_some_and(|exp| now_secs + leeway_secs >= exp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::error::ErrorCode;

    // Public test vectors from jwt-decode's suite.
    const BASIC: &str = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJmb28iOiJiYXIiLCJleHAiOjEzOTMyODY4OTMsImlhdCI6MTM5MzI2ODg5M30.4-iaDojEVl0pJQMjrbM1EzUIfAZgsbK_kgnVyVxFSVo";
    const UTF8: &str =
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiSm9zw6kiLCJpYXQiOjE0MjU2NDQ5NjZ9.1CfFtdGUPs6q8kT3OGQSVlhEMdbuX0HfNSqum0023a0";
    const DOUBLE_PAD: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6Ikpvc8OpIiwiaWF0IjoxNTE2MjM5MDIyfQ.7A3F5SUH2gbBSYVon5mas_Y-KCrWojorKQg7UKGVEIA";
    const SINGLE_PAD: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6Ikpvc8OpZSIsImlhdCI6MTUxNjIzOTAyMn0.tbjJzDAylkKSV0_YGR5xBJBlFK01C82nZPLIcA3JX1g";
    const LATIN1: &str =
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiSm9z6SIsImlhdCI6MTQyNTY0NDk2Nn0.cpnplCBxiw7Xqz5thkqs4Mo_dymvztnI0CI4BN0d1t8";

    fn claims(token: &str) -> serde_json::Value {
        serde_json::from_str(&decode(token).unwrap().payload_json).unwrap()
    }

    #[test]
    fn decodes_jwt_decode_vectors() {
        let c = claims(BASIC);
        assert_eq!(c["foo"], "bar");
        assert_eq!(c["exp"], 1393286893);
        assert_eq!(c["iat"], 1393268893);
        assert_eq!(decode(BASIC).unwrap().times, TimeClaims { exp: Some(1393286893.0), iat: Some(1393268893.0), nbf: None });
        assert_eq!(claims(UTF8)["name"], "José");
        assert_eq!(claims(DOUBLE_PAD)["name"], "José");
        assert_eq!(claims(SINGLE_PAD)["name"], "Josée");
    }

    #[test]
    fn accepts_explicit_padding() {
        let padded = DOUBLE_PAD.replacen(
            ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6Ikpvc8OpIiwiaWF0IjoxNTE2MjM5MDIyfQ.",
            ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6Ikpvc8OpIiwiaWF0IjoxNTE2MjM5MDIyfQ==.",
            1,
        );
        assert_eq!(claims(&padded)["name"], "José");
    }

    #[test]
    fn rejects_malformed_tokens_with_invalid_token() {
        let huge = format!("{}.{}.sig", "eyJhbGciOiJub25lIn0", "A".repeat(MAX_TOKEN_LEN));
        let cases: Vec<(&str, &str)> = vec![
            ("", "three"),
            ("fubar", "three"),
            ("a.b", "three"),
            ("a.b.c.d", "three"),
            (".eyJhIjoxfQ.sig", "missing part #1"),
            ("eyJhbGciOiJub25lIn0..sig", "missing part #2"),
            ("eyJhbGciOiJub25lIn0.!!!.sig", "base64url"),
            ("eyJhbGciOiJub25lIn0.e30x.sig", "not valid JSON"), // "{}1"
            ("eyJhbGciOiJub25lIn0.WzFd.sig", "JSON object"),    // "[1]"
            ("eyJhbGciOiJub25lIn0.Im5vIg.sig", "JSON object"),  // "\"no\""
            ("eyJhbGciOiJub25lIn0.eyJleHAiOiJzb29uIn0.sig", "non-numeric or repeated exp claim"), // {"exp":"soon"}
            ("W10.e30.sig", "JSON object"),                     // header "[]"
            (LATIN1, "UTF-8"),
            (&huge, "longer"),
        ];
        for (token, why) in cases {
            let err = decode(token).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidToken, "{token:?}");
            assert!(err.message.contains(why), "{token:?}: {}", err.message);
        }
    }

    #[test]
    fn messages_never_echo_token_content() {
        let err = decode("eyJhbGciOiJub25lIn0.eyJleHAiOiJzZWNyZXQtdmFsdWUifQ.sig").unwrap_err();
        assert!(!err.message.contains("secret-value"), "{}", err.message);
    }

    #[test]
    fn expiry_with_leeway() {
        let t = TimeClaims { exp: Some(1000.0), iat: Some(0.0), nbf: None };
        assert!(!is_expired(&t, 999.0, 0.0));
        assert!(is_expired(&t, 1000.0, 0.0));
        assert!(is_expired(&t, 950.0, 60.0));
        assert!(!is_expired(&TimeClaims::default(), 1e12, 0.0));
    }
}
