//! The three secrets the server helpers take (API key, HMAC key, webhook signature key): which
//! forms are accepted, and scrubbing them out of text that came back from the network.
//!
//! A key read from a secrets file or an environment file often carries a trailing newline (or a
//! space, a `\r`, a BOM). `fetch` trims header values, so the API sees the trimmed key, and when
//! it quotes that key back a redaction that looks for the untrimmed string finds nothing. Rather
//! than guess which form is meant, a key that starts or ends with whitespace or a control
//! character is refused with `invalid_options` (the message names the option, never the key),
//! the same way for all three secrets. Redaction then covers every form that can reach the wire.

use crate::common::error::SdkError;
use crate::server::template::encode_component;

/// What replaces a secret (or any long enough piece of it) in a message.
pub const REDACTED: &str = "[redacted]";
/// Any run of this many characters of a secret is scrubbed, not only the whole secret, so an API
/// that quotes a prefix (`unknown key sk_test_0123...`) does not leak it either.
pub const MIN_LEAK_CHARS: usize = 8;
/// Longer than any real Spike API key; keeps the redaction (quadratic in the worst case) cheap
/// and a megabyte "key" out of request headers.
pub const MAX_API_KEY_CHARS: usize = 4096;

/// Whitespace (Unicode), control characters and the byte-order mark: what files and copy-paste
/// add around a key.
pub fn is_padding(c: char) -> bool {
    c.is_whitespace() || c.is_control() || c == '\u{feff}'
}

/// Refuses an empty key and a key that starts or ends with whitespace or a control character.
/// `name` is the option's name (`apiKey`, `hmacKey`, `signatureKey`); the key is never printed.
pub fn check_key(key: &str, name: &str) -> Result<(), SdkError> {
    if key.trim_matches(is_padding).is_empty() {
        return Err(SdkError::invalid_options(format!("{name} is required: a non-empty string (kept on the server)")));
    }
    if key.starts_with(is_padding) || key.ends_with(is_padding) {
        return Err(SdkError::invalid_options(format!(
            "{name} starts or ends with whitespace or a control character (often the newline at the end of a \
             secrets file); pass it trimmed, e.g. {name}.trim(). The key is not shown here"
        )));
    }
    Ok(())
}

/// [`check_key`] plus what an HTTP header can carry: no control characters anywhere, and a sane
/// length.
pub fn check_api_key(key: &str) -> Result<(), SdkError> {
    check_key(key, "apiKey")?;
    if key.chars().any(char::is_control) {
        return Err(SdkError::invalid_options(
            "apiKey contains a control character, which cannot be sent in an HTTP header. The key is not shown here",
        ));
    }
    if key.chars().count() > MAX_API_KEY_CHARS {
        return Err(SdkError::invalid_options("apiKey is longer than 4096 characters, which no Spike API key is"));
    }
    Ok(())
}

/// Every form in which `secret` may come back in a response: as given, trimmed, and each of
/// those percent-encoded (`encodeURIComponent`, as when it is quoted in a URL), with upper- and
/// with lower-case hex digits (servers write either).
fn forms(secret: &str) -> Vec<Vec<char>> {
    let trimmed = secret.trim_matches(is_padding);
    let mut out: Vec<String> = Vec::with_capacity(6);
    for form in [secret, trimmed] {
        let mut encoded = String::with_capacity(form.len() * 3);
        encode_component(form, &mut encoded);
        let lower = lowercase_escapes(&encoded);
        for candidate in [form.to_owned(), encoded, lower] {
            if !candidate.is_empty() && !out.contains(&candidate) {
                out.push(candidate);
            }
        }
    }
    out.into_iter().map(|s| s.chars().collect()).collect()
}

/// `%2F` -> `%2f`: the two characters after each `%` in lower case.
fn lowercase_escapes(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut after_percent = 0;
    for c in encoded.chars() {
        if after_percent > 0 {
            out.push(c.to_ascii_lowercase());
            after_percent -= 1;
        } else {
            out.push(c);
            if c == '%' {
                after_percent = 2;
            }
        }
    }
    out
}

/// Marks in `mask` every character of `text` inside a run of at least `min(MIN_LEAK_CHARS, len)`
/// characters that also occurs in `form` (longest common substrings by dynamic programming:
/// `run[j]` is the length of the common run ending at `text[i]` and `form[j]`).
fn mark(text: &[char], form: &[char], mask: &mut [bool]) {
    let threshold = MIN_LEAK_CHARS.min(form.len());
    let mut prev = vec![0usize; form.len() + 1];
    let mut run = vec![0usize; form.len() + 1];
    for (i, t) in text.iter().enumerate() {
        for (j, f) in form.iter().enumerate() {
            let len = if t == f { prev.get(j).copied().unwrap_or(0) + 1 } else { 0 };
            if let Some(slot) = run.get_mut(j + 1) {
                *slot = len;
            }
            if len >= threshold {
                for m in mask.iter_mut().take(i + 1).skip((i + 1).saturating_sub(len)) {
                    *m = true;
                }
            }
        }
        std::mem::swap(&mut prev, &mut run);
    }
}

