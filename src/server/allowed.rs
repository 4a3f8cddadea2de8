//! The allowed-redirect-domain check: is this URL one the app may send users back to?
//!
//! Parsing is WHATWG (the `url` crate), the same as browsers, so what we approve is what the
//! browser will visit. On top of that, inputs that only an attacker writes are refused outright:
//! userinfo (`https://good.com@evil.com`), backslashes (browsers read them as slashes), control
//! characters and whitespace, and percent-escapes in the authority (`good.com%2f@evil.com`).
//!
//! What an entry admits (README "Redirects and settings" says the same):
//! - `app.example.com` / `*.example.com`: `https:` on the default port only. `http:` only when the
//!   host is `localhost` or `127.0.0.1` (development). Another port must be listed: `host:8443`.
//! - `myapp://` / `myapp://auth`: that deep-link scheme (any host, or that host).
//! - Script-capable and local schemes (`javascript:`, `data:`, `file:`... see
//!   [`super::scheme::DANGEROUS`]) are never admitted, and an entry naming one is malformed.

use url::Url;

use super::scheme::{is_dangerous, is_deep_link_scheme, is_scheme, LOOPBACK_HOSTS};

/// One entry of the allow-list.
#[derive(Debug, PartialEq, Eq)]
enum Rule {
    /// `example.com` or `example.com:8443`: that host exactly, on that port (the scheme's default
    /// port when none is given).
    Host { host: String, port: Option<u16> },
    /// `*.example.com`: any subdomain, not `example.com` itself, on the default port.
    Subdomains(String),
    /// `myapp://` or `myapp://auth`: a custom scheme (mobile deep link), optionally one host.
    Scheme { scheme: String, host: Option<String> },
}

fn is_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// A lowercase DNS name (or `localhost`, or an IPv4 literal): labels of letters, digits, hyphens.
pub fn is_domain_name(name: &str) -> bool {
    name.len() <= 253 && name.split('.').all(is_label)
}

/// Parses one allow-list entry; `None` when it is malformed.
fn rule(entry: &str) -> Option<Rule> {
    let entry = entry.trim().to_ascii_lowercase();
    if let Some((scheme, host)) = entry.split_once("://") {
        if !is_deep_link_scheme(scheme) {
            return None;
        }
        let host = host.trim_end_matches('/');
        return match host {
            "" => Some(Rule::Scheme { scheme: scheme.to_owned(), host: None }),
            h if is_domain_name(h) => Some(Rule::Scheme { scheme: scheme.to_owned(), host: Some(h.to_owned()) }),
            _ => None,
        };
    }
    if let Some(base) = entry.strip_prefix("*.") {
        return (is_domain_name(base) && base.contains('.')).then(|| Rule::Subdomains(base.to_owned()));
    }
    let (host, port) = match entry.rsplit_once(':') {
        Some((h, p)) => (h, Some(p.parse::<u16>().ok().filter(|p| *p > 0)?)),
        None => (entry.as_str(), None),
    };
    is_domain_name(host).then(|| Rule::Host { host: host.to_owned(), port })
}

/// Whether an allow-list entry is well-formed (used by `validateAppSettings`).
pub fn is_valid_entry(entry: &str) -> bool {
    rule(entry).is_some()
}

/// What is wrong with an allow-list entry, for `validateAppSettings`; `None` when it is fine.
pub fn entry_problem(entry: &str) -> Option<&'static str> {
    if is_valid_entry(entry) {
        return None;
    }
    let scheme = entry.split_once("://").and_then(|(scheme, _)| super::scheme::effective_scheme(&format!("{scheme}:")));
    Some(if scheme.is_some_and(|s| super::scheme::is_dangerous_scheme(&s)) {
        "names a script-capable or local scheme (javascript:, data:, file:...), which is never a safe redirect target"
    } else {
        "must be a domain (example.com, *.example.com, host:port) or a custom scheme (myapp://)"
    })
}

/// The raw text between `scheme://` and the path: where `%2f`-style tricks live. Only a `//`
/// right after the scheme starts an authority; a `://` later in the path, query or fragment
/// does not (the fuzzer found that mix-up).
pub fn raw_authority(url: &str) -> &str {
    let Some((scheme, rest)) = url.split_once(':') else { return "" };
    if !is_scheme(scheme) {
        return "";
    }
    rest.strip_prefix("//").map_or("", |after| after.split(['/', '?', '#']).next().unwrap_or(""))
}

