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
    // Sized up front and written in place, one character at a time through a bit accumulator: a
    // push per byte, or chunk iterators, were most of the decode time in the size-optimised wasm.
    let mut out = alloc::vec![0u8; unpadded.len() / 4 * 3 + unpadded.len() % 4 * 3 / 4];
    let mut slots = out.iter_mut();
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in unpadded {
        acc = (acc << 6) | u32::from(sextet(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            if let Some(slot) = slots.next() {
                *slot = (acc >> bits) as u8;
            }
        }
    }
    Some(out)
}

/// The value of each base64 character (both alphabets), `INVALID` for any other byte: a table
/// lookup per character instead of a chain of range checks.
const INVALID: u8 = 0xff;
// Built at compile time: an index out of range would fail the build, it cannot panic at run time.
#[allow(clippy::indexing_slicing)]
const SEXTETS: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0u8;
    while i < 26 {
        table[(b'A' + i) as usize] = i;
        table[(b'a' + i) as usize] = i + 26;
        if i < 10 {
            table[(b'0' + i) as usize] = i + 52;
        }
        i += 1;
    }
    table[b'-' as usize] = 62;
    table[b'+' as usize] = 62;
    table[b'_' as usize] = 63;
    table[b'/' as usize] = 63;
    table
};

#[inline(always)]
fn sextet(c: u8) -> Option<u8> {
    SEXTETS.get(usize::from(c)).copied().filter(|&v| v != INVALID)
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
    fn round_trips_every_length_and_byte() {
        const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let encode = |bytes: &[u8]| -> String {
            let bits: Vec<bool> = bytes.iter().flat_map(|b| (0..8).rev().map(move |i| b >> i & 1 == 1)).collect();
            bits.chunks(6)
                .map(|six| {
                    char::from(ALPHABET[six.iter().chain([false; 6].iter()).take(6).fold(0, |acc, &bit| acc << 1 | usize::from(bit))])
                })
                .collect()
        };
        let data: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for len in 0..=data.len() {
            let slice = &data[..len];
            assert_eq!(decode(&encode(slice)).as_deref(), Some(slice), "length {len}");
        }
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["Z", "Zm9vY", "Zm 9v", "Zm9v!", "Z===", "=Zm9", "Zm=v", "é"] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }
}
