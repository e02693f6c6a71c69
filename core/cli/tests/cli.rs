//! The `gatekeeper` binary (contract §7), driven as the acceptance scenarios drive it:
//! `--json`, `--now` and `--db` in a temporary directory, stdout parsed as JSON.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

mod common;

use common::{Cli, T};

impl Cli {
    /// Records a Chinese adult who accepted the policy and granted analytics.
    fn cn_user_with_analytics(&self) {
        self.run(&["profile", "--country", "CN", "--age", "30"]).ok();
        self.run(&["accept-policy", "--source", "first_run_dialog"]).ok();
        self.run(&["grant", "analytics", "--source", "first_run_dialog"]).ok();
    }

    fn event_count(&self) -> u64 {
        self.run(&["state"]).ok()["ledger"]["events"].as_u64().unwrap()
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

fn example_manifest() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../policy/example-manifest.json")).unwrap(),
    )
    .unwrap()
}

// --- decide -------------------------------------------------------------------------------

#[test]
fn decide_prints_the_decision_object_and_exits_0_for_every_verdict() {
    let cli = Cli::new();
    let d = cli.run(&["decide", "sdk", "facebook"]).ok();
    assert_eq!(
        d,
        json!({"subject": "sdk:facebook", "verdict": "ask", "reason": "policy_not_accepted", "purposes": [],
               "sdks": [], "retry_after": null, "valid_until": null, "policy_version": "3.1",
               "jurisdiction": "default", "decided_at": "2026-01-01T00:00:00Z"})
    );
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        // The contract's order (section 4).
        [
            "subject",
            "verdict",
            "reason",
            "purposes",
            "sdks",
            "retry_after",
            "valid_until",
            "policy_version",
            "jurisdiction",
            "decided_at"
        ]
    );

    cli.cn_user_with_analytics();
    for (args, verdict, reason) in [
        (vec!["decide", "sdk", "sensors_analytics"], "allow", "consented"),
        (vec!["decide", "purpose", "essential"], "allow", "not_consent_based"),
        (vec!["decide", "permission", "camera"], "allow", "not_consent_based"),
        (vec!["decide", "sdk", "facebook"], "ask", "separate_consent_required"),
        (vec!["decide", "permission", "camera", "--trigger", "app_launch"], "deny", "launch_time_request"),
        (vec!["decide", "permission", "camera", "--trigger", "background"], "deny", "not_user_initiated"),
        (vec!["decide", "sdk", "tiktok"], "deny", "unknown_subject"),
        (vec!["decide", "permission", "gps"], "deny", "unknown_subject"),
        (vec!["decide", "purpose", "telemetry"], "deny", "unknown_subject"),
    ] {
        let d = cli.run(&args).ok();
        assert_eq!((d["verdict"].as_str(), d["reason"].as_str()), (Some(verdict), Some(reason)), "{args:?}");
        assert_eq!(d["jurisdiction"], json!("CN"), "{args:?}");
        assert_eq!(d.as_object().unwrap().len(), 10, "{args:?}");
    }
    let d = cli.run(&["decide", "sdk", "facebook"]).ok();
    assert_eq!(d["sdks"], json!(["facebook"]));
    assert_eq!(d["purposes"], json!([]));
    let d = cli.run(&["decide", "sdk", "tiktok"]).ok();
    assert_eq!(d["subject"], json!("sdk:tiktok"));
}

/// The decision object exactly as contract §4 shows it: a CN user who granted analytics
/// but not the Facebook SDK itself.
#[test]
fn decide_matches_the_contract_example() {
    let cli = Cli::new();
    cli.cn_user_with_analytics();
    assert_eq!(
        cli.run(&["decide", "sdk", "facebook"]).ok(),
        json!({"subject": "sdk:facebook", "verdict": "ask", "reason": "separate_consent_required",
               "purposes": [], "sdks": ["facebook"], "retry_after": null, "valid_until": null,
               "policy_version": "3.1", "jurisdiction": "CN", "decided_at": "2026-01-01T00:00:00Z"})
    );
}

// --- decision log -------------------------------------------------------------------------

#[test]
fn identical_decisions_share_one_log_row_and_a_change_adds_one() {
    let cli = Cli::new();
    let times = [
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:01Z",
        "2026-01-01T00:00:02Z",
        "2026-01-01T00:00:03Z",
        "2026-01-01T00:00:04Z",
    ];
    for t in times {
        let d = cli.at(t, &["decide", "sdk", "mmkv"]).ok();
        assert_eq!(d["reason"], json!("policy_not_accepted"));
    }
    let log = cli.run(&["log"]).ok();
    assert_eq!(
        log,
        json!([{"id": 1, "subject": "sdk:mmkv", "verdict": "ask", "reason": "policy_not_accepted",
                "policy_version": "3.1", "jurisdiction": "default", "first_seen": "2026-01-01T00:00:00Z",
                "last_seen": "2026-01-01T00:00:04Z", "count": 5}])
    );
    // Reading the log writes nothing to it.
    assert_eq!(cli.run(&["log"]).ok(), log);

    cli.at("2026-01-01T00:01:00Z", &["profile", "--country", "CN"]).ok();
    cli.at("2026-01-01T00:01:00Z", &["accept-policy"]).ok();
    cli.at("2026-01-01T00:02:00Z", &["decide", "sdk", "mmkv"]).ok();
    cli.at("2026-01-01T00:03:00Z", &["decide", "sdk", "mmkv"]).ok();
    cli.at("2026-01-01T00:04:00Z", &["decide", "sdk", "matisse"]).ok();
    let log = cli.run(&["log"]).ok();
    let rows = log.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["count"], json!(5));
    assert_eq!(
        rows[1],
        json!({"id": 2, "subject": "sdk:mmkv", "verdict": "allow", "reason": "not_consent_based",
               "policy_version": "3.1", "jurisdiction": "CN", "first_seen": "2026-01-01T00:02:00Z",
               "last_seen": "2026-01-01T00:03:00Z", "count": 2})
    );
    assert_eq!((rows[2]["subject"].as_str(), rows[2]["count"].as_u64()), (Some("sdk:matisse"), Some(1)));
}

// --- lint ---------------------------------------------------------------------------------

