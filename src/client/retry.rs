//! Which failures are retried, and how long to wait: capped exponential backoff with jitter,
//! honouring `Retry-After` (seconds or an HTTP date), the way openai-node and stripe-node do.

use crate::common::num::floor;
use crate::common::text::{digits, trim};

/// First backoff step and its cap.
pub const BASE_DELAY_MS: f64 = 500.0;
pub const MAX_DELAY_MS: f64 = 8_000.0;
/// Longest `Retry-After` we wait inside one call; longer waits are capped to this.
pub const MAX_RETRY_AFTER_MS: f64 = 30_000.0;

/// Why an attempt failed, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No HTTP answer (connection refused, reset, DNS...).
    Network,
    /// The attempt hit `timeoutMs`.
    Timeout,
    /// An HTTP answer with this status.
    Status(u16),
}

/// Methods that are safe to send twice.
pub fn is_idempotent(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE")
}

/// Whether a failure is transient enough to try again. `force` is the caller's per-request
/// opt-in (`retry: true`), which lets POST/PATCH retry too.
pub fn is_retryable(method: &str, failure: Failure, force: Option<bool>) -> bool {
    is_transient(failure) && may_retry(method, force)
}

/// Whether a request may be sent again after a transient failure: the caller's `retry: true/false`,
/// else whether its method is idempotent. (`attempts::Request` keeps this per request.)
pub fn may_retry(method: &str, force: Option<bool>) -> bool {
    force.unwrap_or_else(|| is_idempotent(method))
}

/// Whether a failure may go away on its own: no answer, a timeout, 429, 502, 503, 504.
pub fn is_transient(failure: Failure) -> bool {
    match failure {
        Failure::Network | Failure::Timeout => true,
        Failure::Status(s) => matches!(s, 429 | 502 | 503 | 504),
    }
}

/// Delay before retry number `retry` (0 for the first retry). `random` is in [0, 1).
/// Without `Retry-After`: `min(500 ms * 2^retry, 8 s)`, minus up to 25% jitter so clients that
/// failed together do not come back together.
pub fn backoff_ms(retry: u32, retry_after_ms: Option<f64>, random: f64) -> f64 {
    if let Some(after) = retry_after_ms.filter(|ms| ms.is_finite() && *ms >= 0.0) {
        return after.min(MAX_RETRY_AFTER_MS);
    }
    let exp = BASE_DELAY_MS * f64::from(1u32 << retry.min(16));
    let capped = exp.min(MAX_DELAY_MS);
    capped * (1.0 - 0.25 * random.clamp(0.0, 1.0))
}

/// Parses `Retry-After`: delta-seconds, or an HTTP-date in any of RFC 9110's three forms
/// compared with `now_ms`. A date in the past means "now" (0). Garbage, and dates that do not
/// exist or name the wrong weekday, are `None`.
pub fn parse_retry_after(value: &str, now_ms: f64) -> Option<f64> {
    let value = trim(value);
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return digits(value).and_then(|s| u32::try_from(s).ok()).map(|s| f64::from(s) * 1000.0).or(Some(f64::MAX));
    }
    http_date_ms(value, now_ms).map(|at| (at - now_ms).max(0.0))
}

/// Weekdays from 1970-01-01, a Thursday (IMF-fixdate and asctime-date use the first three letters).
const WEEKDAYS: [&str; 7] = ["Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"];
const MONTHS: &[u8; 36] = b"JanFebMarAprMayJunJulAugSepOctNovDec";

/// A date field's digits (two or four of them) as a number.
fn num(bytes: &[u8]) -> Option<i64> {
    digits(bytes).and_then(|n| i64::try_from(n).ok())
}

