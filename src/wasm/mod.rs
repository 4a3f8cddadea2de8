//! The wasm-bindgen layer: converts between JS values and the pure Rust modules, nothing more.

pub mod client;
pub mod errors;
pub mod jwt;
mod options;
