//! Issue 13's defects 1-7 and 10-13, each driven through the `gatekeeper` binary as the
//! acceptance scenarios drive it (`--json`, `--now`, `--db` and `--policy` in a
//! temporary directory). Each test fails without its fix.

use std::path::PathBuf;

use serde_json::{json, Value};

mod common;

use common::{Cli, Run, T};

impl Run {
    /// Exit status 1 with a JSON error of `code`; the error's message.
    fn refused(self, code: &str) -> String {
        assert_eq!(self.code, 1, "stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        let j = self.json();
        assert_eq!(j["error"]["code"], code, "{j}");
        j["error"]["message"].as_str().unwrap().to_owned()
    }
}

impl Cli {
    /// Writes `manifest` to `name` in the temporary directory and returns its path.
    fn write(&self, name: &str, manifest: &Value) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, manifest.to_string()).unwrap();
        path
    }

    fn events(&self) -> u64 {
        self.run(&["state"]).ok()["ledger"]["events"].as_u64().unwrap()
    }

    fn lint(&self, manifest: &Value) -> Run {
        let path = self.write("lint.json", manifest);
        self.raw(&["--json", "lint", path.to_str().unwrap()])
    }
}

fn example_manifest() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../policy/example-manifest.json")).unwrap(),
    )
    .unwrap()
}

fn example_at_version(version: &str) -> Value {
    let mut m = example_manifest();
    m["policy"]["version"] = json!(version);
    m
}

fn verdict(d: &Value) -> (String, String) {
    (d["verdict"].as_str().unwrap().to_owned(), d["reason"].as_str().unwrap().to_owned())
}

fn pair(verdict: &str, reason: &str) -> (String, String) {
    (verdict.to_owned(), reason.to_owned())
}

/// The status of `id` among the state's `section` (purposes or sdks).
fn status_of(state: &Value, section: &str, id: &str) -> Value {
    state[section].get(id).cloned().unwrap_or_else(|| panic!("{id} not in {state}"))
}

