//! A compact JWS (`header.payload.signature`) taken apart: its header and payload decoded into the
//! caller's buffer and checked, without allocating (`decodeToken`'s fast path decodes into wasm
//! memory that JS reads back). The loops it runs are `spike_jwt`'s, built for speed; this part
//! only orders them, built for size like the rest. `super::message` words the errors.

use spike_jwt::base64url;
use spike_jwt::dot;
use spike_jwt::json::{self, JsonError, TimeClaims};

/// Longest token we try to decode. Real JWTs travel in an HTTP header (servers cap those at
/// 8-16 KiB), so anything this big is garbage and decoding it would only burn memory.
pub const MAX_TOKEN_LEN: usize = 65536;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Header,
    Payload,
}

/// Why a token did not decode, in the order the checks run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenError {
    TooLong,
    NotThreeParts,
    Missing(Part),
    NotBase64(Part),
    NotUtf8(Part),
    HeaderNotObject,
    Payload(JsonError),
}

/// Room [`decode_payload`] needs for a token of `len` bytes: any of its parts, decoded.
pub const fn room(len: usize) -> usize {
    len / 4 * 3 + 2
}

/// Decodes `token`'s header into `out` and checks that it is a JSON object, then decodes its
/// payload over it and checks that it is a JSON object with numeric time claims: returns the
/// payload's JSON text (at the start of `out`) and those claims. `out` needs [`room`] for the
/// token's length (less is refused as `TooLong`).
pub fn decode_payload<'o>(token: &[u8], out: &'o mut [u8]) -> Result<(&'o str, TimeClaims), TokenError> {
    if token.len() > MAX_TOKEN_LEN || out.len() < room(token.len()) {
        return Err(TokenError::TooLong);
    }
    let (header, payload) = header_and_payload(token).ok_or(TokenError::NotThreeParts)?;
    if header.is_empty() {
        return Err(TokenError::Missing(Part::Header));
    }
    if payload.is_empty() {
        return Err(TokenError::Missing(Part::Payload));
    }
    if !json::is_object(segment(header, out, Part::Header)?) {
        return Err(TokenError::HeaderNotObject);
    }
    let payload = segment(payload, out, Part::Payload)?;
    let times = json::object_time_claims(payload).map_err(TokenError::Payload)?;
    Ok((payload, times))
}

/// One segment, base64url-decoded into `out` and checked to be UTF-8. Not inlined: one copy of
/// the decoding loop serves both segments.
#[inline(never)]
fn segment<'o>(segment: &[u8], out: &'o mut [u8], part: Part) -> Result<&'o str, TokenError> {
    let len = base64url::decode_to(segment, out).ok_or(TokenError::NotBase64(part))?;
    core::str::from_utf8(out.get(..len).unwrap_or(&[])).map_err(|_| TokenError::NotUtf8(part))
}

/// The first two of exactly three dot-separated parts (the signature may be empty).
fn header_and_payload(token: &[u8]) -> Option<(&[u8], &[u8])> {
    let first = dot::find(token)?;
    let (header, rest) = (token.get(..first)?, token.get(first + 1..)?);
    let second = dot::find(rest)?;
    let (payload, signature) = (rest.get(..second)?, rest.get(second + 1..)?);
    dot::find(signature).is_none().then_some((header, payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_three_parts_only() {
        assert_eq!(header_and_payload(b"a.b.c"), Some((&b"a"[..], &b"b"[..])));
        assert_eq!(header_and_payload(b"a.b."), Some((&b"a"[..], &b"b"[..])));
        assert_eq!(header_and_payload(b".."), Some((&b""[..], &b""[..])));
        for bad in [&b""[..], b"a", b"a.b", b"a.b.c.d", b"a.b.c.", b"...", b"abcdefghijkl.mnopqrstuvwx.yzabcdefghij.klm"] {
            assert_eq!(header_and_payload(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn needs_room_for_the_longest_part() {
        let token = b"eyJhbGciOiJub25lIn0.e30.sig";
        let mut out = vec![0; room(token.len())];
        assert_eq!(decode_payload(token, &mut out).map(|(p, _)| p), Ok("{}"));
        assert_eq!(decode_payload(token, &mut out[..room(token.len()) - 1]), Err(TokenError::TooLong));
    }
}
