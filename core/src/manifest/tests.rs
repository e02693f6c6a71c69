//! The manifest's tests that read a whole document: the contract's example, the
//! embedded example, defaults, and every kind of mistake reported at its path in
//! document order. The helpers here (a minimal valid manifest to break one thing at a
//! time) are shared with the tests beside each section.

use super::checker::is_valid_id;
use super::*;
pub(super) use serde_json::{json, Value};

/// The example manifest of contract §2, verbatim.
pub(super) const SPEC_EXAMPLE: &str = r#"{
  "schema": 1,
  "policy": {"id": "phocol", "version": "3.1", "effective": "2025-03-01",
         "controller": {"name": "Example Ltd.", "contact": "privacy@example.com"},
         "url": "https://example.com/privacy"},
  "settings": {"consent_ttl_days": 395, "reask_after_denial_days": 180,
           "reprompt_after_denial_hours": 48, "unknown_age": "adult",
           "decision_log_retention_days": 400},
  "default_jurisdiction": "default",
  "jurisdictions": [
{"id": "CN", "law": "pipl", "age_of_consent": 14, "countries": ["CN"]},
{"id": "EEA", "law": "gdpr", "age_of_consent": 16, "countries": ["DE", "FR"]},
{"id": "US", "law": "opt_out", "age_of_consent": 13, "countries": ["US"]},
{"id": "default", "law": "pipl", "age_of_consent": 16, "countries": []}
  ],
  "purposes": [
{"id": "essential", "title": "Core service", "basis": "contract"},
{"id": "analytics", "title": "Usage analytics", "basis": "consent"},
{"id": "face_recognition", "title": "Face login", "basis": "consent", "sensitive": true}
  ],
  "permissions": [
{"id": "camera", "title": "Camera", "android": ["android.permission.CAMERA"],
 "ios": ["NSCameraUsageDescription"], "purposes": ["essential"],
 "user_initiated": true, "allow_at_launch": false}
  ],
  "sdks": [
{"id": "facebook", "name": "Facebook SDK", "vendor": "Meta Platforms, Inc.",
 "vendor_country": "US", "role": "independent", "purposes": ["analytics"],
 "data": ["device_id", "account_profile"], "permissions": [],
 "platforms": ["android", "ios"]}
  ]
}"#;

/// A valid manifest with only the required fields, for tests to break one thing at
/// a time.
pub(super) fn minimal() -> Value {
    json!({
        "schema": 1,
        "policy": {
            "id": "app", "version": "1.0", "effective": "2025-01-01",
            "controller": {"name": "Example Ltd."}
        },
        "default_jurisdiction": "default",
        "jurisdictions": [
            {"id": "CN", "law": "pipl", "age_of_consent": 14, "countries": ["CN"]},
            {"id": "default", "law": "gdpr", "age_of_consent": 16, "countries": []}
        ],
        "purposes": [
            {"id": "essential", "title": "Core service", "basis": "contract"},
            {"id": "analytics", "title": "Usage analytics", "basis": "consent"}
        ],
        "permissions": [
            {"id": "camera", "title": "Camera", "purposes": ["essential"]}
        ],
        "sdks": [
            {"id": "crashlytics", "name": "Crashlytics", "vendor": "Google LLC",
             "purposes": ["analytics"]}
        ]
    })
}

/// The issues of `minimal()` after `edit`.
pub(super) fn issues_after(edit: impl FnOnce(&mut Value)) -> Vec<ManifestIssue> {
    let mut manifest = minimal();
    edit(&mut manifest);
    parse(&manifest.to_string()).expect_err("the manifest should be invalid")
}

/// The one issue of `minimal()` after `edit`.
pub(super) fn only_issue(edit: impl FnOnce(&mut Value)) -> ManifestIssue {
    let issues = issues_after(edit);
    assert_eq!(issues.len(), 1, "expected exactly one issue, got {issues:#?}");
    issues.into_iter().next().expect("one issue")
}

pub(super) fn issue(path: &str, message: &str) -> ManifestIssue {
    ManifestIssue { path: path.to_owned(), message: message.to_owned() }
}