const BAD_MANIFEST: &str = r#"{
  "schema": 1,
  "policy": {"id": "phocol", "version": "3", "effective": "2025-02-30",
             "controller": {"name": "Example Ltd."}, "colour": "blue"},
  "settings": {"unknown_age": "teen"},
  "default_jurisdiction": "mars",
  "jurisdictions": [
    {"id": "CN", "law": "pipl", "age_of_consent": 14, "countries": ["CN", "uk"]},
    {"id": "EEA", "law": "gdpr", "age_of_consent": 22, "countries": ["CN"]}
  ],
  "purposes": [
    {"id": "essential", "title": "Core", "basis": "contract"},
    {"id": "essential", "title": "Dup", "basis": "consent"},
    {"id": "analytics", "title": "Analytics", "basis": "maybe"},
    {"id": "Ads", "title": "Ads", "basis": "consent"}
  ],
  "permissions": [
    {"id": "camera", "title": "Camera", "purposes": []}
  ],
  "sdks": [
    {"id": "facebook", "name": "FB", "vendor": "Meta", "role": "partner", "purposes": ["marketing"]},
    {"id": "x", "vendor": "X", "purposes": ["analytics"]}
  ]
}"#;

/// Every mistake in BAD_MANIFEST, in document order, with a word its message must use.
const BAD_MANIFEST_ERRORS: [(&str, &str); 15] = [
    ("/policy/version", "MAJOR.MINOR"),
    ("/policy/effective", "2025-02-30"),
    ("/policy/colour", "unknown field"),
    ("/settings/unknown_age", "teen"),
    ("/default_jurisdiction", "mars"),
    ("/jurisdictions/0/countries/1", "uk"),
    ("/jurisdictions/1/age_of_consent", "22"),
    ("/jurisdictions/1/countries/0", "CN"),
    ("/purposes/1/id", "duplicate"),
    ("/purposes/2/basis", "maybe"),
    ("/purposes/3/id", "Ads"),
    ("/permissions/0/purposes", "purpose"),
    ("/sdks/0/role", "partner"),
    ("/sdks/0/purposes/0", "marketing"),
    ("/sdks/1/name", "missing required field"),
];

