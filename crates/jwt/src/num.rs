//! `powi`, which only std has on stable: the JSON validator scales a claim's digits with it.

/// Like `f64::powi`: the same square-and-multiply as the compiler's `__powidf2`, which is what
/// `powi` calls on wasm32, so results are bit for bit what they were with std.
pub fn powi(mut base: f64, n: i32) -> f64 {
    let mut rest = n.unsigned_abs();
    let mut product = 1.0;
    loop {
        if rest & 1 == 1 {
            product *= base;
        }
        rest >>= 1;
        if rest == 0 {
            break;
        }
        base *= base;
    }
    if n < 0 {
        1.0 / product
    } else {
        product
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powi_matches_std() {
        for base in [2.0, 10.0, 0.5, -3.0] {
            for n in [-400, -16, -1, 0, 1, 2, 7, 16, 22, 23, 308, 400, i32::MAX, i32::MIN] {
                let (ours, std) = (powi(base, n), base.powi(n));
                assert!(
                    ours == std || (ours.is_nan() && std.is_nan()) || (ours - std).abs() <= std.abs() * 1e-15,
                    "{base}^{n}: {ours} vs {std}"
                );
            }
        }
        assert_eq!(powi(10.0, 22), 1e22);
        assert_eq!(powi(2.0, 10), 1024.0);
    }
}
