//! The start-log audit (contract §9.3, `gatekeeper audit`): a QA run on a device or an
//! emulator records every real SDK start and stop (`sdk_state` events, written by the
//! app or its adapters); the audit replays the ledger in order and proves, or refutes,
//! that no SDK started before its allow and that every SDK stopped after its allow was
//! taken away.
//!
//! Each start is judged by the SDK's decision at that moment: the fold of the events
//! before it, decided at its time, under the manifest the audit is given (the one the
//! app ran with). An SDK that was running when its decision left allow — through an
//! event (a withdrawal, a denial, a profile change, a decline) or through time alone (a
//! grant expiring) — must have a stop recorded within the grace period after that
//! moment; one at exactly the end of the grace period is in time. An SDK still running
//! at the audit's time, its allow gone for longer than the grace period, was never
//! stopped.

use serde_json::{json, Value};

use crate::decide::{Context, Decision, Subject, Verdict};
use crate::error::Result;
use crate::id_map::IdMap;
use crate::ledger::{Event, EventKind, LedgerState};
use crate::manifest::Manifest;
use crate::store::Store;
use crate::time::format_rfc3339;

/// The grace period when none is given: 10 seconds.
pub const DEFAULT_GRACE_SECONDS: u32 = 10;

/// What kind of violation of the start log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ViolationKind {
    /// A start recorded while the SDK's decision was not allow.
    StartedWithoutAllow,
    /// The SDK's decision left allow while it was running, and no stop was recorded
    /// within the grace period (or at all).
    NotStoppedAfterWithdrawal,
}

impl ViolationKind {
    /// The contract's code.
    pub fn as_str(self) -> &'static str {
        match self {
            ViolationKind::StartedWithoutAllow => "started_without_allow",
            ViolationKind::NotStoppedAfterWithdrawal => "not_stopped_after_withdrawal",
        }
    }
}

/// One violation.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// The SDK.
    pub sdk: String,
    /// What went wrong.
    pub kind: ViolationKind,
    /// When: the start, or the moment the decision left allow.
    pub at: i64,
    /// The SDK's decision then (not an allow).
    pub decision: Decision,
}

/// One run of an SDK: a start and, if recorded, its stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkRun {
    /// The SDK.
    pub sdk: String,
    /// When the start was recorded (`None` for a stop with no start before it).
    pub started_at: Option<i64>,
    /// When the stop was recorded, if it was.
    pub stopped_at: Option<i64>,
    /// The SDK's verdict when it started.
    pub verdict_at_start: Option<Verdict>,
}

/// The audit's findings.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditReport {
    /// No violation.
    pub ok: bool,
    /// Every violation, in time order.
    pub violations: Vec<Violation>,
    /// Every run of every SDK, in the order they started.
    pub sdks: Vec<SdkRun>,
}

/// A running SDK, as the replay follows it.
struct Running {
    /// Index of its run in `AuditReport::sdks`.
    run: usize,
    /// Still allowed, until this time by time alone (`Some(None)`: with no end);
    /// `None` once the decision left allow (or it started without one).
    allowed_until: Option<Option<i64>>,
    /// When and how the decision left allow, for a violation if no stop comes in time.
    left: Option<(i64, Decision)>,
}

impl AuditReport {
    /// Audits the store's ledger under its manifest, at the store's time.
    ///
    /// # Errors
    /// Store errors.
    pub fn of(store: &mut Store, grace_seconds: u32) -> Result<AuditReport> {
        store.settle();
        let rows = store.stored_events()?;
        let events: Vec<Event> = rows.iter().filter_map(|r| serde_json::from_str::<Event>(&r.body).ok()).collect();
        Ok(AuditReport::replay(store.manifest(), &events, store.now(), grace_seconds))
    }

