//! The client's decisions, with no IO: `SpikeClient`'s token state machine and request policy.
//!
//! Sans-IO (as quinn-proto): every function decides synchronously from its inputs; the current
//! time (`now_ms`) and randomness (`random`) are passed in, never read here. The JS driver
//! (`js/client/driver.js`) performs the IO (fetch, timers, signals, the token source) through the
//! wasm layer in `crate::wasm::client`.
//!
//! Owns:
//! - `token`: the token state machine (the current token, a static one too; whether a refresh
//!   runs, its epoch, the back-off after a failed refresh, the refused token);
//! - `expiry`: when a token is due, on the local clock;
//! - `attempts` and `retry`: what a request does after each attempt (the retry policy, backoff,
//!   `Retry-After`);
//! - `options`: exactly one token source, the token endpoint's method and credentials, the
//!   option names;
//! - `source`: checking and installing what a token source produced;
//! - `requests`: request URLs (same origin only) and the errors for non-2xx answers;
//! - `integration`: reading the redirect query Spike appends after a provider connection.
//!
//! May not touch: JS types (`wasm_bindgen`), the server helpers (`crate::server`).

pub mod attempts;
pub mod expiry;
pub mod integration;
pub mod options;
pub mod requests;
pub mod retry;
pub mod source;
pub mod token;
