//! The JS built-ins the wasm layer calls, declared here instead of taken from `js-sys`: linking
//! js-sys brings its futures/JSPI runtime, its lazily cached `globalThis` lookup and a table of
//! closure shims into the browser wasm whether they are used or not. Property keys cross as
//! `&str` (decoded by the glue), so no temporary JS string is made and dropped per key. The
//! Node-only helpers (cargo feature `server`) still use js-sys.
//!
//! Few distinct import signatures: V8 (Node 20) compiles a wasm-to-JS wrapper with TurboFan for
//! each distinct signature when the module is compiled, ~0.12 ms of cold start apiece, whether
//! the import is ever called or not. So the imports on cold paths (a client's options, a token's
//! `expires_at`, errors, `isTokenExpired`) take and give `JsValue`s and share the signatures of
//! the others (`(ref, ref) -> ref` and the like); the private declarations below say which.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = get)]
    fn reflect_get(target: &JsValue, key: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = set)]
    fn reflect_set(target: &JsValue, key: &str, value: &JsValue) -> Result<bool, JsValue>;

    /// `Reflect.construct(class, args)`.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = construct)]
    pub fn construct(class: &JsValue, args: &JsValue) -> Result<JsValue, JsValue>;

    /// `JSON.parse(text)`.
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    pub fn parse_json(text: &str) -> Result<JsValue, JsValue>;

    /// `JSON.stringify(value)`; throws on a cycle or a BigInt.
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = stringify)]
    pub fn stringify_json(value: &JsValue) -> Result<JsValue, JsValue>;

    /// `Reflect.apply(f, this, args)`.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = apply)]
    fn reflect_apply(f: &JsValue, this: &JsValue, args: &JsValue) -> Result<JsValue, JsValue>;

    /// `Object.getPrototypeOf(value)`.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = getPrototypeOf)]
    fn prototype_of(value: &JsValue) -> Result<JsValue, JsValue>;

    /// `Date.now()`, as `() -> ref` (see the module docs).
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> JsValue;

    /// `Date.parse(text)`, as `(ref) -> ref`.
    #[wasm_bindgen(js_namespace = Date, js_name = parse)]
    fn date_parse(text: &JsValue) -> JsValue;

    /// `Object.entries(object)` (getters run, and may throw).
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    pub fn entries(object: &JsValue) -> Result<JsValue, JsValue>;

    /// `Object.keys(object)`: own enumerable string keys (no getters run; a Proxy's trap may throw).
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    pub fn keys(object: &JsValue) -> Result<JsValue, JsValue>;

    /// `[]`.
    #[wasm_bindgen(js_namespace = Array, js_name = of)]
    pub fn empty_array() -> JsValue;

    /// `Array.from(iterable)`.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    pub fn array_from(iterable: &JsValue) -> Result<JsValue, JsValue>;

    /// `Reflect.get(array, index)`, as `(ref, ref) -> ref`.
    #[wasm_bindgen(js_namespace = Reflect, js_name = get)]
    fn get_index(array: &JsValue, index: &JsValue) -> JsValue;

    /// `Array.of(a, b, c)`, as `(ref, ref, ref) -> ref`.
    #[wasm_bindgen(js_namespace = Array, js_name = of)]
    fn array_of3(a: &JsValue, b: &JsValue, c: &JsValue) -> JsValue;

    /// `Object.is(a, b)`, as `(ref, ref) -> ref` (the `==` of two `JsValue`s has a signature of
    /// its own).
    #[wasm_bindgen(js_namespace = Object, js_name = is)]
    fn object_is(a: &JsValue, b: &JsValue) -> JsValue;

    #[wasm_bindgen(js_name = Object)]
    type JsObject;

    #[wasm_bindgen(constructor, js_class = "Object")]
    fn new() -> JsObject;

    #[wasm_bindgen(js_name = Error)]
    type JsError;

    #[wasm_bindgen(constructor, js_class = "Error")]
    fn new(message: &str) -> JsError;

    #[wasm_bindgen(js_name = URL)]
    type Url;

    /// `new URL(url, base)`, as `(ref, ref) -> ref`.
    #[wasm_bindgen(catch, constructor, js_class = "URL")]
    fn new(url: &JsValue, base: &JsValue) -> Result<Url, JsValue>;

    #[wasm_bindgen(js_name = Headers)]
    type JsHeaders;

    #[wasm_bindgen(catch, constructor, js_class = "Headers")]
    fn new(init: &JsValue) -> Result<JsHeaders, JsValue>;

    /// `ArrayBuffer.isView(value)`: a typed array or a DataView.
    #[wasm_bindgen(js_namespace = ArrayBuffer, js_name = isView)]
    pub fn is_buffer_view(value: &JsValue) -> bool;

    #[wasm_bindgen(js_name = ArrayBuffer)]
    type JsArrayBuffer;

    #[wasm_bindgen(js_name = Blob)]
    type JsBlob;

    #[wasm_bindgen(js_name = FormData)]
    type JsFormData;

    #[wasm_bindgen(js_name = URLSearchParams)]
    type JsUrlSearchParams;

    #[wasm_bindgen(js_name = globalThis)]
    type Global;

    #[wasm_bindgen(static_method_of = Global, js_class = "globalThis", getter)]
    fn document() -> JsValue;

    #[wasm_bindgen(static_method_of = Global, js_class = "globalThis", getter)]
    fn location() -> JsValue;
}

