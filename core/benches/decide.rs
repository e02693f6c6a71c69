//! How fast is a decision? Run with `cargo bench -p gatekeeper --bench decide`.
//!
//! Measures the paths the contract promises are cheap ("answers in microseconds"; "the
//! hot path of a repeated decision does no disk I/O"), on the example manifest:
//! - a repeated `Store::decide` (decide + log-head bump, no disk I/O),
//! - the pure engine (`Context::decide`, no logging),
//! - a change-notification sweep (every SDK and permission re-decided),
//! - a consent write (durable commit, `synchronous=FULL`) with its notification sweep.
//!
//! It prints figures; it asserts nothing about time (no timed tests).

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use gatekeeper::decide::{Context, Subject};
use gatekeeper::manifest::{self, EXAMPLE_MANIFEST};
use gatekeeper::{EventKind, FixedClock, Store};

fn per_op(label: &str, n: u32, f: impl FnMut()) {
    let mut f = f;
    for _ in 0..n / 10 {
        f();
    }
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    let ns = start.elapsed().as_nanos() as f64 / f64::from(n);
    println!("{label:<52} {:>10.0} ns/op  ({n} ops)", ns);
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = Arc::new(manifest::parse(EXAMPLE_MANIFEST).expect("example manifest"));
    let clock = Arc::new(FixedClock::new(1_767_225_600_000)); // 2026-01-01T00:00:00Z
    let mut store = Store::open(dir.path().join("bench.db"), manifest.clone(), clock.clone()).expect("open");
    store.set_profile(Some("CN"), Some(30)).expect("profile");
    store.accept_policy(false, "bench").expect("accept");
    store.record_choice(EventKind::Granted, &["analytics".into()], &["facebook".into()], true, false, "bench").unwrap();

    let facebook = Subject::Sdk("facebook".into());
    per_op("Store::decide sdk:facebook (repeat, logged)", 200_000, || {
        black_box(store.decide(black_box(&facebook)));
    });
    let camera = Subject::Permission("camera".into(), gatekeeper::Trigger::UserAction);
    per_op("Store::decide permission:camera (repeat, logged)", 200_000, || {
        black_box(store.decide(black_box(&camera)));
    });
    {
        let ctx = Context { manifest: &manifest, ledger: store.ledger(), now: 1_767_225_600_000 };
        per_op("Context::decide sdk:facebook (engine only)", 200_000, || {
            black_box(ctx.decide(black_box(&facebook)));
        });
        let subjects = Context::watched_subjects(&manifest);
        per_op(&format!("notification sweep ({} subjects)", subjects.len()), 20_000, || {
            for s in &subjects {
                black_box(ctx.decide(s));
            }
        });
    }
    let mut flip = false;
    per_op("durable consent write + sweep (grant/withdraw)", 200, || {
        flip = !flip;
        let kind = if flip { EventKind::Withdrawn } else { EventKind::Granted };
        black_box(store.record_choice(kind, &["push_notifications".into()], &[], false, false, "bench").unwrap());
    });
    store.flush().expect("flush");
    let log = store.decision_log().expect("log");
    println!("decision-log rows after the run: {} (repeats counted, not rewritten)", log.len());
}
