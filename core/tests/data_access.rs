//! Data access (contract §9.2, 164号文 1.2): `access:<id>` decisions on the fixture
//! `fixtures/part_two.json` through a real store, every time rule one millisecond before
//! and exactly at its boundary: foreground-only data in the background is denied
//! `background_access`; the last **allowed** access starts the interval, within which a
//! read is denied `rate_limited` with `retry_after` at its end; a denied or asked read
//! does not restart it; the interval survives the store being opened by another process
//! (each CLI call is one), and an erase forgets it.

mod common;

use std::sync::Arc;

use common::{strings, t0, TempStore};
use gatekeeper::manifest::{self, Manifest};
use gatekeeper::report::Export;
use gatekeeper::{Decision, EventKind, Reason, Store, Subject};
use gatekeeper::{Verdict, Verdict::*};

use Reason::*;

const FIXTURE: &str = include_str!("fixtures/part_two.json");
const SECOND: i64 = 1000;

fn fixture() -> Arc<Manifest> {
    Arc::new(manifest::parse(FIXTURE).unwrap())
}

fn open(f: &TempStore) -> Store {
    f.open_with(fixture()).unwrap()
}

/// A store in CN with the policy accepted and `purposes` granted separately.
fn consented(f: &TempStore, purposes: &[&str]) -> Store {
    let mut s = open(f);
    s.set_profile(Some("CN"), Some(30)).unwrap();
    s.accept_policy(false, "first_run_dialog").unwrap();
    if !purposes.is_empty() {
        s.record_choice(EventKind::Granted, &strings(purposes), &[], true, false, "just_in_time").unwrap();
    }
    s
}

fn access(s: &mut Store, id: &str) -> Decision {
    s.decide_access(id, false)
}

fn short(d: &Decision) -> (Verdict, Reason, Option<i64>) {
    (d.verdict, d.reason, d.retry_after)
}

#[test]
fn an_undeclared_access_is_an_unknown_subject() {
    let f = TempStore::new();
    let mut s = consented(&f, &[]);
    let d = access(&mut s, "contacts_list");
    assert_eq!((d.subject.as_str(), d.verdict, d.reason), ("access:contacts_list", Deny, UnknownSubject));
}

#[test]
fn foreground_only_data_is_never_read_in_the_background() {
    let f = TempStore::new();
    let mut s = open(&f);
    // Before the policy too: rule 2 comes first.
    assert_eq!(short(&s.decide_access("clipboard", true)), (Deny, BackgroundAccess, None));
    assert_eq!(short(&s.decide_access("clipboard", false)), (Ask, PolicyNotAccepted, None));
    s.set_profile(Some("CN"), Some(30)).unwrap();
    s.accept_policy(false, "first_run_dialog").unwrap();
    assert_eq!(short(&s.decide_access("clipboard", true)), (Deny, BackgroundAccess, None));
    assert_eq!(short(&s.decide_access("clipboard", false)), (Allow, NotConsentBased, None));
    // device_id is not foreground-only: in the background it goes on to the purposes.
    assert_eq!(short(&s.decide_access("device_id", true)), (Ask, ConsentMissing, None));
    s.record_choice(EventKind::Granted, &strings(&["analytics"]), &[], false, false, "settings").unwrap();
    assert_eq!(short(&s.decide_access("device_id", true)), (Allow, Consented, None));
}

#[test]
fn the_interval_runs_from_the_last_allowed_access() {
    let f = TempStore::new();
    let mut s = consented(&f, &["analytics"]);
    let start = t0();
    assert_eq!(short(&access(&mut s, "device_id")), (Allow, Consented, None));
    f.clock.set(start + 60 * SECOND - 1);
    let d = access(&mut s, "device_id");
    assert_eq!(short(&d), (Deny, RateLimited, Some(start + 60 * SECOND)));
    assert_eq!(d.valid_until, Some(start + 60 * SECOND));
    f.clock.set(start + 60 * SECOND);
    assert_eq!(short(&access(&mut s, "device_id")), (Allow, Consented, None));
    // That allow restarted the interval.
    f.clock.set(start + 60 * SECOND + 1);
    assert_eq!(short(&access(&mut s, "device_id")), (Deny, RateLimited, Some(start + 120 * SECOND)));
    // The background and the foreground share one interval.
    assert_eq!(short(&s.decide_access("device_id", true)), (Deny, RateLimited, Some(start + 120 * SECOND)));
    f.clock.set(start + 120 * SECOND);
    assert_eq!(short(&s.decide_access("device_id", true)), (Allow, Consented, None));
    f.clock.set(start + 120 * SECOND + 1);
    assert_eq!(short(&access(&mut s, "device_id")), (Deny, RateLimited, Some(start + 180 * SECOND)));
}

