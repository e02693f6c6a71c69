//! The decision engine's invariants as property tests over random ledgers and times
//! (issue 6). The generator and the checks live in `common/ledgers.rs`, which the
//! `decide` fuzz target shares. Seeded (SplitMix64), so a failure names its seed and
//! replays; `GATEKEEPER_PROPERTY_CASES` raises the number of ledgers per manifest.
//!
//! Invariants: nothing is allowed before the policy is accepted; withdrawing never
//! turns a deny into an allow; a decision's `valid_until` is never later than the
//! moment its verdict changes; replaying the ledger gives the same state (in memory,
//! through a real store closed and opened again, and through an app's open from the
//! fold snapshot with events after it).

mod common;

use std::sync::Arc;

use common::ledgers::{self, Entropy, SplitMix, Tally};
use common::t0;
use gatekeeper::ledger::{Event, EventKind, LedgerState};
use gatekeeper::manifest::{self, Manifest, EXAMPLE_MANIFEST};
use gatekeeper::store::LedgerCheck;
use gatekeeper::time::{Clock, FixedClock};
use gatekeeper::{Store, Subject};

fn manifests() -> Vec<(&'static str, Arc<Manifest>)> {
    let parse = |t: &str| Arc::new(manifest::parse(t).unwrap_or_else(|i| panic!("invalid manifest: {i:#?}")));
    vec![("example", parse(EXAMPLE_MANIFEST)), ("rules fixture", parse(include_str!("fixtures/rules.json")))]
}