/// An HTTP-date (RFC 9110 5.6.7) to milliseconds since the epoch:
/// IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, rfc850-date `Sunday, 06-Nov-94 08:49:37 GMT`,
/// asctime-date `Sun Nov  6 08:49:37 1994`. The date must round-trip (as ky checks): the day exists
/// in its month and the weekday is the date's. Each form is matched as a fixed layout of bytes
/// (one space between fields; asctime pads a one-digit day with a space).
fn http_date_ms(value: &str, now_ms: f64) -> Option<f64> {
    let bytes = value.as_bytes();
    let space = bytes.iter().position(|&b| b == b' ')?;
    let (first, rest) = (bytes.get(..space)?, bytes.get(space + 1..)?);
    // (weekday as written, whether it is the long name, day, month, year, hh:mm:ss)
    let (weekday, long, day, month, year, time) = match (first.split_last(), rest) {
        (Some((b',', name)), [d0, d1, b' ', m0, m1, m2, b' ', y0, y1, y2, y3, b' ', time @ .., b' ', b'G', b'M', b'T']) => {
            (name, false, num(&[*d0, *d1])?, [*m0, *m1, *m2], num(&[*y0, *y1, *y2, *y3])?, time)
        }
        // rfc850-date: a two-digit year, read as the most recent year with those digits that is
        // not more than 50 years in the future (RFC 9110).
        (Some((b',', name)), [d0, d1, b'-', m0, m1, m2, b'-', y0, y1, b' ', time @ .., b' ', b'G', b'M', b'T']) => {
            (name, true, num(&[*d0, *d1])?, [*m0, *m1, *m2], two_digit_year(num(&[*y0, *y1])?, now_ms), time)
        }
        // asctime-date: the day is two digits, or a space and one digit.
        (_, [m0, m1, m2, b' ', d0, d1, b' ', time @ .., b' ', y0, y1, y2, y3]) => {
            let day = if *d0 == b' ' { num(&[*d1])? } else { num(&[*d0, *d1])? };
            (first, false, day, [*m0, *m1, *m2], num(&[*y0, *y1, *y2, *y3])?, time)
        }
        _ => return None,
    };
    let month = MONTHS.chunks(3).position(|m| m == month)? as i64 + 1;
    let [h0, h1, b':', m0, m1, b':', s0, s1] = *time else { return None };
    let (h, m, s) = (num(&[h0, h1])?, num(&[m0, m1])?, num(&[s0, s1])?);
    if !(1..=days_in_month(year, month)).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let name = WEEKDAYS.get(usize::try_from(days.rem_euclid(7)).ok()?)?.as_bytes();
    if weekday != if long { name } else { name.get(..3)? } {
        return None;
    }
    Some(((days * 86_400 + h * 3600 + m * 60 + s) * 1000) as f64)
}

