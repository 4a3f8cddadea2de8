//! A token's fingerprint: 16 hex digits that name a token without carrying it.
//!
//! After the API refuses a token, the client's forced refresh tells the token endpoint which
//! token was refused, as a `Cache-Control` extension directive:
//! `Cache-Control: no-cache, spike-refused-token=<fingerprint>`. The endpoint's `no-cache` flood
//! throttle can then re-mint instead of handing that very token back. A directive, not a header
//! of its own: a cross-origin endpoint already allows `Cache-Control` in its CORS preflight, and
//! caches ignore directives they do not know (RFC 9111, 5.2.3). Both sides compute it here.
//!
//! FNV-1a, 64 bits, of the whole compact token: deterministic, tiny in the browser wasm (no hash
//! crate), and enough to tell one user's consecutive tokens apart. It is not a secret and is not
//! meant to resist forgery: it goes to the backend that issued the token, and a forged value can
//! only make that backend mint a new token for the user who sent it (within its rate limit). 64
//! bits of a JWT cannot be turned back into the token or used in its place.

use alloc::string::String;

/// The `Cache-Control` directive that names the refused token on a forced refresh.
pub const REFUSED_TOKEN_DIRECTIVE: &str = "spike-refused-token";

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// The 64 bits behind a fingerprint (also how a client remembers the tokens it replaced without
/// keeping them: `crate::client::token`).
pub fn hash(token: &str) -> u64 {
    let mut hash = OFFSET;
    for byte in token.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(PRIME);
    }
    hash
}

/// The fingerprint of `token`: 16 lowercase hex digits.
pub fn fingerprint(token: &str) -> String {
    let hash = hash(token);
    // Not `server::signature::to_hex` moved here to share it: measured, that cost the browser
    // entry ~100 B gzip more than this loop.
    let mut out = String::with_capacity(16);
    for shift in (0..16).rev() {
        let nibble = ((hash >> (shift * 4)) & 0xf) as u8;
        out.push(char::from(if nibble < 10 { b'0' + nibble } else { b'a' + nibble - 10 }));
    }
    out
}

/// Whether a fingerprint names `token` (surrounding whitespace and hex case ignored).
pub fn names(fingerprint_value: &str, token: &str) -> bool {
    crate::common::text::trim(fingerprint_value).eq_ignore_ascii_case(&fingerprint(token))
}

/// The `Cache-Control` value of a forced refresh that replaces `refused`.
pub fn forced_cache_control(refused: &str) -> String {
    crate::common::text::cat(&["no-cache, ", REFUSED_TOKEN_DIRECTIVE, "=", &fingerprint(refused)])
}

/// The refused token's fingerprint in a `Cache-Control` value, if it names one (the directive
/// name in any case; the value bare or quoted).
pub fn refused_in_cache_control(value: &str) -> Option<&str> {
    crate::common::text::split(value, b',').find_map(|directive| {
        let (name, arg) = crate::common::text::split_once(crate::common::text::trim(directive), b'=')?;
        if !crate::common::text::trim(name).eq_ignore_ascii_case(REFUSED_TOKEN_DIRECTIVE) {
            return None;
        }
        let arg = crate::common::text::trim(arg);
        Some(arg.strip_prefix('"').and_then(|a| a.strip_suffix('"')).unwrap_or(arg))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_and_shape() {
        // FNV-1a 64 reference values.
        assert_eq!(fingerprint(""), "cbf29ce484222325");
        assert_eq!(fingerprint("a"), "af63dc4c8601ec8c");
        let f = fingerprint("header.payload.signature");
        assert_eq!(f.len(), 16);
        assert!(f.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_ne!(f, fingerprint("header.payload.signaturf"));
    }

    #[test]
    fn names_matches_only_its_token() {
        let t = "aaa.bbb.ccc";
        assert!(names(&fingerprint(t), t));
        assert!(names(&format!(" {} ", fingerprint(t).to_uppercase()), t));
        assert!(!names(&fingerprint("aaa.bbb.ccd"), t));
        assert!(!names("", t));
        assert!(!names(t, t), "the token itself is not its fingerprint");
    }

    #[test]
    fn the_directive_round_trips_through_cache_control() {
        let t = "aaa.bbb.ccc";
        let value = forced_cache_control(t);
        assert_eq!(value, format!("no-cache, spike-refused-token={}", fingerprint(t)));
        assert!(refused_in_cache_control(&value).is_some_and(|f| names(f, t)));
        let quoted = format!("max-age=0,No-Cache , Spike-Refused-Token = \"{}\"", fingerprint(t));
        assert!(refused_in_cache_control(&quoted).is_some_and(|f| names(f, t)));
        for none in ["no-cache", "", "spike-refused-token", "no-cache, other=1", "x-spike-refused-token=1"] {
            assert_eq!(refused_in_cache_control(none), None, "{none}");
        }
    }
}