/// The lint errors as (path, message).
fn lint_errors(j: &Value) -> Vec<(String, String)> {
    j["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["path"].as_str().unwrap().to_owned(), e["message"].as_str().unwrap().to_owned()))
        .collect()
}

// --- defect 1: an older MAJOR is a new MAJOR ----------------------------------------------

#[test]
fn going_back_to_an_older_major_never_revives_voided_consent() {
    let mut cli = Cli::new();
    let v1 = cli.write("v1.json", &example_at_version("1.0"));
    let v2 = cli.write("v2.json", &example_at_version("2.0"));
    cli.policy = Some(v1.clone());
    cli.run(&["profile", "--country", "CN", "--age", "30"]).ok();
    cli.run(&["accept-policy"]).ok();
    cli.run(&["grant", "analytics"]).ok();
    assert_eq!(verdict(&cli.run(&["decide", "purpose", "analytics"]).ok()), pair("allow", "consented"));

    // 2.0: the 1.0 grant is void; a grant under 2.0 counts.
    cli.policy = Some(v2);
    assert_eq!(
        verdict(&cli.run(&["decide", "purpose", "analytics"]).ok()),
        pair("ask", "policy_update_requires_acceptance")
    );
    cli.run(&["accept-policy"]).ok();
    assert_eq!(verdict(&cli.run(&["decide", "purpose", "analytics"]).ok()), pair("ask", "consent_missing"));
    cli.run(&["grant", "personalised_ads"]).ok();

    // Back to 1.0: a new MAJOR like any other. Before its acceptance the policy asks...
    cli.policy = Some(v1);
    assert_eq!(
        verdict(&cli.run(&["decide", "purpose", "analytics"]).ok()),
        pair("ask", "policy_update_requires_acceptance")
    );
    // ...and after it, neither the 1.0-era grant nor the 2.0 one counts.
    cli.run(&["accept-policy"]).ok();
    assert_eq!(verdict(&cli.run(&["decide", "purpose", "analytics"]).ok()), pair("ask", "consent_missing"));
    assert_eq!(verdict(&cli.run(&["decide", "purpose", "personalised_ads"]).ok()), pair("ask", "consent_missing"));
    let state = cli.run(&["state"]).ok();
    assert_eq!(status_of(&state, "purposes", "analytics")["status"], "undecided", "{state}");
    // A grant after the downgrade's acceptance counts.
    cli.run(&["grant", "analytics"]).ok();
    assert_eq!(verdict(&cli.run(&["decide", "purpose", "analytics"]).ok()), pair("allow", "consented"));
}

#[test]
fn a_grant_given_before_accepting_a_new_major_still_counts_under_it() {
    // The boundary of defect 1's rule: only choices made before the acceptance of
    // ANOTHER major are void; one made under 2.0 before 2.0 was accepted is not.
    let mut cli = Cli::new();
    cli.policy = Some(cli.write("v1.json", &example_at_version("1.0")));
    cli.run(&["profile", "--country", "CN", "--age", "30"]).ok();
    cli.run(&["accept-policy"]).ok();
    cli.policy = Some(cli.write("v2.json", &example_at_version("2.0")));
    cli.run(&["grant", "analytics"]).ok();
    cli.run(&["accept-policy"]).ok();
    assert_eq!(verdict(&cli.run(&["decide", "purpose", "analytics"]).ok()), pair("allow", "consented"));
}

// --- defect 2: a contract purpose cannot be withdrawn -------------------------------------

#[test]
fn withdrawing_a_contract_or_legal_obligation_purpose_is_refused_and_records_nothing() {
    let cli = Cli::new();
    cli.run(&["profile", "--country", "CN", "--age", "30"]).ok();
    cli.run(&["accept-policy"]).ok();
    cli.run(&["grant", "analytics"]).ok();
    let before = cli.events();
    for args in [vec!["withdraw", "essential"], vec!["withdraw", "analytics", "payments"]] {
        let message = cli.run(&args).refused("invalid_argument");
        assert!(message.contains("cannot be withdrawn") && message.contains("contract"), "{message}");
    }
    assert_eq!(cli.events(), before, "nothing recorded");
    let state = cli.run(&["state"]).ok();
    assert_eq!(status_of(&state, "purposes", "essential")["status"], "undecided", "{state}");
    assert_eq!(status_of(&state, "purposes", "analytics")["status"], "granted", "{state}");
    // A consent purpose still can be withdrawn.
    cli.run(&["withdraw", "analytics"]).ok();
    assert_eq!(cli.events(), before + 1);
}

// --- defect 3: a grant that cannot count says so; a plain grant never downgrades ----------

#[test]
fn a_grant_that_cannot_count_says_what_is_missing() {
    let cli = Cli::new();
    cli.run(&["profile", "--country", "CN", "--age", "30"]).ok();
    cli.run(&["accept-policy"]).ok();
    let j = cli.run(&["grant", "--sdk", "google_pay"]).ok();
    assert_eq!(j["recorded"], "granted");
    assert_eq!(
        j["still_needed"],
        json!([{"subject": "sdk:google_pay", "reason": "separate_consent_required",
                "hint": "grant it again with --separate, in a prompt dedicated to it"}])
    );
    // Without --json too.
    let db = cli.db();
    let text = cli.raw(&["--now", T, "--db", db.to_str().unwrap(), "grant", "face_recognition"]);
    assert_eq!(text.code, 0);
    assert!(text.stdout.contains("still needed: purpose:face_recognition") && text.stdout.contains("--separate"));
    // A grant that counts has nothing to add.
    let j = cli.run(&["grant", "--sdk", "google_pay", "--separate"]).ok();
    assert_eq!(j["still_needed"], json!([]));
    let j = cli.run(&["grant", "analytics"]).ok();
    assert_eq!(j["still_needed"], json!([]));
}

#[test]
fn a_plain_grant_never_replaces_a_separate_one() {
    let cli = Cli::new();
    cli.run(&["profile", "--country", "CN", "--age", "30"]).ok();
    cli.run(&["accept-policy"]).ok();
    cli.run(&["grant", "--sdk", "google_pay", "--separate"]).ok();
    assert_eq!(verdict(&cli.run(&["decide", "sdk", "google_pay"]).ok()), pair("allow", "consented"));
    let j = cli.at("2026-01-02T00:00:00Z", &["grant", "--sdk", "google_pay"]).ok();
    assert_eq!(j["changes"], json!([]), "the payment SDK stays on");
    assert_eq!(verdict(&cli.run(&["decide", "sdk", "google_pay"]).ok()), pair("allow", "consented"));
    let sdk = status_of(&cli.run(&["state"]).ok(), "sdks", "google_pay");
    assert_eq!((sdk["separate"].clone(), sdk["at"].clone()), (json!(true), json!(T)), "{sdk}");
    // A withdrawal still switches it off, and a plain grant after that is plain.
    cli.run(&["withdraw", "--sdk", "google_pay"]).ok();
    cli.run(&["grant", "--sdk", "google_pay"]).ok();
    assert_eq!(verdict(&cli.run(&["decide", "sdk", "google_pay"]).ok()), pair("ask", "separate_consent_required"));
}

// --- defect 4: a clock set back -----------------------------------------------------------

#[test]
fn a_clock_set_back_never_puts_the_ledger_out_of_order() {
    let cli = Cli::new();
    cli.run(&["profile", "--country", "CN", "--age", "30"]).ok();
    cli.run(&["accept-policy"]).ok();
    cli.run(&["grant", "analytics"]).ok();
    cli.at("2026-01-01T01:00:00Z", &["withdraw", "analytics"]).ok();
    // The same millisecond: recorded at it.
    cli.at("2026-01-01T01:00:00Z", &["grant", "personalised_ads"]).ok();
    // One millisecond before the last event: recorded at the last event's time, after it.
    cli.at("2026-01-01T00:59:59.999Z", &["grant", "analytics"]).ok();
    // An hour back.
    cli.at("2026-01-01T00:00:00Z", &["deny", "push_notifications"]).ok();
    let receipts = cli.at("2026-01-01T02:00:00Z", &["export"]).ok()["receipts"].as_array().unwrap().clone();
    let times: Vec<&str> = receipts.iter().map(|r| r["timestamp"].as_str().unwrap()).collect();
    assert_eq!(
        &times[times.len() - 4..],
        ["2026-01-01T01:00:00Z", "2026-01-01T01:00:00Z", "2026-01-01T01:00:00Z", "2026-01-01T01:00:00Z"]
    );
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "receipts in time order");
    // The grant is the latest choice, and says so by its time as by its place.
    let a = status_of(&cli.at("2026-01-01T02:00:00Z", &["state"]).ok(), "purposes", "analytics");
    assert_eq!((a["status"].clone(), a["at"].clone()), (json!("granted"), json!("2026-01-01T01:00:00Z")));
}

