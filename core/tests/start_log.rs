//! The SDK start log and its audit (contract §9.3): `sdk_state` events recorded when the
//! app really starts or stops an SDK, and the audit that replays them against the SDK's
//! decision at each moment. On the fixture `fixtures/part_two.json` through a real store,
//! the grace period on both sides of its end: a stop exactly at the end is in time, one
//! millisecond later is not.

mod common;

use std::sync::Arc;

use common::{strings, t0, TempStore};
use gatekeeper::ledger::EventKind;
use gatekeeper::manifest::{self, Manifest};
use gatekeeper::report::{AuditReport, Export, ViolationKind, DEFAULT_GRACE_SECONDS};
use gatekeeper::time::{Clock, MS_PER_DAY};
use gatekeeper::{Error, Reason, Store, Verdict};

const FIXTURE: &str = include_str!("fixtures/part_two.json");
const SECOND: i64 = 1000;
const GRACE: i64 = DEFAULT_GRACE_SECONDS as i64 * SECOND;

fn open(f: &TempStore) -> Store {
    let m: Arc<Manifest> = Arc::new(manifest::parse(FIXTURE).unwrap());
    f.open_with(m).unwrap()
}

/// Accepted in CN, analytics granted: `stats` is allowed.
fn consented(f: &TempStore) -> Store {
    let mut s = open(f);
    s.set_profile(Some("CN"), Some(30)).unwrap();
    s.accept_policy(false, "first_run_dialog").unwrap();
    s.record_choice(EventKind::Granted, &strings(&["analytics"]), &[], false, false, "first_run_dialog").unwrap();
    s
}

fn audit(s: &mut Store) -> AuditReport {
    AuditReport::of(s, DEFAULT_GRACE_SECONDS).unwrap()
}

fn kinds(r: &AuditReport) -> Vec<(&str, ViolationKind, i64)> {
    r.violations.iter().map(|v| (v.sdk.as_str(), v.kind, v.at)).collect()
}

#[test]
fn an_unknown_sdk_is_refused_and_nothing_is_recorded() {
    let f = TempStore::new();
    let mut s = open(&f);
    assert!(matches!(s.record_sdk_started("nope"), Err(Error::UnknownId { kind: "sdk", .. })));
    assert!(matches!(s.record_sdk_stopped("nope"), Err(Error::UnknownId { kind: "sdk", .. })));
    assert_eq!(s.chain().events, 0);
}

#[test]
fn a_start_before_the_allow_is_a_violation() {
    let f = TempStore::new();
    let mut s = open(&f);
    s.record_sdk_started("storage").unwrap();
    let r = audit(&mut s);
    assert!(!r.ok);
    assert_eq!(kinds(&r), [("storage", ViolationKind::StartedWithoutAllow, t0())]);
    assert_eq!(r.violations[0].decision.reason, Reason::PolicyNotAccepted);
    assert_eq!(r.sdks[0].verdict_at_start, Some(Verdict::Ask));
    let json = r.to_json();
    assert_eq!(json["ok"], false);
    assert_eq!(json["violations"][0]["kind"], "started_without_allow");
    assert_eq!(json["violations"][0]["at"], "2026-01-01T00:00:00Z");
    assert_eq!(json["violations"][0]["decision"]["reason"], "policy_not_accepted");
    assert_eq!(json["sdks"][0]["verdict_at_start"], "ask");
}

#[test]
fn starts_after_the_allow_and_stops_in_time_are_clean() {
    let f = TempStore::new();
    let mut s = consented(&f);
    f.clock.advance(SECOND);
    s.record_sdk_started("stats").unwrap();
    s.record_sdk_started("storage").unwrap();
    f.clock.advance(SECOND);
    let withdrawn_at = f.clock.now_ms();
    s.record_choice(EventKind::Withdrawn, &strings(&["analytics"]), &[], false, false, "settings").unwrap();
    f.clock.set(withdrawn_at + GRACE);
    s.record_sdk_stopped("stats").unwrap();
    let r = audit(&mut s);
    assert!(r.ok, "{:?}", r.violations);
    let runs: Vec<(&str, Option<i64>, Option<i64>)> =
        r.sdks.iter().map(|x| (x.sdk.as_str(), x.started_at, x.stopped_at)).collect();
    assert_eq!(
        runs,
        [("stats", Some(t0() + SECOND), Some(withdrawn_at + GRACE)), ("storage", Some(t0() + SECOND), None)]
    );
}