#[test]
fn minimal_manifest_parses_with_defaults() {
    let manifest = parse(&minimal().to_string()).expect("valid");
    assert_eq!(manifest.schema, 1);
    assert_eq!((manifest.policy.major, manifest.policy.minor), (1, 0));
    assert_eq!(manifest.policy.url, None);
    assert_eq!(manifest.policy.controller.contact, None);
    assert_eq!(manifest.settings, Settings::default());
    assert!(!manifest.purpose("analytics").expect("declared").sensitive);
    let camera = manifest.permission("camera").expect("declared");
    assert!(camera.android.is_empty() && camera.ios.is_empty());
    assert!(camera.user_initiated);
    assert!(!camera.allow_at_launch);
    assert_eq!(camera.reprompt_after_denial_hours, None);
    let sdk = manifest.sdk("crashlytics").expect("declared");
    assert_eq!(sdk.role, Role::Entrusted);
    assert_eq!(sdk.vendor_country, None);
    assert!(sdk.data.is_empty() && sdk.permissions.is_empty());
    assert_eq!(sdk.platforms, ["android", "ios"]);
}

#[test]
fn null_optional_fields_take_their_defaults() {
    let mut manifest = minimal();
    manifest["settings"] = Value::Null;
    manifest["policy"]["url"] = Value::Null;
    manifest["sdks"][0]["vendor_country"] = Value::Null;
    manifest["sdks"][0]["platforms"] = Value::Null;
    let manifest = parse(&manifest.to_string()).expect("valid");
    assert_eq!(manifest.settings, Settings::default());
    assert_eq!(manifest.sdks[0].platforms, ["android", "ios"]);
}

#[test]
fn spec_example_parses() {
    let manifest = parse(SPEC_EXAMPLE).expect("the contract's example is valid");
    assert_eq!(manifest.policy.version, "3.1");
    assert_eq!((manifest.policy.major, manifest.policy.minor), (3, 1));
    assert_eq!(manifest.jurisdictions.len(), 4);
    assert_eq!(manifest.jurisdiction_for(Some("FR")).law, Law::Gdpr);
    assert_eq!(manifest.jurisdiction_for(Some("JP")).id, "default");
    assert!(manifest.purpose("face_recognition").expect("declared").sensitive);
    let facebook = manifest.sdk("facebook").expect("declared");
    assert_eq!(facebook.role, Role::Independent);
    assert_eq!(facebook.vendor_country.as_deref(), Some("US"));
    assert_eq!(facebook.data, ["device_id", "account_profile"]);
    assert_eq!(manifest.permission("camera").expect("declared").android, ["android.permission.CAMERA"]);
}

#[test]
fn embedded_example_manifest_parses() {
    if let Err(issues) = parse(EXAMPLE_MANIFEST) {
        panic!("policy/example-manifest.json is invalid: {issues:#?}");
    }
}

#[test]
fn reports_unknown_field() {
    let found = only_issue(|m| m["purposes"][0]["descripton"] = json!("x"));
    assert_eq!(found.path, "/purposes/0/descripton");
    assert!(found.message.starts_with("unknown field `descripton`"), "{}", found.message);

    let found = only_issue(|m| m["sdks"][0]["nmae"] = json!("x"));
    assert_eq!(found, issue("/sdks/0/nmae", "unknown field `nmae` (did you mean `name`?)"));
}

#[test]
fn escapes_json_pointer_tokens() {
    let found = only_issue(|m| m["a/b~c"] = json!(1));
    assert_eq!(found.path, "/a~1b~0c");
}

#[test]
fn reports_repeated_key() {
    let text = minimal().to_string().replacen("\"schema\":1", "\"schema\":1,\"schema\":1", 1);
    let issues = parse(&text).expect_err("invalid");
    assert_eq!(issues, [issue("/schema", "field `schema` is given more than once")]);
}

#[test]
fn reports_missing_required_field() {
    let found = only_issue(|m| {
        m["purposes"][0].as_object_mut().expect("object").remove("title");
    });
    assert_eq!(found, issue("/purposes/0/title", "missing required field `title`"));

    let found = only_issue(|m| m["policy"]["controller"] = json!({}));
    assert_eq!(found, issue("/policy/controller/name", "missing required field `name`"));

    let found = only_issue(|m| {
        m.as_object_mut().expect("object").remove("default_jurisdiction");
    });
    assert_eq!(found, issue("/default_jurisdiction", "missing required field `default_jurisdiction`"));
}

