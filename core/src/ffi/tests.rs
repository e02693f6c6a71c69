//! The FFI object's tests, through the exported API as Kotlin and Swift call it: fail
//! closed when closed, typed errors with their place, one decision call for many,
//! change notifications numbered by write and delivered once, the manifest readable.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::*;
use crate::decide::{Reason, Trigger, Verdict};
use crate::error::{CallbackError, GatekeeperError};
use crate::manifest::{self, Role};

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn exported_objects_are_send_and_sync() {
    assert_send_sync::<Gatekeeper>();
}

fn open(dir: &std::path::Path) -> Arc<Gatekeeper> {
    let path = dir.join("g.db").display().to_string();
    Gatekeeper::open(path, example_manifest(), GatekeeperOptions { time_source: None }).unwrap()
}

#[test]
fn a_closed_gatekeeper_fails_closed_with_the_policy_version() {
    let dir = tempfile::tempdir().unwrap();
    let g = open(dir.path());
    g.close();
    g.close();
    let d = g.decide_sdk("facebook".into());
    assert_eq!((d.verdict, d.reason), (Verdict::Deny, Reason::StoreUnavailable));
    assert_eq!(d.policy_version, "3.1");
    assert!(matches!(g.accept_policy(false, "test".into()), Err(GatekeeperError::Closed(_))));
}

#[test]
fn decide_many_answers_each_subject_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let g = open(dir.path());
    let out = g.decide_many(vec![
        DecisionSubject::Sdk { id: "facebook".into() },
        DecisionSubject::Permission { id: "camera".into(), trigger: Trigger::AppLaunch },
        DecisionSubject::Purpose { id: "nope".into() },
    ]);
    let got: Vec<(&str, Reason)> = out.iter().map(|d| (d.subject.as_str(), d.reason)).collect();
    assert_eq!(
        got,
        vec![
            ("sdk:facebook", Reason::PolicyNotAccepted),
            ("permission:camera", Reason::LaunchTimeRequest),
            ("purpose:nope", Reason::UnknownSubject),
        ]
    );
}

#[test]
fn errors_cross_the_ffi_typed_and_with_their_place() {
    let dir = tempfile::tempdir().unwrap();
    let bad = Gatekeeper::open(
        dir.path().join("g.db").display().to_string(),
        "{\"schema\": 2}".into(),
        GatekeeperOptions { time_source: None },
    );
    match bad {
        Err(GatekeeperError::InvalidManifest(m)) => assert!(m.contains("/schema"), "{m}"),
        other => panic!("expected InvalidManifest, got {:?}", other.err()),
    }
    let g = open(dir.path());
    match g.grant(vec!["telepathy".into()], vec![], false, false, "settings".into()) {
        Err(GatekeeperError::UnknownId(m)) => assert!(m.contains("telepathy"), "{m}"),
        other => panic!("expected UnknownId, got {other:?}"),
    }
    let missing = dir.path().join("no/such/dir/g.db").display().to_string();
    match Gatekeeper::open(missing, example_manifest(), GatekeeperOptions { time_source: None }) {
        Err(GatekeeperError::Storage(m)) => assert!(m.contains("no/such/dir"), "{m}"),
        other => panic!("expected Storage, got {:?}", other.err()),
    }
}

struct Recorder(Mutex<Vec<Vec<DecisionChange>>>);

impl ChangeListener for Recorder {
    fn on_change(&self, changes: Vec<DecisionChange>) -> std::result::Result<(), CallbackError> {
        self.0.lock().unwrap().push(changes);
        Ok(())
    }
}

#[test]
fn changes_carry_one_sequence_number_per_write_in_commit_order() {
    let dir = tempfile::tempdir().unwrap();
    let g = open(dir.path());
    let rec = Arc::new(Recorder(Mutex::new(Vec::new())));
    g.set_listener(Some(rec.clone()));
    g.set_profile(Some("cn".into()), Some(30)).unwrap();
    g.accept_policy(false, "first_run_dialog".into()).unwrap();
    g.grant(vec!["analytics".into()], vec![], false, false, "settings".into()).unwrap();
    let batches = rec.0.lock().unwrap().clone();
    // The profile write changed nothing, so the listener heard of writes 2 and 3.
    let seqs: Vec<Vec<i64>> = batches.iter().map(|b| b.iter().map(|c| c.sequence).collect()).collect();
    assert_eq!(seqs.len(), 2);
    assert!(seqs[0].iter().all(|s| *s == 2) && seqs[1].iter().all(|s| *s == 3), "{seqs:?}");
    assert_eq!(g.state().unwrap().country.as_deref(), Some("CN"));
}

struct StepClock(AtomicI64);

impl TimeSource for StepClock {
    fn now(&self) -> std::result::Result<SystemTime, CallbackError> {
        let ms = self.0.load(Ordering::SeqCst) as u64;
        Ok(SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(ms))
    }
}

/// Another process's withdrawal, seen by a decision, reaches the listener once: an
/// app caching decisions must hear of it even though no write of its own ran.
#[test]
fn a_change_seen_by_a_decision_reaches_the_listener_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.db").display().to_string();
    let clock = Arc::new(StepClock(AtomicI64::new(1_767_225_600_000)));
    let open = || {
        Gatekeeper::open(path.clone(), example_manifest(), GatekeeperOptions { time_source: Some(clock.clone()) })
            .unwrap()
    };
    let app = open();
    app.set_profile(Some("CN".into()), Some(30)).unwrap();
    app.accept_policy(false, "first_run_dialog".into()).unwrap();
    app.grant(vec!["analytics".into()], vec![], false, false, "settings".into()).unwrap();
    assert_eq!(app.decide_sdk("sensors_analytics".into()).verdict, Verdict::Allow);
    let rec = Arc::new(Recorder(Mutex::new(Vec::new())));
    app.set_listener(Some(rec.clone()));

    let other = open();
    other.withdraw(vec!["analytics".into()], vec![], "settings".into(), false).unwrap();
    clock.0.fetch_add(1000, Ordering::SeqCst);
    assert_eq!(app.decide_sdk("sensors_analytics".into()).verdict, Verdict::Deny);
    let heard: Vec<DecisionChange> = rec.0.lock().unwrap().concat();
    assert!(heard.iter().any(|c| c.subject == "sdk:sensors_analytics" && c.new.verdict == Verdict::Deny), "{heard:?}");
    assert!(app.refresh().unwrap().is_empty(), "already reported");
    assert_eq!(rec.0.lock().unwrap().len(), 1, "reported once");
}

#[test]
fn a_negative_age_is_an_invalid_argument_that_does_not_echo_it() {
    let dir = tempfile::tempdir().unwrap();
    let g = open(dir.path());
    match g.set_profile(Some("CN".into()), Some(-4)) {
        Err(GatekeeperError::InvalidArgument(m)) => assert!(!m.contains("-4"), "{m}"),
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
    assert_eq!(g.state().unwrap().events, 0);
}

#[test]
fn the_manifest_is_readable_through_the_ffi() {
    let info = ManifestInfo::from(&manifest::parse(&example_manifest()).unwrap());
    assert_eq!((info.policy_id.as_str(), info.version.as_str()), ("phocol", "3.1"));
    let camera = info.permissions.iter().find(|p| p.id == "camera").unwrap();
    assert_eq!(camera.android, ["android.permission.CAMERA"]);
    let facebook = info.sdks.iter().find(|s| s.id == "facebook").unwrap();
    assert_eq!((facebook.role, facebook.vendor_country.as_deref()), (Role::Independent, Some("US")));
}
