//! Rust core of `@spike/sdk`. The parts (ARCHITECTURE.md has the whole picture):
//!
//! - `jwt`: the JWT decoder;
//! - `client`: `SpikeClient`'s token state machine and retry policy, sans-IO;
//! - `server`: the Node-only helpers (cargo feature `server`);
//! - `common`: error codes, message text, option checks, shared by all three;
//! - `wasm`: the wasm-bindgen layer, bindings only: it converts JS values and calls the parts.
//!
//! Every part but `wasm` is pure Rust (no JS types) and tested natively with `cargo test`.
//!
//! A panic inside wasm traps and can leave the instance unusable for every later call, so
//! library code may not unwrap, expect, panic or index; bad input returns an error instead.
//!
//! The browser build (wasm32 without the `server` feature) is `no_std` + `alloc`: std's panic
//! and formatting machinery, thread-locals and allocator glue were over half of its wasm. A
//! panic there (none is reachable: clippy denies the ways to write one) traps without
//! formatting anything. The Node build (`server`) and native tests keep std.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "server")), no_std)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::unreachable, clippy::todo)
)]

extern crate alloc;

pub mod client;
pub mod common;
pub mod jwt;
#[cfg(feature = "server")]
pub mod server;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

/// The browser build's panic handler: trap, format nothing (a trap surfaces in JS as a
/// `RuntimeError: unreachable`). Only reachable through a bug, never through input.
#[cfg(all(target_arch = "wasm32", not(feature = "server")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// The browser build's allocator: dlmalloc, the one std uses on wasm32 (so no new allocator
/// code, only the crate std itself ships). wasm32 without atomics has a single thread.
#[cfg(all(target_arch = "wasm32", not(feature = "server")))]
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;