#[test]
fn a_decision_is_never_made_at_a_time_before_the_ledger() {
    let cli = Cli::new();
    cli.at("2026-06-01T00:00:00Z", &["profile", "--country", "CN", "--age", "30"]).ok();
    cli.at("2026-06-01T00:00:00Z", &["accept-policy"]).ok();
    // Before the policy was accepted: decided at the acceptance's time, not as if the
    // ledger were from the future.
    let d = cli.at("2026-05-01T00:00:00Z", &["decide", "purpose", "essential"]).ok();
    assert_eq!(d["decided_at"], "2026-06-01T00:00:00Z");
    // A denial's re-ask window cannot be shortened by setting the clock back and then
    // forward: it runs from the denial's recorded time, which never moves back.
    cli.at("2026-06-01T00:00:00Z", &["deny", "analytics"]).ok();
    let d = cli.at("2026-01-01T00:00:00Z", &["decide", "purpose", "analytics"]).ok();
    assert_eq!(verdict(&d), pair("deny", "consent_denied"));
    assert_eq!(d["retry_after"], "2026-11-28T00:00:00Z");
    // At the clock's own time once it is past the ledger.
    let d = cli.at("2026-06-01T00:00:00.001Z", &["decide", "purpose", "essential"]).ok();
    assert_eq!(d["decided_at"], "2026-06-01T00:00:00.001Z");
}

