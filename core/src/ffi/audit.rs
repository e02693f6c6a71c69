//! The start-log audit across the FFI (contract §9.3): [`AuditResult`] and its parts, so
//! an instrumented test on a device or an emulator can run on the device's own store the
//! same checks as `gatekeeper audit` on a pulled copy.

use std::time::SystemTime;

use super::convert::instant;
use super::Decision;
use crate::decide::Verdict;
use crate::report::{self, ViolationKind};

/// One violation of the start log.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditViolation {
    /// The SDK.
    pub sdk: String,
    /// `started_without_allow` or `not_stopped_after_withdrawal`.
    pub kind: ViolationKind,
    /// The start, or the moment the SDK's decision left allow.
    pub at: SystemTime,
    /// The SDK's decision then.
    pub decision: Decision,
}

/// One run of an SDK: its start and, if recorded, its stop.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditSdkRun {
    /// The SDK.
    pub sdk: String,
    /// When the start was recorded (none for a stop without a start).
    pub started_at: Option<SystemTime>,
    /// When the stop was recorded, if it was.
    pub stopped_at: Option<SystemTime>,
    /// The SDK's verdict when it started.
    pub verdict_at_start: Option<Verdict>,
}

/// What `audit` found (the CLI's `gatekeeper audit --json`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditResult {
    /// No violation.
    pub ok: bool,
    /// Every violation, in time order.
    pub violations: Vec<AuditViolation>,
    /// Every run of every SDK, in the order they started.
    pub sdks: Vec<AuditSdkRun>,
}

impl From<report::AuditReport> for AuditResult {
    fn from(r: report::AuditReport) -> Self {
        AuditResult {
            ok: r.ok,
            violations: r
                .violations
                .into_iter()
                .map(|v| AuditViolation { sdk: v.sdk, kind: v.kind, at: instant(v.at), decision: v.decision.into() })
                .collect(),
            sdks: r
                .sdks
                .into_iter()
                .map(|s| AuditSdkRun {
                    sdk: s.sdk,
                    started_at: s.started_at.map(instant),
                    stopped_at: s.stopped_at.map(instant),
                    verdict_at_start: s.verdict_at_start,
                })
                .collect(),
        }
    }
}