/// RFC 9110: a two-digit year more than 50 years in the future is the most recent past year
/// with the same last two digits.
fn two_digit_year(yy: i64, now_ms: f64) -> i64 {
    // A JS clock stays within +-275,000 years of 1970 (the Date range), but `now` can be injected:
    // clamped, so that no clock can overflow the year arithmetic below.
    let now_year = 1970 + floor(now_ms / 86_400_000.0 / 365.2425).clamp(-300_000.0, 300_000.0) as i64;
    let candidate = now_year - now_year.rem_euclid(100) + yy;
    if candidate > now_year + 50 {
        candidate - 100
    } else {
        candidate
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_policy_per_method_and_status() {
        for method in ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"] {
            for failure in
                [Failure::Network, Failure::Timeout, Failure::Status(429), Failure::Status(502), Failure::Status(503), Failure::Status(504)]
            {
                assert!(is_retryable(method, failure, None), "{method} {failure:?}");
            }
            for status in [400, 401, 403, 404, 409, 500, 501] {
                assert!(!is_retryable(method, Failure::Status(status), None), "{method} {status}");
            }
            assert!(!is_retryable(method, Failure::Status(503), Some(false)));
        }
        for method in ["POST", "PATCH"] {
            assert!(!is_retryable(method, Failure::Status(503), None));
            assert!(!is_retryable(method, Failure::Network, None));
            assert!(is_retryable(method, Failure::Status(503), Some(true)));
            assert!(!is_retryable(method, Failure::Status(500), Some(true)));
        }
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        assert_eq!(backoff_ms(0, None, 0.0), 500.0);
        assert_eq!(backoff_ms(1, None, 0.0), 1000.0);
        assert_eq!(backoff_ms(2, None, 0.0), 2000.0);
        assert_eq!(backoff_ms(10, None, 0.0), MAX_DELAY_MS);
        assert_eq!(backoff_ms(u32::MAX, None, 0.0), MAX_DELAY_MS);
        for r in [0.0, 0.3, 0.999, 5.0, -1.0] {
            let d = backoff_ms(3, None, r);
            assert!((3000.0..=4000.0).contains(&d), "{r}: {d}");
        }
        assert_eq!(backoff_ms(0, Some(2000.0), 0.5), 2000.0);
        assert_eq!(backoff_ms(0, Some(3_600_000.0), 0.5), MAX_RETRY_AFTER_MS);
        assert_eq!(backoff_ms(0, Some(f64::NAN), 0.0), 500.0);
    }

    #[test]
    fn parses_retry_after() {
        assert_eq!(parse_retry_after("0", 0.0), Some(0.0));
        assert_eq!(parse_retry_after(" 2 ", 0.0), Some(2000.0));
        assert_eq!(parse_retry_after("99999999999999", 0.0), Some(f64::MAX));
        let at = 784_111_777_000.0; // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at - 5000.0), Some(5000.0));
        assert_eq!(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at + 5000.0), Some(0.0));
        assert_eq!(parse_retry_after("Mon, 23 Nov 2026 15:00:00 GMT", 0.0), Some(1_795_446_000_000.0));
        assert_eq!(parse_retry_after("Thu, 29 Feb 2024 00:00:00 GMT", 0.0), Some(1_709_164_800_000.0));
        // Dates that do not exist, or name the wrong weekday, do not round-trip: ignored.
        for bad in [
            "Tue, 31 Feb 2099 00:00:00 GMT",
            "Sat, 31 Apr 2099 00:00:00 GMT",
            "Thu, 29 Feb 2100 00:00:00 GMT",
            "Mon, 01 Jan 2099 00:00:00 GMT",
            "Mon, 06 Nov 1994 08:49:37 GMT",
            "Thu, 00 Jan 2099 00:00:00 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, 0.0), None, "{bad:?}");
        }
        assert_eq!(parse_retry_after("Tue, 29 Feb 2000 00:00:00 GMT", 0.0), Some(951_782_400_000.0));
    }

    #[test]
    fn parses_the_three_http_date_forms() {
        let at = 784_111_777_000.0; // Sun, 06 Nov 1994 08:49:37 GMT
        let now = at - 5000.0;
        for form in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            assert_eq!(parse_retry_after(form, now), Some(5000.0), "{form:?}");
        }
        assert_eq!(parse_retry_after("Thu Feb 29 00:00:00 2024", 0.0), Some(1_709_164_800_000.0));
        assert_eq!(parse_retry_after("Mon Nov 23 15:00:00 2026", 0.0), Some(1_795_446_000_000.0));
        // Two-digit years: at most 50 years ahead of now, else the century before.
        let in_2026 = 1_767_225_600_000.0; // 2026-01-01
        assert_eq!(parse_retry_after("Monday, 23-Nov-26 15:00:00 GMT", in_2026), Some(1_795_446_000_000.0 - in_2026));
        assert_eq!(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", in_2026), Some(0.0), "1994, not 2094");
        // Any clock, however wrong, gives an answer or None, never an overflow.
        for now in [f64::MAX, f64::MIN, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 8.64e15, -8.64e15] {
            let _ = parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now);
        }
        for bad in [
            "Sunday, 31-Feb-99 00:00:00 GMT",
            "Sun, 06-Nov-94 08:49:37 GMT",
            "Monday, 06-Nov-94 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sunday, 6-Nov-94 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37",
            "Sun Nov 6 08:49:37 1994",
            "Sun Nov 06 08:49:37 1994 GMT",
            "Mon Nov  6 08:49:37 1994",
            "Sun Feb 31 08:49:37 1994",
            "Sun Nov  6 8:49:37 1994",
            "Sun Nov  6 08:49:37 94",
        ] {
            assert_eq!(parse_retry_after(bad, 0.0), None, "{bad:?}");
        }
        for bad in [
            "",
            "-1",
            "1.5",
            "soon",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06-Nov-94 08:49:37 GMT",
            "Sunday, 06 Nov 1994 08:49:37 GMT",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, 0.0), None, "{bad:?}");
        }
    }
}
