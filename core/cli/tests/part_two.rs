//! Contract section 9 through the `gatekeeper` binary, each call a new process, on the
//! fixture `core/tests/fixtures/part_two.json` (`--policy`): basic mode after
//! `decline-policy`, `decide access` with its background gate and its interval on both
//! sides of the boundary, and the start log (`sdk-started`, `sdk-stopped`) with
//! `audit` on both sides of the grace period and its exit status.

use serde_json::Value;

mod common;

use common::{Cli, T};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/part_two.json");

impl Cli {
    fn decide(&self, now: &str, args: &[&str]) -> (String, String, Value) {
        let mut all = vec!["decide"];
        all.extend_from_slice(args);
        let d = self.at(now, &all).ok();
        (d["verdict"].as_str().unwrap().to_owned(), d["reason"].as_str().unwrap().to_owned(), d["retry_after"].clone())
    }

    /// A Chinese adult who accepted the policy and granted analytics.
    fn consented(&self) {
        self.run(&["profile", "--country", "CN", "--age", "30"]).ok();
        self.run(&["accept-policy", "--source", "first_run_dialog"]).ok();
        self.run(&["grant", "analytics", "--source", "first_run_dialog"]).ok();
    }
}

fn pair(v: &str, r: &str) -> (String, String) {
    (v.to_owned(), r.to_owned())
}

#[test]
fn decline_policy_keeps_the_basic_service() {
    let cli = Cli::with_policy(FIXTURE);
    cli.run(&["profile", "--country", "CN", "--age", "30"]).ok();
    let short = |args: &[&str]| {
        let (v, r, _) = cli.decide(T, args);
        (v, r)
    };
    assert_eq!(short(&["sdk", "storage"]), pair("ask", "policy_not_accepted"));
    let out = cli.run(&["decline-policy", "--source", "first_run_dialog"]).ok();
    assert_eq!(out["recorded"], "policy_declined", "{out}");
    assert_eq!(short(&["sdk", "storage"]), pair("allow", "basic_mode"));
    assert_eq!(short(&["sdk", "mixed"]), pair("ask", "policy_not_accepted"));
    assert_eq!(short(&["purpose", "records"]), pair("allow", "basic_mode"));
    assert_eq!(short(&["permission", "bluetooth"]), pair("allow", "basic_mode"));
    assert_eq!(short(&["access", "clipboard"]), pair("allow", "basic_mode"));
    let state = cli.run(&["state"]).ok();
    assert_eq!((state["policy"]["declined"].clone(), state["policy"]["accepted"].clone()), (true.into(), false.into()));
    cli.run(&["accept-policy"]).ok();
    assert_eq!(short(&["sdk", "storage"]), pair("allow", "not_consent_based"));
    assert_eq!(cli.run(&["state"]).ok()["policy"]["declined"], false);
    let export = cli.run(&["export"]).ok();
    assert!(export["receipts"].as_array().unwrap().iter().any(|r| r["choice"] == "declined"), "{export}");
}

#[test]
fn decide_access_paces_reads_across_processes() {
    let cli = Cli::with_policy(FIXTURE);
    cli.consented();
    assert_eq!(cli.decide(T, &["access", "clipboard", "--background"]).1, "background_access");
    let (v, r, _) = cli.decide(T, &["access", "clipboard"]);
    assert_eq!(pair(&v, &r), pair("allow", "not_consent_based"));
    let (v, r, retry) = cli.decide("2026-01-01T00:00:09.999Z", &["access", "clipboard"]);
    assert_eq!((pair(&v, &r), retry), (pair("deny", "rate_limited"), Value::from("2026-01-01T00:00:10Z")));
    let (v, r, _) = cli.decide("2026-01-01T00:00:10Z", &["access", "clipboard"]);
    assert_eq!(pair(&v, &r), pair("allow", "not_consent_based"));
    let (v, _, retry) = cli.decide("2026-01-01T00:00:10.001Z", &["access", "clipboard"]);
    assert_eq!((v.as_str(), retry), ("deny", Value::from("2026-01-01T00:00:20Z")));
    // device_id may be read in the background, and shares its interval with the foreground.
    assert_eq!(cli.decide(T, &["access", "device_id", "--background"]).0, "allow");
    assert_eq!(cli.decide("2026-01-01T00:00:59.999Z", &["access", "device_id"]).1, "rate_limited");
    assert_eq!(cli.decide("2026-01-01T00:01:00Z", &["access", "device_id"]).0, "allow");
    // Unknown ids and a missing id.
    assert_eq!(cli.decide(T, &["access", "contacts"]).1, "unknown_subject");
    assert_eq!(cli.run(&["decide", "access"]).code, 2);
    // Every read is in the decision log.
    let log = cli.run(&["log"]).ok();
    let rows = log.as_array().or_else(|| log["rows"].as_array()).expect("log rows").clone();
    let allowed: u64 = rows
        .iter()
        .filter(|r| r["subject"] == "access:clipboard" && r["verdict"] == "allow")
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(allowed, 2, "{rows:?}");
}

