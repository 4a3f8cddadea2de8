//! Reading the query Spike appends when it sends a user back to the app after connecting a
//! provider: `user_id`, `provider_slug`, and `error` on failure. Works on the raw URL text, so it
//! needs no URL parser in the browser build.

use alloc::string::String;
use alloc::vec::Vec;
use crate::error::SdkError;
use crate::text::{split, split_once};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IntegrationRedirect {
    pub user_id: Option<String>,
    pub provider_slug: Option<String>,
    pub error: Option<String>,
}

/// Percent-decodes one query component (`+` is a space); `None` on bad escapes or non-UTF-8.
fn decode_component(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = |at: usize| bytes.get(at).and_then(|&h| char::from(h).to_digit(16));
                out.push(u8::try_from(hex(i + 1)? * 16 + hex(i + 2)?).ok()?);
                i += 2;
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Parses the return URL (absolute, relative, or just `?query`). Repeated keys keep the first.
pub fn parse_integration_redirect(url: &str) -> Result<IntegrationRedirect, SdkError> {
    let query = split_once(url, b'?').map_or("", |(_, q)| q);
    let query = split_once(query, b'#').map_or(query, |(q, _)| q);
    let mut out = IntegrationRedirect::default();
    for pair in split(query, b'&').filter(|p| !p.is_empty()) {
        let (key, value) = split_once(pair, b'=').unwrap_or((pair, ""));
        let slot = match decode_component(key).as_deref() {
            Some("user_id") => &mut out.user_id,
            Some("provider_slug") => &mut out.provider_slug,
            Some("error") => &mut out.error,
            _ => continue,
        };
        if slot.is_none() {
            let value = decode_component(value)
                .ok_or_else(|| SdkError::invalid_options("integration redirect has a badly encoded parameter"))?;
            *slot = Some(value);
        }
    }
    if out.user_id.is_none() && out.error.is_none() {
        return Err(SdkError::invalid_options(
            "not a Spike integration redirect: expected user_id and provider_slug (or error) in the query",
        ));
    }
    Ok(out)
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
        for bad in ["", "https://app.example.com/", "?provider_slug=x", "?user_id=%zz", "?user_id=%C3", "?user_id=%"] {
            assert_eq!(parse_integration_redirect(bad).unwrap_err().code, crate::error::ErrorCode::InvalidOptions, "{bad}");
        }
    }
}
