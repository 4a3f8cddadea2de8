//! Which URLs may be redirect targets: `https:`, `http:` only for `localhost` / `127.0.0.1`
//! (development), or an app's own deep-link scheme (`myapp://callback`). Script-capable and local
//! schemes are refused everywhere, even when an admin listed them: a redirect to `javascript:` or
//! `data:` runs attacker text in the app's origin, `file:` / `blob:` / `about:` reach local or
//! origin-bound content.

use crate::common::error::SdkError;

/// Never a redirect target, in any case, behind any leading whitespace or control characters.
pub const DANGEROUS: [&str; 8] = ["javascript", "vbscript", "data", "blob", "file", "about", "filesystem", "view-source"];

/// WHATWG "special" schemes other than http(s): real network schemes, never an app's deep link.
pub const NOT_DEEP_LINKS: [&str; 3] = ["ftp", "ws", "wss"];

/// Hosts for which plain `http:` is accepted (local development).
pub const LOOPBACK_HOSTS: [&str; 2] = ["localhost", "127.0.0.1"];

/// `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
pub fn is_scheme(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic()) && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// The scheme a browser would act on, lowercased: leading whitespace and control characters
/// dropped (WHATWG drops leading C0 controls and spaces; we also drop Unicode spaces and the BOM,
/// to be safe), tabs and newlines removed anywhere (WHATWG does). `None` when there is none.
pub fn effective_scheme(url: &str) -> Option<String> {
    let start = url.trim_start_matches(|c: char| c.is_whitespace() || c.is_control() || c == '\u{feff}');
    let mut scheme = String::new();
    for c in start.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')) {
        if c == ':' {
            return is_scheme(&scheme).then(|| scheme.to_ascii_lowercase());
        }
        if scheme.len() > 64 {
            return None;
        }
        scheme.push(c);
    }
    None
}

/// Whether the URL would be opened with a script-capable or local scheme.
pub fn is_dangerous(url: &str) -> bool {
    effective_scheme(url).is_some_and(|s| is_dangerous_scheme(&s))
}

/// Whether a (lowercase) scheme name is one of [`DANGEROUS`].
pub fn is_dangerous_scheme(scheme: &str) -> bool {
    DANGEROUS.contains(&scheme)
}

/// Whether a (lowercase) scheme may be listed as an app's own deep-link scheme.
pub fn is_deep_link_scheme(scheme: &str) -> bool {
    is_scheme(scheme) && !is_dangerous_scheme(scheme) && !NOT_DEEP_LINKS.contains(&scheme) && scheme != "http" && scheme != "https"
}

/// `buildRedirectUrl`'s check of its result (and so `validateAppSettings`' of the default
/// redirect URL): an absolute URL of an allowed kind, with nothing a browser would silently strip.
pub fn check_redirect_target(url: &str) -> Result<(), SdkError> {
    if url.chars().any(char::is_control) || url.starts_with(char::is_whitespace) || url.ends_with(char::is_whitespace) {
        return Err(SdkError::invalid_options("redirect URL must not contain control characters or start or end with whitespace"));
    }
    if let Some(scheme) = effective_scheme(url).filter(|s| is_dangerous_scheme(s)) {
        return Err(SdkError::invalid_options(format!(
            "redirect URL uses the {scheme}: scheme, which can run script or open local content; use https: \
             (http: only for localhost), or your app's own scheme such as myapp://"
        )));
    }
    let parsed = url::Url::parse(url).map_err(|_| SdkError::invalid_options("redirect template does not give an absolute URL"))?;
    match parsed.scheme() {
        "https" if parsed.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
        "http" if parsed.host_str().is_some_and(|h| LOOPBACK_HOSTS.contains(&h)) => Ok(()),
        "http" => Err(SdkError::invalid_options("redirect URL uses http: for a host other than localhost or 127.0.0.1; use https:")),
        s if is_deep_link_scheme(s) => Ok(()),
        _ => Err(SdkError::invalid_options(
            "redirect URL must be https: (http: only for localhost), or your app's own scheme such as myapp://",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_scheme_a_browser_would_use() {
        assert_eq!(effective_scheme("https://a.com/").as_deref(), Some("https"));
        assert_eq!(effective_scheme(" \u{1}\u{feff}JaVa\tScRi\npt:alert(1)").as_deref(), Some("javascript"));
        assert_eq!(effective_scheme("myapp://cb").as_deref(), Some("myapp"));
        assert_eq!(effective_scheme("/relative"), None);
        assert_eq!(effective_scheme("no scheme here"), None);
        assert_eq!(effective_scheme("1http://x"), None);
    }

    #[test]
    fn refuses_dangerous_schemes_in_any_disguise() {
        for scheme in DANGEROUS {
            let upper = scheme.to_ascii_uppercase();
            for prefix in ["", " ", "\t", "\n", "\u{0}", "\u{1f}", "\u{a0}", "\u{feff}", " \r\n "] {
                for name in [scheme.to_owned(), upper.clone()] {
                    let url = format!("{prefix}{name}:alert(1)//x");
                    assert!(is_dangerous(&url), "{url:?}");
                    assert!(check_redirect_target(&url).is_err(), "{url:?}");
                }
            }
            assert!(check_redirect_target(&format!("{scheme}://x/")).unwrap_err().message.contains(scheme));
        }
        assert!(is_dangerous("java\tscript:alert(1)"));
    }

    #[test]
    fn allows_https_local_http_and_deep_links() {
        for ok in [
            "https://app.example.com/cb",
            "http://localhost:3000/cb",
            "http://127.0.0.1:8080/",
            "myapp://callback",
            "com.example.app:/oauth",
        ] {
            assert_eq!(check_redirect_target(ok), Ok(()), "{ok}");
        }
        for bad in ["http://app.example.com/", "ftp://x/", "wss://x/", "//x/", "/x", " https://a.com/", "https://a.com/\n"] {
            assert!(check_redirect_target(bad).is_err(), "{bad}");
        }
        assert!(is_deep_link_scheme("myapp") && !is_deep_link_scheme("https") && !is_deep_link_scheme("data"));
    }
}
