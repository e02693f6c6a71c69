//! Repeated decisions (contract §6: "the hot path of a repeated decision does no disk
//! I/O"): the store reuses its last answer for a subject while the ledger and time leave
//! it unchanged. These tests hold every reused answer to the rules' fresh answer
//! (`Store::peek` decides afresh), around every time boundary of the example manifest,
//! after writes, after an erase and with the clock moved backwards.

mod common;

use gatekeeper::time::{MS_PER_DAY, MS_PER_HOUR};
use gatekeeper::{Clock, EventKind, PermissionResult, Store, Subject, Trigger};

fn subjects(m: &gatekeeper::Manifest) -> Vec<Subject> {
    let mut s: Vec<Subject> = m.sdks.iter().map(|x| Subject::Sdk(x.id.clone())).collect();
    for p in &m.permissions {
        for t in [Trigger::UserAction, Trigger::Background, Trigger::AppLaunch] {
            s.push(Subject::Permission(p.id.clone(), t));
        }
    }
    s.extend(m.purposes.iter().map(|p| Subject::Purpose(p.id.clone())));
    s.push(Subject::Sdk("not_declared".into()));
    s
}

/// Decides every subject twice (the second from the reuse path when it applies) and
/// checks both against a fresh decision.
fn check_all(store: &mut Store, subjects: &[Subject], at: &str) {
    for s in subjects {
        let fresh = store.peek(s);
        assert_eq!(store.decide(s), fresh, "{at}: first decision of {s:?}");
        assert_eq!(store.decide(s), fresh, "{at}: repeated decision of {s:?}");
    }
}

#[test]
fn reused_answers_equal_fresh_ones_across_writes_and_time_boundaries() {
    let dir = common::TempStore::new();
    let m = common::example();
    let clock = dir.clock.clone();
    let mut store = dir.open();
    let all = subjects(&m);
    let ttl = i64::from(m.settings.consent_ttl_days) * MS_PER_DAY;
    let reask = i64::from(m.settings.reask_after_denial_days) * MS_PER_DAY;
    let reprompt = i64::from(m.settings.reprompt_after_denial_hours) * MS_PER_HOUR;

    check_all(&mut store, &all, "new store");
    store.set_profile(Some("CN"), Some(30)).unwrap();
    check_all(&mut store, &all, "profile");
    store.accept_policy(false, "first_run_dialog").unwrap();
    check_all(&mut store, &all, "accepted");
    let granted_at = clock.now_ms();
    store
        .record_choice(EventKind::Granted, &["analytics".into()], &["facebook".into()], true, false, "settings")
        .unwrap();
    check_all(&mut store, &all, "granted");

    clock.advance(MS_PER_HOUR);
    let denied_at = clock.now_ms();
    store.record_permission_result("camera", PermissionResult::Denied).unwrap();
    store.record_choice(EventKind::Denied, &["push_notifications".into()], &[], false, false, "settings").unwrap();
    check_all(&mut store, &all, "denied");

    // Each time boundary, one millisecond before and exactly at it.
    for (name, boundary) in [
        ("re-prompt window", denied_at + reprompt),
        ("re-ask window", denied_at + reask),
        ("grant expiry", granted_at + ttl),
    ] {
        clock.set(boundary - 1);
        check_all(&mut store, &all, &format!("1 ms before the {name}"));
        clock.set(boundary);
        check_all(&mut store, &all, &format!("at the {name}"));
    }

    // Back in time: nothing reused from the future.
    clock.set(denied_at + 1);
    check_all(&mut store, &all, "clock moved back");

    store.record_choice(EventKind::Withdrawn, &["analytics".into()], &[], false, false, "settings").unwrap();
    check_all(&mut store, &all, "withdrawn");
    store.erase().unwrap();
    check_all(&mut store, &all, "erased");
}
