//! The JSON Schema of the manifest (`core/policy/manifest.schema.json`, draft 2020-12),
//! held to the parser: it accepts every valid manifest the repository's tests use, and
//! rejects the invalid ones, so that an editor completing and checking a manifest with
//! it agrees with `gatekeeper lint` on everything a schema can say.
//!
//! No crate of the offline vendor bundle validates JSON Schema, so the schema is checked
//! with Python's `jsonschema` through `tests/schema/validate.py` (the test command
//! installs it with `tests/ensure-jsonschema.sh` when it is missing; without it this
//! test fails, saying so).
//!
//! The valid manifests are found, not listed: every JSON object with a `"schema": 1`
//! member before any nested object in the test sources and fixtures (Rust, Kotlin, Swift) and the
//! example, kept when it is literal JSON and Gatekeeper's parser accepts it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Each document's schema errors, by the validator.
fn validate(docs: &[(String, Value)]) -> Vec<(String, Vec<String>)> {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, (_, doc)) in docs.iter().enumerate() {
        let f = dir.path().join(format!("{i}.json"));
        std::fs::write(&f, serde_json::to_string_pretty(doc).unwrap()).unwrap();
        files.push(f);
    }
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(python)
        .arg(root().join("tests/schema/validate.py"))
        .arg(root().join("core/policy/manifest.schema.json"))
        .args(&files)
        .output()
        .expect("python3 runs (tests/schema/validate.py needs it)");
    assert!(
        out.status.success(),
        "validate.py failed (run tests/ensure-jsonschema.sh): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Value = serde_json::from_slice(&out.stdout).unwrap();
    docs.iter()
        .zip(&files)
        .map(|((name, _), f)| {
            let errors = results[f.to_str().unwrap()].as_array().expect("a result per file");
            (name.clone(), errors.iter().map(|e| e.as_str().unwrap().to_owned()).collect())
        })
        .collect()
}

/// The JSON object starting at `text[start]` (a `{`), by matching braces outside strings.
fn object_at(text: &str, start: usize) -> Option<&str> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in text[start..].char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&text[start..=start + i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// Every literal JSON manifest in `text`: an object with a `"schema": 1` member before
/// any nested object.
fn manifests_in(text: &str) -> Vec<Value> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("\"schema\"") {
        // The object's opening brace: the last one before the member (a `$schema`
        // member may come first).
        let Some(open) = text[..at].rfind('{') else { continue };
        if let Some(Ok(v)) = object_at(text, open).map(serde_json::from_str::<Value>) {
            if v.get("schema") == Some(&json!(1)) {
                found.push(v);
            }
        }
    }
    found
}

/// The files searched for manifests.
fn sources() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> =
        ["core/tests", "core/cli/tests", "core/src", "tests/kotlin/src", "bindings/swift/Tests", "core/policy"]
            .iter()
            .map(|d| root().join(d))
            .collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| ["rs", "kt", "swift", "json"].contains(&x.to_str().unwrap_or(""))) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn example() -> Value {
    serde_json::from_str(gatekeeper::manifest::EXAMPLE_MANIFEST).unwrap()
}

#[test]
fn the_schema_accepts_every_valid_manifest_of_the_tests() {
    let mut docs = Vec::new();
    for file in sources() {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        for (i, m) in manifests_in(&text).into_iter().enumerate() {
            if gatekeeper::manifest::parse(&m.to_string()).is_ok() {
                let name = file.strip_prefix(root()).unwrap().display().to_string();
                docs.push((format!("{name} #{i}"), m));
            }
        }
    }
    let names: Vec<&str> = docs.iter().map(|(n, _)| n.as_str()).collect();
    // The scan must find the ones known to be there, so that it cannot pass on nothing.
    for expected in [
        "core/policy/example-manifest.json #0",
        "core/tests/fixtures/rules.json #0",
        "tests/kotlin/src/dev/gatekeeper/tests/Support.kt #0",
        "bindings/swift/Tests/GatekeeperCoreTests/Support.swift #0",
    ] {
        assert!(names.contains(&expected), "{expected} not found among {names:?}");
    }
    for (name, errors) in validate(&docs) {
        assert!(errors.is_empty(), "{name} is valid for Gatekeeper but the schema says:\n{}", errors.join("\n"));
    }
}

