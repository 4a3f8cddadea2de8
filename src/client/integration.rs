//! Reading the query Spike appends when it sends a user back to the app after connecting a
//! provider: `user_id`, `provider_slug`, and `error` on failure. Works on the raw URL text, so it
//! needs no URL parser in the browser build.

use crate::common::error::SdkError;
use crate::common::text::{split, split_once};
use alloc::string::String;
use alloc::vec::Vec;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IntegrationRedirect {
    pub user_id: Option<String>,
    pub provider_slug: Option<String>,
    pub error: Option<String>,
}

/// Percent-decodes one query component as `URLSearchParams` does: `+` is a space, `%XX` is a
/// byte, and a `%` not followed by two hex digits is kept as it is (a stray `%` in an error text
/// must not lose the whole redirect).
fn decode_bytes(raw: &str) -> Vec<u8> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |at: usize| bytes.get(at).and_then(|&h| char::from(h).to_digit(16));
        let escaped = if b == b'%' { hex(i + 1).zip(hex(i + 2)).and_then(|(hi, lo)| u8::try_from(hi * 16 + lo).ok()) } else { None };
        match (b, escaped) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 2;
            }
            (b'+', _) => out.push(b' '),
            _ => out.push(b),
        }
        i += 1;
    }
    out
}

/// Identifiers (`user_id`, `provider_slug`) must decode to UTF-8: replacing bad bytes with U+FFFD,
/// as `URLSearchParams` does, could turn two different IDs into one, so they are refused instead.
fn decode_strict(raw: &str) -> Option<String> {
    crate::common::text::utf8(decode_bytes(raw))
}

/// Display text (`error`) decodes leniently, exactly like `URLSearchParams` (bad bytes -> U+FFFD).
fn decode_lenient(raw: &str) -> String {
    crate::common::text::decode_utf8(&decode_bytes(raw)).0
}

/// Parses the return URL (absolute, relative, or just `?query`). Repeated keys keep the first.
pub fn parse_integration_redirect(url: &str) -> Result<IntegrationRedirect, SdkError> {
    let query = split_once(url, b'?').map_or("", |(_, q)| q);
    let query = split_once(query, b'#').map_or(query, |(q, _)| q);
    let mut out = IntegrationRedirect::default();
    for pair in split(query, b'&').filter(|p| !p.is_empty()) {
        let (key, value) = split_once(pair, b'=').unwrap_or((pair, ""));
        match decode_lenient(key).as_str() {
            "user_id" if out.user_id.is_none() => out.user_id = Some(strict(value)?),
            "provider_slug" if out.provider_slug.is_none() => out.provider_slug = Some(strict(value)?),
            "error" if out.error.is_none() => out.error = Some(decode_lenient(value)),
            _ => {}
        }
    }
    if out.user_id.is_none() && out.error.is_none() {
        return Err(SdkError::invalid_options(
            "not a Spike integration redirect: expected user_id and provider_slug (or error) in the query",
        ));
    }
    Ok(out)
}

fn strict(value: &str) -> Result<String, SdkError> {
    decode_strict(value)
        .ok_or_else(|| SdkError::invalid_options("integration redirect has a user_id or provider_slug that is not UTF-8 once decoded"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_success_and_failure() {
        let ok = parse_integration_redirect("https://app.example.com/done?user_id=u%201&provider_slug=garmin#x").unwrap();
        assert_eq!(ok, IntegrationRedirect { user_id: Some("u 1".into()), provider_slug: Some("garmin".into()), error: None });
        let failed = parse_integration_redirect("/done?error=access_denied&provider_slug=fitbit&user_id=u+2").unwrap();
        assert_eq!(failed.error.as_deref(), Some("access_denied"));
        assert_eq!(failed.user_id.as_deref(), Some("u 2"));
        let first = parse_integration_redirect("?user_id=a&user_id=b&provider_slug=%C3%A9").unwrap();
        assert_eq!((first.user_id.as_deref(), first.provider_slug.as_deref()), (Some("a"), Some("é")));
    }

    #[test]
    fn refuses_what_is_not_a_redirect() {
        for bad in
            ["", "https://app.example.com/", "?provider_slug=x", "?user_id=%C3", "?user_id=u&provider_slug=%FF", "?error=x&user_id=%E2%82"]
        {
            assert_eq!(parse_integration_redirect(bad).unwrap_err().code, crate::common::error::ErrorCode::InvalidOptions, "{bad}");
        }
    }

    #[test]
    fn a_stray_percent_is_kept_as_url_search_params_does() {
        let r = parse_integration_redirect("https://app.example.com/done?user_id=u1&provider_slug=garmin&error=quota%20at%20100%").unwrap();
        assert_eq!(
            r,
            IntegrationRedirect { user_id: Some("u1".into()), provider_slug: Some("garmin".into()), error: Some("quota at 100%".into()) }
        );
        for (query, error) in [
            ("%zz", "%zz"),
            ("%", "%"),
            ("%2", "%2"),
            ("100%25", "100%"),
            ("%%41", "%A"),
            ("%E2%82", "\u{fffd}"),
            ("a%2", "a%2"),
            ("%g0+x", "%g0 x"),
        ] {
            let r = parse_integration_redirect(&format!("?error={query}")).unwrap();
            assert_eq!(r.error.as_deref(), Some(error), "{query}");
        }
        assert_eq!(parse_integration_redirect("?user_id=%zz").unwrap().user_id.as_deref(), Some("%zz"));
        assert_eq!(parse_integration_redirect("?user_id=%").unwrap().user_id.as_deref(), Some("%"));
    }
}
