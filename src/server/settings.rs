//! `validateAppSettings`: the checks the Spike console applies to application settings, so a
//! deployment script can fail before it calls the API.

use serde::Serialize;
use serde_json::Value;

use super::allowed::entry_problem;
use super::template::{build_redirect_url, RedirectValues};

pub const MAX_BACKFILL_DAYS: i64 = 90;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub field: String,
    pub problem: String,
}

fn problem(field: impl Into<String>, text: impl Into<String>) -> Problem {
    Problem { field: field.into(), problem: text.into() }
}

/// A JSON number that is a whole number (`3` or `3.0`), as i64.
fn integer(value: &Value) -> Option<i64> {
    let n = value.as_f64()?;
    (n.fract() == 0.0 && n.abs() < 9.0e15).then_some(n as i64)
}

fn check_https_url(field: &str, value: &Value, out: &mut Vec<Problem>) {
    let ok = value.as_str().and_then(|s| url::Url::parse(s).ok()).is_some_and(|u| {
        u.scheme() == "https" && u.host_str().is_some_and(|h| !h.is_empty()) && u.username().is_empty() && u.password().is_none()
    });
    if !ok {
        out.push(problem(field, "must be an absolute https URL without credentials"));
    }
}

/// The settings `validate_app_settings` knows; any other field is a problem of its own.
pub const SETTINGS: &[&str] = &["maxBackfillDays", "retentionDays", "webhookUrl", "defaultRedirectUrl", "allowedRedirectDomains"];

