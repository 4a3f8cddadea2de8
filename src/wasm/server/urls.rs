//! `buildRedirectUrl`, `isAllowedRedirect`, `validateAppSettings`.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::common::error::SdkError;
use crate::server::{allowed, settings, template};
use crate::wasm::errors::to_js;
use crate::wasm::options;

#[wasm_bindgen(js_name = buildRedirectUrl, skip_typescript)]
pub fn build_redirect_url(template: &JsValue, values: &JsValue) -> Result<String, JsValue> {
    let template = template.as_string().ok_or_else(|| to_js(SdkError::invalid_options("template must be a string")))?;
    const BAD: &str = "redirect values must be strings";
    let values = if values.is_object() {
        template::RedirectValues {
            application_user_id: options::string(values, "application_user_id", BAD)?,
            provider_slug: options::string(values, "provider_slug", BAD)?,
            provider_user_id: options::string(values, "provider_user_id", BAD)?,
        }
    } else {
        template::RedirectValues::default()
    };
    template::build_redirect_url(&template, &values).map_err(to_js)
}

/// Never throws: anything that is not a string URL and an array of strings is `false`.
#[wasm_bindgen(js_name = isAllowedRedirect, skip_typescript)]
pub fn is_allowed_redirect(url: &JsValue, allowed_domains: &JsValue) -> bool {
    let (Some(url), true) = (url.as_string(), Array::is_array(allowed_domains)) else {
        return false;
    };
    let domains: Vec<String> = Array::from(allowed_domains).iter().filter_map(|d| d.as_string()).collect();
    allowed::is_allowed_redirect(&url, &domains)
}

/// Never throws: settings that cannot even be read as JSON are one problem on `settings`.
#[wasm_bindgen(js_name = validateAppSettings, skip_typescript)]
pub fn validate_app_settings(settings_value: &JsValue) -> JsValue {
    let parsed = js_sys::JSON::stringify(settings_value)
        .ok()
        .and_then(|s| s.as_string())
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .unwrap_or(serde_json::Value::Null);
    let problems = settings::validate_app_settings(&parsed);
    let out = Array::new();
    for p in problems {
        let obj = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&obj, &"field".into(), &p.field.into());
        let _ = js_sys::Reflect::set(&obj, &"problem".into(), &p.problem.into());
        out.push(&obj);
    }
    out.into()
}
