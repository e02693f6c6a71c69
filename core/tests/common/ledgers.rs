//! Random ledgers and the decision engine's invariants, shared by the property tests
//! (`core/tests/properties.rs`, seeded) and the `decide` fuzz target
//! (`core/fuzz/fuzz_targets/decide.rs`, driven by the fuzzer's bytes). Both include this
//! file with `#[path]`, so the two check exactly the same things.
//!
//! A ledger is generated event by event, with times that jump to the manifest's time
//! boundaries (one millisecond before, at, and after a TTL, re-ask or re-prompt window)
//! as often as to random points. [`check`] folds it and, before and after every event,
//! decides every subject of the manifest and checks:
//! 1. nothing is allowed while no policy acceptance is in force, except, after a decline
//!    under the current MAJOR (§9.1), a subject whose purposes are all basic, with reason
//!    `basic_mode`: a declined policy never allows a non-basic subject;
//! 2. a withdrawal never turns a deny (or an ask) into an allow;
//! 3. a decision's verdict holds at every time before its `valid_until` (one millisecond
//!    before it, and a random point in between), and for ever when it is `null`;
//! 4. folding the whole ledger at once gives the state built event by event.
#![allow(dead_code)]

use gatekeeper::decide::Context;
use gatekeeper::ledger::{major_of, Event, EventKind, LedgerState, PermissionResult};
use gatekeeper::manifest::Manifest;
use gatekeeper::time::{MS_PER_DAY, MS_PER_HOUR};
use gatekeeper::{Decision, Reason, Subject, Trigger, Verdict};

/// Where the generator's choices come from.
pub trait Entropy {
    fn next_u32(&mut self) -> u32;
    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.next_u32() as usize % n
        }
    }
    fn chance(&mut self, one_in: u32) -> bool {
        self.next_u32() % one_in.max(1) == 0
    }
}

/// A seeded SplitMix64 generator, for reproducible property tests.
pub struct SplitMix(pub u64);

impl Entropy for SplitMix {
    fn next_u32(&mut self) -> u32 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 32) as u32
    }
}

/// The fuzzer's input, read four bytes at a time; zeros once it runs out.
pub struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data, pos: 0 }
    }
    pub fn exhausted(&self) -> bool {
        self.pos >= self.data.len()
    }
}

impl Entropy for Bytes<'_> {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        for x in &mut b {
            *x = self.data.get(self.pos).copied().unwrap_or(0);
            self.pos += 1;
        }
        u32::from_le_bytes(b)
    }
}

/// The time rules' boundaries in this manifest, in milliseconds.
fn boundaries(m: &Manifest) -> Vec<i64> {
    let s = &m.settings;
    let mut b = vec![
        i64::from(s.consent_ttl_days) * MS_PER_DAY,
        i64::from(s.reask_after_denial_days) * MS_PER_DAY,
        i64::from(s.reprompt_after_denial_hours) * MS_PER_HOUR,
    ];
    b.extend(m.permissions.iter().filter_map(|p| p.reprompt_after_denial_hours).map(|h| i64::from(h) * MS_PER_HOUR));
    b
}

/// How far to move the clock before the next event.
pub fn step(m: &Manifest, e: &mut impl Entropy) -> i64 {
    let b = boundaries(m);
    match e.below(6) {
        0 => 0,
        1 => 1,
        2 => b[e.below(b.len())] - 1,
        3 => b[e.below(b.len())],
        4 => b[e.below(b.len())] + 1,
        _ => i64::from(e.next_u32() % 60_000) * 60_000, // up to ~41 days, by the minute
    }
}

fn some_of(ids: &[String], e: &mut impl Entropy) -> Vec<String> {
    let mut out: Vec<String> = ids.iter().filter(|_| e.chance(3)).cloned().collect();
    if out.is_empty() && !ids.is_empty() && e.chance(2) {
        out.push(ids[e.below(ids.len())].clone());
    }
    out
}

const COUNTRIES: [Option<&str>; 6] = [Some("CN"), Some("DE"), Some("US"), Some("FR"), Some("ZZ"), None];
const AGES: [Option<u32>; 5] = [None, Some(10), Some(15), Some(17), Some(30)];

