//! Rust core of `@spike/sdk`.
//!
//! Pure modules (no JS types) hold the logic and are tested natively with `cargo test`; the
//! `wasm` module is the thin wasm-bindgen layer that the JS entry points call.

pub mod base64url;
pub mod error;
pub mod jwt;
pub mod options;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
