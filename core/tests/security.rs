//! Security (issue 6): the store file is private to the app's user, the logs of a full
//! flow hold none of the profile's values, and SQL is built only with bound
//! parameters.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use gatekeeper::error::CallbackError;
use gatekeeper::ffi::{Gatekeeper, GatekeeperOptions};
use gatekeeper::logging::{install_log_sink, LogLevel, LogSink};
use gatekeeper::manifest::EXAMPLE_MANIFEST;
use gatekeeper::{PermissionResult, Trigger};

#[cfg(unix)]
#[test]
fn the_store_and_its_wal_and_shm_are_created_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gatekeeper.db");
    let gk =
        Gatekeeper::open(path.display().to_string(), EXAMPLE_MANIFEST.into(), GatekeeperOptions { time_source: None })
            .unwrap();
    gk.accept_policy(false, "first_run_dialog".into()).unwrap();
    let _ = gk.decide_sdk("sensors_analytics".into());
    let mut checked = 0;
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", path.display()));
        let mode = std::fs::metadata(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{} has mode {:o}", p.display(), mode & 0o777);
        checked += 1;
    }
    gk.close();
    assert_eq!(checked, 3);
}

/// Keeps every log line.
struct Capture(Mutex<Vec<String>>);

impl LogSink for Capture {
    fn log(&self, level: LogLevel, target: String, message: String) -> Result<(), CallbackError> {
        self.0.lock().unwrap().push(format!("{level:?} {target}: {message}"));
        Ok(())
    }
}

/// Values a user gave that must never reach a log line or an error message.
const COUNTRY: &str = "NZ";
const AGE: u32 = 93;
const SOURCE: &str = "zq_private_source";

fn leaks(text: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    if text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case(COUNTRY) || w.eq_ignore_ascii_case("NZL"))
    {
        found.push(COUNTRY);
    }
    if text.split(|c: char| !c.is_ascii_digit()).any(|w| w == AGE.to_string() || w == "1093") {
        found.push("the age");
    }
    if text.contains(SOURCE) {
        found.push(SOURCE);
    }
    found
}

#[test]
fn the_logs_of_a_full_flow_hold_no_profile_value() {
    let sink = Arc::new(Capture(Mutex::new(Vec::new())));
    assert!(install_log_sink(sink.clone(), LogLevel::Trace), "another test in this binary installed a sink first");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gatekeeper.db");
    let open = |p: &Path| {
        Gatekeeper::open(p.display().to_string(), EXAMPLE_MANIFEST.into(), GatekeeperOptions { time_source: None })
    };
    let mut errors = Vec::new();
    {
        let gk = open(&path).unwrap();
        gk.set_profile(Some(COUNTRY.into()), Some(AGE as i32)).unwrap();
        gk.accept_policy(false, SOURCE.into()).unwrap();
        gk.grant(vec!["analytics".into()], vec!["facebook".into()], true, false, SOURCE.into()).unwrap();
        gk.deny(vec!["personalised_ads".into()], vec![], SOURCE.into(), false).unwrap();
        gk.record_permission_result("camera".into(), PermissionResult::Denied).unwrap();
        let _ = gk.decide_sdk("sensors_analytics".into());
        let _ = gk.decide_permission("camera".into(), Trigger::UserAction);
        let _ = gk.decide_purpose("location_services".into());
        gk.withdraw(vec!["analytics".into()], vec![], SOURCE.into(), false).unwrap();
        // Refused input: its errors are messages too.
        for e in [
            gk.set_profile(Some("NZL".into()), None).err(),
            gk.set_profile(Some(COUNTRY.into()), Some(1093)).err(),
            gk.accept_policy(false, format!("{SOURCE} with spaces")).err(),
        ]
        .into_iter()
        .flatten()
        {
            errors.push(e.to_string());
        }
        let _ = gk.state().unwrap();
        let _ = gk.export().unwrap();
        let _ = gk.log().unwrap();
        let _ = gk.verify().unwrap();
        gk.close();
    }
    // A corrupt store is moved aside and reported; then everything is erased.
    std::fs::write(&path, b"this is not a database at all, but it is long enough to be read as one").unwrap();
    let gk = open(&path).unwrap();
    gk.set_profile(Some(COUNTRY.into()), Some(AGE as i32)).unwrap();
    gk.erase().unwrap();
    gk.close();

    let lines = sink.0.lock().unwrap().clone();
    let leaked: Vec<(String, Vec<&str>)> =
        lines.iter().chain(&errors).map(|l| (l.clone(), leaks(l))).filter(|(_, f)| !f.is_empty()).collect();
    println!(
        "log privacy: {} log lines and {} error messages from a full flow, {} holding a profile value or source",
        lines.len(),
        errors.len(),
        leaked.len()
    );
    assert!(
        lines.len() >= 10 && errors.len() == 3,
        "the flow logged too little to prove anything: {lines:#?} {errors:#?}"
    );
    assert!(leaked.is_empty(), "{leaked:#?}");
}

/// The first argument of every SQL call in `core/src`, as text.
fn sql_arguments(src: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for call in [".execute(", ".execute_batch(", ".query_row(", ".prepare(", ".prepare_cached(", ".query("] {
        let mut from = 0;
        while let Some(i) = src[from..].find(call) {
            let start = from + i + call.len();
            // A prepared statement's `execute` and `query_row` take its parameters: its
            // SQL is the argument of the `prepare` or `prepare_cached` that made it.
            if src[..from + i].ends_with("stmt") {
                from = start;
                continue;
            }
            let (mut depth, mut in_str, mut end) = (0i32, false, start);
            for (j, c) in src[start..].char_indices() {
                match c {
                    '"' => in_str = !in_str,
                    '(' | '[' | '{' if !in_str => depth += 1,
                    ')' | ']' | '}' if !in_str && depth > 0 => depth -= 1,
                    ',' | ')' if !in_str && depth == 0 => {
                        end = start + j;
                        break;
                    }
                    _ => {}
                }
            }
            let line = src[..start].lines().count();
            out.push((line, src[start..end].trim().to_owned()));
            from = start;
        }
    }
    out
}

#[test]
fn sql_text_is_never_built_from_values() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    let (mut calls, mut bad) = (0, Vec::new());
    for f in &files {
        let src = std::fs::read_to_string(f).unwrap();
        for (line, arg) in sql_arguments(&src) {
            calls += 1;
            let literal = arg.starts_with('"') || arg.starts_with("r\"") || arg.starts_with("r#\"");
            // Named `&'static str` constants and the two transaction ends.
            let constant = ["sql", "end"].contains(&arg.as_str());
            // PRAGMA takes no bound parameters; the schema version is a number from
            // the migration table, never from input.
            let pragma = arg == r#"&format!("PRAGMA user_version = {}", i + 1)"#;
            if !(literal || constant || pragma) {
                bad.push(format!("{}:{line}: {arg}", f.display()));
            }
        }
    }
    println!("bound parameters: {calls} SQL calls in {} files, {} built from values", files.len(), bad.len());
    assert!(calls > 20, "the scan found too few SQL calls: {calls}");
    assert!(bad.is_empty(), "SQL text built at run time: {bad:#?}");
}
