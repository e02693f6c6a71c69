//! Fuzzes the decision engine (`gatekeeper::decide::Context::decide`) on random
//! ledgers: the fuzzer's bytes choose the manifest (the example or the rules fixture),
//! the events (kinds, items, profile, policy versions) and the times between them,
//! which jump to the manifest's time boundaries as often as to random points.
//!
//! The generator and the checks are `core/tests/common/ledgers.rs`, shared with the
//! property tests (`core/tests/properties.rs`). Checked on every input: no panic,
//! nothing allowed without an accepted policy, no withdrawal turning a deny into an
//! allow, every verdict holding until its `valid_until` (for ever when it is `null`),
//! and the fold of the whole ledger equal to the state built event by event.
#![no_main]

#[path = "../../tests/common/ledgers.rs"]
mod ledgers;

use std::sync::OnceLock;

use gatekeeper::manifest::{parse, Manifest, EXAMPLE_MANIFEST};
use libfuzzer_sys::fuzz_target;

fn manifests() -> &'static [Manifest; 2] {
    static M: OnceLock<[Manifest; 2]> = OnceLock::new();
    M.get_or_init(|| {
        [
            parse(EXAMPLE_MANIFEST).expect("the example manifest is valid"),
            parse(include_str!("../../tests/fixtures/rules.json")).expect("the rules fixture is valid"),
        ]
    })
}

/// 2026-01-01T00:00:00Z.
const START: i64 = 1_767_225_600_000;

fuzz_target!(|data: &[u8]| {
    let mut bytes = ledgers::Bytes::new(data);
    let m = &manifests()[usize::from(data.first().is_some_and(|b| b & 1 == 1))];
    let events = ledgers::generate(m, START, 12, &mut bytes);
    if let Err(why) = ledgers::check(m, &events, &mut bytes) {
        panic!("invariant broken: {why}\nevents: {events:#?}");
    }
});