/// `isAllowedRedirect`: never panics, never errors; anything doubtful is `false`.
pub fn is_allowed_redirect(url: &str, allowed: &[String]) -> bool {
    if url.is_empty() || url.len() > 8192 || url.bytes().any(|b| b <= b' ' || b == b'\\' || b == 0x7f) || is_dangerous(url) {
        return false;
    }
    // Any '@' (even an empty `:@` userinfo, which the parser reports as no userinfo at all) and
    // any escape in the authority are refused outright.
    if raw_authority(url).contains(['%', '@']) {
        return false;
    }
    let Ok(parsed) = Url::parse(url) else {
        return false;
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return false;
    }
    let host = parsed.host_str().map(str::to_ascii_lowercase);
    let rules: Vec<Rule> = allowed.iter().filter_map(|e| rule(e)).collect();
    match parsed.scheme() {
        scheme @ ("http" | "https") => {
            let Some(host) = host else { return false };
            if scheme == "http" && !LOOPBACK_HOSTS.contains(&host.as_str()) {
                return false;
            }
            // `port()` is None for the scheme's default port, however it was written.
            let port = parsed.port();
            rules.iter().any(|r| match r {
                Rule::Host { host: h, port: listed } => {
                    *h == host
                        && match listed {
                            None => port.is_none(),
                            Some(p) => parsed.port_or_known_default() == Some(*p),
                        }
                }
                Rule::Subdomains(base) => {
                    port.is_none() && host.strip_suffix(base.as_str()).is_some_and(|sub| sub.len() > 1 && sub.ends_with('.'))
                }
                Rule::Scheme { .. } => false,
            })
        }
        scheme => rules.iter().any(|r| match r {
            Rule::Scheme { scheme: s, host: None } => s == scheme,
            Rule::Scheme { scheme: s, host: Some(h) } => s == scheme && host.as_deref() == Some(h.as_str()),
            _ => false,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed() -> Vec<String> {
        ["app.example.com", "*.example.org", "localhost:3000", "myapp://", "other://auth"].map(String::from).to_vec()
    }

    #[test]
    fn allows_listed_hosts() {
        for ok in [
            "https://app.example.com/done",
            "https://APP.Example.com/x?y=1#z",
            "https://app.example.com:443/explicit-default-port",
            "https://a.example.org/",
            "https://a.b.example.org/",
            "http://localhost:3000/cb",
            "myapp://callback?user_id=1",
            "myapp:/x",
            "other://auth/path",
            "https://app.example.com/cb?next=%2Fhome",
        ] {
            assert!(is_allowed_redirect(ok, &allowed()), "{ok}");
        }
    }

    #[test]
    fn refuses_adversarial_urls() {
        for bad in [
            "https://evil.com/",
            "https://app.example.com.evil.com/",
            "https://evilapp.example.com/",
            "https://app.example.com@evil.com/",
            "https://evil.com@app.example.com/",
            "https://user:pw@app.example.com/",
            "https://:@app.example.com/",
            "https://@app.example.com/",
            "other://:@auth/",
            "https://evil.com\\@app.example.com/",
            "https:\\\\evil.com\\app.example.com",
            "https://app.example.com%2f@evil.com/",
            "https://evil.com%2f.app.example.com/",
            "https://app.example.com%2Eevil.com/",
            "https://example.org/",
            "https://aexample.org/",
            "https://аpp.example.com/",
            "https://app.example.com./",
            "http://localhost:3001/",
            "http://localhost/",
            "http://APP.Example.com/x?y=1#z",
            "https://app.example.com:8443/",
            "https://a.example.org:8443/",
            "javascript:alert(1)//app.example.com",
            "data:text/html,app.example.com",
            "//app.example.com/",
            "/relative",
            "app.example.com",
            " https://app.example.com/",
            "https://app.example.com/\n",
            "https://app.exa\tmple.com/",
            "ftp://app.example.com/",
            "other://evil",
            "",
        ] {
            assert!(!is_allowed_redirect(bad, &allowed()), "{bad:?}");
        }
    }

    #[test]
    fn only_a_leading_double_slash_starts_the_authority() {
        assert_eq!(raw_authority("https://a.com/x?u=https://b%2f"), "a.com");
        assert_eq!(raw_authority("myapp:/cb?next=https://x%2fy"), "");
        assert_eq!(raw_authority("myapp://auth/p"), "auth");
        assert_eq!(raw_authority("no scheme://x"), "");
        let list = ["myapp://".to_owned()];
        assert!(is_allowed_redirect("myapp:/cb?next=https://x%2fy", &list));
        assert!(is_allowed_redirect("myap:/a//\"#\"&myhttps://k@ops", &["myap://".to_owned()]));
    }

    #[test]
    fn malformed_entries_are_ignored_and_reported() {
        for bad in ["", "*.", "*.com", "https://example.com", "exa mple.com", "-a.com", "a..com", "host:0", "host:99999", "http://"] {
            assert!(!is_valid_entry(bad), "{bad}");
        }
        assert!(!is_allowed_redirect("https://a.com/", &["*.com".to_owned()]));
        for good in ["example.com", "*.example.com", "localhost:3000", "myapp://", "my.app-x://cb", "127.0.0.1"] {
            assert!(is_valid_entry(good), "{good}");
        }
    }

    #[test]
    fn dangerous_schemes_are_never_admitted_even_when_listed() {
        for scheme in crate::server::scheme::DANGEROUS {
            for entry in [format!("{scheme}://"), format!("{}://", scheme.to_ascii_uppercase()), format!("  {scheme}://x")] {
                assert!(!is_valid_entry(&entry), "{entry}");
                for url in
                    [format!("{scheme}://x/%0aalert(1)"), format!("{}://x/", scheme.to_ascii_uppercase()), format!("{scheme}:alert(1)")]
                {
                    assert!(!is_allowed_redirect(&url, std::slice::from_ref(&entry)), "{url} by {entry}");
                }
            }
        }
        assert!(!is_allowed_redirect("javascript://x/%0aalert(1)", &["javascript://".to_owned()]));
        for other in ["ftp://", "ws://", "wss://"] {
            assert!(!is_valid_entry(other), "{other}");
        }
    }

    #[test]
    fn entries_without_scheme_or_port_admit_https_on_the_default_port_only() {
        let list = ["app.example.com".to_owned(), "localhost".to_owned(), "127.0.0.1:8080".to_owned(), "api.example.com:8443".to_owned()];
        for (url, ok) in [
            ("https://app.example.com/", true),
            ("http://app.example.com/", false),
            ("https://app.example.com:8443/", false),
            ("http://app.example.com:8443/", false),
            ("https://api.example.com:8443/", true),
            ("https://api.example.com/", false),
            ("http://api.example.com:8443/", false),
            ("http://localhost/", true),
            ("https://localhost/", true),
            ("http://localhost:3000/", false),
            ("http://127.0.0.1:8080/", true),
            ("http://127.0.0.1/", false),
        ] {
            assert_eq!(is_allowed_redirect(url, &list), ok, "{url}");
        }
    }
}
