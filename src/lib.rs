//! Rust core of `@spike/sdk`.
//!
//! Pure modules (no JS types) hold the logic and are tested natively with `cargo test`; the
//! `wasm` module is the thin wasm-bindgen layer that the JS entry points call.
//!
//! A panic inside wasm traps and can leave the instance unusable for every later call, so
//! library code may not unwrap, expect, panic or index; bad input returns an error instead.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::unreachable, clippy::todo)
)]

pub mod attempts;
pub mod base64url;
pub mod error;
pub mod expiry;
pub mod integration;
pub mod json;
pub mod jwt;
pub mod options;
pub mod retry;
pub mod text;
pub mod token;
#[cfg(feature = "server")]
pub mod server;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
