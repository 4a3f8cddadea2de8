//! Redirect-URL templates with the documented placeholders.

use super::scheme::check_redirect_target;
use crate::common::error::SdkError;

pub const PLACEHOLDERS: [&str; 3] = ["application_user_id", "provider_slug", "provider_user_id"];

/// Values for the placeholders; a placeholder used by the template must have a value.
#[derive(Clone, Debug, Default)]
pub struct RedirectValues {
    pub application_user_id: Option<String>,
    pub provider_slug: Option<String>,
    pub provider_user_id: Option<String>,
}

impl RedirectValues {
    fn get(&self, name: &str) -> Option<&str> {
        match name {
            "application_user_id" => self.application_user_id.as_deref(),
            "provider_slug" => self.provider_slug.as_deref(),
            "provider_user_id" => self.provider_user_id.as_deref(),
            _ => None,
        }
    }
}

enum Piece<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

/// Splits a template into text and `{placeholder}` pieces; unknown placeholders and stray braces
/// are errors (a typo like `{user_id}` would otherwise ship a broken redirect).
fn pieces(template: &str) -> Result<Vec<Piece<'_>>, SdkError> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        let (text, tail) = rest.split_at(open);
        if tail.starts_with('}') {
            return Err(SdkError::invalid_options("redirect template has a '}' without a matching '{'"));
        }
        let close = tail.find('}').ok_or_else(|| SdkError::invalid_options("redirect template has a '{' without a matching '}'"))?;
        let name = tail.get(1..close).unwrap_or("");
        if !PLACEHOLDERS.contains(&name) {
            return Err(SdkError::invalid_options(format!(
                "unknown placeholder {{{name}}} in redirect template (known: {{application_user_id}}, {{provider_slug}}, {{provider_user_id}})"
            )));
        }
        out.push(Piece::Text(text));
        out.push(Piece::Placeholder(name));
        rest = tail.get(close + 1..).unwrap_or("");
    }
    out.push(Piece::Text(rest));
    Ok(out)
}

/// Checks a template's placeholders without filling it.
pub fn check_template(template: &str) -> Result<(), SdkError> {
    pieces(template).map(|_| ())
}

/// Fills the placeholders, percent-encoding each value like `encodeURIComponent`, and checks the
/// result is an absolute URL of an allowed kind ([`check_redirect_target`]: https, http only for
/// localhost, or an app's own scheme; never `javascript:`, `data:`, `file:`...).
pub fn build_redirect_url(template: &str, values: &RedirectValues) -> Result<String, SdkError> {
    let mut out = String::with_capacity(template.len() + 32);
    for piece in pieces(template)? {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Placeholder(name) => {
                let value = values
                    .get(name)
                    .ok_or_else(|| SdkError::invalid_options(format!("redirect template uses {{{name}}} but no {name} was given")))?;
                encode_component(value, &mut out);
            }
        }
    }
    check_redirect_target(&out)?;
    Ok(out)
}

/// `encodeURIComponent`: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` as UTF-8 %XX.
pub fn encode_component(value: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
            out.push(char::from(HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0')));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> RedirectValues {
        RedirectValues {
            application_user_id: Some("user 1/é&x=y".into()),
            provider_slug: Some("garmin".into()),
            provider_user_id: Some("p#1".into()),
        }
    }

    #[test]
    fn fills_and_encodes() {
        let url =
            build_redirect_url("https://app.example.com/done?u={application_user_id}&p={provider_slug}&pu={provider_user_id}", &values())
                .unwrap();
        assert_eq!(url, "https://app.example.com/done?u=user%201%2F%C3%A9%26x%3Dy&p=garmin&pu=p%231");
        assert_eq!(build_redirect_url("myapp://cb/{provider_slug}", &values()).unwrap(), "myapp://cb/garmin");
    }

    #[test]
    fn refuses_unknown_placeholders_stray_braces_missing_values_and_relative_urls() {
        for bad in ["https://x/{user_id}", "https://x/{", "https://x/}", "https://x/{}", "https://x/{{provider_slug}}"] {
            assert!(build_redirect_url(bad, &values()).is_err(), "{bad}");
            assert!(check_template(bad).is_err(), "{bad}");
        }
        assert!(build_redirect_url("https://x/{provider_slug}", &RedirectValues::default()).is_err());
        assert!(build_redirect_url("/relative/{provider_slug}", &values()).is_err());
    }
}

#[cfg(test)]
mod scheme_tests {
    use super::*;

    #[test]
    fn never_builds_a_script_or_local_url() {
        let values =
            RedirectValues { provider_slug: Some("garmin".into()), application_user_id: Some("javascript".into()), ..Default::default() };
        for bad in [
            "javascript:alert(1)//{provider_slug}",
            "JavaScript:alert(1)//{provider_slug}",
            " \tjavascript:alert(1)//{provider_slug}",
            "\u{0}javascript:alert(1)//{provider_slug}",
            "vbscript:msgbox(1)//{provider_slug}",
            "data:text/html,<script>alert(1)</script>{provider_slug}",
            "blob:https://app.example.com/{provider_slug}",
            "file:///etc/{provider_slug}",
            "about:blank#{provider_slug}",
            "{application_user_id}:alert(1)//{provider_slug}",
            "http://app.example.com/{provider_slug}",
        ] {
            assert!(build_redirect_url(bad, &values).is_err(), "{bad:?}");
        }
        assert!(build_redirect_url("http://localhost:3000/cb/{provider_slug}", &values).is_ok());
        assert!(build_redirect_url("myapp://callback?p={provider_slug}", &values).is_ok());
    }
}
