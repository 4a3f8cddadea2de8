//! Building messages without `core::fmt`: `format!` pulls Rust's formatting machinery (several
//! KB, plus panic-message helpers) into the browser wasm, where every byte is downloaded.

/// The parts joined, like `format!("{a}{b}{c}")`.
use alloc::string::String;

pub fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `s` split at every `sep`, like `s.split(char::from(sep))` for an ASCII `sep`. Byte searches,
/// not `str` patterns, to keep core's pattern machinery (and its panic paths) out of the wasm.
pub fn split(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    core::iter::from_fn(move || {
        let current = rest?;
        // One scan per part (a JWT's 300-character signature was searched twice).
        let (part, after) = split_once(current, sep).map_or((current, None), |(before, after)| (before, Some(after)));
        rest = after;
        Some(part)
    })
}

/// Like `s.split_once(char::from(sep))` for an ASCII `sep`.
pub fn split_once(s: &str, sep: u8) -> Option<(&str, &str)> {
    let i = s.bytes().position(|b| b == sep)?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// Like `s.trim()` (Unicode whitespace), decoding forward only: `trim()` also brings core's
/// backward UTF-8 decoder and pattern searchers into the wasm.
pub fn trim(s: &str) -> &str {
    let (mut start, mut end) = (None, 0);
    for (i, c) in s.char_indices() {
        if !c.is_whitespace() {
            start = start.or(Some(i));
            end = i + c.len_utf8();
        }
    }
    start.and_then(|start| s.get(start..end)).unwrap_or("")
}

/// `s` without `prefix`, compared ignoring ASCII case; `None` when `s` does not start with it.
pub fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.get(..prefix.len()).filter(|head| head.eq_ignore_ascii_case(prefix))?;
    s.get(prefix.len()..)
}

/// Whether `s` starts with `http://` or `https://`, in any case.
pub fn is_http_url(s: &str) -> bool {
    strip_prefix_ignore_case(s, "https://").is_some() || strip_prefix_ignore_case(s, "http://").is_some()
}

/// The value of a string of ASCII digits (at least one); `None` for anything else or past
/// `u64::MAX`. Like `s.parse::<u64>()` without its `+` sign and core's parsing code.
pub fn digits(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.bytes().try_fold(0u64, |n, b| n.checked_mul(10)?.checked_add(u64::from(char::from(b).to_digit(10)?)))
}

/// A non-negative integer in decimal, like `n.to_string()`.
pub fn uint(mut n: u64) -> String {
    const DIGITS: &str = "0123456789";
    let mut reversed = [0usize; 20];
    let mut len = 0;
    for slot in reversed.iter_mut() {
        *slot = (n % 10) as usize;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut out = String::with_capacity(len);
    for &d in reversed.iter().take(len).rev() {
        out.push_str(DIGITS.get(d..=d).unwrap_or(""));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_prints_integers() {
        assert_eq!(cat(&["a", "", "bc"]), "abc");
        assert_eq!(cat(&[]), "");
        for n in [0u64, 7, 10, 401, 65535, u64::MAX] {
            assert_eq!(uint(n), n.to_string());
        }
    }

    #[test]
    fn splits_like_str_split() {
        for s in ["", ".", "a", "a.b", ".a.", "a..b", "é.ü.", "...."] {
            assert_eq!(split(s, b'.').collect::<Vec<_>>(), s.split('.').collect::<Vec<_>>(), "{s:?}");
            assert_eq!(split_once(s, b'.'), s.split_once('.'), "{s:?}");
        }
    }

    #[test]
    fn trims_like_str_trim() {
        for s in ["", " ", "a", " a ", "\t a b \n", "\u{a0}x\u{3000}", "é ", " \u{2028}"] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn prefixes_ignore_ascii_case() {
        assert_eq!(strip_prefix_ignore_case("HTTPS://x", "https://"), Some("x"));
        assert_eq!(strip_prefix_ignore_case("http", "https://"), None);
        assert_eq!(strip_prefix_ignore_case("é", "x"), None);
        assert!(is_http_url("Http://a") && is_http_url("https://") && !is_http_url("ftp://a") && !is_http_url("//a"));
    }

    #[test]
    fn reads_digits_like_parse() {
        for s in ["0", "7", "0042", "18446744073709551615"] {
            assert_eq!(digits(s), s.parse::<u64>().ok(), "{s}");
        }
        for bad in ["", "+1", "-1", "1.5", " 1", "1a", "18446744073709551616", "٣"] {
            assert_eq!(digits(bad), None, "{bad:?}");
        }
    }
}