/// `Date.now()`.
pub fn now() -> f64 {
    date_now().as_f64().unwrap_or(f64::NAN)
}

/// `Date.parse(text)`: milliseconds since the epoch, or NaN.
pub fn parse_date(text: &str) -> f64 {
    date_parse(&JsValue::from_str(text)).as_f64().unwrap_or(f64::NAN)
}

/// `array[index]`, for arrays this module made or got from a built-in (no getters run).
pub fn at(array: &JsValue, index: u32) -> JsValue {
    get_index(array, &JsValue::from(index))
}

/// `Array.of(code, message, options)`: the arguments of `new SpikeError(...)`.
pub fn error_args(code: &str, message: &str, options: &JsValue) -> JsValue {
    array_of3(&JsValue::from_str(code), &JsValue::from_str(message), options)
}

/// `{}`.
pub fn object() -> JsValue {
    JsObject::new().into()
}

/// `new Error(message)`.
pub fn error(message: &str) -> JsValue {
    JsError::new(message).into()
}

/// `new URL(url, base)`; `Err` for a bad URL, or where there is no `URL` class.
pub fn url(url: &str, base: &JsValue) -> Result<JsValue, JsValue> {
    Url::new(&JsValue::from_str(url), base).map(Into::into)
}

/// `new Headers(init)`; `Err` for what fetch would refuse as headers, or where there is no
/// `Headers` class.
pub fn headers(init: &JsValue) -> Result<JsValue, JsValue> {
    JsHeaders::new(init).map(Into::into)
}

/// Whether `value` is a `Headers` (of this realm).
pub fn is_headers(value: &JsValue) -> bool {
    value.is_instance_of::<JsHeaders>() || (value.is_object() && is_other_realm_headers(value))
}

/// Whether `value` is another realm's `Headers` (an iframe's): this realm's real
/// `Headers.prototype.keys` accepts only a `Headers` (a WebIDL brand check, which holds across
/// realms), so a class that merely looks like one is not taken for one.
fn is_other_realm_headers(value: &JsValue) -> bool {
    let Ok(keys) = headers(&JsValue::UNDEFINED).and_then(|h| prototype_of(&h)).map(|proto| get(&proto, "keys")) else { return false };
    reflect_apply(&keys, value, &empty_array()).is_ok()
}

/// Whether fetch sends `value` as it is and can send it again: `URLSearchParams`, `FormData`,
/// `Blob` (and `File`), `ArrayBuffer`, a typed array or `DataView`. (The glue's `instanceof` of a
/// class the runtime lacks is false, not a throw.)
pub fn is_replayable_fetch_body(value: &JsValue) -> bool {
    is_buffer_view(value)
        || value.is_instance_of::<JsArrayBuffer>()
        || value.is_instance_of::<JsBlob>()
        || value.is_instance_of::<JsFormData>()
        || value.is_instance_of::<JsUrlSearchParams>()
}

/// Whether `value` is a plain object (`{...}` or `Object.create(null)`, also another realm's), the
/// kind of body that is sent as JSON.
pub fn is_plain_object(value: &JsValue) -> bool {
    if !value.is_object() {
        return false;
    }
    let proto = prototype_of(value).unwrap_or(JsValue::UNDEFINED);
    if proto.is_null() || prototype_of(&object()).is_ok_and(|object_proto| object_is(&proto, &object_proto).is_truthy()) {
        return true;
    }
    // Another realm's plain object (an iframe's, a Node `vm` context's): by shape, its prototype
    // is that realm's `Object.prototype`, whose own prototype is null.
    proto.is_object()
        && prototype_of(&proto).is_ok_and(|p| p.is_null())
        && get(&get(&proto, "constructor"), "name").as_string().as_deref() == Some("Object")
}

/// `globalThis.document` (`undefined` outside a page).
pub fn document() -> JsValue {
    Global::document()
}

/// `globalThis.location` (`undefined` where there is none).
pub fn location() -> JsValue {
    Global::location()
}

/// `target[key]`; `undefined` when reading it throws (a getter, a proxy) or `target` is not an
/// object.
pub fn get(target: &JsValue, key: &str) -> JsValue {
    reflect_get(target, key).unwrap_or(JsValue::UNDEFINED)
}

/// `target[key] = value`; ignores a failure (a frozen object, a setter that throws).
pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = reflect_set(target, key, value);
}

/// `globalThis[name]`, when defined.
#[cfg(feature = "server")]
pub fn global(name: &str) -> Option<JsValue> {
    Some(get(&js_sys::global(), name)).filter(|v| !v.is_undefined())
}

/// Calls `target[method](...args)`.
#[cfg(feature = "server")]
pub fn call_method(target: &JsValue, method: &str, args: &js_sys::Array) -> Result<JsValue, JsValue> {
    use wasm_bindgen::JsCast;
    let f: js_sys::Function = get(target, method).dyn_into()?;
    js_sys::Reflect::apply(&f, target, args)
}

/// Awaits any value (a promise, a thenable or a plain value).
#[cfg(feature = "server")]
pub async fn resolve(value: JsValue) -> Result<JsValue, JsValue> {
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&value)).await
}
