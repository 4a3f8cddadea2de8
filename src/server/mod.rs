//! Node-only helpers from the Spike backend docs (cargo feature `server`, absent from the
//! browser wasm). Pure Rust: the wasm layer in `src/wasm/server/` only converts values.

pub mod allowed;
pub mod cors;
pub mod mint;
pub mod scheme;
pub mod secret;
pub mod settings;
pub mod signature;
pub mod template;
pub mod token_cache;
pub mod webhook;
