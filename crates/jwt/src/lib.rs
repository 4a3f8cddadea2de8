//! The JWT decoder's hot loops, in a crate of their own so that the build can optimise them for
//! speed (`[profile.*.package.spike-jwt] opt-level = 3` in the workspace's Cargo.toml) while the
//! rest of the wasm stays optimised for size: `decodeToken` spends its time here. Pure `no_std` +
//! `alloc`, no JS types; `spike-sdk`'s `jwt` module builds the decoder and its messages on them.
#![cfg_attr(not(test), no_std)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::unreachable, clippy::todo)
)]

extern crate alloc;

pub mod base64url;
pub mod dot;
pub mod json;
pub mod num;
