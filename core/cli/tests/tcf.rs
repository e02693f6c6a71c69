//! `gatekeeper tcf decode`, `tcf import` and `decide consent-mode` (contract section 11),
//! run as the acceptance scenarios run the binary:
//!
//! - every valid TC string carried over from the IAB reference suites
//!   (`core/tests/fixtures/tcf/reference_strings.json`) decodes, through the binary's
//!   `--json`, to every value those suites assert; every string they refuse exits 1 with
//!   `tcf_invalid`, saying what is wrong;
//! - a UMP-style string imported under gdpr grants exactly the mapped purposes and vendor
//!   SDKs, denies the rest, and `decide consent-mode` follows it;
//! - a string last updated 13 months and one millisecond ago is refused (`tcf_stale`), one
//!   at exactly 13 months is not; outdated and malformed strings are refused too, recording
//!   nothing, and no message quotes a string.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::Command;

use common::tcf::{malformed, Ump};
use gatekeeper::time::format_rfc3339;
use serde_json::{json, Value};

/// The scenarios' clock: the day of the UMP-style strings below.
const T: &str = "2026-01-01T00:00:00Z";

/// One run of the binary: exit status, stdout as JSON (when it is), stderr.
struct Run {
    code: i32,
    json: Value,
    stdout: String,
    stderr: String,
}