/// `text` with every form of every secret, and every run of [`MIN_LEAK_CHARS`] or more of their
/// characters, replaced by [`REDACTED`]. Secrets shorter than 4 characters are not real keys and
/// would blank ordinary words, so they are left out.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut mask = vec![false; chars.len()];
    for secret in secrets.iter().filter(|s| s.trim_matches(is_padding).chars().count() >= 4) {
        for form in forms(secret) {
            mark(&chars, &form, &mut mask);
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut in_secret = false;
    for (c, hidden) in chars.iter().zip(mask.iter()) {
        if *hidden {
            if !in_secret {
                out.push_str(REDACTED);
            }
        } else {
            out.push(*c);
        }
        in_secret = *hidden;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::error::ErrorCode;

    const KEY: &str = "sk_test_0123456789abcdef";

    fn windows(key: &str) -> Vec<String> {
        let chars: Vec<char> = key.chars().collect();
        chars.windows(MIN_LEAK_CHARS).map(|w| w.iter().collect()).collect()
    }

    #[test]
    fn lower_case_percent_escapes_are_redacted_too() {
        let key = "abc/def/ghi/jkl/mno/pqr/stu";
        for quoted in ["abc%2Fdef%2Fghi%2Fjkl%2Fmno%2Fpqr%2Fstu", "abc%2fdef%2fghi%2fjkl%2fmno%2fpqr%2fstu"] {
            let out = redact(&format!("unknown key {quoted}"), &[key]);
            assert!(!out.contains("%2f") && !out.contains("%2F") && !out.contains("def"), "{out}");
        }
    }

    #[test]
    fn padded_keys_are_refused_without_being_printed() {
        for padded in [
            format!("{KEY}\n"),
            format!("{KEY}\r\n"),
            format!("{KEY} "),
            format!("{KEY}\t"),
            format!(" {KEY}"),
            format!("\u{feff}{KEY}"),
            format!("{KEY}\u{0}"),
            format!("{KEY}\u{a0}"),
            format!("{KEY}\u{2028}"),
        ] {
            for name in ["apiKey", "hmacKey", "signatureKey"] {
                let err = check_key(&padded, name).unwrap_err();
                assert_eq!(err.code, ErrorCode::InvalidOptions);
                assert!(err.message.starts_with(name), "{}", err.message);
                for w in windows(KEY) {
                    assert!(!err.message.contains(&w), "{}", err.message);
                }
            }
            assert!(check_api_key(&padded).is_err());
        }
        for blank in ["", " ", "\n", "\u{feff}"] {
            assert!(check_key(blank, "hmacKey").unwrap_err().message.contains("required"));
        }
        assert_eq!(check_key(KEY, "apiKey"), Ok(()));
        assert_eq!(check_key("a b\nc", "hmacKey"), Ok(()), "inside an HMAC key anything goes");
        assert!(check_api_key("sk_a\nb").is_err(), "a header cannot carry a control character");
        assert!(check_api_key(&"k".repeat(MAX_API_KEY_CHARS + 1)).is_err());
        assert_eq!(check_api_key(KEY), Ok(()));
    }

    #[test]
    fn every_form_and_every_long_piece_is_redacted() {
        let key = "sk_live/AB+cd=ef%_0123456789";
        for quoted in [
            key.to_owned(),
            format!(" {key}\n"),
            "sk_live%2FAB%2Bcd%3Def%25_0123456789".to_owned(),
            key.get(..12).unwrap_or_default().to_owned(),
            key.get(key.len() - 9..).unwrap_or_default().to_owned(),
        ] {
            let text = format!("unknown key {quoted}!");
            let out = redact(&text, &[&format!("{key}\n")]);
            assert!(out.starts_with("unknown key") && out.contains("[redacted]"), "{out}");
            for w in windows(key) {
                assert!(!out.contains(&w), "{out}");
            }
        }
        assert_eq!(redact("unknown key sk_test_0123 and sk_t", &[KEY]), "unknown key [redacted] and sk_t");
        assert_eq!(redact("héllo wörld", &[KEY]), "héllo wörld");
        assert_eq!(redact("é sk_test_0123456789abcdef é", &[KEY]), "é [redacted] é");
        assert_eq!(redact("a kk b", &["k"]), "a kk b", "not a key: nothing blanked");
        assert_eq!(redact("", &[KEY]), "");
    }
}
