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

/// The value of ASCII digits (at least one; text or bytes); `None` for anything else or past
/// `u64::MAX`. Like `s.parse::<u64>()` without its `+` sign and core's parsing code.
pub fn digits(s: &(impl AsRef<[u8]> + ?Sized)) -> Option<u64> {
    let bytes = s.as_ref();
    if bytes.is_empty() {
        return None;
    }
    bytes.iter().try_fold(0u64, |n, &b| n.checked_mul(10)?.checked_add(u64::from(char::from(b).to_digit(10)?)))
}

/// A non-negative integer in decimal, like `n.to_string()`.
pub fn uint(n: u64) -> String {
    let mut out = String::new();
    push_uint(&mut out, n);
    out
}

fn push_uint(out: &mut String, n: u64) {
    if n >= 10 {
        push_uint(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// UTF-8 bytes as text, each ill-formed sequence (its maximal subpart) replaced by U+FFFD, exactly
/// like `String::from_utf8_lossy` and the WHATWG decoder (`TextDecoder`, `URLSearchParams`); the
/// flag says whether the bytes were valid. One small forward decoder instead of core's validator,
/// its lossy chunk iterator and their lookup table (~1.3 KB of the browser wasm).
pub fn decode_utf8(bytes: &[u8]) -> (String, bool) {
    const BAD: char = char::REPLACEMENT_CHARACTER;
    let mut out = String::with_capacity(bytes.len());
    let mut valid = true;
    // The code point so far, the continuation bytes still needed, and the range the next one must
    // be in (narrower after E0, ED, F0, F4: no overlongs, surrogates or code points past U+10FFFF).
    let (mut cp, mut needed, mut lower, mut upper) = (0u32, 0u32, 0x80u8, 0xBFu8);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if needed == 0 {
            i += 1;
            match b {
                0x00..=0x7F => out.push(char::from(b)),
                0xC2..=0xDF => (cp, needed) = (u32::from(b & 0x1F), 1),
                0xE0..=0xEF => {
                    (cp, needed) = (u32::from(b & 0x0F), 2);
                    (lower, upper) = match b {
                        0xE0 => (0xA0, 0xBF),
                        0xED => (0x80, 0x9F),
                        _ => (0x80, 0xBF),
                    };
                }
                0xF0..=0xF4 => {
                    (cp, needed) = (u32::from(b & 0x07), 3);
                    (lower, upper) = match b {
                        0xF0 => (0x90, 0xBF),
                        0xF4 => (0x80, 0x8F),
                        _ => (0x80, 0xBF),
                    };
                }
                _ => {
                    out.push(BAD);
                    valid = false;
                }
            }
        } else if (lower..=upper).contains(&b) {
            i += 1;
            (cp, needed, lower, upper) = ((cp << 6) | u32::from(b & 0x3F), needed - 1, 0x80, 0xBF);
            if needed == 0 {
                out.push(char::from_u32(cp).unwrap_or(BAD));
            }
        } else {
            // The sequence so far is one replacement; `b` starts afresh (not consumed).
            (needed, lower, upper) = (0, 0x80, 0xBF);
            out.push(BAD);
            valid = false;
        }
    }
    if needed != 0 {
        out.push(BAD);
        valid = false;
    }
    (out, valid)
}

/// The bytes as a `String` when they are UTF-8, without a copy. core's validator (checks a word
/// at a time where the text is ASCII) instead of `decode_utf8`, which pushes each character: that
/// push was ~40% of `decodeToken`'s time (13.6 -> 8.1 us per call) for ~375 B gzip more.
pub fn utf8(bytes: alloc::vec::Vec<u8>) -> Option<String> {
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_like_std() {
        let mut cases: Vec<Vec<u8>> = [
            &b""[..],
            b"abc",
            "é€😀".as_bytes(),
            b"\xC3",
            b"\xC3\x28",
            b"\xE2\x82",
            b"\xE2\x82\x28",
            b"\xF0\x9F\x98",
            b"\xF0\x9F\x98\x80\x80",
            b"\xED\xA0\x80",
            b"\xE0\x80\xAF",
            b"\xC0\xAF",
            b"\xF4\x90\x80\x80",
            b"\xF5\x80",
            b"\xFF\xFE",
            b"\x80",
            b"a\xF1\x80\x80b\xE1\x80\xC2\x80",
            b"\xEF\xBF\xBD",
            b"\xF4\x8F\xBF\xBF",
        ]
        .iter()
        .map(|b| b.to_vec())
        .collect();
        // Every sequence of up to three bytes from an alphabet of the interesting ones.
        let alphabet =
            [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF];
        for a in alphabet {
            for b in alphabet {
                cases.push(vec![a, b]);
                for c in alphabet {
                    cases.push(vec![a, b, c]);
                    cases.push(vec![a, b, c, 0x80]);
                }
            }
        }
        for bytes in cases {
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            let strict = String::from_utf8(bytes.clone()).ok();
            assert_eq!(decode_utf8(&bytes), (lossy, strict.is_some()), "{bytes:x?}");
            assert_eq!(utf8(bytes.clone()), strict, "{bytes:x?}");
        }
    }

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