#[test]
fn reports_wrong_type() {
    let found = only_issue(|m| m["purposes"][0]["title"] = json!(5));
    assert_eq!(found, issue("/purposes/0/title", "expected a string, found a number"));

    let found = only_issue(|m| m["permissions"][0]["user_initiated"] = json!("yes"));
    assert_eq!(found, issue("/permissions/0/user_initiated", "expected a boolean, found a string"));

    let found = only_issue(|m| m["sdks"][0]["data"] = json!("device_id"));
    assert_eq!(found, issue("/sdks/0/data", "expected an array, found a string"));

    let found = only_issue(|m| m["purposes"][0]["title"] = json!(""));
    assert_eq!(found.path, "/purposes/0/title");
}

#[test]
fn reports_wrong_number_for_a_count() {
    let cases = [
        (json!("395"), "expected a non-negative integer, found a string"),
        (json!(-1), "expected a non-negative integer, found -1"),
        (json!(1.5), "expected a non-negative integer, found 1.5"),
        (json!(5_000_000_000u64), "expected at most 4294967295, found 5000000000"),
    ];
    for (value, message) in cases {
        let found = only_issue(|m| m["settings"] = json!({"consent_ttl_days": value}));
        assert_eq!(found, issue("/settings/consent_ttl_days", message));
    }
    let found = only_issue(|m| m["permissions"][0]["reprompt_after_denial_hours"] = json!(-48));
    assert_eq!(found.path, "/permissions/0/reprompt_after_denial_hours");
}

#[test]
fn element_of_wrong_type_is_reported_once_and_the_rest_still_checked() {
    let issues = issues_after(|m| {
        m["sdks"] = json!(["facebook", {"id": "x", "name": "X", "vendor": "V", "purposes": ["nope"]}]);
    });
    assert_eq!(
        issues,
        [
            issue("/sdks/0", "expected an object, found a string"),
            issue("/sdks/1/purposes/0", "`nope` is not a declared purpose"),
        ]
    );
}

#[test]
fn reports_bad_enum_value() {
    let found = only_issue(|m| m["purposes"][0]["basis"] = json!("foo"));
    assert_eq!(
        found,
        issue("/purposes/0/basis", "`foo` is not one of: consent, contract, legal_obligation, legitimate_interest")
    );
    let found = only_issue(|m| m["jurisdictions"][0]["law"] = json!("ccpa"));
    assert_eq!(found, issue("/jurisdictions/0/law", "`ccpa` is not one of: pipl, gdpr, opt_out"));
    let found = only_issue(|m| m["sdks"][0]["role"] = json!("controller"));
    assert_eq!(found.path, "/sdks/0/role");
    let found = only_issue(|m| m["settings"] = json!({"unknown_age": "teen"}));
    assert_eq!(found.path, "/settings/unknown_age");
}

#[test]
fn reports_bad_id_pattern() {
    let found = only_issue(|m| m["permissions"][0]["id"] = json!("Camera"));
    assert_eq!(found.path, "/permissions/0/id");
    assert!(found.message.starts_with("`Camera` is not a valid id"), "{}", found.message);
    for bad in ["", "1st", "_x", "a-b", "a b", "ünicode"] {
        let found = only_issue(|m| m["policy"]["id"] = json!(bad));
        assert_eq!(found.path, "/policy/id", "{bad:?}");
    }
    let found = only_issue(|m| m["sdks"][0]["platforms"] = json!(["android", "iOS"]));
    assert_eq!(found.path, "/sdks/0/platforms/1");
    let found = only_issue(|m| m["jurisdictions"][0]["id"] = json!(""));
    assert_eq!(found.path, "/jurisdictions/0/id");
}

#[test]
fn accepts_ids_matching_the_pattern() {
    for good in ["a", "face_recognition", "x9_", "a__1"] {
        assert!(is_valid_id(good), "{good}");
    }
}

#[test]
fn reports_unsupported_schema() {
    let found = only_issue(|m| m["schema"] = json!(2));
    assert_eq!(found, issue("/schema", "schema must be 1, found 2"));
    let found = only_issue(|m| m["schema"] = json!("1"));
    assert_eq!(found, issue("/schema", "expected a non-negative integer, found a string"));
}

#[test]
fn reports_invalid_json_syntax() {
    let issues = parse("{\n  \"schema\": 1,\n  \"policy\": }\n").expect_err("invalid");
    assert_eq!(issues, [issue("", "invalid JSON at line 3, column 13: expected value")]);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for text in ["", "{", "{} {}", "[1,]", &deep] {
        let issues = parse(text).expect_err("invalid");
        assert_eq!(issues.len(), 1, "{text:?}");
        assert_eq!(issues[0].path, "", "{text:?}");
        assert!(issues[0].message.starts_with("invalid JSON at line "), "{}", issues[0].message);
    }
}

