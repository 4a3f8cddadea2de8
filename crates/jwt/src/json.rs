//! A small JSON validator that also reads the top-level numeric time claims of a JWT payload.
//!
//! Why not serde_json: the browser build only needs "is this one JSON object, and what are its
//! `exp`/`iat`/`nbf`", and serde_json (with float parsing and formatting) was most of the wasm
//! size. The claims object itself is built by the JS engine's `JSON.parse` after this check.
//!
//! Strict RFC 8259 grammar, nesting capped at [`MAX_DEPTH`] so hostile input cannot exhaust the
//! (small, trapping) wasm stack. Never panics: all access goes through `get`.

use crate::num::powi;

/// Deepest nesting accepted; real JWT payloads use two or three levels.
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonError {
    /// Not valid JSON (or nested deeper than [`MAX_DEPTH`]).
    Syntax,
    /// Valid JSON, but not an object at the top level.
    NotObject,
    /// A time claim that is not a number (or null), or appears twice.
    BadTimeClaim(&'static str),
}

/// The registered time claims, in seconds since the Unix epoch (RFC 7519 NumericDate).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TimeClaims {
    pub exp: Option<f64>,
    pub iat: Option<f64>,
    pub nbf: Option<f64>,
}

const TIME_CLAIMS: [&str; 3] = ["exp", "iat", "nbf"];

/// Validates that `text` is exactly one JSON object and returns its top-level time claims.
pub fn object_time_claims(text: &str) -> Result<TimeClaims, JsonError> {
    let mut p = Parser { bytes: text.as_bytes(), pos: 0 };
    p.skip_ws();
    if p.peek() != Some(b'{') {
        // Tell "valid JSON but not an object" apart from garbage, for a clearer message.
        p.value(0)?;
        p.skip_ws();
        return Err(if p.peek().is_none() { JsonError::NotObject } else { JsonError::Syntax });
    }
    let mut claims = TimeClaims::default();
    let mut seen = [false; 3];
    // A match on the names, not a search of TIME_CLAIMS: no call to compare bytes per key.
    let claim = |key: &[u8]| match key {
        b"exp" => Some(0),
        b"iat" => Some(1),
        b"nbf" => Some(2),
        _ => None,
    };
    p.object(0, &mut |p, key| match claim(key) {
        Some(i) => {
            let name = TIME_CLAIMS.get(i).copied().unwrap_or("exp");
            if core::mem::replace(seen.get_mut(i).ok_or(JsonError::Syntax)?, true) {
                return Err(JsonError::BadTimeClaim(name));
            }
            let value = p.time_value(name)?;
            match i {
                0 => claims.exp = value,
                1 => claims.iat = value,
                _ => claims.nbf = value,
            }
            Ok(())
        }
        None => p.value(1),
    })?;
    p.skip_ws();
    if p.peek().is_some() {
        return Err(JsonError::Syntax);
    }
    Ok(claims)
}

/// Validates that `text` is exactly one JSON object.
pub fn is_object(text: &str) -> bool {
    let mut p = Parser { bytes: text.as_bytes(), pos: 0 };
    p.skip_ws();
    p.peek() == Some(b'{') && p.value(0).is_ok() && {
        p.skip_ws();
        p.peek().is_none()
    }
}

/// Consumes one member's value; gets the parser (just past the colon) and the decoded key.
type MemberFn<'f> = dyn FnMut(&mut Parser<'_>, &[u8]) -> Result<(), JsonError> + 'f;

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// Longest key we decode for comparison with the claim names; longer keys are only validated.
const KEY_BUF: usize = 8;

