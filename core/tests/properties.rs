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
use gatekeeper::time::FixedClock;
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
            store.record_choice(e.kind, &e.purposes, &e.sdks, e.separate, e.by_guardian, source)
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
