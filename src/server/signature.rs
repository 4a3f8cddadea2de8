//! HMAC-SHA256 user signatures, as the Spike console expects them: lowercase hex.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::secret::check_key;
use crate::common::error::SdkError;

/// The Spike console refuses HMAC keys shorter than this (in characters).
pub const MIN_HMAC_KEY_CHARS: usize = 16;

pub type HmacSha256 = Hmac<Sha256>;

/// A keyed MAC over the key's UTF-8 bytes, like `createHmac('sha256', key)` in Node.
pub fn mac(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length (long ones are hashed), so this cannot fail; the fallback
    // exists only to avoid a panic path.
    HmacSha256::new_from_slice(key).unwrap_or_else(|_| HmacSha256::new(&Default::default()))
}

pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut m = mac(key);
    m.update(message);
    m.finalize().into_bytes().into()
}

pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            out.push(char::from(DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0')));
        }
    }
    out
}

/// `signUserId`: lowercase hex HMAC-SHA256 of the user ID with the application's HMAC key.
pub fn sign_user_id(hmac_key: &str, user_id: &str) -> Result<String, SdkError> {
    check_key(hmac_key, "hmacKey")?;
    if hmac_key.chars().count() < MIN_HMAC_KEY_CHARS {
        return Err(SdkError::invalid_options("HMAC key must be at least 16 characters (the Spike console requires it)"));
    }
    if user_id.is_empty() {
        return Err(SdkError::invalid_options("userId must be a non-empty string"));
    }
    Ok(to_hex(&hmac_sha256(hmac_key.as_bytes(), user_id.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(to_hex(&mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn signs_user_ids_and_refuses_short_keys() {
        let key = "0123456789abcdef";
        assert_eq!(sign_user_id(key, "user-1").unwrap(), to_hex(&hmac_sha256(key.as_bytes(), b"user-1")));
        // 16 characters, fewer bytes would not do: the rule counts characters.
        assert!(sign_user_id("ééééééééééééééé", "u").is_err());
        assert!(sign_user_id("éééééééééééééééé", "u").is_ok());
        assert!(sign_user_id(key, "").is_err());
        let err = sign_user_id("short-secret", "u").unwrap_err();
        assert!(!err.message.contains("short-secret"));
        let err = sign_user_id("0123456789abcdef\n", "u").unwrap_err();
        assert!(err.message.starts_with("hmacKey starts or ends with whitespace"), "{}", err.message);
        assert!(!err.message.contains("01234567"));
    }
}