impl Parser<'_> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline(always)]
    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    #[inline(always)]
    fn eat(&mut self, byte: u8) -> Result<(), JsonError> {
        if self.bump() == Some(byte) {
            Ok(())
        } else {
            Err(JsonError::Syntax)
        }
    }

    #[inline(always)]
    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError::Syntax);
        }
        self.skip_ws();
        match self.peek() {
            Some(b'{') => self.object(depth, &mut |p, _| p.value(depth + 1)),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string(None).map(|_| ()),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number().map(|_| ()),
            _ => Err(JsonError::Syntax),
        }
    }

    /// Parses `{ "key": value, ... }`, letting `member` consume each value (the parser is
    /// positioned just after the colon).
    fn object(&mut self, depth: usize, member: &mut MemberFn<'_>) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError::Syntax);
        }
        self.eat(b'{')?;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_ws();
            let mut key = [0u8; KEY_BUF];
            let len = self.string(Some(&mut key))?;
            self.skip_ws();
            self.eat(b':')?;
            member(self, key.get(..len).unwrap_or(&[]))?;
            self.skip_ws();
            match self.bump() {
                Some(b',') => continue,
                Some(b'}') => return Ok(()),
                _ => return Err(JsonError::Syntax),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), JsonError> {
        self.eat(b'[')?;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.value(depth + 1)?;
            self.skip_ws();
            match self.bump() {
                Some(b',') => continue,
                Some(b']') => return Ok(()),
                _ => return Err(JsonError::Syntax),
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), JsonError> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            Err(JsonError::Syntax)
        }
    }

    /// Validates a string and, given `buf`, decodes it there when it is short ASCII (enough to
    /// compare keys with the claim names). Returns the decoded length, or 0 when it did not fit.
    fn string(&mut self, buf: Option<&mut [u8; KEY_BUF]>) -> Result<usize, JsonError> {
        self.eat(b'"')?;
        // Most strings have no escapes: find the closing quote in one tight loop and copy a short
        // one whole. At an escape or a control character, the loop below takes over from the start.
        let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
        if let Some(len) = rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20) {
            if rest.get(len) == Some(&b'"') {
                self.pos += len + 1;
                return Ok(match (rest.get(..len), buf.and_then(|buf| buf.get_mut(..len))) {
                    (Some(text), Some(slot)) => {
                        slot.copy_from_slice(text);
                        len
                    }
                    _ => 0,
                });
            }
        }
        let (mut unused, mut len) = ([0; KEY_BUF], 0usize);
        let mut matchable = buf.is_some();
        let buf = buf.unwrap_or(&mut unused);
        // Once a string cannot be a claim name, its remaining bytes are only validated.
        let mut push = |byte: Option<u8>, len: &mut usize, matchable: &mut bool| {
            if !*matchable {
                return;
            }
            match (byte, buf.get_mut(*len)) {
                (Some(b), Some(slot)) => {
                    *slot = b;
                    *len += 1;
                }
                _ => *matchable = false,
            }
        };
        loop {
            match self.bump().ok_or(JsonError::Syntax)? {
                b'"' => return Ok(if matchable { len } else { 0 }),
                b'\\' => {
                    let decoded = match self.bump().ok_or(JsonError::Syntax)? {
                        b @ (b'"' | b'\\' | b'/') => Some(b),
                        b'b' | b'f' | b'n' | b'r' | b't' => None,
                        b'u' => {
                            let mut code = 0u32;
                            for _ in 0..4 {
                                let digit = char::from(self.bump().ok_or(JsonError::Syntax)?).to_digit(16);
                                code = code * 16 + digit.ok_or(JsonError::Syntax)?;
                            }
                            u8::try_from(code).ok().filter(u8::is_ascii)
                        }
                        _ => return Err(JsonError::Syntax),
                    };
                    push(decoded, &mut len, &mut matchable);
                }
                0x00..=0x1f => return Err(JsonError::Syntax),
                b => push(Some(b), &mut len, &mut matchable),
            }
        }
    }

    /// Validates a number and returns its text. Only a time claim's is turned into a value
    /// (`time_value`): converting every number made a payload of many numbers slower to check
    /// than jose's `decodeJwt` is to decode (bench/README.md, row 3).
    fn number(&mut self) -> Result<&[u8], JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.bump() {
            Some(b'0') => {}
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(JsonError::Syntax),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.require_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.require_digits()?;
        }
        Ok(self.bytes.get(start..self.pos).unwrap_or(&[]))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn require_digits(&mut self) -> Result<(), JsonError> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(JsonError::Syntax);
        }
        self.digits();
        Ok(())
    }

    /// A time claim: a finite number, or `null` (treated as absent, like a missing claim).
    fn time_value(&mut self, name: &'static str) -> Result<Option<f64>, JsonError> {
        self.skip_ws();
        match self.peek() {
            Some(b'n') => self.literal(b"null").map(|_| None),
            Some(b'-' | b'0'..=b'9') => match number_value(self.number()?) {
                n if n.is_finite() => Ok(Some(n)),
                _ => Err(JsonError::BadTimeClaim(name)),
            },
            _ => {
                // Keep "invalid JSON" and "valid JSON, wrong type" apart for the message.
                self.value(1)?;
                Err(JsonError::BadTimeClaim(name))
            }
        }
    }
}

