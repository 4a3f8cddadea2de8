//! Base64url decoding for JWT segments.
//!
//! Tokens in the wild come with and without `=` padding, and a few issuers use the standard
//! alphabet (`+/`), so both alphabets are accepted, like `atob`-based decoders do. Written by
//! hand (no crate) because it is twenty lines and keeps the browser wasm small.

/// Decodes `input`; `None` when it is not base64 (bad character, bad length, misplaced `=`).
use alloc::vec::Vec;

pub fn decode(input: &str) -> Option<Vec<u8>> {
    let bytes = input.as_bytes();
    let unpadded = match bytes {
        [rest @ .., b'=', b'='] => rest,
        [rest @ .., b'='] => rest,
        _ => bytes,
    };
    if unpadded.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(unpadded.len() / 4 * 3 + 2);
    for chunk in unpadded.chunks(4) {
        let mut acc: u32 = 0;
        for &c in chunk {
            acc = (acc << 6) | u32::from(sextet(c)?);
        }
        // A chunk of n characters carries n*6 bits: 4 -> 3 bytes, 3 -> 2 bytes, 2 -> 1 byte.
        let [_, b0, b1, b2] = (acc << (6 * (4 - chunk.len()))).to_be_bytes();
        out.push(b0);
        if chunk.len() > 2 {
            out.push(b1);
        }
        if chunk.len() > 3 {
            out.push(b2);
        }
    }
    Some(out)
}

fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' | b'+' => Some(62),
        b'_' | b'/' => Some(63),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_with_and_without_padding() {
        assert_eq!(decode("").unwrap(), b"");
        assert_eq!(decode("Zg").unwrap(), b"f");
        assert_eq!(decode("Zg==").unwrap(), b"f");
        assert_eq!(decode("Zm8").unwrap(), b"fo");
        assert_eq!(decode("Zm8=").unwrap(), b"fo");
        assert_eq!(decode("Zm9v").unwrap(), b"foo");
        assert_eq!(decode("Zm9vYmFy").unwrap(), b"foobar");
    }

    #[test]
    fn accepts_both_alphabets() {
        assert_eq!(decode("-_-_").unwrap(), vec![0xfb, 0xff, 0xbf]);
        assert_eq!(decode("+/+/").unwrap(), vec![0xfb, 0xff, 0xbf]);
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["Z", "Zm9vY", "Zm 9v", "Zm9v!", "Z===", "=Zm9", "Zm=v", "é"] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }
}
