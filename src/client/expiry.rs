//! When a token expires, in local time, without trusting the device clock.
//!
//! A phone whose clock is hours off would, judging by `exp` against `Date.now()`, either think
//! every fresh token is already expired (a refresh loop) or keep sending dead ones. Instead the
//! remaining life is measured when the token arrives and anchored at that local instant:
//! `expires_in` if the source said it (our token handler does), else `exp - iat` (a token that
//! was just minted). Only when neither exists do we fall back to `exp` against the clock.

use crate::jwt::json::TimeClaims;

/// Default refresh leeway: refresh when less than this remains.
pub const DEFAULT_LEEWAY_SECS: f64 = 60.0;

/// Local-clock view of one token's life, in milliseconds since the Unix epoch (local clock).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timing {
    pub received_at_ms: f64,
    /// `f64::INFINITY` for a token without `exp`.
    pub expires_at_ms: f64,
    /// Whole lifetime as issued, when known (`exp - iat`); caps the leeway.
    pub lifetime_ms: f64,
}

impl Timing {
    /// `expires_in_secs` comes from the token source when it says how long the token has left.
    pub fn new(times: &TimeClaims, expires_in_secs: Option<f64>, now_ms: f64) -> Timing {
        let issued_life = match (times.exp, times.iat) {
            (Some(exp), Some(iat)) if exp > iat => Some((exp - iat) * 1000.0),
            _ => None,
        };
        let remaining_ms = match (expires_in_secs.filter(|s| s.is_finite() && *s >= 0.0), issued_life, times.exp) {
            (Some(secs), _, _) => secs * 1000.0,
            (None, Some(life), _) => life,
            (None, None, Some(exp)) => (exp * 1000.0 - now_ms).max(0.0),
            (None, None, None) => f64::INFINITY,
        };
        Timing { received_at_ms: now_ms, expires_at_ms: now_ms + remaining_ms, lifetime_ms: issued_life.unwrap_or(remaining_ms) }
    }

    /// The leeway actually used: at most half the lifetime, so a 30-second token is not
    /// refreshed on every call when the leeway is 60 seconds.
    pub fn effective_leeway_ms(&self, leeway_secs: f64) -> f64 {
        (leeway_secs.max(0.0) * 1000.0).min(self.lifetime_ms / 2.0)
    }

    /// When the client refreshes this token: its expiry minus the effective leeway.
    pub fn refresh_at_ms(&self, leeway_secs: f64) -> f64 {
        self.expires_at_ms - self.effective_leeway_ms(leeway_secs)
    }

    pub fn needs_refresh(&self, now_ms: f64, leeway_secs: f64) -> bool {
        now_ms >= self.refresh_at_ms(leeway_secs)
    }

    pub fn is_expired(&self, now_ms: f64) -> bool {
        now_ms >= self.expires_at_ms
    }

    pub fn seconds_left(&self, now_ms: f64) -> f64 {
        ((self.expires_at_ms - now_ms) / 1000.0).max(0.0)
    }
}

impl Timing {
    /// A static token's life: it cannot be refreshed, and nothing says when it arrived relative
    /// to its issue, so the device clock is the only judge: it expires at `exp` by that clock
    /// (never without `exp`), and its lifetime is unknown (infinite: no leeway cap applies).
    pub fn fixed(times: &TimeClaims) -> Timing {
        Timing { received_at_ms: 0.0, expires_at_ms: times.exp.map_or(f64::INFINITY, |exp| exp * 1000.0), lifetime_ms: f64::INFINITY }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(iat: f64, exp: f64) -> TimeClaims {
        TimeClaims { iat: Some(iat), exp: Some(exp), nbf: None }
    }

    #[test]
    fn anchors_lifetime_at_arrival_whatever_the_clock_says() {
        // Issued by a server at t=1_000_000 s for an hour; the device clock is 5 hours behind,
        // or 5 hours ahead: the token is good for an hour from arrival either way.
        for device_now_s in [1_000_000.0 - 5.0 * 3600.0, 1_000_000.0 + 5.0 * 3600.0] {
            let now = device_now_s * 1000.0;
            let t = Timing::new(&claims(1_000_000.0, 1_003_600.0), None, now);
            assert_eq!(t.expires_at_ms, now + 3_600_000.0);
            assert!(!t.needs_refresh(now, 60.0));
            assert!(!t.needs_refresh(now + 3_539_999.0, 60.0));
            assert!(t.needs_refresh(now + 3_540_000.0, 60.0));
        }
    }

    #[test]
    fn leeway_is_capped_at_half_the_lifetime() {
        let t = Timing::new(&claims(0.0, 30.0), None, 0.0);
        assert_eq!(t.effective_leeway_ms(60.0), 15_000.0);
        assert!(!t.needs_refresh(14_999.0, 60.0));
        assert!(t.needs_refresh(15_000.0, 60.0));
        // A 2-second token with a 600-second leeway is still used for its first second.
        let short = Timing::new(&claims(0.0, 2.0), None, 0.0);
        assert!(!short.needs_refresh(999.0, 600.0));
    }

    #[test]
    fn expires_in_wins_and_missing_claims_fall_back() {
        let t = Timing::new(&claims(0.0, 3600.0), Some(120.0), 5_000.0);
        assert_eq!(t.expires_at_ms, 125_000.0);
        assert_eq!(t.lifetime_ms, 3_600_000.0);
        let exp_only = Timing::new(&TimeClaims { exp: Some(100.0), iat: None, nbf: None }, None, 40_000.0);
        assert_eq!(exp_only.expires_at_ms, 100_000.0);
        let past = Timing::new(&TimeClaims { exp: Some(1.0), iat: None, nbf: None }, None, 40_000.0);
        assert!(past.is_expired(40_000.0));
        let forever = Timing::new(&TimeClaims::default(), None, 0.0);
        assert!(!forever.needs_refresh(1e15, 60.0));
        assert_eq!(forever.seconds_left(0.0), f64::INFINITY);
        // Nonsense expires_in is ignored.
        assert_eq!(Timing::new(&claims(0.0, 10.0), Some(-5.0), 0.0).expires_at_ms, 10_000.0);
    }

    #[test]
    fn static_tokens_use_the_clock() {
        assert!(Timing::fixed(&claims(0.0, 10.0)).is_expired(10_000.0));
        assert!(!Timing::fixed(&claims(0.0, 10.0)).is_expired(9_999.0));
        assert!(!Timing::fixed(&TimeClaims::default()).is_expired(1e15));
    }
}