#[test]
fn a_denied_or_asked_read_is_not_an_access() {
    let f = TempStore::new();
    let mut s = consented(&f, &["location_services"]);
    let start = t0();
    assert_eq!(short(&access(&mut s, "precise_location")), (Allow, Consented, None));
    // Rate-limited reads at 10 s and 29.999 s do not move the end of the interval.
    for at in [10 * SECOND, 30 * SECOND - 1] {
        f.clock.set(start + at);
        assert_eq!(short(&access(&mut s, "precise_location")), (Deny, RateLimited, Some(start + 30 * SECOND)));
    }
    // A withdrawal: the read is denied, and that is no access either.
    s.record_choice(EventKind::Withdrawn, &strings(&["location_services"]), &[], false, false, "settings").unwrap();
    f.clock.set(start + 40 * SECOND);
    assert_eq!(access(&mut s, "precise_location").reason, ConsentWithdrawn);
    s.record_choice(EventKind::Granted, &strings(&["location_services"]), &[], true, false, "settings").unwrap();
    // The last allowed access is still the one at 0 s: 41 s is past its interval.
    f.clock.set(start + 41 * SECOND);
    assert_eq!(short(&access(&mut s, "precise_location")), (Allow, Consented, None));
    f.clock.set(start + 71 * SECOND - 1);
    assert_eq!(short(&access(&mut s, "precise_location")), (Deny, RateLimited, Some(start + 71 * SECOND)));
}

#[test]
fn an_access_is_durable_before_the_decision_returns() {
    let f = TempStore::new();
    let mut first = consented(&f, &[]);
    assert_eq!(access(&mut first, "clipboard").verdict, Allow);
    f.clock.set(t0() + 10 * SECOND);
    assert_eq!(access(&mut first, "clipboard").verdict, Allow, "a repeat of the allow row");
    // Another process, while the first still has the store open and has flushed nothing.
    f.clock.set(t0() + 20 * SECOND - 1);
    let mut other = open(&f);
    assert_eq!(short(&access(&mut other, "clipboard")), (Deny, RateLimited, Some(t0() + 20 * SECOND)));
    drop(other);
    drop(first);
    f.clock.set(t0() + 20 * SECOND);
    let mut later = open(&f);
    assert_eq!(short(&access(&mut later, "clipboard")), (Allow, NotConsentBased, None));
}

#[test]
fn accesses_are_counted_in_the_decision_log_and_shown_in_the_export() {
    let f = TempStore::new();
    let mut s = consented(&f, &[]);
    for i in 0..5 {
        f.clock.set(t0() + i);
        assert_eq!(short(&access(&mut s, "wifi")), (Allow, NotConsentBased, None), "no interval: every read");
    }
    let log = s.decision_log().unwrap();
    let row = log.iter().find(|r| r.subject == "access:wifi").expect("logged");
    assert_eq!((row.verdict.as_str(), row.count, row.first_seen, row.last_seen), ("allow", 5, t0(), t0() + 4));
    let export = Export::of(&mut s).unwrap().to_json();
    let rows = export["decision_log"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["subject"] == "access:wifi" && r["count"] == 5), "{rows:?}");
}

#[test]
fn an_erase_forgets_the_accesses() {
    let f = TempStore::new();
    let mut s = consented(&f, &[]);
    assert_eq!(access(&mut s, "clipboard").verdict, Allow);
    s.erase().unwrap();
    s.set_profile(Some("CN"), Some(30)).unwrap();
    s.accept_policy(false, "first_run_dialog").unwrap();
    f.clock.set(t0() + 1);
    assert_eq!(short(&access(&mut s, "clipboard")), (Allow, NotConsentBased, None));
}

#[test]
fn the_example_manifest_declares_its_sensitive_reads() {
    let m = common::example();
    let ids: Vec<(&str, u32, bool)> =
        m.data_access.iter().map(|a| (a.id.as_str(), a.min_interval_seconds, a.foreground_only)).collect();
    assert_eq!(
        ids,
        [
            ("precise_location", 30, true),
            ("clipboard", 5, true),
            ("installed_apps", 86_400, true),
            ("device_id", 3600, false)
        ]
    );
    let _ = Subject::Access("clipboard".into(), false);
}