// --- defect 5: a guardian can deny and withdraw -------------------------------------------

#[test]
fn a_guardian_denies_and_withdraws_for_a_child() {
    let cli = Cli::new();
    cli.run(&["profile", "--country", "CN", "--age", "10"]).ok();
    cli.run(&["accept-policy", "--guardian"]).ok();
    cli.run(&["grant", "analytics", "personalised_ads", "--guardian"]).ok();
    cli.run(&["withdraw", "analytics", "--guardian", "--source", "settings"]).ok();
    cli.run(&["deny", "personalised_ads", "--guardian"]).ok();
    cli.run(&["deny", "push_notifications"]).ok();
    let receipts = cli.run(&["export"]).ok()["receipts"].as_array().unwrap().clone();
    let last: Vec<(Value, Value, Value)> = receipts[receipts.len() - 3..]
        .iter()
        .map(|r| (r["choice"].clone(), r["subject"].clone(), r["by_guardian"].clone()))
        .collect();
    assert_eq!(
        last,
        [
            (json!("withdrawn"), json!("purpose:analytics"), json!(true)),
            (json!("denied"), json!("purpose:personalised_ads"), json!(true)),
            (json!("denied"), json!("purpose:push_notifications"), json!(false)),
        ]
    );
    let state = cli.run(&["state"]).ok();
    assert_eq!(status_of(&state, "purposes", "analytics")["by_guardian"], true);
}

// --- defect 6: sensitive where it means nothing -------------------------------------------

