//! The wasm-bindgen layer, run inside real JS engines: Node by default, headless Chromium with
//! `WASM_BINDGEN_USE_BROWSER=1` (scripts/test.mjs runs both).
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Reflect};
use spike_sdk::wasm::{client::SpikeCore, errors::set_error_class, jwt};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

const UTF8: &str =
    "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiSm9zw6kiLCJpYXQiOjE0MjU2NDQ5NjZ9.1CfFtdGUPs6q8kT3OGQSVlhEMdbuX0HfNSqum0023a0";

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap()
}

fn install_error_class() {
    // Stands in for the JS SpikeError class: records its arguments like the real one does.
    let class = Function::new_with_args(
        "code, message, options",
        "this.code = code; this.message = message; this.status = options.status; this.fromClass = true;",
    );
    set_error_class(class);
}

#[wasm_bindgen_test]
fn decodes_utf8_claims_into_a_js_object() {
    let claims = jwt::decode_token(&UTF8.into()).unwrap();
    assert_eq!(get(&claims, "name").as_string().as_deref(), Some("José"));
    assert_eq!(get(&claims, "iat").as_f64(), Some(1425644966.0));
}

#[wasm_bindgen_test]
fn bad_input_becomes_a_spike_error_and_the_module_keeps_working() {
    install_error_class();
    let inputs: Vec<JsValue> = vec![
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from_f64(42.0),
        js_sys::Object::new().into(),
        "".into(),
        "a.b.c".into(),
        "x".repeat(1 << 20).into(),
    ];
    for input in inputs {
        let err = jwt::decode_token(&input).unwrap_err();
        assert_eq!(get(&err, "code").as_string().as_deref(), Some("invalid_token"));
        assert_eq!(get(&err, "fromClass"), JsValue::TRUE);
    }
    assert!(jwt::decode_token(&UTF8.into()).is_ok());
}

#[wasm_bindgen_test]
fn is_token_expired_uses_js_time_and_validates_leeway() {
    // exp 1393286893 is in 2014.
    let old = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJmb28iOiJiYXIiLCJleHAiOjEzOTMyODY4OTMsImlhdCI6MTM5MzI2ODg5M30.4-iaDojEVl0pJQMjrbM1EzUIfAZgsbK_kgnVyVxFSVo";
    assert_eq!(jwt::is_token_expired(&old.into(), &JsValue::UNDEFINED), Ok(true));
    assert_eq!(jwt::is_token_expired(&UTF8.into(), &JsValue::UNDEFINED), Ok(false)); // no exp
    install_error_class();
    let err = jwt::is_token_expired(&old.into(), &JsValue::from_f64(-1.0)).unwrap_err();
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("invalid_options"));
}

#[wasm_bindgen_test]
fn client_constructor_requires_exactly_one_token_source() {
    install_error_class();
    let options = js_sys::Object::new();
    let err = SpikeCore::new(&options, &JsValue::UNDEFINED).err().unwrap();
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("invalid_options"));
    Reflect::set(&options, &"token".into(), &UTF8.into()).unwrap();
    let core = SpikeCore::new(&options, &JsValue::UNDEFINED).ok().unwrap();
    assert_eq!(get(&core.config(), "baseUrl").as_string().as_deref(), Some("https://api.spikelabs.com"));
    assert_eq!(get(&core.config(), "source").as_string().as_deref(), Some("token"));
    assert_eq!(core.decide(0.0), spike_sdk::wasm::client::TokenStep::Use, "a static token is used as it is");
}