/// One event at `ts` (the id is set by [`generate`]). Kinds are weighted towards
/// choices; `erased` is rare. Acceptances are sometimes of an older policy MAJOR.
pub fn event(m: &Manifest, state: &LedgerState, ts: i64, e: &mut impl Entropy) -> Event {
    let purposes: Vec<String> = m.purposes.iter().map(|p| p.id.clone()).collect();
    let sdks: Vec<String> = m.sdks.iter().map(|s| s.id.clone()).collect();
    let kind = match e.below(22) {
        0..=2 => EventKind::PolicyAccepted,
        3..=7 => EventKind::Granted,
        8..=10 => EventKind::Denied,
        11..=14 => EventKind::Withdrawn,
        15..=16 => EventKind::PermissionResult,
        17..=18 => EventKind::ProfileSet,
        19..=20 => EventKind::PolicyDeclined,
        _ => EventKind::Erased,
    };
    let mut ev = Event::new(kind, ts);
    let current = m.policy.version.clone();
    ev.policy_version = Some(current.clone());
    match kind {
        EventKind::PolicyDeclined => {
            if e.chance(5) {
                // A decline under another MAJOR is void, like such an acceptance.
                ev.policy_version = Some(format!("{}.0", m.policy.major + 1));
            }
            ev.source = Some("first_run_dialog".into());
        }
        EventKind::SdkState => {
            ev.sdk = Some(sdks[e.below(sdks.len())].clone());
            ev.running = Some(e.chance(2));
        }
        EventKind::PolicyAccepted => {
            ev.by_guardian = e.chance(2);
            if e.chance(5) {
                // Another MAJOR: the acceptance must not count.
                let other = if e.chance(2) { m.policy.major + 1 } else { m.policy.major.saturating_sub(1) };
                ev.policy_version = Some(format!("{other}.0"));
            }
            ev.source = Some("first_run_dialog".into());
        }
        EventKind::Granted | EventKind::Denied | EventKind::Withdrawn => {
            ev.purposes = some_of(&purposes, e);
            ev.sdks = some_of(&sdks, e);
            if ev.purposes.is_empty() && ev.sdks.is_empty() {
                ev.purposes.push(purposes[e.below(purposes.len())].clone());
            }
            ev.separate = kind == EventKind::Granted && e.chance(2);
            ev.by_guardian = kind == EventKind::Granted && e.chance(3);
            ev.source = Some("settings".into());
        }
        EventKind::PermissionResult => {
            ev.permission = Some(m.permissions[e.below(m.permissions.len())].id.clone());
            ev.result = Some(
                [PermissionResult::Granted, PermissionResult::Denied, PermissionResult::DeniedPermanently][e.below(3)],
            );
        }
        EventKind::ProfileSet => {
            ev.country = COUNTRIES[e.below(COUNTRIES.len())].map(str::to_owned);
            ev.age = AGES[e.below(AGES.len())];
        }
        EventKind::Erased => ev.policy_version = None,
    }
    ev.jurisdiction = match kind {
        EventKind::Erased => None,
        EventKind::ProfileSet => Some(m.jurisdiction_for(ev.country.as_deref()).id.clone()),
        _ => Some(m.jurisdiction_for(state.profile.country.as_deref()).id.clone()),
    };
    ev
}

/// A ledger of up to `max_events` events starting at `start`.
pub fn generate(m: &Manifest, start: i64, max_events: usize, e: &mut impl Entropy) -> Vec<Event> {
    let mut state = LedgerState::default();
    let mut events = Vec::new();
    let mut ts = start;
    let n = 1 + e.below(max_events.max(1));
    for i in 0..n {
        ts = ts.saturating_add(step(m, e));
        let mut ev = event(m, &state, ts, e);
        ev.id = i as i64 + 1;
        state.apply(&ev);
        events.push(ev);
    }
    events
}

/// Every subject of the manifest, permissions under every trigger.
pub fn subjects(m: &Manifest) -> Vec<Subject> {
    let mut out: Vec<Subject> = m.sdks.iter().map(|s| Subject::Sdk(s.id.clone())).collect();
    out.extend(m.purposes.iter().map(|p| Subject::Purpose(p.id.clone())));
    for p in &m.permissions {
        for t in [Trigger::UserAction, Trigger::Background, Trigger::AppLaunch] {
            out.push(Subject::Permission(p.id.clone(), t));
        }
    }
    for a in &m.data_access {
        out.push(Subject::Access(a.id.clone(), false));
        out.push(Subject::Access(a.id.clone(), true));
    }
    out
}

/// Whether every purpose of `subject` is basic (§9.1).
pub fn all_basic(m: &Manifest, subject: &Subject) -> bool {
    let purposes: Vec<String> = match subject {
        Subject::Sdk(id) => m.sdk(id).map(|s| s.purposes.clone()).unwrap_or_default(),
        Subject::Permission(id, _) => m.permission(id).map(|p| p.purposes.clone()).unwrap_or_default(),
        Subject::Purpose(id) => vec![id.clone()],
        Subject::Access(id, _) => m.data_access(id).map(|a| a.purposes.clone()).unwrap_or_default(),
    };
    purposes.iter().all(|p| m.purpose(p).is_some_and(|p| p.basic))
}