    /// Replays `events` (in ledger order) under `manifest`, judging at `now` what is
    /// still running.
    pub fn replay(manifest: &Manifest, events: &[Event], now: i64, grace_seconds: u32) -> AuditReport {
        let grace = i64::from(grace_seconds) * 1000;
        let mut state = LedgerState::default();
        let mut running: IdMap<Running> = IdMap::default();
        let mut report = AuditReport { ok: true, violations: Vec::new(), sdks: Vec::new() };
        let decide = |state: &LedgerState, sdk: &str, at: i64| {
            Context { manifest, ledger: state, now: at, accesses: None }.decide(&Subject::Sdk(sdk.to_owned()))
        };
        for e in events {
            expire(&mut running, &state, e.ts, &decide);
            match (e.kind, e.sdk.as_deref(), e.running) {
                (EventKind::SdkState, Some(sdk), Some(true)) => {
                    if running.contains_key(sdk) {
                        continue; // a second start of a running SDK changes nothing
                    }
                    let d = decide(&state, sdk, e.ts);
                    let allowed = d.verdict == Verdict::Allow;
                    report.sdks.push(SdkRun {
                        sdk: sdk.to_owned(),
                        started_at: Some(e.ts),
                        stopped_at: None,
                        verdict_at_start: Some(d.verdict),
                    });
                    let allowed_until = allowed.then_some(d.valid_until);
                    if !allowed {
                        report.violations.push(Violation {
                            sdk: sdk.to_owned(),
                            kind: ViolationKind::StartedWithoutAllow,
                            at: e.ts,
                            decision: d,
                        });
                    }
                    running.insert(sdk.to_owned(), Running { run: report.sdks.len() - 1, allowed_until, left: None });
                }
                (EventKind::SdkState, Some(sdk), Some(false)) => match running.remove(sdk) {
                    Some(r) => {
                        report.sdks[r.run].stopped_at = Some(e.ts);
                        if let Some((left_at, decision)) = r.left {
                            if e.ts > left_at + grace {
                                report.violations.push(late(sdk, left_at, decision));
                            }
                        }
                    }
                    None => report.sdks.push(SdkRun {
                        sdk: sdk.to_owned(),
                        started_at: None,
                        stopped_at: Some(e.ts),
                        verdict_at_start: None,
                    }),
                },
                _ => {
                    state.apply(e);
                    if e.kind == EventKind::Erased {
                        running.clear();
                        report.sdks.clear();
                        report.violations.clear();
                        continue;
                    }
                    for (sdk, r) in running.iter_mut() {
                        if r.allowed_until.is_none() {
                            continue;
                        }
                        let d = decide(&state, sdk, e.ts);
                        if d.verdict == Verdict::Allow {
                            r.allowed_until = Some(d.valid_until);
                        } else {
                            r.allowed_until = None;
                            r.left = Some((e.ts, d));
                        }
                    }
                }
            }
        }
        expire(&mut running, &state, now, &decide);
        let mut still: Vec<(String, Running)> = running.into_iter().collect();
        crate::sort::sort_by_key(&mut still, |(_, r)| r.run);
        for (sdk, r) in still {
            if let Some((left_at, decision)) = r.left {
                if now > left_at + grace {
                    report.violations.push(late(&sdk, left_at, decision));
                }
            }
        }
        crate::sort::sort_by_key(&mut report.violations, |v| v.at);
        report.ok = report.violations.is_empty();
        report
    }

    /// The `audit --json` document.
    pub fn to_json(&self) -> Value {
        json!({
            "ok": self.ok,
            "violations": self.violations.iter().map(|v| json!({
                "sdk": v.sdk,
                "kind": v.kind.as_str(),
                "at": format_rfc3339(v.at),
                "decision": v.decision.to_json(),
            })).collect::<Vec<_>>(),
            "sdks": self.sdks.iter().map(|r| json!({
                "sdk": r.sdk,
                "started_at": r.started_at.map(format_rfc3339),
                "stopped_at": r.stopped_at.map(format_rfc3339),
                "verdict_at_start": r.verdict_at_start.map(Verdict::as_str),
            })).collect::<Vec<_>>(),
        })
    }
}

/// A running SDK whose allow ran out by time alone before `at` left allow then.
fn expire(
    running: &mut IdMap<Running>,
    state: &LedgerState,
    at: i64,
    decide: &impl Fn(&LedgerState, &str, i64) -> Decision,
) {
    for (sdk, r) in running.iter_mut() {
        if let Some(Some(until)) = r.allowed_until {
            if until <= at {
                let d = decide(state, sdk, until);
                if d.verdict == Verdict::Allow {
                    r.allowed_until = Some(d.valid_until.filter(|v| *v > until));
                } else {
                    r.allowed_until = None;
                    r.left = Some((until, d));
                }
            }
        }
    }
}

fn late(sdk: &str, at: i64, decision: Decision) -> Violation {
    Violation { sdk: sdk.to_owned(), kind: ViolationKind::NotStoppedAfterWithdrawal, at, decision }
}