#[test]
fn a_stop_after_the_grace_period_is_a_violation() {
    let f = TempStore::new();
    let mut s = consented(&f);
    s.record_sdk_started("stats").unwrap();
    f.clock.advance(SECOND);
    let withdrawn_at = f.clock.now_ms();
    s.record_choice(EventKind::Withdrawn, &strings(&["analytics"]), &[], false, false, "settings").unwrap();
    f.clock.set(withdrawn_at + GRACE + 1);
    s.record_sdk_stopped("stats").unwrap();
    let r = audit(&mut s);
    assert_eq!(kinds(&r), [("stats", ViolationKind::NotStoppedAfterWithdrawal, withdrawn_at)]);
    assert_eq!(r.violations[0].decision.reason, Reason::ConsentWithdrawn);
    // A longer grace period covers it.
    assert!(AuditReport::of(&mut s, DEFAULT_GRACE_SECONDS + 1).unwrap().ok);
}

#[test]
fn an_sdk_never_stopped_is_a_violation_once_the_grace_period_is_over() {
    let f = TempStore::new();
    let mut s = consented(&f);
    s.record_sdk_started("stats").unwrap();
    let withdrawn_at = f.clock.now_ms();
    s.record_choice(EventKind::Withdrawn, &strings(&["analytics"]), &[], false, false, "settings").unwrap();
    f.clock.set(withdrawn_at + GRACE);
    assert!(audit(&mut s).ok, "still within the grace period");
    f.clock.set(withdrawn_at + GRACE + 1);
    let r = audit(&mut s);
    assert_eq!(kinds(&r), [("stats", ViolationKind::NotStoppedAfterWithdrawal, withdrawn_at)]);
    assert_eq!(r.to_json()["violations"][0]["kind"], "not_stopped_after_withdrawal");
}

#[test]
fn an_allow_that_expires_while_running_needs_a_stop_too() {
    let f = TempStore::new();
    let mut s = consented(&f);
    s.record_sdk_started("stats").unwrap();
    let expiry = t0() + 30 * MS_PER_DAY; // consent_ttl_days = 30
    f.clock.set(expiry + GRACE);
    s.record_sdk_stopped("stats").unwrap();
    assert!(audit(&mut s).ok, "stopped right at the end of the grace period");

    let g = TempStore::new();
    let mut late = consented(&g);
    late.record_sdk_started("stats").unwrap();
    g.clock.set(expiry + GRACE + 1);
    let r = audit(&mut late);
    assert_eq!(kinds(&r), [("stats", ViolationKind::NotStoppedAfterWithdrawal, expiry)]);
    assert_eq!(r.violations[0].decision.reason, Reason::ConsentExpired);
}

#[test]
fn the_start_log_is_exported_and_erased_like_every_event() {
    let f = TempStore::new();
    let mut s = open(&f);
    s.record_sdk_started("storage").unwrap();
    s.record_sdk_stopped("storage").unwrap();
    let export = Export::of(&mut s).unwrap();
    let choices: Vec<(Option<&str>, &str)> = export
        .receipts
        .iter()
        .filter(|r| r.event == EventKind::SdkState)
        .map(|r| (r.subject.as_deref(), r.choice.as_str()))
        .collect();
    assert_eq!(choices, [(Some("sdk:storage"), "started"), (Some("sdk:storage"), "stopped")]);
    assert!(!audit(&mut s).ok);
    s.erase().unwrap();
    let r = audit(&mut s);
    assert!(r.ok && r.sdks.is_empty());
}