#[test]
fn lint_warns_about_sensitive_on_a_contract_or_legal_obligation_purpose() {
    let cli = Cli::new();
    let mut m = example_manifest();
    let j = cli.lint(&m).ok();
    assert_eq!(j, json!({"ok": true, "errors": []}), "no warnings: the contract's document");
    m["purposes"][1]["sensitive"] = json!(true); // payments: contract
    m["purposes"][0]["basis"] = json!("legal_obligation");
    m["purposes"][0]["sensitive"] = json!(true);
    let j = cli.lint(&m).ok();
    assert_eq!(j["ok"], true, "a warning, not an error");
    let paths: Vec<&str> = j["warnings"].as_array().unwrap().iter().map(|w| w["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["/purposes/0/sensitive", "/purposes/1/sensitive"]);
    assert!(j["warnings"][1]["message"].as_str().unwrap().contains("has no effect"));
    // sensitive: false says nothing.
    m["purposes"][0]["sensitive"] = json!(false);
    m["purposes"][1]["sensitive"] = json!(false);
    assert_eq!(cli.lint(&m).ok(), json!({"ok": true, "errors": []}));
}

// --- defect 7: invisible and look-alike characters ----------------------------------------

#[test]
fn ids_with_invisible_or_look_alike_characters_are_rejected_and_shown_escaped() {
    let cli = Cli::new();
    for (bad, shown) in
        [("C\u{200b}N", "C\\u{200b}N"), ("\u{0421}N", "\\u{0421}N"), ("CN ", "`CN `"), ("E\u{200f}EA", "E\\u{200f}EA")]
    {
        let mut m = example_manifest();
        m["jurisdictions"][0]["id"] = json!(bad);
        let r = cli.lint(&m);
        assert_eq!(r.code, 1, "{bad:?}");
        let errors = lint_errors(&r.json());
        assert_eq!(errors.len(), 1, "{bad:?}: {errors:?}");
        assert_eq!(errors[0].0, "/jurisdictions/0/id");
        assert!(errors[0].1.contains(shown), "{bad:?}: {}", errors[0].1);
        assert!(bad.is_ascii() || !errors[0].1.contains(bad), "{bad:?} raw: {}", errors[0].1);
    }
    let mut m = example_manifest();
    m["default_jurisdiction"] = json!("default\u{200b}");
    m["purposes"][4]["id"] = json!("\u{0430}nalytics");
    let errors = lint_errors(&cli.lint(&m).json());
    assert!(errors.iter().any(|(p, msg)| p == "/default_jurisdiction" && msg.contains("default\\u{200b}")));
    assert!(errors.iter().any(|(p, msg)| p == "/purposes/4/id" && msg.contains("\\u{0430}nalytics")));
    // On the command line: refused, echoed escaped.
    cli.run(&["accept-policy"]).ok();
    let message = cli.run(&["grant", "\u{0430}nalytics"]).refused("unknown_id");
    assert!(message.contains("`\\u{0430}nalytics`") && !message.contains('\u{0430}'), "{message}");
    let message = cli.run(&["withdraw", "--sdk", "facebook\u{200b}"]).refused("unknown_id");
    assert!(message.contains("facebook\\u{200b}"), "{message}");
    // The text of a decision about an unknown id shows it escaped too.
    let db = cli.db();
    let text = cli.raw(&["--now", T, "--db", db.to_str().unwrap(), "decide", "sdk", "face\u{200b}book"]);
    assert!(text.stdout.starts_with("sdk:face\\u{200b}book: deny (unknown_subject)"), "{}", text.stdout);
}

// --- defect 10: a tampered ledger -----------------------------------------------------------

#[test]
fn a_tampered_ledger_says_to_export_first_and_each_receipt_says_whether_it_is_intact() {
    let cli = Cli::new();
    cli.run(&["profile", "--country", "CN", "--age", "30"]).ok();
    cli.run(&["accept-policy", "--source", "settings"]).ok();
    cli.run(&["grant", "analytics"]).ok();
    cli.run(&["grant", "personalised_ads"]).ok();
    let receipts = cli.run(&["export"]).ok()["receipts"].as_array().unwrap().clone();
    assert!(receipts.iter().all(|r| r["intact"] == true));
    {
        let c = rusqlite::Connection::open(cli.db()).unwrap();
        c.execute("UPDATE events SET body = replace(body, 'settings', 'elsewhere') WHERE id = 2", []).unwrap();
    }
    let message = cli.run(&["grant", "push_notifications"]).refused("ledger_tampered");
    assert!(message.contains("Export it first"), "{message}");
    let export = cli.run(&["export"]).ok();
    let intact: Vec<(i64, bool)> = export["receipts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["event_id"].as_i64().unwrap(), r["intact"].as_bool().unwrap()))
        .collect();
    assert_eq!(intact, [(1, true), (2, false), (3, false), (4, false)]);
    // A body that no longer parses is still listed, as unreadable and not intact.
    {
        let c = rusqlite::Connection::open(cli.db()).unwrap();
        c.execute("UPDATE events SET body = 'not json' WHERE id = 4", []).unwrap();
    }
    let export = cli.run(&["export"]).ok();
    let last = export["receipts"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["event_id"].clone(), last["choice"].clone(), last["intact"].clone()),
        (json!(4), json!("unreadable"), json!(false))
    );
    assert_eq!(last["event"], "granted");
}

// --- defect 11: size limits ---------------------------------------------------------------

#[test]
fn limits_are_enforced_with_their_paths() {
    let cli = Cli::new();
    // Text: 2,000 characters pass, 2,001 do not.
    let mut m = example_manifest();
    m["purposes"][0]["title"] = json!("x".repeat(2_000));
    assert_eq!(cli.lint(&m).ok()["ok"], true);
    m["purposes"][0]["title"] = json!("\u{4e2d}".repeat(2_001));
    let errors = lint_errors(&cli.lint(&m).json());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, "/purposes/0/title");
    assert!(errors[0].1.contains("at most 2000"), "{}", errors[0].1);
    // A 5 MB title: the file is over 1 MiB.
    m["purposes"][0]["title"] = json!("x".repeat(5_000_000));
    let errors = lint_errors(&cli.lint(&m).json());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, "");
    assert!(errors[0].1.contains("1 MiB"), "{}", errors[0].1);
    // Ids: 64 characters.
    let mut m = example_manifest();
    m["sdks"][0]["id"] = json!("s".repeat(64));
    assert_eq!(cli.lint(&m).ok()["ok"], true);
    m["sdks"][0]["id"] = json!("s".repeat(65));
    assert_eq!(lint_errors(&cli.lint(&m).json())[0].0, "/sdks/0/id");
    // Lists: 1,000 items.
    let mut m = example_manifest();
    let sdk = m["sdks"][0].clone();
    let many = |n: usize| {
        (0..n)
            .map(|i| {
                let mut s = sdk.clone();
                s["id"] = json!(format!("sdk_{i}"));
                s
            })
            .collect::<Vec<_>>()
    };
    m["sdks"] = json!(many(1_000));
    assert_eq!(cli.lint(&m).ok()["ok"], true);
    m["sdks"] = json!(many(1_001));
    let errors = lint_errors(&cli.lint(&m).json());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "/sdks");
    assert!(errors[0].1.contains("at most 1000"));
    // A store opened with such a manifest is refused the same way.
    let path = cli.write("big.json", &m);
    let db = cli.db();
    let r = cli.raw(&["--json", "--db", db.to_str().unwrap(), "--policy", path.to_str().unwrap(), "state"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
}

// --- defect 12: values that cannot work ---------------------------------------------------

#[test]
fn lint_rejects_values_that_cannot_work() {
    let cli = Cli::new();
    let mut m = example_manifest();
    m["settings"]["consent_ttl_days"] = json!(1);
    assert_eq!(cli.lint(&m).ok()["ok"], true);
    m["settings"]["consent_ttl_days"] = json!(0);
    m["sdks"][3]["purposes"] = json!(["payments", "payments"]);
    m["permissions"][0]["purposes"] = json!(["essential", "analytics", "essential"]);
    m["sdks"][4]["platforms"] = json!(["android", "harmonyos"]);
    m["sdks"][5]["platforms"] = json!(["ios", "ios"]);
    m["settings"]["reask_after_denial_days"] = json!(36_501);
    let paths: Vec<String> = lint_errors(&cli.lint(&m).json()).into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        paths,
        [
            "/settings/consent_ttl_days",
            "/settings/reask_after_denial_days",
            "/permissions/0/purposes/2",
            "/sdks/3/purposes/1",
            "/sdks/4/platforms/1",
            "/sdks/5/platforms/1",
        ]
    );
}