/// Every optional field of the contract, part two's included, accepted by the schema.
#[test]
fn the_schema_accepts_every_field_of_the_contract() {
    let mut m = example();
    m["purposes"][0]["basic"] = json!(true);
    m["purposes"][0]["data"] = json!(["device_id", "account_profile"]);
    m["purposes"][0]["usage"] = json!({"en": "To run the app", "zh-CN": "提供基本服务"});
    m["purposes"][1]["title"] = json!({"en": "Payments", "zh-Hans-CN": "支付"});
    m["permissions"][0]["usage"] = json!("Scanning the printer's code");
    m["permissions"][0]["title"] = json!({"en": "Camera"});
    let sdk = &mut m["sdks"][0];
    sdk["usage"] = json!({"en": "Settings storage"});
    sdk["privacy_policy"] = json!("https://example.com/sdk-privacy");
    sdk["packages"] = json!(["com.tencent.mmkv"]);
    sdk["ios_modules"] = json!(["MMKV"]);
    sdk["domains"] = json!(["mmkv.example.com"]);
    sdk["gvl_id"] = json!(1);
    sdk["ac_id"] = json!(4_294_967_295u64);
    m["data_access"] = json!([
        {"id": "precise_location", "title": "Precise location", "purposes": ["location_services"],
         "min_interval_seconds": 30, "foreground_only": true},
        {"id": "clipboard", "title": {"en": "Clipboard", "zh-CN": "剪贴板"}, "purposes": ["essential"]}
    ]);
    let full = ("every field".to_owned(), m);
    let without_schema_key = {
        let mut m = example();
        m.as_object_mut().unwrap().remove("$schema");
        ("without $schema".to_owned(), m)
    };
    for (name, errors) in validate(&[full, without_schema_key]) {
        assert!(errors.is_empty(), "{name}: {}", errors.join("\n"));
    }
}

