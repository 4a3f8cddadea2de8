//! Base64url decoding for JWT segments.
//!
//! Tokens in the wild come with and without `=` padding, and a few issuers use the standard
//! alphabet (`+/`), so both alphabets are accepted, like `atob`-based decoders do. Written by
//! hand (no crate) because it is twenty lines and keeps the browser wasm small.

/// Decodes `input` into the start of `out` and returns how many bytes it wrote; `None` when it is
/// not base64, or `out` is shorter than `input.len() / 4 * 3 + 2` (all a decoding may need).
pub fn decode_to(input: &[u8], out: &mut [u8]) -> Option<usize> {
    let unpadded = match input {
        [rest @ .., b'=', b'='] => rest,
        [rest @ .., b'='] => rest,
        _ => input,
    };
    if unpadded.len() % 4 == 1 {
        return None;
    }
    let len = unpadded.len() / 4 * 3 + unpadded.len() % 4 * 3 / 4;
    decode_into(unpadded, out.get_mut(..len)?).then_some(len)
}

/// Decodes unpadded `input` into `out`, sized for it: four characters to three bytes at a time,
/// with one flag for "some character was not base64" checked once at the end (a branch per
/// character, or a bit accumulator, cost twice the time). Leftover bits of a final partial group
/// are ignored, as `atob` does.
fn decode_into(input: &[u8], out: &mut [u8]) -> bool {
    let mut seen = 0u8;
    let mut groups = input.chunks_exact(4);
    let mut slots = out.chunks_exact_mut(3);
    for (group, slot) in (&mut groups).zip(&mut slots) {
        if let ([a, b, c, d], [x, y, z]) = (group, slot) {
            let (a, b, c, d) = (sextet(*a), sextet(*b), sextet(*c), sextet(*d));
            seen |= a | b | c | d;
            let word = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d);
            (*x, *y, *z) = ((word >> 16) as u8, (word >> 8) as u8, word as u8);
        }
    }
    match (groups.remainder(), slots.into_remainder()) {
        ([], []) => {}
        ([a, b], [x]) => {
            let (a, b) = (sextet(*a), sextet(*b));
            seen |= a | b;
            *x = a << 2 | b >> 4;
        }
        ([a, b, c], [x, y]) => {
            let (a, b, c) = (sextet(*a), sextet(*b), sextet(*c));
            seen |= a | b | c;
            (*x, *y) = (a << 2 | b >> 4, b << 4 | c >> 2);
        }
        _ => return false,
    }
    seen & INVALID_BITS == 0
}

/// The value of each base64 character (both alphabets), `INVALID` for any other byte: a table
/// lookup per character instead of a chain of range checks. Values fit in six bits, so
/// `INVALID_BITS` is set in a character's value only when it is not base64.
const INVALID: u8 = 0xff;
const INVALID_BITS: u8 = 0xc0;
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
fn sextet(c: u8) -> u8 {
    SEXTETS.get(usize::from(c)).copied().unwrap_or(INVALID)
}

#[cfg(test)]
mod tests {
    /// `decode_to` into a buffer of its own.
    fn decode(input: &str) -> Option<Vec<u8>> {
        let mut out = vec![0u8; input.len() / 4 * 3 + 2];
        let len = super::decode_to(input.as_bytes(), &mut out)?;
        out.truncate(len);
        Some(out)
    }

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
    fn refuses_a_bad_character_in_any_position() {
        let good = "Zm9vYmFyYmF6cXV4";
        for len in [2, 3, 4, 6, 7, 8, 16] {
            for at in 0..len {
                for bad in [b'!', b'=', b'.', 0x80, 0xff, 0] {
                    let mut text = good.as_bytes()[..len].to_vec();
                    text[at] = bad;
                    if bad == b'=' && at == len - 1 {
                        continue; // a final `=` is padding
                    }
                    let text = String::from_utf8_lossy(&text).into_owned();
                    assert_eq!(decode(&text), None, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["Z", "Zm9vY", "Zm 9v", "Zm9v!", "Z===", "=Zm9", "Zm=v", "é"] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }
}
