//! Bindings for the Node-only helpers (cargo feature `server`).

pub mod handler;
pub mod mint;
pub mod signatures;
pub mod urls;

use wasm_bindgen::prelude::*;

use super::errors::to_js;
use crate::common::error::SdkError;

/// The API key must never reach a browser: refuse when a DOM is present (an app that bundles the
/// Node entry into a page by mistake, jsdom, an Electron renderer).
pub fn refuse_in_browser(what: &'static str) -> Result<(), JsValue> {
    let global = js_sys::global();
    let has = |name: &str| js_sys::Reflect::get(&global, &name.into()).is_ok_and(|v| !v.is_undefined());
    if has("window") && has("document") {
        return Err(to_js(SdkError::invalid_options(what)));
    }
    Ok(())
}

/// Refuses an unknown key in the options the JS glue reads itself (`createWebhookHandler`,
/// `toNodeHandler`), so every helper's option names live here.
#[wasm_bindgen(js_name = __checkOptions, skip_typescript)]
pub fn check_options(options: &JsValue, what: &str) -> Result<(), JsValue> {
    let (name, known): (&str, &[&'static str]) = match what {
        "createWebhookHandler" => ("createWebhookHandler", &["signatureKey", "onEvents", "onError", "maxBodyBytes"]),
        _ => ("toNodeHandler", &["maxBodyBytes"]),
    };
    if !options.is_object() {
        return Ok(());
    }
    super::options::only_known(options, name, known)
}
