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
pub use token::MAX_TOKEN_LEN;
use token::{Part, TokenError};

mod token;

/// A decoded token: the payload as validated JSON text (handed to `JSON.parse` on the JS side so
/// every claim, custom ones included, arrives exactly as issued) plus the time claims Rust needs.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodedToken {
    pub payload_json: String,
    pub times: TimeClaims,
}

/// Decodes the payload of a compact JWS (`header.payload.signature`).
pub fn decode(token: &str) -> Result<DecodedToken, SdkError> {
    let mut out = alloc::vec![0; token::room(token.len().min(MAX_TOKEN_LEN))];
    let (payload, times) = token::decode_payload(token.as_bytes(), &mut out).map_err(|e| SdkError::invalid_token(message(e)))?;
    Ok(DecodedToken { payload_json: String::from(payload), times })
}

/// [`decode`] for a token written as UTF-8 at the start of `scratch` (the wasm layer's fast path,
/// which has no JS string to read): writes the payload's JSON text right after the token's `len`
/// bytes and returns its length. `None` when the token does not decode (the caller then decodes
/// it through [`decode`], for the error) or `scratch` is shorter than [`in_place_room`].
pub fn decode_in_place(scratch: &mut [u8], len: usize) -> Option<usize> {
    let (token, rest) = scratch.split_at_mut_checked(len)?;
    token::decode_payload(token, rest).ok().map(|(payload, _)| payload.len())
}

/// Room [`decode_in_place`] needs for a token of `len` bytes and its payload.
pub const fn in_place_room(len: usize) -> usize {
    len + token::room(len)
}

/// What went wrong, naming the part that failed, never the token's content. Literals, not
/// `format!`, which keeps `core::fmt` out of the browser wasm.
fn message(err: TokenError) -> &'static str {
    match err {
        TokenError::TooLong => "Invalid token: longer than 65536 bytes",
        TokenError::NotThreeParts => "Invalid token: expected three dot-separated parts (header.payload.signature)",
        TokenError::Missing(Part::Header) => "Invalid token: missing part #1 (header)",
        TokenError::Missing(Part::Payload) => "Invalid token: missing part #2 (payload)",
        TokenError::NotBase64(Part::Header) => "Invalid token: part #1 (header) is not valid base64url",
        TokenError::NotBase64(Part::Payload) => "Invalid token: part #2 (payload) is not valid base64url",
        TokenError::NotUtf8(Part::Header) => "Invalid token: part #1 (header) is not UTF-8",
        TokenError::NotUtf8(Part::Payload) => "Invalid token: part #2 (payload) is not UTF-8",
        TokenError::HeaderNotObject => "Invalid token: part #1 (header) is not a JSON object",
        TokenError::Payload(JsonError::Syntax) => "Invalid token: part #2 (payload) is not valid JSON",
        TokenError::Payload(JsonError::NotObject) => "Invalid token: part #2 (payload) is not a JSON object",
        TokenError::Payload(JsonError::BadTimeClaim("exp")) => "Invalid token: non-numeric or repeated exp claim",
        TokenError::Payload(JsonError::BadTimeClaim("iat")) => "Invalid token: non-numeric or repeated iat claim",
        TokenError::Payload(JsonError::BadTimeClaim(_)) => "Invalid token: non-numeric or repeated nbf claim",
    }
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
    fn decodes_in_place_what_decode_decodes() {
        let huge = format!("{}.{}.sig", "eyJhbGciOiJub25lIn0", "A".repeat(MAX_TOKEN_LEN));
        for token in [BASIC, UTF8, DOUBLE_PAD, SINGLE_PAD, LATIN1, "", "a.b.c", "eyJhbGciOiJub25lIn0.e30x.sig", &huge] {
            let mut scratch = vec![0xAA; in_place_room(token.len())];
            scratch[..token.len()].copy_from_slice(token.as_bytes());
            let expected = decode(token).ok().map(|d| d.payload_json);
            let got = decode_in_place(&mut scratch, token.len()).map(|n| String::from_utf8(scratch[token.len()..][..n].to_vec()).unwrap());
            assert_eq!(got, expected, "{token:.40}");
            assert_eq!(&scratch[..token.len()], token.as_bytes(), "the token is left as written");
        }
        // Without room for the payload, or with `len` past the scratch: no answer, no panic.
        let mut short = BASIC.as_bytes().to_vec();
        assert_eq!(decode_in_place(&mut short, BASIC.len()), None);
        assert_eq!(decode_in_place(&mut short, BASIC.len() + 1), None);
        let mut not_utf8 = b"\xff.e30.sig".to_vec();
        let len = not_utf8.len();
        not_utf8.resize(in_place_room(len), 0);
        assert_eq!(decode_in_place(&mut not_utf8, len), None);
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
