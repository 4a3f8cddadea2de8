//! Node-only helpers from the Spike backend docs (cargo feature `server`, absent from the
//! browser wasm). Pure Rust: the wasm layer in `src/wasm/server/` only converts values.
//!
//! Owns: the API-key secret and its redaction (`secret`), HMAC user signatures (`signature`),
//! webhook checks (`webhook`), minting tokens (`mint`) and the token handler's cache and
//! single flight (`token_cache`), redirect-URL building and checks (`allowed`, `scheme`,
//! `template`), app settings (`settings`), CORS (`cors`).
//! May not touch: JS types, `crate::client` (a server never holds a client's token state).
//! Unlike the client these helpers do their few HTTP calls from the wasm layer with futures;
//! ARCHITECTURE.md says why.

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
