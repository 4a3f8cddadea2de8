//! The properties each fuzz target checks. Shared by the libFuzzer targets (`npm run fuzz`) and
//! by `tests/fuzz_corpus.rs`, which replays the committed corpus in `cargo test` on stable Rust.
//! Every check must hold for any input: no panic, and the stated invariant.

use spike_sdk::client::{integration, retry};
use spike_sdk::common::error::ErrorCode;
use spike_sdk::jwt::{self, json};
use spike_sdk::server::{allowed, signature, template, webhook};

pub type Check = fn(&[u8]);

/// Names and checks, for the corpus replay.
pub const TARGETS: [(&str, Check); 6] = [
    ("jwt_decode", jwt_decode),
    ("json_scanner", json_scanner),
    ("retry_after", retry_after),
    ("redirect_check", redirect_check),
    ("redirect_template", redirect_template),
    ("webhook_header", webhook_header),
];

fn text(data: &[u8]) -> &str {
    std::str::from_utf8(data).unwrap_or("")
}

/// Any string: `invalid_token` or a payload that is a JSON object; decoding it in place (the
/// `decodeToken` fast path, given UTF-8 as JS's encoder gives it) agrees.
pub fn jwt_decode(data: &[u8]) {
    let decoded = jwt::decode(text(data));
    match &decoded {
        Ok(decoded) => assert!(json::is_object(&decoded.payload_json)),
        Err(e) => assert_eq!(e.code, ErrorCode::InvalidToken),
    }
    if std::str::from_utf8(data).is_ok() {
        let mut scratch = data.to_vec();
        scratch.resize(jwt::in_place_room(data.len()), 0);
        let in_place = jwt::decode_in_place(&mut scratch, data.len()).map(|n| scratch[data.len()..data.len() + n].to_vec());
        assert_eq!(in_place, decoded.ok().map(|d| d.payload_json.into_bytes()));
    }
    let _ = integration::parse_integration_redirect(text(data));
}

/// Differential against serde_json: what our scanner accepts, serde_json accepts too (except
/// numbers beyond f64 and lone surrogate escapes, which JSON.parse takes and serde_json refuses),
/// and the numeric time claims agree.
pub fn json_scanner(data: &[u8]) {
    let input = text(data);
    let ours = json::object_time_claims(input);
    let theirs = serde_json::from_str::<serde_json::Value>(input);
    match (&ours, &theirs) {
        (Ok(claims), Ok(value)) => {
            let obj = value.as_object().expect("we accepted a non-object");
            for (name, ours) in [("exp", claims.exp), ("iat", claims.iat), ("nbf", claims.nbf)] {
                let theirs = obj.get(name).and_then(serde_json::Value::as_f64);
                match (ours, theirs) {
                    (Some(a), Some(b)) => assert!((a - b).abs() <= b.abs() * 1e-9 + 1e-9, "{name}: {a} vs {b}"),
                    (a, b) => assert_eq!(a.is_some(), b.is_some(), "{name}"),
                }
            }
        }
        (Ok(_), Err(e)) => {
            let why = e.to_string();
            assert!(
                ["number out of range", "surrogate", "hex escape", "recursion limit"].iter().any(|w| why.contains(w)),
                "we accepted what serde_json refuses: {why}"
            );
        }
        (Err(json::JsonError::Syntax), Ok(value)) => {
            // serde_json nests deeper (128) than we allow (64).
            let depth = input.bytes().filter(|b| *b == b'{' || *b == b'[').count();
            assert!(depth > json::MAX_DEPTH, "we refused valid JSON: {value}");
        }
        (Err(json::JsonError::NotObject), Ok(value)) => assert!(!value.is_object()),
        _ => {}
    }
}