fn cases(default: u64) -> u64 {
    std::env::var("GATEKEEPER_PROPERTY_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn invariants_hold_on_random_ledgers() {
    let n = cases(120);
    let mut failures = Vec::new();
    let mut total = Tally::default();
    for (name, m) in manifests() {
        for seed in 0..n {
            let mut rng = SplitMix(seed);
            let events = ledgers::generate(&m, t0(), 24, &mut rng);
            match ledgers::check(&m, &events, &mut rng) {
                Ok(t) => total.add(t),
                Err(why) => failures.push(format!("{name}, seed {seed}: {why}")),
            }
        }
    }
    println!(
        "properties: {} ledgers, {} events, {} decisions ({} before acceptance, {} declined, {} basic allowed), {} across withdrawals ({} denies), \
         {} valid_until checked ({} exact), {} null checked, {} failures",
        2 * n,
        total.events,
        total.decisions,
        total.before_acceptance,
        total.declined,
        total.basic_allowed,
        total.across_withdrawals,
        total.denies_across_withdrawals,
        total.valid_until_checked,
        total.valid_until_exact,
        total.null_checked,
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    // The generator reaches every invariant's interesting case.
    assert!(total.before_acceptance > 0 && total.denies_across_withdrawals > 0 && total.valid_until_checked > 0);
    // ... and basic mode: decisions under a decline, some of them allowed.
    assert!(total.declined > 0 && total.basic_allowed > 0, "{total:?}");
}

/// Writes `e` through the store's API (which sets its own id, time, version and
/// jurisdiction). Returns false when the event cannot be written that way (an
/// acceptance of another policy version).
fn write(store: &mut Store, m: &Manifest, e: &Event) -> bool {
    let source = e.source.as_deref().unwrap_or("settings");
    let r = match e.kind {
        EventKind::PolicyAccepted if e.policy_version.as_deref() != Some(m.policy.version.as_str()) => return false,
        EventKind::PolicyAccepted => store.accept_policy(e.by_guardian, source),
        EventKind::PolicyDeclined if e.policy_version.as_deref() != Some(m.policy.version.as_str()) => return false,
        EventKind::PolicyDeclined => store.decline_policy(source),
        EventKind::SdkState if e.running == Some(true) => store.record_sdk_started(e.sdk.as_deref().unwrap()),
        EventKind::SdkState => store.record_sdk_stopped(e.sdk.as_deref().unwrap()),
        EventKind::Granted | EventKind::Denied | EventKind::Withdrawn => {
            match store.record_choice(e.kind, &e.purposes, &e.sdks, e.separate, e.by_guardian, source) {
                // A withdrawal of a contract or legal-obligation purpose is refused (issue 13).
                Err(gatekeeper::Error::InvalidArgument { .. }) if e.kind == EventKind::Withdrawn => return false,
                other => other,
            }
        }
        EventKind::PermissionResult => {
            store.record_permission_result(e.permission.as_deref().unwrap(), e.result.unwrap())
        }
        EventKind::ProfileSet => match store.set_profile(e.country.as_deref(), e.age) {
            Err(gatekeeper::Error::InvalidArgument { .. }) => return false, // "ZZ" is refused
            other => other,
        },
        EventKind::Erased => store.erase(),
    };
    r.unwrap_or_else(|err| panic!("writing {:?}: {err}", e.kind));
    true
}

fn all_decisions(store: &Store, m: &Manifest) -> Vec<gatekeeper::Decision> {
    ledgers::subjects(m).iter().map(|s: &Subject| store.peek(s)).collect()
}

#[test]
fn replaying_the_store_ledger_gives_the_same_state() {
    let n = cases(120) / 6;
    let mut failures = Vec::new();
    let (mut written, mut reopened) = (0u64, 0u64);
    for (name, m) in manifests() {
        for seed in 0..n {
            let mut rng = SplitMix(1_000_000 + seed);
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("gatekeeper.db");
            let clock = Arc::new(FixedClock::new(t0()));
            let mut store = Store::open(&path, m.clone(), clock.clone()).unwrap();
            let events = ledgers::generate(&m, t0(), 16, &mut rng);
            let half = events.len() / 2;
            for (i, e) in events.iter().enumerate() {
                if i == half {
                    // Reopening writes the fold snapshot; the rest of the events come
                    // after it.
                    drop(store);
                    store = Store::open(&path, m.clone(), clock.clone()).unwrap();
                }
                clock.set(e.ts);
                written += u64::from(write(&mut store, &m, e));
                if rng.chance(8) {
                    // Decisions go to the log too; replay must not depend on them.
                    let _ = store.decide(&ledgers::subjects(&m)[rng.below(4)]);
                }
            }
            let state = store.ledger().clone();
            let decisions = all_decisions(&store, &m);
            let rows = store.stored_events().unwrap();
            let events: Vec<Event> = rows.iter().map(|r| serde_json::from_str(&r.body).unwrap()).collect();
            drop(store);
            // An app's open first: it folds the second half onto the snapshot.
            let mut quick = Store::open_with(&path, m.clone(), clock.clone(), LedgerCheck::Background).unwrap();
            let (quick_state, quick_decisions) = (quick.ledger().clone(), all_decisions(&quick, &m));
            quick.settle();
            let audit_changed = !quick.take_unreported().is_empty() || quick.chain().first_broken.is_some();
            drop(quick);
            let mut again = Store::open(&path, m.clone(), clock.clone()).unwrap();
            reopened += 1;
            let report = again.verify().unwrap();
            let problems = [
                (LedgerState::fold(&events) != state, "folding the stored events differs from the live state"),
                (again.ledger() != &state, "the reopened store's state differs"),
                (all_decisions(&again, &m) != decisions, "the reopened store decides differently"),
                (report.first_broken.is_some(), "verify fails after reopening"),
                (quick_state != state, "the state opened from the snapshot differs"),
                (quick_decisions != decisions, "the store opened from the snapshot decides differently"),
                (audit_changed, "the audit after an open from the snapshot changed something"),
            ];
            for (bad, what) in problems {
                if bad {
                    failures.push(format!("{name}, seed {seed}: {what}"));
                }
            }
        }
    }
    println!(
        "replay: {reopened} stores, {written} events written through the store, reopened and replayed, {} failures",
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
}

/// §9.2: over random reads (foreground and background), grants, withdrawals and clock
/// steps that land on and beside the intervals' ends, through a real store (closed and
/// opened again now and then, as each CLI call is), no two allowed accesses of one id
/// are closer than its `min_interval_seconds`, and a denied read never moves the next
/// allowed one later than the interval after the last allow.
#[test]
fn no_two_allowed_accesses_are_closer_than_their_interval() {
    let m = Arc::new(manifest::parse(include_str!("fixtures/part_two.json")).unwrap());
    let ids: Vec<(String, i64)> =
        m.data_access.iter().map(|a| (a.id.clone(), i64::from(a.min_interval_seconds) * 1000)).collect();
    let n = cases(120) / 8;
    let (mut allowed, mut limited) = (0u64, 0u64);
    for seed in 0..n {
        let mut rng = SplitMix(7_000_000 + seed);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gatekeeper.db");
        let clock = Arc::new(FixedClock::new(t0()));
        let mut store = Store::open(&path, m.clone(), clock.clone()).unwrap();
        store.set_profile(Some("CN"), Some(30)).unwrap();
        store.accept_policy(false, "first_run_dialog").unwrap();
        let purposes = ["analytics".to_string(), "location_services".to_string()];
        let mut last: std::collections::HashMap<String, i64> = Default::default();
        for _ in 0..40 {
            let (id, interval) = &ids[rng.below(ids.len())];
            let step = match rng.below(5) {
                0 => 0,
                1 => 1,
                2 => (*interval - 1).max(0),
                3 => *interval,
                _ => i64::from(rng.next_u32() % 40_000),
            };
            clock.advance(step);
            match rng.below(12) {
                0 => {
                    let p = &purposes[rng.below(2)];
                    store.record_choice(EventKind::Granted, std::slice::from_ref(p), &[], true, false, "s").unwrap();
                }
                1 => {
                    let p = &purposes[rng.below(2)];
                    store.record_choice(EventKind::Withdrawn, std::slice::from_ref(p), &[], false, false, "s").unwrap();
                }
                2 => {
                    drop(store);
                    store = Store::open(&path, m.clone(), clock.clone()).unwrap();
                }
                _ => {
                    let d = store.decide_access(id, rng.chance(3));
                    let now = clock.now_ms();
                    if d.verdict == gatekeeper::Verdict::Allow {
                        if let Some(prev) = last.get(id) {
                            assert!(now - prev >= *interval, "seed {seed}: {id} allowed at {prev} and again at {now}");
                        }
                        last.insert(id.clone(), now);
                        allowed += 1;
                    } else if d.reason == gatekeeper::Reason::RateLimited {
                        let prev = last[id];
                        assert_eq!(d.retry_after, Some(prev + interval), "seed {seed}: {id} retry_after");
                        limited += 1;
                    }
                }
            }
        }
    }
    println!("data access: {allowed} allowed, {limited} rate limited");
    assert!(allowed > 0 && limited > 0);
}