#[test]
fn ignores_a_byte_order_mark() {
    assert!(parse(&format!("\u{feff}{}", minimal())).is_ok());
}

#[test]
fn whole_document_of_wrong_type() {
    assert_eq!(parse("[]").expect_err("invalid"), [issue("", "expected an object, found an array")]);
}

#[test]
fn messages_quote_at_most_64_characters() {
    let long = "x".repeat(10_000);
    let found = only_issue(|m| m["purposes"][0]["basis"] = json!(long));
    assert!(found.message.len() < 200, "{}", found.message);
    assert!(found.message.contains(&format!("`{}…`", "x".repeat(64))), "{}", found.message);
    let found = only_issue(|m| m["sdks"][0]["vendor_country"] = json!("A\nB"));
    assert!(!found.message.contains('\n'), "{}", found.message);
}

/// Every JSON pointer to a node of `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                let token = key.replace('~', "~0").replace('/', "~1");
                pointers(member, format!("{at}/{token}"), out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

#[test]
fn any_value_anywhere_is_reported_at_a_real_path_without_panicking() {
    let example: Value = serde_json::from_str(SPEC_EXAMPLE).expect("JSON");
    let mut all = Vec::new();
    pointers(&example, String::new(), &mut all);
    let replacements = [json!(null), json!(true), json!(-1), json!(2.5), json!(""), json!("x"), json!([]), json!({})];
    for pointer in all.iter().filter(|p| !p.is_empty()) {
        for replacement in &replacements {
            let mut mangled = example.clone();
            *mangled.pointer_mut(pointer).expect("exists") = replacement.clone();
            if let Err(issues) = parse(&mangled.to_string()) {
                for issue in issues {
                    // A missing field is reported at its own (absent) path, under a
                    // parent that exists.
                    let real = match issue.message.starts_with("missing required field") {
                        true => issue.path.rsplit_once('/').map(|(parent, _)| parent),
                        false => Some(issue.path.as_str()),
                    };
                    assert!(real.and_then(|p| mangled.pointer(p)).is_some(), "{pointer}: {issue:?}");
                }
            }
        }
    }
    for (end, _) in SPEC_EXAMPLE.char_indices() {
        assert!(parse(&SPEC_EXAMPLE[..end]).is_err());
    }
}

#[test]
fn reports_every_mistake_in_document_order() {
    let text = r#"{
      "schema": 2,
      "policy": {"id": "Phocol", "version": "3", "effective": "2025-02-30", "controller": {}},
      "settings": {"consent_ttl_days": -5, "unknown_age": "teen"},
      "default_jurisdiction": "eu",
      "jurisdictions": [
        {"id": "CN", "law": "pipl", "age_of_consent": 30, "countries": ["CN", "UK"]},
        {"id": "EEA", "law": "gdpr", "age_of_consent": 16, "countries": ["CN"]}
      ],
      "purposes": [
        {"id": "essential", "title": "Core", "basis": "contract"},
        {"id": "analytics", "title": "Analytics", "basis": "consent", "descripton": "x"},
        {"id": "analytics", "basis": "maybe"}
      ],
      "permissions": [
        {"id": "camera", "title": "Camera", "purposes": []}
      ],
      "sdks": [
        "facebook",
        {"id": "umeng", "name": "Umeng", "vendor": "Alibaba", "vendor_country": "China",
         "purposes": ["analytics", "marketing"], "permissions": ["location"]}
      ],
      "extra": true
    }"#;
    let issues = parse(text).expect_err("invalid");
    let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/schema",
            "/policy/id",
            "/policy/version",
            "/policy/effective",
            "/policy/controller/name",
            "/settings/consent_ttl_days",
            "/settings/unknown_age",
            "/default_jurisdiction",
            "/jurisdictions/0/age_of_consent",
            "/jurisdictions/0/countries/1",
            "/jurisdictions/1/countries/0",
            "/purposes/1/descripton",
            "/purposes/2/id",
            "/purposes/2/basis",
            "/purposes/2/title",
            "/permissions/0/purposes",
            "/sdks/0",
            "/sdks/1/vendor_country",
            "/sdks/1/purposes/1",
            "/sdks/1/permissions/0",
            "/extra",
        ],
        "{issues:#?}"
    );
    assert_eq!(issues[14].message, "missing required field `title`");
    assert_eq!(issues[18].message, "`marketing` is not a declared purpose");
}
