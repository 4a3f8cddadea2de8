//! Webhook signature checks and event parsing.
//!
//! Spike signs the raw body with HMAC-SHA256 and sends it hex-encoded in `X-Body-Signature`.
//! A malformed header is simply "not verified" (`false`), never an error: the caller's only
//! sensible reaction to both is a 401.

use hmac::Mac;
use serde::{Deserialize, Serialize};

use super::signature::mac;
use crate::common::error::SdkError;

/// Parses the header: 64 hex digits, either case, optionally prefixed `sha256=`, surrounding
/// whitespace ignored. Anything else is `None`.
pub fn parse_signature_header(header: &str) -> Option<[u8; 32]> {
    let hex = header.trim();
    let hex = hex.strip_prefix("sha256=").unwrap_or(hex).as_bytes();
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        let (hi, lo) = match pair {
            [hi, lo] => (hex_value(*hi)?, hex_value(*lo)?),
            _ => return None,
        };
        *byte = hi << 4 | lo;
    }
    Some(out)
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Whether `header` is the HMAC-SHA256 of `body` under `key`; compared in constant time.
pub fn verify(key: &[u8], body: &[u8], header: &str) -> bool {
    let Some(expected) = parse_signature_header(header) else {
        return false;
    };
    let mut m = mac(key);
    m.update(body);
    m.verify_slice(&expected).is_ok()
}

/// Whether `computed` (an HMAC-SHA256 someone else computed, e.g. node:crypto) matches the
/// header, compared in constant time.
pub fn header_matches(header: &str, computed: &[u8]) -> bool {
    let Some(expected) = parse_signature_header(header) else {
        return false;
    };
    computed.len() == expected.len() && expected.iter().zip(computed).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
}

/// One webhook event, as documented. Unknown event types are kept (as their string) so that a
/// new kind of event from Spike does not make the webhook endpoint fail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebhookEvent {
    pub application_user_id: String,
    pub event_type: String,
    pub timestamp: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_types: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earliest_record_start_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_record_end_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Body {
    Many(Vec<WebhookEvent>),
    Wrapped { events: Vec<WebhookEvent> },
    One(WebhookEvent),
}

/// Parses a webhook body: an array of events, `{ "events": [...] }`, or a single event.
pub fn parse_events(body: &str) -> Result<Vec<WebhookEvent>, SdkError> {
    let parsed: Body = serde_json::from_str(body).map_err(|_| {
        SdkError::invalid_options("webhook body is not JSON events (each needs application_user_id, event_type and timestamp strings)")
    })?;
    Ok(match parsed {
        Body::Many(events) | Body::Wrapped { events } => events,
        Body::One(event) => vec![event],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::signature::{hmac_sha256, to_hex};

    #[test]
    fn verifies_hex_in_either_case_with_optional_prefix() {
        let key = b"whsec_0123456789abcdef";
        let body = br#"[{"event_type":"record_change"}]"#;
        let sig = to_hex(&hmac_sha256(key, body));
        assert!(verify(key, body, &sig));
        assert!(verify(key, body, &sig.to_uppercase()));
        assert!(verify(key, body, &format!("  sha256={sig}\n")));
        assert!(!verify(key, b"tampered", &sig));
        assert!(!verify(b"other key", body, &sig));
    }

    #[test]
    fn malformed_headers_are_false() {
        let key = b"k";
        let sig = to_hex(&hmac_sha256(key, b""));
        let almost = format!("{}g", sig.get(..63).unwrap());
        for bad in ["", " ", "sha256=", "abc", &sig[..62], &format!("{sig}00"), &almost, "é".repeat(32).as_str()] {
            assert!(!verify(key, b"", bad), "{bad:?}");
        }
    }

    #[test]
    fn parses_event_shapes() {
        let one = r#"{"application_user_id":"u1","event_type":"record_change","timestamp":"2026-01-01T00:00:00Z","provider_slug":"garmin","metrics":["steps"],"activity_types":["run"],"earliest_record_start_at":"2025-12-31T00:00:00Z","latest_record_end_at":"2026-01-01T00:00:00Z"}"#;
        let events = parse_events(one).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].metrics.as_deref(), Some(&["steps".to_owned()][..]));
        assert_eq!(parse_events(&format!("[{one},{one}]")).unwrap().len(), 2);
        assert_eq!(parse_events(&format!(r#"{{"events":[{one}]}}"#)).unwrap().len(), 1);
        let future = r#"[{"application_user_id":"u","event_type":"something_new","timestamp":"t"}]"#;
        assert_eq!(parse_events(future).unwrap()[0].event_type, "something_new");
        for bad in ["", "{", "[1]", r#"{"event_type":"record_change"}"#, r#"[{"application_user_id":1,"event_type":"x","timestamp":"t"}]"#]
        {
            assert!(parse_events(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn header_matches_compares_a_computed_mac() {
        let mac = crate::server::signature::hmac_sha256(b"key", b"body");
        let header = crate::server::signature::to_hex(&mac);
        assert!(header_matches(&header, &mac));
        assert!(header_matches(&format!("sha256={}", header.to_uppercase()), &mac));
        let mut other = mac;
        other[31] ^= 1;
        assert!(!header_matches(&header, &other));
        assert!(!header_matches(&header, &mac[..31]));
        assert!(!header_matches("zz", &mac));
    }
}
