//! What every part of the SDK shares: the error codes (`error`), message building without
//! `core::fmt` (`text`), the float helpers `core` lacks (`num`), option checks with their
//! "did you mean" hints (`options`), and a token's fingerprint (`fingerprint`, computed by the
//! client's forced refresh and by the server's token handler).
//!
//! Pure: no JS types, no IO, no state. May not depend on `crate::client`, `crate::jwt` or
//! `crate::server`.

pub mod error;
pub mod fingerprint;
pub mod num;
pub mod options;
pub mod text;
