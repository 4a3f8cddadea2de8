//! The wasm-bindgen layer: converts between JS values and the pure Rust parts (`crate::jwt`,
//! `crate::client`, `crate::server`, `crate::common`). What lives here is reading JS values: each
//! option's type, range and default where it is read (`client/config.rs`, the server helpers'
//! option readers). Decisions about tokens, retries, URLs, signatures and redirects are in the
//! pure parts, tested without JS. The server helpers' layer (`server/`) also runs their few IO
//! steps with futures, and says what `getUser` may return (ARCHITECTURE.md, "Two IO models").

pub mod client;
pub mod errors;
#[cfg(feature = "server")]
pub(crate) mod http;
pub mod integration;
pub(crate) mod js;
pub mod jwt;
mod one_thread;
mod options;
#[cfg(feature = "server")]
pub mod server;

use wasm_bindgen::prelude::*;

/// Pages (64 KiB each) of this instance's linear memory, for the memory-growth test. Not part
/// of the public API (the JS entries do not re-export it).
#[wasm_bindgen(js_name = "__memoryPages", skip_typescript)]
pub fn memory_pages() -> usize {
    core::arch::wasm32::memory_size(0)
}