#[test]
fn sdk_started_and_stopped_record_the_start_log_and_refuse_unknown_ids() {
    let cli = Cli::with_policy(FIXTURE);
    let run = cli.run(&["sdk-started", "nope"]);
    assert_eq!(run.code, 1);
    assert!(run.json()["error"]["message"].as_str().unwrap().contains("nope"), "{}", run.stdout);
    assert_eq!(cli.run(&["sdk-stopped", "nope"]).code, 1);
    assert_eq!(cli.run(&["state"]).ok()["ledger"]["events"], 0);
    assert_eq!(cli.run(&["sdk-started"]).code, 2);
    // Started before the policy was accepted: the audit fails.
    cli.run(&["sdk-started", "storage"]).ok();
    let run = cli.run(&["audit"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let doc = run.json();
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["violations"][0]["sdk"], "storage");
    assert_eq!(doc["violations"][0]["kind"], "started_without_allow");
    assert_eq!(doc["violations"][0]["at"], T);
    assert_eq!(doc["violations"][0]["decision"]["reason"], "policy_not_accepted");
    assert_eq!(doc["sdks"][0]["verdict_at_start"], "ask");
    assert_eq!(doc["sdks"][0]["started_at"], T);
    assert_eq!(doc["sdks"][0]["stopped_at"], Value::Null);
    cli.run(&["erase"]).ok();
    assert_eq!(cli.run(&["audit"]).ok()["ok"], true, "erase removes the start log");
}

/// A consented user whose `stats` runs from T, withdrawn at 00:00:01, stopped at `stop`.
fn withdrawn_and_stopped_at(stop: &str) -> Cli {
    let cli = Cli::with_policy(FIXTURE);
    cli.consented();
    cli.run(&["sdk-started", "stats"]).ok();
    cli.at("2026-01-01T00:00:01Z", &["withdraw", "analytics", "--source", "settings"]).ok();
    cli.at(stop, &["sdk-stopped", "stats"]).ok();
    cli
}

#[test]
fn audit_allows_a_stop_up_to_the_end_of_the_grace_period() {
    let cli = withdrawn_and_stopped_at("2026-01-01T00:00:11Z");
    let doc = cli.at("2026-01-02T00:00:00Z", &["audit"]).ok();
    assert_eq!(doc["violations"], Value::Array(Vec::new()));
    assert_eq!(doc["sdks"][0]["stopped_at"], "2026-01-01T00:00:11Z");
    assert_eq!(doc["sdks"][0]["verdict_at_start"], "allow");

    let late = withdrawn_and_stopped_at("2026-01-01T00:00:11.001Z");
    let run = late.at("2026-01-02T00:00:00Z", &["audit"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let doc = run.json();
    assert_eq!(doc["violations"][0]["kind"], "not_stopped_after_withdrawal");
    assert_eq!(doc["violations"][0]["at"], "2026-01-01T00:00:01Z");
    assert_eq!(doc["violations"][0]["decision"]["reason"], "consent_withdrawn");
    assert_eq!(late.at("2026-01-02T00:00:00Z", &["audit", "--grace-seconds", "11"]).code, 0);
    assert_eq!(late.run(&["audit", "--grace-seconds", "x"]).code, 2);
}

#[test]
fn audit_flags_an_sdk_never_stopped_after_a_withdrawal() {
    let cli = Cli::with_policy(FIXTURE);
    cli.consented();
    cli.run(&["sdk-started", "stats"]).ok();
    cli.at("2026-01-01T00:00:01Z", &["withdraw", "analytics"]).ok();
    assert_eq!(cli.at("2026-01-01T00:00:11Z", &["audit"]).code, 0, "still within the grace period");
    let run = cli.at("2026-01-01T00:00:11.001Z", &["audit"]);
    assert_eq!(run.code, 1);
    assert!(!run.json()["ok"].as_bool().unwrap());
    // The text form names the violation.
    let db = cli.db();
    let out = cli.raw(&["--policy", FIXTURE, "--now", "2026-01-01T00:00:12Z", "--db", db.to_str().unwrap(), "audit"]);
    assert_eq!(out.code, 1);
    let text = out.stdout;
    assert!(text.contains("stats not_stopped_after_withdrawal"), "{text}");
}

#[test]
fn lint_reports_every_part_two_mistake_with_its_path() {
    let cli = Cli::with_policy(FIXTURE);
    let mut m: Value = serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    m["purposes"][3]["basic"] = true.into();
    m["data_access"][0]["purposes"] = serde_json::json!([]);
    m["data_access"][1]["min_interval_seconds"] = "30".into();
    m["data_access"][2]["foreground"] = true.into();
    let file = cli.dir.path().join("bad.json");
    std::fs::write(&file, m.to_string()).unwrap();
    let run = cli.run(&["lint", file.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let mut paths: Vec<String> =
        run.json()["errors"].as_array().unwrap().iter().map(|e| e["path"].as_str().unwrap().to_owned()).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "/data_access/0/purposes",
            "/data_access/1/min_interval_seconds",
            "/data_access/2/foreground",
            "/purposes/3/basic"
        ]
    );
    assert_eq!(cli.run(&["lint", FIXTURE]).ok()["ok"], true);
}

#[test]
fn status_lists_the_data_accesses_paced_by_the_reads_recorded_and_reads_nothing() {
    let cli = Cli::with_policy(FIXTURE);
    cli.consented();
    let access = |now: &str| {
        let status = cli.at(now, &["status"]).ok();
        let rows = status["subjects"].as_array().unwrap().clone();
        let row = rows.iter().find(|r| r["subject"] == "access:clipboard").expect("the clipboard row").clone();
        assert_eq!(row["kind"], "access");
        (row["verdict"].as_str().unwrap().to_owned(), row["reason"].as_str().unwrap().to_owned())
    };
    // Before any read, and a status is not a read: it never starts the interval.
    assert_eq!(access(T), pair("allow", "not_consent_based"));
    assert_eq!(access(T), pair("allow", "not_consent_based"));
    assert_eq!(cli.decide(T, &["access", "clipboard"]).0, "allow");
    // One read recorded (in another process): status shows the interval on both sides.
    assert_eq!(access("2026-01-01T00:00:09.999Z"), pair("deny", "rate_limited"));
    assert_eq!(access("2026-01-01T00:00:10Z"), pair("allow", "not_consent_based"));
    assert_eq!(cli.decide("2026-01-01T00:00:10Z", &["access", "clipboard"]).0, "allow");
}