/// `gatekeeper --json --db DIR/gatekeeper.db --now NOW ARGS...`.
fn gk(dir: &Path, now: &str, args: &[&str]) -> Run {
    let db = dir.join("gatekeeper.db");
    let out = Command::new(env!("CARGO_BIN_EXE_gatekeeper"))
        .args(["--json", "--now", now, "--db", db.to_str().unwrap()])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    Run {
        code: out.status.code().expect("exited normally"),
        json: serde_json::from_str(stdout.trim_end()).unwrap_or(Value::Null),
        stdout,
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn ok(run: Run) -> Value {
    assert_eq!(run.code, 0, "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    run.json
}

fn reference() -> Value {
    serde_json::from_str(include_str!("../../tests/fixtures/tcf/reference_strings.json")).unwrap()
}

fn events(dir: &Path) -> u64 {
    ok(gk(dir, T, &["state"]))["ledger"]["events"].as_u64().unwrap()
}

#[test]
fn every_reference_string_decodes_through_the_binary_to_every_value_its_suite_asserts() {
    let dir = tempfile::tempdir().unwrap();
    let fx = reference();
    let cases: Vec<&Value> =
        fx["valid"].as_array().unwrap().iter().chain(fx["spec_examples"].as_array().unwrap()).collect();
    assert_eq!(cases.len(), 16, "the 15 cases of the suites and the specification's example");
    let mut checked = 0;
    for case in cases {
        let what = format!("{} {}", case["source"], case["test"]);
        let json = ok(gk(dir.path(), T, &["tcf", "decode", case["tc"].as_str().unwrap()]));
        for (pointer, expected) in case["expect"].as_object().unwrap() {
            assert_eq!(json.pointer(pointer), Some(expected), "{what}: {pointer}");
            checked += 1;
        }
        for (pointer, ids) in case["expect_contains"].as_object().into_iter().flatten() {
            let got = json.pointer(pointer).and_then(Value::as_array).unwrap_or_else(|| panic!("{what}: {pointer}"));
            for id in ids.as_array().unwrap() {
                assert!(got.contains(id), "{what}: {pointer} lacks {id}");
                checked += 1;
            }
        }
        for (pointer, len) in case["expect_len"].as_object().into_iter().flatten() {
            let got = json.pointer(pointer).and_then(Value::as_array).map(|a| a.len() as u64);
            assert_eq!(got, len.as_u64(), "{what}: {pointer}");
            checked += 1;
        }
        // The suites compare exact instants; the JSON gives them to the second.
        for (field, ms) in case["expect_ms"].as_object().into_iter().flatten() {
            let ms = ms.as_i64().unwrap();
            assert_eq!(json[field], json!(format_rfc3339(ms - ms.rem_euclid(1000))), "{what}: {field}");
            checked += 1;
        }
        for entry in case["expect_restrictions"].as_array().into_iter().flatten() {
            assert!(json["publisher_restrictions"].as_array().unwrap().contains(entry), "{what}: lacks {entry}");
            checked += 1;
        }
        // Id lists come ascending.
        for key in ["purpose_consents", "vendor_consents", "vendor_legitimate_interests", "disclosed_vendors"] {
            let ids: Vec<u64> = json[key].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
            assert!(ids.windows(2).all(|w| w[0] < w[1]), "{what}: {key} {ids:?}");
        }
    }
    assert!(checked >= 50, "{checked} values checked");
    assert!(!dir.path().join("gatekeeper.db").exists(), "decode opens no store");
}

#[test]
fn strings_the_suites_refuse_exit_1_with_tcf_invalid_and_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let fx = reference();
    for case in fx["invalid"].as_array().unwrap() {
        let tc = case["tc"].as_str().unwrap();
        let run = gk(dir.path(), T, &["tcf", "decode", tc]);
        assert_eq!(run.code, 1, "{}", case["test"]);
        assert_eq!(run.json["error"]["code"], "tcf_invalid", "{}", case["test"]);
        let message = run.json["error"]["message"].as_str().unwrap();
        assert!(message.contains(case["error"].as_str().unwrap()), "{}: {message}", case["test"]);
        assert!(!message.contains(tc), "{message}");
    }
    // Without --json: the message on stderr, nothing on stdout.
    let out = Command::new(env!("CARGO_BIN_EXE_gatekeeper")).args(["tcf", "decode", "COtybn4PA"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("gatekeeper: error: invalid TC string: segment 1 (core)"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn decode_prints_the_fields_as_text_without_json() {
    let tc = Ump::all_consent(T).encode();
    let out = Command::new(env!("CARGO_BIN_EXE_gatekeeper")).args(["tcf", "decode", &tc]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "TC string v2, TCF policy version 4, CMP 300 version 2",
        "last updated 2026-01-01T00:00:00Z, fresh until 2027-02-01T00:00:00Z",
        "purpose consents: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11",
        "vendor consents: 1 (755)",
        "disclosed vendors: 1 (755)",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
}

/// A German adult who accepted the example's policy.
fn eea_user(dir: &Path) {
    ok(gk(dir, T, &["profile", "--country", "DE", "--age", "30"]));
    ok(gk(dir, T, &["accept-policy", "--source", "first_run_dialog"]));
}

#[test]
fn a_ump_string_under_gdpr_grants_exactly_the_mapped_purposes_and_vendors_and_consent_mode_follows() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    eea_user(dir);
    assert_eq!(
        ok(gk(dir, T, &["decide", "consent-mode"])),
        json!({"ad_storage": "denied", "analytics_storage": "denied", "ad_user_data": "denied",
               "ad_personalization": "denied"})
    );
    // "Accept analytics only": purposes 1, 8, 9, 10, Google, and Meta in the AC string.
    let mut u = Ump::all_consent(T);
    u.purposes = vec![1, 8, 9, 10];
    let before = events(dir);
    let out = ok(gk(dir, T, &["tcf", "import", &u.encode(), "--ac", "2~89~dv.2"]));
    assert_eq!(out["ok"], true);
    assert_eq!(out["recorded"], "tcf_import");
    assert_eq!(out["events"], json!(["granted", "denied"]));
    assert_eq!(out["granted"], json!({"purposes": ["analytics"], "sdks": ["facebook", "firebase_analytics"]}));
    assert_eq!(out["denied"], json!({"purposes": ["personalised_ads"], "sdks": []}));
    assert_eq!(out["already_imported"], false);
    let mut changed: Vec<&str> =
        out["changes"].as_array().unwrap().iter().map(|c| c["subject"].as_str().unwrap()).collect();
    changed.sort_unstable();
    assert_eq!(changed, ["sdk:facebook", "sdk:firebase_analytics", "sdk:sensors_analytics"]);
    assert_eq!(events(dir), before + 2, "one grant, one denial");

    let decide = |args: &[&str]| {
        let d = ok(gk(dir, T, args));
        (d["verdict"].as_str().unwrap().to_owned(), d["reason"].as_str().unwrap().to_owned())
    };
    let allow = ("allow".to_owned(), "consented".to_owned());
    assert_eq!(decide(&["decide", "sdk", "firebase_analytics"]), allow);
    assert_eq!(decide(&["decide", "sdk", "facebook"]), allow);
    assert_eq!(decide(&["decide", "purpose", "analytics"]), allow);
    assert_eq!(decide(&["decide", "purpose", "personalised_ads"]), ("deny".to_owned(), "consent_denied".to_owned()));
    assert_eq!(decide(&["decide", "purpose", "account_login"]), ("ask".to_owned(), "consent_missing".to_owned()));
    assert_eq!(
        ok(gk(dir, T, &["decide", "consent-mode"])),
        json!({"ad_storage": "denied", "analytics_storage": "granted", "ad_user_data": "denied",
               "ad_personalization": "denied"})
    );

    // The receipts show the CMP as the source.
    let export = ok(gk(dir, T, &["export"]));
    let sources: Vec<&Value> = export["receipts"].as_array().unwrap().iter().map(|r| &r["source"]).collect();
    assert!(sources.iter().filter(|s| **s == "tcf_cmp").count() >= 2, "{sources:?}");

    // The same strings again (the next launch): nothing recorded.
    let again = ok(gk(dir, T, &["tcf", "import", &u.encode(), "--ac", "2~89~dv.2"]));
    assert_eq!((again["already_imported"].clone(), again["events"].clone()), (json!(true), json!([])));
    assert_eq!(events(dir), before + 2);

    // Consent to everything later: all four signals granted.
    let mut all = Ump::all_consent(T);
    all.vendors.push(1);
    ok(gk(dir, T, &["tcf", "import", &all.encode(), "--ac", "2~89~dv.2", "--source", "cmp_privacy_options"]));
    assert_eq!(
        ok(gk(dir, T, &["decide", "consent-mode"])),
        json!({"ad_storage": "granted", "analytics_storage": "granted", "ad_user_data": "granted",
               "ad_personalization": "granted"})
    );
    let text = Command::new(env!("CARGO_BIN_EXE_gatekeeper"))
        .args(["--db", dir.join("gatekeeper.db").to_str().unwrap(), "--now", T, "decide", "consent-mode"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(text.stdout).unwrap(),
        "ad_storage: granted\nanalytics_storage: granted\nad_user_data: granted\nad_personalization: granted\n"
    );
}

#[test]
fn a_string_more_than_13_months_old_is_refused_and_one_of_exactly_13_months_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    eea_user(dir);
    let tc = Ump::all_consent(T).encode();
    let before = events(dir);
    // 2026-01-01 + 13 calendar months = 2027-02-01T00:00:00Z.
    let stale = gk(dir, "2027-02-01T00:00:00.001Z", &["tcf", "import", &tc]);
    assert_eq!(stale.code, 1);
    assert_eq!(stale.json["error"]["code"], "tcf_stale");
    assert!(stale.json["error"]["message"].as_str().unwrap().contains("more than 13 months"), "{}", stale.stdout);
    assert!(!stale.stdout.contains(&tc) && !stale.stderr.contains(&tc));
    assert_eq!(events(dir), before, "nothing recorded");
    let at_limit = ok(gk(dir, "2027-02-01T00:00:00Z", &["tcf", "import", &tc]));
    assert_eq!(at_limit["events"], json!(["granted", "denied"]), "facebook: no AC string");
    assert_eq!(events(dir), before + 2);
    // Decoding is not refused for age: it only reads.
    assert_eq!(ok(gk(dir, "2030-01-01T00:00:00Z", &["tcf", "decode", &tc]))["tcf_policy_version"], 4);
}

#[test]
fn outdated_and_malformed_strings_are_refused_with_nothing_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    eea_user(dir);
    let mut v21 = Ump::all_consent(T);
    v21.policy_version = 3;
    let good = Ump::all_consent(T).encode();
    let before = events(dir);
    let mut refused = vec![(gk(dir, T, &["tcf", "import", &v21.encode()]), "tcf_policy_outdated", v21.encode())];
    // (The empty string is a usage error, below.)
    for (what, tc) in malformed().into_iter().filter(|(_, s)| !s.is_empty()) {
        refused.push((gk(dir, T, &["tcf", "import", &tc, "--ac", "2~89~dv."]), "tcf_invalid", format!("{what}: {tc}")));
    }
    for ac in ["3~1", "2~1.x~dv.", "1~1~2"] {
        refused.push((gk(dir, T, &["tcf", "import", &good, "--ac", ac]), "tcf_invalid", ac.to_owned()));
    }
    for (run, code, what) in &refused {
        assert_eq!(run.code, 1, "{what}: {}", run.stdout);
        assert_eq!(run.json["error"]["code"], *code, "{what}: {}", run.stdout);
    }
    assert_eq!(events(dir), before, "nothing recorded");
    assert_eq!(ok(gk(dir, T, &["verify"]))["ok"], true);
    let outdated = refused[0].0.json["error"]["message"].as_str().unwrap().to_owned();
    assert!(outdated.contains("TcfPolicyVersion is 3, below 4 (TCF v2.2)"), "{outdated}");

    // Usage errors: no string, an empty one, an empty --ac, a bad source.
    let good = good.as_str();
    for args in [vec!["tcf", "import"], vec!["tcf", "decode", ""], vec!["tcf", "import", good, "--ac="], vec!["tcf"]] {
        assert_eq!(gk(dir, T, &args).code, 2, "{args:?}");
    }
    let bad_source = gk(dir, T, &["tcf", "import", good, "--source", "two words"]);
    assert_eq!((bad_source.code, bad_source.json["error"]["code"].clone()), (1, json!("invalid_argument")));
    assert_eq!(events(dir), before);
}

#[test]
fn consent_mode_fails_closed_without_a_store_and_help_lists_tcf() {
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("not-a-dir");
    std::fs::write(&locked, "a file where the store's folder should be").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gatekeeper"))
        .args(["--json", "--db", locked.join("g.db").to_str().unwrap(), "decide", "consent-mode"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        json!({"ad_storage": "denied", "analytics_storage": "denied", "ad_user_data": "denied",
               "ad_personalization": "denied"})
    );
    assert!(String::from_utf8(out.stderr).unwrap().contains("failing closed"));
    let help = Command::new(env!("CARGO_BIN_EXE_gatekeeper")).arg("--help").output().unwrap();
    assert!(String::from_utf8(help.stdout).unwrap().contains("\n  tcf "));
}
