//! The wasm-bindgen layer: converts between JS values and the pure Rust modules, nothing more.

pub mod client;
pub mod errors;
pub(crate) mod http;
pub mod integration;
pub(crate) mod js;
pub mod jwt;
mod options;
#[cfg(feature = "server")]
pub mod server;
