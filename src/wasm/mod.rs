//! The wasm-bindgen layer: converts between JS values and the pure Rust parts (`crate::jwt`,
//! `crate::client`, `crate::server`, `crate::common`). No rule lives here: a rule that could be
//! tested without JS belongs in a pure part. The server helpers' layer (`server/`) also runs
//! their few IO steps with futures (ARCHITECTURE.md, "Two IO models").

pub mod client;
pub mod errors;
#[cfg(feature = "server")]
pub(crate) mod http;
pub mod integration;
pub(crate) mod js;
pub mod jwt;
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