/// Never negative or NaN, and backoff stays inside its bounds for any retry count.
pub fn retry_after(data: &[u8]) {
    let now = 1.8e12;
    if let Some(ms) = retry::parse_retry_after(text(data), now) {
        assert!(ms >= 0.0 && !ms.is_nan());
        let delay = retry::backoff_ms(0, Some(ms), 0.5);
        assert!((0.0..=retry::MAX_RETRY_AFTER_MS).contains(&delay));
    }
    let n = data.first().copied().map_or(0, u32::from);
    let delay = retry::backoff_ms(n, None, f64::from(data.get(1).copied().unwrap_or(0)) / 255.0);
    assert!((0.0..=retry::MAX_DELAY_MS).contains(&delay));
}

/// First line: a URL; other lines: allow-list entries. An allowed URL has no backslash and no
/// userinfo or escape in its authority, no script-capable or local scheme, and an allowed
/// http(s) URL's host is listed (exactly, or
/// under a `*.` entry).
pub fn redirect_check(data: &[u8]) {
    let mut lines = text(data).split('\n');
    let url = lines.next().unwrap_or("");
    let list: Vec<String> = lines.map(str::to_owned).collect();
    if !allowed::is_allowed_redirect(url, &list) {
        return;
    }
    assert!(!url.contains('\\'), "{url}");
    assert!(!spike_sdk::server::scheme::is_dangerous(url), "dangerous scheme allowed: {url:?}");
    let parsed = url::Url::parse(url).expect("an allowed URL parses");
    assert!(parsed.username().is_empty() && parsed.password().is_none(), "userinfo in {url}");
    // The authority starts only at a `//` right after `scheme:`.
    let authority =
        url.split_once(':').and_then(|(_, rest)| rest.strip_prefix("//")).map_or("", |a| a.split(['/', '?', '#']).next().unwrap_or(""));
    assert!(!authority.contains('@') && !authority.contains('%'), "{url}");
    if matches!(parsed.scheme(), "http" | "https") {
        let host = parsed.host_str().unwrap_or("").to_ascii_lowercase();
        let listed = list.iter().any(|entry| {
            let entry = entry.trim().to_ascii_lowercase();
            let bare = match entry.rsplit_once(':') {
                Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h.to_owned(),
                _ => entry.clone(),
            };
            bare == host || entry.strip_prefix("*.").is_some_and(|base| host.ends_with(&format!(".{base}")))
        });
        assert!(listed, "{url} allowed by {list:?}");
    }
}

/// Template and values separated by NUL bytes. A filled URL has no braces left (values are
/// percent-encoded, text braces are errors), parses, and has no script-capable or local scheme.
pub fn redirect_template(data: &[u8]) {
    let mut parts = text(data).split('\0');
    let tpl = parts.next().unwrap_or("");
    let values = template::RedirectValues {
        application_user_id: parts.next().map(str::to_owned),
        provider_slug: parts.next().map(str::to_owned),
        provider_user_id: parts.next().map(str::to_owned),
    };
    if let Ok(url) = template::build_redirect_url(tpl, &values) {
        assert!(!url.contains('{') && !url.contains('}'), "{url}");
        assert!(!spike_sdk::server::scheme::is_dangerous(&url), "dangerous scheme built: {url:?}");
        assert!(template::check_template(tpl).is_ok());
    }
}

/// Any header: parsing gives the bytes the hex spells, and the right signature always verifies.
pub fn webhook_header(data: &[u8]) {
    let header = text(data);
    if let Some(bytes) = webhook::parse_signature_header(header) {
        let hex = header.trim();
        let hex = hex.strip_prefix("sha256=").unwrap_or(hex);
        assert_eq!(signature::to_hex(&bytes), hex.to_ascii_lowercase());
    }
    let (key, body) = data.split_at(data.len() / 2);
    let _ = webhook::verify(key, body, header);
    let right = signature::to_hex(&signature::hmac_sha256(key, body));
    assert!(webhook::verify(key, body, &right));
    assert!(webhook::verify(key, body, &right.to_uppercase()));
}