// --- defect 13: bounded times ---------------------------------------------------------------

#[test]
fn times_are_bounded_and_every_time_written_is_read_back() {
    let cli = Cli::new();
    for bad in ["10000-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z"] {
        let r = cli.at(bad, &["state"]);
        // An invalid value: exit 1 showing it (issue 13, defect 8; it was a usage error, 2).
        assert_eq!(r.code, 1, "{bad}: {}", r.stdout);
        let j = r.json();
        assert_eq!(j["error"]["code"], "invalid_argument", "{bad}");
        assert!(j["error"]["message"].as_str().unwrap().contains(bad), "{bad}: {}", r.stdout);
    }
    cli.at("9999-12-31T23:00:00Z", &["profile", "--country", "CN", "--age", "30"]).ok();
    cli.at("9999-12-31T23:00:00Z", &["accept-policy"]).ok();
    cli.at("9999-12-31T23:00:00Z", &["grant", "analytics"]).ok();
    let d = cli.at("9999-12-31T23:00:00Z", &["decide", "purpose", "analytics"]).ok();
    assert_eq!(verdict(&d), pair("allow", "consented"));
    let until = d["valid_until"].as_str().unwrap().to_owned();
    assert_eq!(until, "9999-12-31T23:59:59.999Z");
    // What the tool wrote, --now reads.
    let d = cli.at(&until, &["decide", "purpose", "analytics"]).ok();
    assert_eq!(d["decided_at"], until.as_str());
    let r = cli.at("1970-01-01T00:00:00Z", &["decide", "purpose", "analytics"]);
    assert_eq!(r.code, 0);
}