/// Returns every problem found (empty when the settings are valid). Never fails. A field it does
/// not know is a problem (`webhookURL`: a misspelled field would otherwise pass unchecked).
pub fn validate_app_settings(settings: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    let Some(obj) = settings.as_object() else {
        out.push(problem("settings", "must be an object"));
        return out;
    };
    for key in obj.keys().filter(|k| !SETTINGS.contains(&k.as_str())) {
        let hint = crate::common::options::suggestion(key, SETTINGS).map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default();
        out.push(problem(key.as_str(), format!("is not a setting{hint}; the settings are {}", SETTINGS.join(", "))));
    }
    let retention = match obj.get("retentionDays") {
        None | Some(Value::Null) => None,
        Some(v) => match integer(v).filter(|d| *d >= 1) {
            Some(d) => Some(d),
            None => {
                out.push(problem("retentionDays", "must be a whole number of days >= 1"));
                None
            }
        },
    };
    match obj.get("maxBackfillDays").map(integer) {
        None => out.push(problem("maxBackfillDays", "is required")),
        Some(None) => out.push(problem("maxBackfillDays", "must be a whole number of days")),
        Some(Some(d)) if !(1..=MAX_BACKFILL_DAYS).contains(&d) => out.push(problem("maxBackfillDays", "must be between 1 and 90")),
        Some(Some(d)) => {
            if let Some(r) = retention.filter(|r| d > *r) {
                out.push(problem("maxBackfillDays", format!("must not exceed the retention policy ({r} days)")));
            }
        }
    }
    if let Some(v) = obj.get("webhookUrl").filter(|v| !v.is_null()) {
        check_https_url("webhookUrl", v, &mut out);
    }
    if let Some(v) = obj.get("defaultRedirectUrl").filter(|v| !v.is_null()) {
        let sample = RedirectValues {
            application_user_id: Some("user".into()),
            provider_slug: Some("provider".into()),
            provider_user_id: Some("puser".into()),
        };
        match v.as_str().map(|t| build_redirect_url(t, &sample)) {
            None => out.push(problem("defaultRedirectUrl", "must be a string")),
            Some(Err(e)) => out.push(problem("defaultRedirectUrl", e.message)),
            Some(Ok(_)) => {}
        }
    }
    match obj.get("allowedRedirectDomains") {
        None | Some(Value::Null) => {}
        Some(Value::Array(entries)) => {
            for (i, entry) in entries.iter().enumerate() {
                let text = match entry.as_str() {
                    Some(entry) => entry_problem(entry),
                    None => Some("must be a string"),
                };
                if let Some(text) = text {
                    out.push(problem(format!("allowedRedirectDomains[{i}]"), text));
                }
            }
        }
        Some(_) => out.push(problem("allowedRedirectDomains", "must be an array of strings")),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(v: Value) -> Vec<String> {
        validate_app_settings(&v).into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn valid_settings_have_no_problems() {
        let v = json!({
            "maxBackfillDays": 30, "retentionDays": 365, "webhookUrl": "https://hooks.example.com/spike",
            "defaultRedirectUrl": "https://app.example.com/done?u={application_user_id}&p={provider_slug}",
            "allowedRedirectDomains": ["app.example.com", "*.example.org", "myapp://"]
        });
        assert_eq!(validate_app_settings(&v), vec![]);
        assert_eq!(fields(json!({ "maxBackfillDays": 90.0 })), Vec::<String>::new());
    }

    #[test]
    fn reports_each_problem() {
        assert_eq!(fields(json!({})), ["maxBackfillDays"]);
        // A misspelled field is reported, not skipped (its value is then not checked at all).
        let problems = validate_app_settings(&json!({ "maxBackfillDays": 10, "webhookURL": "http://x" }));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "webhookURL");
        assert!(problems[0].problem.starts_with("is not a setting (did you mean 'webhookUrl'?)"), "{}", problems[0].problem);
        assert_eq!(fields(json!(null)), ["settings"]);
        for bad in [json!(0), json!(91), json!(1.5), json!("30"), json!(null)] {
            assert_eq!(fields(json!({ "maxBackfillDays": bad })), ["maxBackfillDays"], "{bad}");
        }
        let over = validate_app_settings(&json!({ "maxBackfillDays": 60, "retentionDays": 30 }));
        assert_eq!(over[0].problem, "must not exceed the retention policy (30 days)");
        assert_eq!(fields(json!({ "maxBackfillDays": 1, "retentionDays": 0 })), ["retentionDays"]);
        for bad in ["http://hooks.example.com", "/hooks", "https://u:p@hooks.example.com", "not a url"] {
            assert_eq!(fields(json!({ "maxBackfillDays": 1, "webhookUrl": bad })), ["webhookUrl"], "{bad}");
        }
        for bad in ["https://x/{user_id}", "/relative", "https://x/{"] {
            assert_eq!(fields(json!({ "maxBackfillDays": 1, "defaultRedirectUrl": bad })), ["defaultRedirectUrl"], "{bad}");
        }
        assert_eq!(
            fields(json!({ "maxBackfillDays": 1, "allowedRedirectDomains": ["ok.com", "bad domain", 3] })),
            ["allowedRedirectDomains[1]", "allowedRedirectDomains[2]"]
        );
        assert_eq!(fields(json!({ "maxBackfillDays": 1, "allowedRedirectDomains": "ok.com" })), ["allowedRedirectDomains"]);
    }

    #[test]
    fn dangerous_redirects_are_problems() {
        for url in [
            "javascript:alert(1)//{provider_slug}",
            "data:text/html,x",
            "file:///etc/passwd",
            " JAVASCRIPT:alert(1)",
            "http://app.example.com/",
        ] {
            let problems = validate_app_settings(&json!({ "maxBackfillDays": 1, "defaultRedirectUrl": url }));
            assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["defaultRedirectUrl"], "{url}");
        }
        let problems =
            validate_app_settings(&json!({ "maxBackfillDays": 1, "allowedRedirectDomains": ["javascript://", "Data://", "myapp://"] }));
        assert_eq!(problems.len(), 2);
        assert!(problems.iter().all(|p| p.problem.contains("script-capable")), "{problems:?}");
        let ok = json!({ "maxBackfillDays": 1, "defaultRedirectUrl": "myapp://callback?u={application_user_id}", "allowedRedirectDomains": ["myapp://"] });
        assert_eq!(validate_app_settings(&ok), vec![]);
    }
}