/// The value of an already validated JSON number. Exact for integers below 2^53 (every real
/// timestamp); other values are within a few ulps, which is far below a second. Hand-written
/// because core's correctly rounded parser brings ~12 KB of tables into the browser wasm.
fn number_value(text: &[u8]) -> f64 {
    let mut mantissa = 0.0f64;
    let mut scale: i32 = 0;
    let mut exponent: i32 = 0;
    let mut exponent_sign = 1;
    let (mut negative, mut in_fraction, mut in_exponent) = (false, false, false);
    for &b in text {
        match b {
            b'-' if !in_exponent => negative = true,
            b'-' => exponent_sign = -1,
            b'.' => in_fraction = true,
            b'e' | b'E' => in_exponent = true,
            b'0'..=b'9' if in_exponent => exponent = exponent.saturating_mul(10).saturating_add(i32::from(b - b'0')),
            b'0'..=b'9' => {
                mantissa = mantissa * 10.0 + f64::from(b - b'0');
                if in_fraction {
                    scale -= 1;
                }
            }
            _ => {}
        }
    }
    // Clamped so the sum cannot overflow; anything past +-400 is already 0 or infinity.
    let power = (exponent_sign * exponent.min(1000) + scale).clamp(-1000, 1000);
    let magnitude = if power >= 0 { mantissa * powi(10.0, power) } else { mantissa / powi(10.0, -power) };
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(text: &str) -> Result<TimeClaims, JsonError> {
        object_time_claims(text)
    }

    #[test]
    fn reads_time_claims_and_ignores_the_rest() {
        let c = claims(r#" {"a":[1,{"b":null}],"exp":1393286893,"iat":1.5e3,"x":"\u00e9\"","nbf":-0.25} "#).unwrap();
        assert_eq!(c, TimeClaims { exp: Some(1393286893.0), iat: Some(1500.0), nbf: Some(-0.25) });
        assert_eq!(claims("{}").unwrap(), TimeClaims::default());
        assert_eq!(claims(r#"{"exp":null}"#).unwrap(), TimeClaims::default());
        // Nested exp is not the registered claim.
        assert_eq!(claims(r#"{"inner":{"exp":"x"}}"#).unwrap(), TimeClaims::default());
        // Escaped key names are the same key.
        assert_eq!(claims(r#"{"\u0065xp":5}"#).unwrap().exp, Some(5.0));
        assert_eq!(claims(r#"{"ex\u0070":5,"x\"y":"\\","":""}"#).unwrap().exp, Some(5.0));
        // Long keys that start like a claim are other keys, at the length of the key buffer too.
        assert_eq!(claims(r#"{"expires_at_long_name":"x"}"#).unwrap(), TimeClaims::default());
        assert_eq!(claims(r#"{"exp_____":"x","exp____":"y","exp\u005f____":"z"}"#).unwrap(), TimeClaims::default());
    }

    #[test]
    fn number_values() {
        for (text, value) in [
            ("0", 0.0),
            ("-0", -0.0),
            ("1393286893", 1393286893.0),
            ("9007199254740991", 9007199254740991.0),
            ("1.5", 1.5),
            ("-0.25", -0.25),
            ("1.5e3", 1500.0),
            ("15E-1", 1.5),
            ("2e+2", 200.0),
            ("1e-400", 0.0),
        ] {
            assert_eq!(number_value(text.as_bytes()), value, "{text}");
        }
        assert!(number_value(b"1e400").is_infinite());
        assert!(number_value(b"1e99999999999999").is_infinite());
        let close = number_value(b"1700000000.123456");
        assert!((close - 1700000000.123456).abs() < 1e-6, "{close}");
    }

    #[test]
    fn tells_wrong_types_from_bad_json() {
        assert_eq!(claims(r#"{"exp":"soon"}"#), Err(JsonError::BadTimeClaim("exp")));
        assert_eq!(claims(r#"{"iat":[1]}"#), Err(JsonError::BadTimeClaim("iat")));
        assert_eq!(claims(r#"{"nbf":true}"#), Err(JsonError::BadTimeClaim("nbf")));
        assert_eq!(claims(r#"{"exp":1,"exp":2}"#), Err(JsonError::BadTimeClaim("exp")));
        assert_eq!(claims(r#"{"exp":1e999}"#), Err(JsonError::BadTimeClaim("exp")));
        for not_object in ["[1]", "\"s\"", "1", "null", "true"] {
            assert_eq!(claims(not_object), Err(JsonError::NotObject), "{not_object}");
        }
    }

    #[test]
    fn rejects_invalid_json() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 2), "]".repeat(MAX_DEPTH + 2));
        let deep_obj = format!(r#"{{"a":{}1{}}}"#, r#"{"a":"#.repeat(MAX_DEPTH + 2), "}".repeat(MAX_DEPTH + 2));
        for bad in [
            "",
            " ",
            "{",
            "}",
            "{]",
            r#"{"a"}"#,
            r#"{"a":}"#,
            r#"{"a":1,}"#,
            r#"{,}"#,
            r#"{"a":1 "b":2}"#,
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":.5}"#,
            r#"{"a":1e}"#,
            r#"{"a":+1}"#,
            r#"{"a":-}"#,
            r#"{"a":tru}"#,
            r#"{"a":nul}"#,
            r#"{"a":"x}"#,
            "{\"a\":\"\u{1}\"}",
            r#"{"a":"\x"}"#,
            r#"{"a":"\u12G4"}"#,
            r#"{"a":[1,]}"#,
            r#"{"a":[}"#,
            r#"{} {}"#,
            r#"{}x"#,
            "{'a':1}",
            r#"{a:1}"#,
            &deep,
            &deep_obj,
        ] {
            assert!(claims(bad).is_err(), "accepted {bad:?}");
            assert!(!is_object(bad), "is_object accepted {bad:?}");
        }
    }

    #[test]
    fn agrees_with_serde_json_on_validity() {
        let samples = [
            r#"{"a":[1,2,{"b":[true,false,null]}],"c":"\ud83d\ude80","d":-0.0e+1}"#,
            r#"{"a":"\ud800"}"#,
            r#"{"":0}"#,
            r#"{"a":1e5,"b":1E-5,"c":0.5}"#,
            r#"{"a":"tab	inside"}"#,
        ];
        for s in samples {
            let serde_ok = serde_json::from_str::<serde_json::Value>(s).is_ok();
            assert_eq!(is_object(s), serde_ok || s.contains("\\ud800"), "{s}");
        }
    }
}