#[test]
fn lint_lists_every_mistake_with_its_path_and_exits_1() {
    let cli = Cli::new();
    let path = cli.file("bad-manifest.json");
    std::fs::write(&path, BAD_MANIFEST).unwrap();
    let run = cli.raw(&["--json", "lint", path.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let doc = run.json();
    assert_eq!(doc["ok"], json!(false));
    let errors = doc["errors"].as_array().unwrap();
    let paths: Vec<&str> = errors.iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert_eq!(paths, BAD_MANIFEST_ERRORS.iter().map(|(p, _)| *p).collect::<Vec<_>>());
    for (e, (p, word)) in errors.iter().zip(BAD_MANIFEST_ERRORS) {
        // path, message, and (contract §10.3) the code every manifest error has.
        assert_eq!(e.as_object().unwrap().len(), 3, "{e}");
        assert_eq!(e["code"], json!("invalid_manifest"), "{e}");
        let message = e["message"].as_str().unwrap();
        assert!(message.contains(word), "{p}: {message}");
    }
    // Without --json: one line per mistake naming the file and the path, on stdout.
    let run = cli.raw(&["lint", path.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    for (p, _) in BAD_MANIFEST_ERRORS {
        assert!(run.stdout.contains(&format!("{}:{p}: ", path.display())), "{p} missing from:\n{}", run.stdout);
    }
    assert!(run.stdout.contains("15 error(s)"), "{}", run.stdout);
    // Linting touches no store.
    assert!(!cli.db().exists());
}

#[test]
fn lint_accepts_the_example_manifest() {
    let cli = Cli::new();
    let run = cli.raw(&["--json", "lint", concat!(env!("CARGO_MANIFEST_DIR"), "/../policy/example-manifest.json")]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json(), json!({"ok": true, "errors": []}));
}

#[test]
fn lint_reports_text_that_is_not_json_and_a_missing_file() {
    let cli = Cli::new();
    let path = cli.file("broken.json");
    std::fs::write(&path, "{\"schema\": 1,\n  \"policy\": }").unwrap();
    let run = cli.raw(&["--json", "lint", path.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let doc = run.json();
    assert_eq!(doc["ok"], json!(false));
    assert_eq!(doc["errors"].as_array().unwrap().len(), 1);
    assert_eq!(doc["errors"][0]["path"], json!(""));
    assert!(doc["errors"][0]["message"].as_str().unwrap().contains("line 2"), "{doc}");

    let missing = cli.file("nope.json");
    let run = cli.raw(&["--json", "lint", missing.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let err = &run.json()["error"];
    assert!(err["message"].as_str().unwrap().contains(missing.to_str().unwrap()), "{err}");
}

// --- verify -------------------------------------------------------------------------------

#[test]
fn verify_exits_0_on_an_intact_chain_and_1_naming_a_rewritten_event() {
    let cli = Cli::new();
    let run = cli.run(&["verify"]);
    assert_eq!((run.code, run.json()), (0, json!({"ok": true, "events": 0, "first_broken": null})));
    cli.cn_user_with_analytics();
    cli.run(&["grant", "--sdk", "facebook", "--separate", "--source", "just_in_time"]).ok();
    let run = cli.run(&["verify"]);
    assert_eq!((run.code, run.json()), (0, json!({"ok": true, "events": 4, "first_broken": null})));

    // Event 3 granted analytics; turn it into a denial, body only.
    {
        let c = rusqlite::Connection::open(cli.db()).unwrap();
        let n = c
            .execute(
                "UPDATE events SET body = replace(body, '\"kind\":\"granted\"', '\"kind\":\"denied\"') WHERE id = 3",
                [],
            )
            .unwrap();
        assert_eq!(n, 1);
    }
    let run = cli.run(&["verify"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.json(), json!({"ok": false, "events": 4, "first_broken": 3}));
    // Text mode says so too.
    let run = cli.raw(&["--now", T, "--db", cli.db().to_str().unwrap(), "verify"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("first broken event is 3"), "{}", run.stdout);
    // A tampered store fails closed.
    let d = cli.run(&["decide", "sdk", "sensors_analytics"]).ok();
    assert_eq!((d["verdict"].as_str(), d["reason"].as_str()), (Some("deny"), Some("store_unavailable")));
    let state = cli.run(&["state"]).ok();
    assert_eq!(state["ledger"], json!({"events": 4, "intact": false, "first_broken": 3}));
}

// --- erase --------------------------------------------------------------------------------

#[test]
fn erase_leaves_a_new_user_and_one_receipt() {
    let cli = Cli::new();
    cli.cn_user_with_analytics();
    cli.run(&["permission-result", "camera", "denied"]).ok();
    cli.run(&["decide", "sdk", "sensors_analytics"]).ok();
    let state = cli.run(&["state"]).ok();
    assert_eq!(state["profile"], json!({"country": "CN", "age": 30}));
    assert_eq!(state["purposes"]["analytics"]["status"], json!("granted"));

    let erased = cli.at("2026-01-02T00:00:00Z", &["erase"]).ok();
    assert_eq!((&erased["ok"], &erased["erased_at"]), (&json!(true), &json!("2026-01-02T00:00:00Z")));
    // Like every write, erase reports what it switched off: here the analytics SDK.
    let off: Vec<(&str, &str)> = erased["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["subject"].as_str().unwrap(), c["new"]["reason"].as_str().unwrap()))
        .filter(|(s, _)| *s == "sdk:sensors_analytics")
        .collect();
    assert_eq!(off, [("sdk:sensors_analytics", "policy_not_accepted")]);

    let state = cli.run(&["state"]).ok();
    assert_eq!(state["profile"], json!({"country": null, "age": null}));
    assert_eq!(state["jurisdiction"]["id"], json!("default"));
    assert_eq!(state["policy"]["accepted"], json!(false));
    assert_eq!(state["erased_at"], json!("2026-01-02T00:00:00Z"));
    let purposes = state["purposes"].as_object().unwrap();
    assert_eq!(purposes.len(), 9);
    for (id, p) in purposes {
        assert_eq!(p["status"], json!("undecided"), "{id}");
    }
    for (id, p) in state["sdks"].as_object().unwrap() {
        assert_eq!(p["status"], json!("undecided"), "{id}");
    }
    assert_eq!(state["permissions"]["camera"]["status"], json!("not_asked"));

    let export = cli.run(&["export"]).ok();
    assert_eq!(export["profile"], json!({"country": null, "age": null}));
    let receipts = export["receipts"].as_array().unwrap();
    assert_eq!(receipts.len(), 1);
    assert_eq!(receipts[0]["event"], json!("erased"));
    assert_eq!(receipts[0]["choice"], json!("erased"));
    assert_eq!(receipts[0]["timestamp"], json!("2026-01-02T00:00:00Z"));
    assert_eq!((&receipts[0]["subject"], &receipts[0]["basis"]), (&json!(null), &json!(null)));
    assert_eq!(receipts[0]["source"], json!(null));
    assert_eq!(export["decision_log"], json!([]));
    let d = cli.run(&["decide", "sdk", "sensors_analytics"]).ok();
    assert_eq!(d["reason"], json!("policy_not_accepted"));
    assert_eq!(cli.run(&["verify"]).ok(), json!({"ok": true, "events": 1, "first_broken": null}));
}

// --- corruption ---------------------------------------------------------------------------

#[test]
fn a_corrupt_file_is_moved_aside_and_the_fresh_store_fails_closed() {
    let cli = Cli::new();
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8 | 0x80).collect();
    std::fs::write(cli.db(), &garbage).unwrap();
    let run = cli.run(&["decide", "sdk", "mmkv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let d = run.json();
    assert_eq!((d["verdict"].as_str(), d["reason"].as_str()), (Some("ask"), Some("policy_not_accepted")));
    let moved = sibling(&cli.db(), ".corrupt-20260101T000000Z");
    assert_eq!(std::fs::read(&moved).unwrap(), garbage);
    assert!(run.stderr.contains("corrupt"), "{}", run.stderr);
    assert!(run.stderr.contains(moved.to_str().unwrap()), "{}", run.stderr);

    let state = cli.at("2026-01-01T01:00:00Z", &["state"]).ok();
    assert_eq!(state["recovered_from_corruption"], json!(true));
    assert_eq!(state["recovery"], json!({"at": "2026-01-01T00:00:00Z", "moved_aside_to": moved.to_str().unwrap()}));
    assert_eq!(state["ledger"]["events"], json!(0));
    for (args, verdict, reason) in [
        (vec!["decide", "sdk", "facebook"], "ask", "policy_not_accepted"),
        (vec!["decide", "permission", "camera"], "ask", "policy_not_accepted"),
        (vec!["decide", "permission", "camera", "--trigger", "app_launch"], "deny", "launch_time_request"),
    ] {
        let d = cli.run(&args).ok();
        assert_eq!((d["verdict"].as_str(), d["reason"].as_str()), (Some(verdict), Some(reason)), "{args:?}");
    }
}

// --- policy pinning -----------------------------------------------------------------------

#[test]
fn a_store_made_for_another_policy_id_is_refused_with_exit_1() {
    let cli = Cli::new();
    cli.cn_user_with_analytics();
    let export_before = cli.run(&["export"]).ok();
    let mut other = example_manifest();
    other["policy"]["id"] = json!("other_app");
    let other_path = cli.file("other-manifest.json");
    std::fs::write(&other_path, other.to_string()).unwrap();
    for args in [vec!["grant", "push_notifications"], vec!["decide", "sdk", "mmkv"], vec!["state"]] {
        let mut all = vec!["--policy", other_path.to_str().unwrap()];
        all.extend(args.iter().copied());
        let run = cli.run(&all);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stdout);
        let doc = run.json();
        assert_eq!(doc.as_object().unwrap().len(), 1, "{doc}");
        assert_eq!(doc["error"]["code"], json!("policy_mismatch"), "{args:?}");
        let message = doc["error"]["message"].as_str().unwrap();
        for needle in [cli.db().to_str().unwrap(), "phocol", "other_app"] {
            assert!(message.contains(needle), "{needle} not in {message}");
        }
    }
    assert_eq!(cli.run(&["export"]).ok(), export_before);
}

// --- usage errors and invalid input -------------------------------------------------------

#[test]
fn usage_errors_exit_2_and_name_the_problem() {
    let cli = Cli::new();
    let db = cli.db();
    let db = db.to_str().unwrap();
    for (args, needle) in [
        (vec!["frobnicate"], "frobnicate"),
        (vec!["decide", "sdk"], "decide sdk ID"),
        (vec!["decide", "vendor", "facebook"], "vendor"),
        (vec!["profile", "--age", "30"], "--country"),
        (vec!["lint"], "lint FILE"),
        (vec!["grant"], "PURPOSE"),
        (vec!["state", "--db"], "--db"),
        (vec!["state", "--frob"], "--frob"),
        (vec!["deny", "analytics", "--separate"], "--separate"),
        (vec![], "no command"),
    ] {
        // --db goes first so that `state --db` lacks its value.
        let mut all = vec!["--json", "--db", db];
        all.extend(args.iter().copied());
        let run = cli.raw(&all);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        let doc = run.json();
        assert_eq!(doc["error"]["code"], json!("usage"), "{args:?}");
        let message = doc["error"]["message"].as_str().unwrap();
        assert!(message.contains(needle), "{args:?}: {message}");

        // Without --json the message goes to stderr, with the usage.
        let mut all = vec!["--db", db];
        all.extend(args.iter().copied());
        let run = cli.raw(&all);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("usage: gatekeeper"), "{args:?}");
        assert_eq!(run.stdout, "", "{args:?}");
    }
    // Nothing was opened.
    assert!(!cli.db().exists());
}

#[test]
fn invalid_input_exits_1_and_leaves_the_store_unchanged() {
    let cli = Cli::new();
    cli.cn_user_with_analytics();
    cli.run(&["decide", "sdk", "facebook"]).ok();
    let before = cli.run(&["export"]).ok();
    assert_eq!(before["receipts"].as_array().unwrap().len(), 3);
    for (args, code, needles) in [
        (vec!["grant", "telemetry"], "unknown_id", vec!["purpose", "telemetry"]),
        (vec!["grant", "analytics", "telemetry"], "unknown_id", vec!["purpose", "telemetry"]),
        (vec!["withdraw", "--sdk", "tiktok"], "unknown_id", vec!["sdk", "tiktok"]),
        (vec!["deny", "analytics", "--sdk", "tiktok"], "unknown_id", vec!["sdk", "tiktok"]),
        (vec!["permission-result", "gps", "denied"], "unknown_id", vec!["permission", "gps"]),
        (vec!["profile", "--country", "UK"], "invalid_argument", vec!["country"]),
        (vec!["profile", "--country", "CHN"], "invalid_argument", vec!["country"]),
        (vec!["profile", "--country", "CN", "--age", "200"], "invalid_argument", vec!["age"]),
        (vec!["grant", "analytics", "--source", "two words"], "invalid_argument", vec!["source"]),
        (vec!["accept-policy", "--source", "x;y"], "invalid_argument", vec!["source"]),
    ] {
        let run = cli.at("2026-01-05T00:00:00Z", &args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stdout);
        let doc = run.json();
        assert_eq!(doc["error"]["code"], json!(code), "{args:?}");
        let message = doc["error"]["message"].as_str().unwrap();
        for n in needles {
            assert!(message.contains(n), "{args:?}: {message}");
        }
    }
    assert_eq!(cli.run(&["export"]).ok(), before);
    assert_eq!(cli.event_count(), 3);
}

// --- time ---------------------------------------------------------------------------------

#[test]
fn now_drives_the_permission_reprompt_window() {
    let cli = Cli::new();
    cli.run(&["accept-policy"]).ok();
    let recorded = cli.run(&["permission-result", "camera", "denied"]).ok();
    assert_eq!(recorded["changes"][0]["subject"], json!("permission:camera"));
    assert_eq!(recorded["changes"][0]["new"]["reason"], json!("recently_denied"));

    let d = cli.at("2026-01-02T23:59:59Z", &["decide", "permission", "camera"]).ok();
    assert_eq!(
        d,
        json!({"subject": "permission:camera", "verdict": "deny", "reason": "recently_denied", "purposes": [],
               "sdks": [], "retry_after": "2026-01-03T00:00:00Z", "valid_until": "2026-01-03T00:00:00Z",
               "policy_version": "3.1", "jurisdiction": "default", "decided_at": "2026-01-02T23:59:59Z"})
    );
    // One millisecond before the window ends it is still closed.
    let d = cli.at("2026-01-02T23:59:59.999Z", &["decide", "permission", "camera"]).ok();
    assert_eq!(d["reason"], json!("recently_denied"));
    let d = cli.at("2026-01-03T00:00:00Z", &["decide", "permission", "camera"]).ok();
    assert_eq!((d["verdict"].as_str(), d["reason"].as_str()), (Some("allow"), Some("not_consent_based")));
    assert_eq!(d["retry_after"], json!(null));
    // The same instant written with an offset.
    let d = cli.at("2026-01-03T08:00:00+08:00", &["decide", "permission", "camera"]).ok();
    assert_eq!((d["verdict"].as_str(), d["decided_at"].as_str()), (Some("allow"), Some("2026-01-03T00:00:00Z")));
    // The state shows the same window.
    let state = cli.run(&["state"]).ok();
    assert_eq!(
        state["permissions"]["camera"],
        json!({"status": "denied", "at": "2026-01-01T00:00:00Z", "retry_after": "2026-01-03T00:00:00Z"})
    );
}

// --- demo ---------------------------------------------------------------------------------

#[test]
fn demo_prints_ten_numbered_steps_and_ends_with_a_clean_audit() {
    let cli = Cli::new();
    let db = cli.file("demo.db");
    let run = cli.raw(&["--now", T, "--db", db.to_str().unwrap(), "demo"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let headings: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("== ")).collect();
    assert_eq!(
        headings,
        [
            "== 1. first run",
            "== 2. policy declined",
            "== 3. policy accepted",
            "== 4. consent dialog",
            "== 5. sdk start",
            "== 6. sensitive data",
            "== 7. camera prompt",
            "== 8. withdrawal",
            "== 9. export and verify",
            "== 10. start-log audit",
        ]
    );
    let section = |from: &str, to: &str| -> Vec<String> {
        run.stdout.lines().skip_while(|l| *l != from).take_while(|l| *l != to).map(str::to_owned).collect()
    };
    let declined = section("== 2. policy declined", "== 3. policy accepted");
    assert!(declined.iter().any(|l| l.contains("sdk:mmkv") && l.ends_with("allow basic_mode")), "{declined:?}");
    assert!(declined.iter().any(|l| l.contains("sdk:facebook") && l.ends_with("ask   policy_not_accepted")));
    assert!(declined.iter().any(|l| l.contains("access:clipboard") && l.ends_with("allow basic_mode")));
    let reads = section("== 6. sensitive data", "== 7. camera prompt");
    assert!(reads.iter().any(|l| l.contains("access:clipboard") && l.contains("deny  rate_limited")), "{reads:?}");
    assert!(reads.iter().any(|l| l.contains("deny  background_access")), "{reads:?}");
    let withdrawal: Vec<String> = section("== 8. withdrawal", "== 9. export and verify")
        .into_iter()
        .filter(|l| l.contains("change notification:"))
        .collect();
    assert_eq!(withdrawal.len(), 3, "{withdrawal:?}");
    assert!(
        withdrawal[0].contains("sdk:facebook") && withdrawal[0].ends_with("allow consented -> deny consent_withdrawn")
    );
    assert!(
        withdrawal[1].contains("sdk:sensors_analytics")
            && withdrawal[1].ends_with("allow consented -> deny consent_withdrawn")
    );
    assert!(
        withdrawal[2].contains("sdk:firebase_analytics")
            && withdrawal[2].ends_with("allow consented -> deny consent_withdrawn")
    );
    assert!(run.stdout.contains("stopped facebook (recorded in the start log)"), "{}", run.stdout);
    assert!(run.stdout.contains("hash chain intact"), "{}", run.stdout);
    assert!(run.stdout.contains("audit: ok, 5 SDK run(s)"), "{}", run.stdout);

    // --json: one document with the same steps.
    let run = cli.raw(&["--json", "--now", T, "--db", db.to_str().unwrap(), "demo"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = run.json();
    let steps = doc["steps"].as_array().unwrap();
    let mut numbers: Vec<u64> = steps.iter().map(|s| s["step"].as_u64().unwrap()).collect();
    numbers.dedup();
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    let verify = steps.iter().rev().find(|s| s["step"] == 9).unwrap();
    assert_eq!(verify["detail"], json!({"ok": true, "events": 17, "first_broken": null}));
    let last = steps.last().unwrap();
    assert_eq!((last["detail"]["ok"].clone(), last["detail"]["violations"].clone()), (json!(true), json!([])));

    // The demo's own store passes `gatekeeper audit` (exit 0).
    let audit = cli.raw(&["--json", "--now", T, "--db", db.to_str().unwrap(), "audit"]);
    let doc = audit.ok();
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["sdks"].as_array().unwrap().len(), 5);
}

#[test]
fn demo_refuses_a_store_holding_a_users_ledger() {
    let cli = Cli::new();
    cli.cn_user_with_analytics();
    let before = cli.event_count();
    let run = cli.run(&["demo"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let message = run.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains(cli.db().to_str().unwrap()) && message.contains("--db demo.db"), "{message}");
    assert_eq!(cli.event_count(), before);
}

#[test]
fn an_age_that_does_not_parse_is_not_echoed() {
    let cli = Cli::new();
    let run = cli.run(&["profile", "--country", "CN", "--age", "-137"]);
    assert_eq!(run.code, 1);
    assert!(!run.stdout.contains("137") && !run.stderr.contains("137"), "{} {}", run.stdout, run.stderr);
}

/// Issue 13, defect 8: `--age -1` and `--age 200` both exit 1 with the same message
/// (which does not echo the age), and every other value an option does not take exits
/// 1 too, showing the value; nothing is recorded, and no store is made.
#[test]
fn invalid_values_exit_1_consistently_and_show_the_value_but_never_an_age() {
    let cli = Cli::new();
    let db = cli.db();
    let db = db.to_str().unwrap();
    for age in ["-1", "200", "151", "ten"] {
        let run = cli.raw(&["--json", "--now", T, "--db", db, "profile", "--country", "CN", "--age", age]);
        assert_eq!(run.code, 1, "{age}: {}", run.stdout);
        assert_eq!(
            run.json(),
            json!({"error": {"code": "invalid_argument", "message": "--age must be a whole number of years from 0 to 150"}}),
            "{age}"
        );
        let run = cli.raw(&["--now", T, "--db", db, "profile", "--country", "CN", "--age", age]);
        assert_eq!(run.code, 1, "{age}");
        assert_eq!(run.stderr.trim(), "gatekeeper: error: --age must be a whole number of years from 0 to 150");
    }
    for (args, shown) in [
        (vec!["--now", "yesterday", "state"], "--now 'yesterday' is not an RFC 3339 time such as 2026-01-01T00:00:00Z"),
        (vec!["--now", "2026-02-30T00:00:00Z", "state"], "'2026-02-30T00:00:00Z'"),
        (vec!["decide", "permission", "camera", "--trigger", "boot"], "'boot'"),
        (vec!["permission-result", "camera", "maybe"], "'maybe'"),
    ] {
        let mut all = vec!["--json", "--db", db];
        all.extend(args.iter().copied());
        let run = cli.raw(&all);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stdout);
        let doc = run.json();
        assert_eq!(doc["error"]["code"], json!("invalid_argument"), "{args:?}");
        let message = doc["error"]["message"].as_str().unwrap();
        assert!(message.contains(shown), "{args:?}: {message}");
    }
    assert!(!cli.db().exists());
    // In range, it is recorded.
    cli.run(&["profile", "--country", "CN", "--age", "150"]).ok();
    assert_eq!(cli.run(&["state"]).ok()["profile"]["age"], json!(150));
}

// --- an unopenable store ------------------------------------------------------------------

#[test]
fn an_unopenable_db_path_fails_closed_for_decide_and_errors_for_writes() {
    let cli = Cli::new();
    let db = cli.file("no/such/dir/gatekeeper.db");
    let db_s = db.to_str().unwrap();
    let run = cli.raw(&["--json", "--now", T, "--db", db_s, "decide", "sdk", "mmkv"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let d = run.json();
    assert_eq!(
        d,
        json!({"subject": "sdk:mmkv", "verdict": "deny", "reason": "store_unavailable", "purposes": [], "sdks": [],
               "retry_after": null, "valid_until": null, "policy_version": "3.1", "jurisdiction": "default",
               "decided_at": "2026-01-01T00:00:00Z"})
    );
    assert!(run.stderr.contains(db_s), "{}", run.stderr);

    for args in [vec!["grant", "analytics"], vec!["state"], vec!["accept-policy"]] {
        let mut all = vec!["--json", "--now", T, "--db", db_s];
        all.extend(args.iter().copied());
        let run = cli.raw(&all);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stdout);
        let err = &run.json()["error"];
        assert_eq!(err["code"], json!("store_unavailable"), "{args:?}");
        assert!(err["message"].as_str().unwrap().contains(db_s), "{err}");
    }
    assert!(!cli.file("no").exists());

    // A directory where the file should be.
    let dir = cli.file("a-directory");
    std::fs::create_dir(&dir).unwrap();
    let run = cli.raw(&["--json", "--now", T, "--db", dir.to_str().unwrap(), "decide", "permission", "camera"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.json()["reason"], json!("store_unavailable"));
    let run = cli.raw(&["--json", "--now", T, "--db", dir.to_str().unwrap(), "grant", "analytics"]);
    assert_eq!(run.code, 1);
    assert!(run.json()["error"]["message"].as_str().unwrap().contains(dir.to_str().unwrap()));
}

#[test]
fn another_programs_database_fails_closed_for_decide_and_errors_naming_the_path() {
    let cli = Cli::new();
    {
        let c = rusqlite::Connection::open(cli.db()).unwrap();
        c.execute_batch("CREATE TABLE meta (x INTEGER); INSERT INTO meta VALUES (1);").unwrap();
    }
    let db = cli.db();
    let db = db.to_str().unwrap();
    let run = cli.run(&["decide", "sdk", "mmkv"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let d = run.json();
    assert_eq!((d["verdict"].as_str(), d["reason"].as_str()), (Some("deny"), Some("store_unavailable")));
    assert!(run.stderr.contains(db), "{}", run.stderr);

    let run = cli.run(&["grant", "analytics"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.json(),
        json!({"error": {"code": "store_unavailable",
                         "message": format!("cannot open the store at {db}: it is a SQLite database of another program, not a Gatekeeper store; it was left untouched")}})
    );
}

// --- output -------------------------------------------------------------------------------

#[test]
fn json_takes_no_value() {
    let cli = Cli::new();
    let db = cli.db();
    let run = cli.raw(&["--json=yes", "--db", db.to_str().unwrap(), "state"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--json takes no value"), "{}", run.stderr);
    assert!(!db.exists());
}

/// A stdout that cannot be written is an error message and exit 1, not a panic.
#[cfg(target_os = "linux")]
#[test]
fn an_unwritable_stdout_is_reported_not_a_panic() {
    let cli = Cli::new();
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gatekeeper"))
        .args(["--json", "--now", T, "--db", cli.db().to_str().unwrap(), "decide", "sdk", "mmkv"])
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("cannot write the output to stdout"), "{stderr}");
}

// --- issue 13: a recovery said once, --strict, the environment, suggestions -------------

/// Issue 13, defect 9: the corrupt-store warning comes once, from the command whose open
/// moved the file aside; `state` shows the recovery until `state --ack-recovery`.
#[test]
fn a_recovery_is_warned_once_and_shown_in_state_until_acknowledged() {
    let cli = Cli::new();
    std::fs::write(cli.db(), vec![0x9cu8; 4096]).unwrap();
    let first = cli.run(&["decide", "sdk", "mmkv"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.stderr.matches("warning:").count(), 1, "{}", first.stderr);
    assert!(first.stderr.contains("the store was corrupt"), "{}", first.stderr);
    assert!(first.stderr.contains("--ack-recovery"), "{}", first.stderr);
    for args in [vec!["decide", "sdk", "mmkv"], vec!["profile", "--country", "CN"], vec!["state"], vec!["state"]] {
        let run = cli.run(&args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("warning"), "{args:?} warned again: {}", run.stderr);
    }
    let state = cli.run(&["state"]).ok();
    assert_eq!(state["recovered_from_corruption"], json!(true));
    let moved = sibling(&cli.db(), ".corrupt-20260101T000000Z");
    assert_eq!(state["recovery"]["moved_aside_to"], json!(moved.to_str().unwrap()));

    // --strict fails on it (exit 1), until it is acknowledged; the ack gets through.
    let strict = cli.run(&["--strict", "decide", "sdk", "mmkv"]);
    assert_eq!(strict.code, 1, "{}", strict.stdout);
    assert_eq!(strict.json()["error"]["code"], json!("store_unusable"));
    assert!(strict.json()["error"]["message"].as_str().unwrap().contains("--ack-recovery"));
    let acked = cli.run(&["--strict", "state", "--ack-recovery"]).ok();
    assert_eq!((acked["recovered_from_corruption"].clone(), acked["recovery"].clone()), (json!(false), Value::Null));
    let state = cli.run(&["state"]).ok();
    assert_eq!(state["recovered_from_corruption"], json!(false));
    assert_eq!(state["profile"]["country"], json!("CN"), "the fresh store kept working");
    assert!(moved.exists(), "the copy moved aside is kept");
    let d = cli.run(&["--strict", "decide", "sdk", "mmkv"]).ok();
    assert_eq!(d["reason"], json!("policy_not_accepted"));
    // Acknowledging nothing is not an error.
    cli.run(&["state", "--ack-recovery"]).ok();
}

/// `--strict`: a store that cannot be opened makes `decide` exit 1 (without it, 0 and
/// deny store_unavailable), and so does a ledger whose chain is broken.
#[test]
fn strict_makes_an_unusable_store_exit_1() {
    let cli = Cli::new();
    let db = cli.file("no/such/dir/gatekeeper.db");
    let db = db.to_str().unwrap();
    for args in [vec!["decide", "sdk", "mmkv"], vec!["decide", "consent-mode"]] {
        let mut all = vec!["--json", "--now", T, "--db", db];
        all.extend(args.iter().copied());
        assert_eq!(cli.raw(&all).code, 0, "{args:?}");
        all.insert(0, "--strict");
        let run = cli.raw(&all);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stdout);
        assert_eq!(run.json()["error"]["code"], json!("store_unavailable"), "{args:?}");
    }

    let cli = Cli::new();
    cli.cn_user_with_analytics();
    {
        let c = rusqlite::Connection::open(cli.db()).unwrap();
        c.execute("UPDATE events SET body = replace(body, 'first_run_dialog', 'forged_elsewhere') WHERE id = 2", [])
            .unwrap();
    }
    let lax = cli.run(&["decide", "sdk", "mmkv"]).ok();
    assert_eq!(lax["reason"], json!("store_unavailable"));
    let run = cli.run(&["--strict", "decide", "sdk", "mmkv"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.json()["error"]["code"], json!("store_unusable"));
    // verify still names the broken event, and erase is still the way out.
    let run = cli.run(&["--strict", "verify"]);
    assert_eq!((run.code, run.json()["first_broken"].clone()), (1, json!(2)));
    cli.run(&["--strict", "erase"]).ok();
    assert_eq!(cli.run(&["--strict", "decide", "sdk", "mmkv"]).ok()["reason"], json!("policy_not_accepted"));
}

/// `GATEKEEPER_DB` and `GATEKEEPER_POLICY` stand in for `--db` and `--policy`; the
/// options win over them.
#[test]
fn the_environment_names_the_store_and_the_policy() {
    let cli = Cli::new();
    let env_db = cli.file("from-env.db");
    let mut policy = example_manifest();
    policy["policy"]["version"] = json!("3.2");
    let policy_path = cli.file("policy.json");
    std::fs::write(&policy_path, policy.to_string()).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_gatekeeper"))
            .args(args)
            .current_dir(cli.dir.path())
            .env("GATEKEEPER_DB", &env_db)
            .env("GATEKEEPER_POLICY", &policy_path)
            .output()
            .unwrap();
        (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, out) = run(&["--json", "--now", T, "decide", "sdk", "mmkv"]);
    assert_eq!(code, 0, "{out}");
    let d: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(d["policy_version"], json!("3.2"));
    assert!(env_db.exists());
    assert!(!cli.db().exists());
    let db = cli.db();
    let (code, out) = run(&["--json", "--now", T, "--db", db.to_str().unwrap(), "decide", "sdk", "mmkv"]);
    assert_eq!(code, 0, "{out}");
    assert!(cli.db().exists());
}

/// An undeclared id is refused (exit 1, nothing recorded) with what was probably meant.
#[test]
fn an_undeclared_id_gets_a_suggestion() {
    let cli = Cli::new();
    cli.run(&["accept-policy"]).ok();
    let before = cli.event_count();
    for (args, hint) in [
        (vec!["grant", "facebook"], "did you mean `--sdk facebook` (it is an SDK, not a purpose)?"),
        (vec!["deny", "--sdk", "analytics"], "did you mean `analytics` without --sdk (it is a purpose, not an SDK)?"),
        (vec!["withdraw", "analytcs"], "did you mean the purpose `analytics`?"),
    ] {
        let run = cli.run(&args);
        assert_eq!(run.code, 1, "{args:?}");
        let err = &run.json()["error"];
        assert_eq!(err["code"], json!("unknown_id"));
        assert!(err["message"].as_str().unwrap().ends_with(hint), "{args:?}: {err}");
    }
    assert_eq!(cli.event_count(), before);
}

/// Usage errors are one line and the usage, not the whole help; `--version` and a
/// command's `--help` work.
#[test]
fn usage_errors_are_short_and_version_and_command_help_work() {
    let cli = Cli::new();
    let run = cli.raw(&["frobnicate"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.lines().count(), 2, "{}", run.stderr);
    let run = cli.raw(&["--version"]);
    assert_eq!((run.code, run.stdout.trim()), (0, format!("gatekeeper {}", env!("CARGO_PKG_VERSION")).as_str()));
    for command in ["grant", "state", "decide", "explain", "status", "diff"] {
        let run = cli.raw(&[command, "--help"]);
        assert_eq!(run.code, 0, "{command}: {}", run.stderr);
        assert!(run.stdout.contains(&format!("gatekeeper {command}")), "{command}: {}", run.stdout);
    }
}

// --- issue 13: explain, status, diff ------------------------------------------------------

#[test]
fn explain_names_the_rule_what_would_change_it_and_when_time_does() {
    let cli = Cli::new();
    cli.cn_user_with_analytics();
    let e = cli.run(&["explain", "sdk:facebook"]).ok();
    assert_eq!(e["decision"]["reason"], json!("separate_consent_required"));
    assert_eq!(e["rule"], json!({"number": 5, "name": "SDK separate consent (PIPL)"}));
    assert_eq!(e["would_change"]["action"], json!("consent_prompt"));
    assert_eq!(
        (e["would_change"]["separate"].clone(), e["would_change"]["sdks"].clone()),
        (json!(true), json!(["facebook"]))
    );
    assert_eq!(e["would_change"]["then"], json!({"verdict": "allow", "reason": "consented"}));
    let e = cli.run(&["explain", "sdk:sensors_analytics"]).ok();
    assert_eq!(e["rule"]["number"], json!(7));
    assert_eq!(e["by_time"], json!([{"at": "2027-01-31T00:00:00Z", "verdict": "ask", "reason": "consent_expired"}]));
    let e = cli.run(&["explain", "permission:camera", "--trigger", "app_launch"]).ok();
    assert_eq!((e["rule"]["number"].clone(), e["would_change"]["action"].clone()), (json!(2), json!("user_action")));
    // The text form says the same.
    let run = cli.raw(&["--now", T, "--db", cli.db().to_str().unwrap(), "explain", "sdk:facebook"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("decided by rule 5"), "{}", run.stdout);
    assert!(run.stdout.contains("gatekeeper grant --sdk facebook --separate"), "{}", run.stdout);
    // Explaining logs nothing.
    let log = cli.run(&["log"]).ok();
    let rows = log.as_array().map_or_else(|| log["rows"].as_array().unwrap().len(), Vec::len);
    cli.run(&["explain", "purpose:face_recognition"]).ok();
    let log = cli.run(&["log"]).ok();
    assert_eq!(log.as_array().map_or_else(|| log["rows"].as_array().unwrap().len(), Vec::len), rows);
    // Bad subjects.
    let run = cli.run(&["explain", "facebook"]);
    assert_eq!((run.code, run.json()["error"]["code"].clone()), (1, json!("invalid_argument")));
    assert!(run.json()["error"]["message"].as_str().unwrap().ends_with("did you mean sdk:facebook?"));
    // The kind and the id apart, as `decide` takes them, mean the same.
    assert_eq!(cli.run(&["explain", "sdk", "facebook"]).ok(), cli.run(&["explain", "sdk:facebook"]).ok());
    assert_eq!(cli.run(&["explain", "sdk:facebook", "extra"]).code, 2);
    assert_eq!(cli.run(&["explain", "vendor", "facebook"]).code, 2);
    let run = cli.run(&["explain", "vendor:facebook"]);
    assert_eq!((run.code, run.json()["error"]["code"].clone()), (1, json!("invalid_argument")));
    let run = cli.run(&["explain", "sdk:faceboo"]);
    assert_eq!(run.code, 1);
    assert!(run.json()["error"]["message"].as_str().unwrap().ends_with("did you mean sdk:facebook?"));
}

#[test]
fn status_prints_every_subject_in_one_table() {
    let cli = Cli::new();
    cli.cn_user_with_analytics();
    let s = cli.run(&["status"]).ok();
    let rows = s["subjects"].as_array().unwrap();
    let m = example_manifest();
    let count = |k: &str| m[k].as_array().unwrap().len();
    assert_eq!(rows.len(), count("sdks") + count("permissions") + count("purposes") + count("data_access"));
    for row in rows {
        let (kind, id) = (row["kind"].as_str().unwrap(), row["id"].as_str().unwrap());
        let d = cli.run(&["decide", kind, id]).ok();
        assert_eq!(
            (&row["verdict"], &row["reason"], &row["purposes"], &row["sdks"]),
            (&d["verdict"], &d["reason"], &d["purposes"], &d["sdks"]),
            "{kind} {id}"
        );
    }
    let run = cli.raw(&["--now", T, "--db", cli.db().to_str().unwrap(), "status"]);
    assert!(
        run.stdout.lines().any(|l| l.starts_with("sdk:sensors_analytics") && l.contains("allow")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.lines().any(|l| l.starts_with("purpose:analytics") && l.contains("consented")),
        "{}",
        run.stdout
    );
}

#[test]
fn diff_says_which_bump_a_change_needs_and_exits_1_when_the_version_does_not_cover_it() {
    let cli = Cli::new();
    let old = cli.file("old.json");
    std::fs::write(&old, gatekeeper::manifest::EXAMPLE_MANIFEST).unwrap();
    let write = |name: &str, f: &dyn Fn(&mut Value)| {
        let mut m = example_manifest();
        f(&mut m);
        let p = cli.file(name);
        std::fs::write(&p, m.to_string()).unwrap();
        p
    };
    let add_sdk = |m: &mut Value| {
        m["sdks"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "alipay", "name": "Alipay", "vendor": "Ant Group", "purposes": ["payments"]}))
    };
    let minor = write("minor.json", &|m| {
        m["policy"]["version"] = json!("3.2");
        add_sdk(m);
    });
    let major = write("major.json", &|m| {
        m["policy"]["version"] = json!("4.0");
        add_sdk(m);
    });
    let same = write("same.json", &|m| m["purposes"][0]["title"] = json!("Core"));
    let diff = |a: &Path, b: &Path| cli.raw(&["--json", "diff", a.to_str().unwrap(), b.to_str().unwrap()]);

    let run = diff(&old, &minor);
    assert_eq!(run.code, 1);
    let d = run.json();
    assert_eq!(
        (d["ok"].clone(), d["required_bump"].clone(), d["actual_bump"].clone()),
        (json!(false), json!("major"), json!("minor"))
    );
    assert_eq!(d["changes"][0]["path"], json!("/sdks/alipay"));
    assert_eq!((d["changes"][0]["kind"].clone(), d["changes"][0]["bump"].clone()), (json!("added"), json!("major")));
    let run = diff(&old, &major);
    assert_eq!((run.code, run.json()["ok"].clone()), (0, json!(true)));
    let run = diff(&old, &same);
    assert_eq!(run.code, 1);
    assert!(run.json()["problem"].as_str().unwrap().contains("edited without a version change"));
    let run = diff(&old, &old);
    assert_eq!((run.code, run.json()["changes"].clone()), (0, json!([])));
    let run = diff(&major, &old);
    assert_eq!(run.code, 1);
    assert!(run.json()["problem"].as_str().unwrap().contains("went back"));
    let other = write("other.json", &|m| m["policy"]["id"] = json!("other"));
    let run = diff(&old, &other);
    assert_eq!((run.code, run.json()["error"]["code"].clone()), (1, json!("other_policy")));
    let bad = write("bad.json", &|m| m["schema"] = json!(2));
    let run = diff(&old, &bad);
    assert_eq!((run.code, run.json()["error"]["errors"][0]["path"].clone()), (1, json!("/schema")));
}

/// The store catches the same edit: a warning at every command while it lasts,
/// `manifest_edited` in `state`, an error under `--strict`.
#[test]
fn a_manifest_edited_without_a_version_change_is_a_warning_and_strict_fails() {
    let cli = Cli::new();
    cli.run(&["accept-policy"]).ok();
    let mut m = example_manifest();
    m["purposes"][0]["title"] = json!("Core");
    let edited = cli.file("edited.json");
    std::fs::write(&edited, m.to_string()).unwrap();
    let edited = edited.to_str().unwrap();
    let run = cli.run(&["--policy", edited, "decide", "purpose", "essential"]);
    assert_eq!((run.code, run.json()["verdict"].clone()), (0, json!("allow")));
    assert!(run.stderr.contains("edited without a version change"), "{}", run.stderr);
    let state = cli.run(&["--policy", edited, "state"]).ok();
    assert_eq!(state["manifest_edited"]["version"], json!("3.1"));
    let run = cli.run(&["--policy", edited, "--strict", "decide", "purpose", "essential"]);
    assert_eq!((run.code, run.json()["error"]["code"].clone()), (1, json!("store_unusable")));
    // The example itself, as first seen: nothing said.
    let run = cli.run(&["decide", "purpose", "essential"]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert_eq!(cli.run(&["state"]).ok()["manifest_edited"], Value::Null);
}