/// What [`check`] looked at.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub events: u64,
    pub decisions: u64,
    /// Decisions made while no acceptance was in force (none may allow, but basic ones
    /// after a decline).
    pub before_acceptance: u64,
    /// Decisions made in basic mode (a decline in force), and how many allowed.
    pub declined: u64,
    pub basic_allowed: u64,
    /// Decisions compared across a withdrawal, and how many were denies before it.
    pub across_withdrawals: u64,
    pub denies_across_withdrawals: u64,
    /// `valid_until` checks (a time) and `null` checks (later times).
    pub valid_until_checked: u64,
    pub valid_until_exact: u64,
    pub null_checked: u64,
}

impl Tally {
    pub fn add(&mut self, o: Tally) {
        self.events += o.events;
        self.decisions += o.decisions;
        self.before_acceptance += o.before_acceptance;
        self.declined += o.declined;
        self.basic_allowed += o.basic_allowed;
        self.across_withdrawals += o.across_withdrawals;
        self.denies_across_withdrawals += o.denies_across_withdrawals;
        self.valid_until_checked += o.valid_until_checked;
        self.valid_until_exact += o.valid_until_exact;
        self.null_checked += o.null_checked;
    }
}

fn decide_at(m: &Manifest, state: &LedgerState, subject: &Subject, now: i64) -> Decision {
    Context { manifest: m, ledger: state, now, accesses: None }.decide(subject)
}

/// Checks invariants 1-3 for every subject at `now` on `state`.
fn check_time(m: &Manifest, state: &LedgerState, now: i64, e: &mut impl Entropy, t: &mut Tally) -> Result<(), String> {
    let accepted = state.acceptance.is_some();
    let declined = state.declined.as_ref().is_some_and(|d| major_of(&d.version) == Some(m.policy.major));
    for s in subjects(m) {
        let d = decide_at(m, state, &s, now);
        t.decisions += 1;
        if !accepted {
            t.before_acceptance += 1;
            t.declined += u64::from(declined);
            if d.verdict == Verdict::Allow {
                if !declined {
                    return Err(format!("{} allowed at {now} with no policy accepted: {d:?}", d.subject));
                }
                if !all_basic(m, &s) || d.reason != Reason::BasicMode {
                    return Err(format!("{} allowed at {now} in basic mode, not being basic: {d:?}", d.subject));
                }
                t.basic_allowed += 1;
            }
        }
        let same = |at: i64| decide_at(m, state, &s, at).verdict == d.verdict;
        match d.valid_until {
            Some(v) => {
                t.valid_until_checked += 1;
                if v <= now {
                    return Err(format!("{}: valid_until {v} is not after now {now}", d.subject));
                }
                let between = now + (i64::from(e.next_u32()) % (v - now));
                for at in [v - 1, between] {
                    if !same(at) {
                        return Err(format!(
                            "{}: verdict {:?} at {now} changed at {at}, before valid_until {v}",
                            d.subject, d.verdict
                        ));
                    }
                }
                if !same(v) {
                    t.valid_until_exact += 1;
                }
            }
            None => {
                t.null_checked += 1;
                let later = [1, MS_PER_HOUR, i64::from(e.next_u32() % 800) * MS_PER_DAY + 1, 3_650 * MS_PER_DAY];
                for by in later {
                    if !same(now.saturating_add(by)) {
                        return Err(format!(
                            "{}: verdict {:?} at {now} with valid_until null changed {by} ms later",
                            d.subject, d.verdict
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Folds `events` one by one and checks every invariant (see the module docs).
///
/// # Errors
/// A description of the first invariant that failed.
pub fn check(m: &Manifest, events: &[Event], e: &mut impl Entropy) -> Result<Tally, String> {
    let mut t = Tally::default();
    let mut state = LedgerState::default();
    for ev in events {
        check_time(m, &state, ev.ts, e, &mut t)?;
        let before = state.clone();
        state.apply(ev);
        t.events += 1;
        if ev.kind == EventKind::Withdrawn {
            for s in subjects(m) {
                let old = decide_at(m, &before, &s, ev.ts);
                let new = decide_at(m, &state, &s, ev.ts);
                t.across_withdrawals += 1;
                if old.verdict == Verdict::Deny {
                    t.denies_across_withdrawals += 1;
                }
                if new.verdict == Verdict::Allow && old.verdict != Verdict::Allow {
                    return Err(format!("withdrawal turned {:?} into allow for {}", old.verdict, new.subject));
                }
            }
        }
        check_time(m, &state, ev.ts, e, &mut t)?;
    }
    if LedgerState::fold(events) != state {
        return Err("folding the ledger at once differs from applying it event by event".into());
    }
    Ok(t)
}