/// Each invalid manifest is rejected by the schema at the path the parser names (or,
/// for part two's fields the parser here does not read yet, by the schema alone).
#[test]
fn the_schema_rejects_invalid_manifests_where_the_parser_does() {
    type Edit = fn(&mut Value);
    let cases: Vec<(&str, &str, Edit)> = vec![
        ("an unknown top-level field", "/", |m| m["extra"] = json!(1)),
        ("schema 2", "/schema", |m| m["schema"] = json!(2)),
        ("no policy", "/", |m| drop(m.as_object_mut().unwrap().remove("policy"))),
        ("a bad policy id", "/policy/id", |m| m["policy"]["id"] = json!("Phocol")),
        ("a version without MINOR", "/policy/version", |m| m["policy"]["version"] = json!("3")),
        ("a version with a leading zero", "/policy/version", |m| m["policy"]["version"] = json!("3.01")),
        ("a malformed date", "/policy/effective", |m| m["policy"]["effective"] = json!("2025-3-1")),
        ("no controller name", "/policy/controller", |m| m["policy"]["controller"] = json!({"contact": "x"})),
        ("an unknown controller field", "/policy/controller", |m| m["policy"]["controller"]["phone"] = json!("1")),
        ("an unknown settings field", "/settings", |m| m["settings"]["ttl"] = json!(1)),
        ("a negative count", "/settings/consent_ttl_days", |m| m["settings"]["consent_ttl_days"] = json!(-1)),
        ("a fractional count", "/settings/consent_ttl_days", |m| m["settings"]["consent_ttl_days"] = json!(1.5)),
        ("a bad unknown_age", "/settings/unknown_age", |m| m["settings"]["unknown_age"] = json!("teen")),
        ("a bad law", "/jurisdictions/0/law", |m| m["jurisdictions"][0]["law"] = json!("ccpa")),
        ("an age of consent of 22", "/jurisdictions/0/age_of_consent", |m| {
            m["jurisdictions"][0]["age_of_consent"] = json!(22)
        }),
        ("a lower-case country", "/jurisdictions/0/countries/0", |m| {
            m["jurisdictions"][0]["countries"][0] = json!("cn")
        }),
        ("a jurisdiction without countries", "/jurisdictions/0", |m| {
            drop(m["jurisdictions"][0].as_object_mut().unwrap().remove("countries"))
        }),
        ("a purpose without a title", "/purposes/0", |m| {
            drop(m["purposes"][0].as_object_mut().unwrap().remove("title"))
        }),
        ("an empty title", "/purposes/0/title", |m| m["purposes"][0]["title"] = json!("")),
        ("a bad basis", "/purposes/0/basis", |m| m["purposes"][0]["basis"] = json!("interest")),
        ("a string for sensitive", "/purposes/0/sensitive", |m| m["purposes"][0]["sensitive"] = json!("yes")),
        ("an unknown purpose field", "/purposes/0", |m| m["purposes"][0]["legal"] = json!(true)),
        ("TCF purpose 12", "/purposes/4/tcf_purposes/0", |m| m["purposes"][4]["tcf_purposes"] = json!([12])),
        ("a TCF purpose twice", "/purposes/4/tcf_purposes", |m| m["purposes"][4]["tcf_purposes"] = json!([1, 1])),
        ("special feature 3", "/purposes/4/tcf_special_features/0", |m| {
            m["purposes"][4]["tcf_special_features"] = json!([3])
        }),
        ("an unknown consent mode signal", "/purposes/4/consent_mode/0", |m| {
            m["purposes"][4]["consent_mode"] = json!(["ad_click"])
        }),
        ("a permission without purposes", "/permissions/0", |m| {
            drop(m["permissions"][0].as_object_mut().unwrap().remove("purposes"))
        }),
        ("a permission serving no purpose", "/permissions/0/purposes", |m| m["permissions"][0]["purposes"] = json!([])),
        ("a bad permission id", "/permissions/0/id", |m| m["permissions"][0]["id"] = json!("9camera")),
        ("android not a list", "/permissions/0/android", |m| m["permissions"][0]["android"] = json!("CAMERA")),
        ("an unknown permission field", "/permissions/0", |m| m["permissions"][0]["prompt"] = json!("x")),
        ("an SDK without a vendor", "/sdks/0", |m| drop(m["sdks"][0].as_object_mut().unwrap().remove("vendor"))),
        ("a bad role", "/sdks/0/role", |m| m["sdks"][0]["role"] = json!("processor")),
        ("a bad vendor country", "/sdks/0/vendor_country", |m| m["sdks"][0]["vendor_country"] = json!("China")),
        ("gvl_id 0", "/sdks/0/gvl_id", |m| m["sdks"][0]["gvl_id"] = json!(0)),
        ("gvl_id 65536", "/sdks/0/gvl_id", |m| m["sdks"][0]["gvl_id"] = json!(65536)),
        ("ac_id as a string", "/sdks/0/ac_id", |m| m["sdks"][0]["ac_id"] = json!("89")),
        ("an unknown SDK field", "/sdks/0", |m| m["sdks"][0]["website"] = json!("x")),
        ("an id of 65 characters", "/purposes/0/id", |m| m["purposes"][0]["id"] = json!("a".repeat(65))),
        ("a title of 2001 characters", "/purposes/0/title", |m| m["purposes"][0]["title"] = json!("t".repeat(2001))),
        ("a jurisdiction id with a space", "/jurisdictions/0/id", |m| m["jurisdictions"][0]["id"] = json!("C N")),
        ("a consent lifetime of 0 days", "/settings/consent_ttl_days", |m| {
            m["settings"]["consent_ttl_days"] = json!(0)
        }),
        ("a window of over 100 years", "/settings/reask_after_denial_days", |m| {
            m["settings"]["reask_after_denial_days"] = json!(36_501)
        }),
        ("1001 data items", "/sdks/0/data", |m| m["sdks"][0]["data"] = json!(vec!["x"; 1001])),
        ("$schema not a string", "/$schema", |m| m["$schema"] = json!(1)),
        ("an empty $schema", "/$schema", |m| m["$schema"] = json!("")),
    ];
    // Part two's fields, which the parser on this branch may not read yet: only the
    // schema is held to them.
    let schema_only: Vec<(&str, &str, Edit)> = vec![
        ("basic on a consent purpose", "/purposes/4/basis", |m| m["purposes"][4]["basic"] = json!(true)),
        ("basic as a string", "/purposes/0/basic", |m| m["purposes"][0]["basic"] = json!("true")),
        ("a title map with an empty text", "/purposes/0/title", |m| m["purposes"][0]["title"] = json!({"en": ""})),
        ("an empty title map", "/purposes/0/title", |m| m["purposes"][0]["title"] = json!({})),
        ("a title map with a bad tag", "/purposes/0/title", |m| m["purposes"][0]["title"] = json!({"en_US!": "x"})),
        ("usage as a number", "/permissions/0/usage", |m| m["permissions"][0]["usage"] = json!(3)),
        ("data not a list", "/purposes/0/data", |m| m["purposes"][0]["data"] = json!("device_id")),
        ("packages not a list", "/sdks/0/packages", |m| m["sdks"][0]["packages"] = json!("com.x")),
        ("an empty privacy_policy", "/sdks/0/privacy_policy", |m| m["sdks"][0]["privacy_policy"] = json!("")),
        ("data access without purposes", "/data_access/0", |m| {
            m["data_access"] = json!([{"id": "clipboard", "title": "Clipboard"}])
        }),
        ("data access serving no purpose", "/data_access/0/purposes", |m| {
            m["data_access"] = json!([{"id": "clipboard", "title": "Clipboard", "purposes": []}])
        }),
        ("a negative interval", "/data_access/0/min_interval_seconds", |m| {
            m["data_access"] =
                json!([{"id": "clipboard", "title": "C", "purposes": ["essential"], "min_interval_seconds": -1}])
        }),
        ("an unknown data access field", "/data_access/0", |m| {
            m["data_access"] = json!([{"id": "clipboard", "title": "C", "purposes": ["essential"], "rate": 1}])
        }),
    ];
    let mut docs = Vec::new();
    for (name, path, edit) in cases.iter().chain(&schema_only) {
        let mut m = example();
        edit(&mut m);
        docs.push((format!("{name} (at {path})"), m));
    }
    let results = validate(&docs);
    for ((name, errors), (_, doc)) in results.iter().zip(&docs) {
        let path = name.rsplit_once("(at ").unwrap().1.trim_end_matches(')');
        assert!(
            errors.iter().any(|e| e.starts_with(&format!("error at {path}:"))),
            "{name}: the schema did not reject it there; it said {errors:?}"
        );
        // Everything the parser reads, it rejects too, at the same place.
        if cases.iter().any(|(n, ..)| name.starts_with(n)) {
            let issues = gatekeeper::manifest::parse(&doc.to_string()).expect_err(name);
            let parser_path = if path == "/" { "" } else { path };
            assert!(
                issues.iter().any(|i| i.path == parser_path || i.path.starts_with(&format!("{parser_path}/"))),
                "{name}: the parser said {issues:?}"
            );
        }
    }
}
