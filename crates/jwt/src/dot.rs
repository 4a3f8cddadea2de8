//! Finding the dots of a compact JWS (`header.payload.signature`): the one loop over the whole
//! token, signature included.

/// The index of the first `.`, eight bytes at a time (a token's signature alone is ~350 bytes to
/// search): a word has a `.` when one of its bytes XOR `.` is zero, which the classic
/// "has a zero byte" trick tells without a branch per byte.
pub fn find(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const DOTS: u64 = u64::from_ne_bytes([b'.'; 8]);
    let mut words = bytes.chunks_exact(8);
    let mut skipped = 0;
    for word in &mut words {
        let x = u64::from_ne_bytes(word.try_into().unwrap_or([0; 8])) ^ DOTS;
        if x.wrapping_sub(ONES) & !x & HIGHS != 0 {
            break;
        }
        skipped += 8;
    }
    bytes.get(skipped..)?.iter().position(|&b| b == b'.').map(|i| skipped + i)
}

#[cfg(test)]
mod tests {
    use super::find as find_dot;

    #[test]
    fn finds_the_first_dot_at_any_position() {
        for len in 0..40 {
            let mut bytes = vec![b'a'; len];
            assert_eq!(find_dot(&bytes), None, "{len}");
            for at in 0..len {
                bytes[at] = b'.';
                assert_eq!(find_dot(&bytes), Some(at), "{len} {at}");
                // A later dot, and bytes that differ from `.` in one bit, change nothing.
                if at + 3 < len {
                    bytes[at + 3] = b'.';
                    assert_eq!(find_dot(&bytes), Some(at), "{len} {at}");
                    bytes[at + 3] = b'a';
                }
                bytes[at] = b'.' ^ 0x80;
                assert_eq!(find_dot(&bytes), None, "{len} {at}");
                bytes[at] = b'/';
                assert_eq!(find_dot(&bytes), None, "{len} {at}");
                bytes[at] = b'a';
            }
        }
    }
}
