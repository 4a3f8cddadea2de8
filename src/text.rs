//! Building messages without `core::fmt`: `format!` pulls Rust's formatting machinery (several
//! KB, plus panic-message helpers) into the browser wasm, where every byte is downloaded.

/// The parts joined, like `format!("{a}{b}{c}")`.
use alloc::string::String;

pub fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// A non-negative integer in decimal, like `n.to_string()`.
pub fn uint(mut n: u64) -> String {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        if let Some(d) = digits.get_mut(start) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || start == 0 {
            break;
        }
    }
    digits.get(start..).map(|d| d.iter().map(|&b| char::from(b)).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_prints_integers() {
        assert_eq!(cat(&["a", "", "bc"]), "abc");
        assert_eq!(cat(&[]), "");
        for n in [0u64, 7, 10, 401, 65535, u64::MAX] {
            assert_eq!(uint(n), n.to_string());
        }
    }
}
