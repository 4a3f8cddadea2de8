//! The wasm-bindgen layer: converts between JS values and the pure Rust modules, nothing more.

pub mod client;
pub mod errors;
mod http;
pub mod integration;
mod js;
pub mod jwt;
mod options;
#[cfg(feature = "server")]
pub mod server;
