//! The few `f64` functions the browser build needs that only std has (`core` has no `floor`,
//! `round` on stable; `powi` is the decoder's, `spike_jwt::num`). Each gives the same bits as std's for every input.

/// 2^52: every `f64` at or beyond it in magnitude is an integer already.
const INTEGRAL: f64 = 4_503_599_627_370_496.0;
const SIGN: u64 = 1 << 63;

/// `x` rounded toward zero when it may have a fraction; `None` when it is an integer already
/// (or NaN or infinite), which every function here returns unchanged.
fn trunc(x: f64) -> Option<f64> {
    (x > -INTEGRAL && x < INTEGRAL).then_some(x as i64 as f64)
}

/// `r` with the sign of `x`: a zero result keeps the input's sign, as std's does.
fn signed_zero(r: f64, x: f64) -> f64 {
    if r == 0.0 {
        f64::from_bits(x.to_bits() & SIGN)
    } else {
        r
    }
}

/// Like `f64::floor`.
pub fn floor(x: f64) -> f64 {
    match trunc(x) {
        Some(t) if t > x => t - 1.0,
        Some(t) => signed_zero(t, x),
        None => x,
    }
}

/// Like `f64::round`: halves away from zero.
pub fn round(x: f64) -> f64 {
    match trunc(x) {
        Some(t) if x - t >= 0.5 => t + 1.0,
        Some(t) if t - x >= 0.5 => t - 1.0,
        Some(t) => signed_zero(t, x),
        None => x,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: [f64; 24] = [
        0.0,
        -0.0,
        0.3,
        -0.3,
        0.5,
        -0.5,
        0.7,
        -0.7,
        1.0,
        -1.0,
        1.5,
        -1.5,
        2.5,
        -2.5,
        1e15 + 0.5,
        -1e15 - 0.5,
        4_503_599_627_370_495.5,
        -4_503_599_627_370_495.5,
        9.007_199_254_740_993e15,
        1e300,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MIN_POSITIVE,
        1_700_000_000_123.456,
    ];

    #[test]
    fn floor_and_round_match_std_bit_for_bit() {
        for x in SAMPLES {
            assert_eq!(floor(x).to_bits(), x.floor().to_bits(), "floor {x}");
            assert_eq!(round(x).to_bits(), x.round().to_bits(), "round {x}");
        }
        assert!(floor(f64::NAN).is_nan() && round(f64::NAN).is_nan());
    }
}
