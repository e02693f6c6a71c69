//! What Kotlin and Swift get from the ledger and the log: the decision log's rows, the
//! export document with its consent receipts (contract §6), and `verify`'s report.

use std::time::SystemTime;

use super::convert::{instant, to_i64};
use super::ConsentState;
use crate::decide::{Reason, Verdict};
use crate::ledger::{ChainReport, EventKind};
use crate::manifest::Law;
use crate::report;
use crate::store;

/// One decision-log row: a run of identical decisions for one subject.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LogEntry {
    pub id: i64,
    pub subject: String,
    pub verdict: Verdict,
    pub reason: Reason,
    pub policy_version: String,
    pub jurisdiction: String,
    pub first_seen: SystemTime,
    pub last_seen: SystemTime,
    pub count: i64,
}

impl From<store::LogRow> for LogEntry {
    fn from(r: store::LogRow) -> Self {
        // A row the store cannot read back as a verdict and reason (edited by hand) is
        // shown as the fail-closed answer rather than dropped.
        let (verdict, reason) = match (Verdict::parse(&r.verdict), Reason::parse(&r.reason)) {
            (Some(v), Some(reason)) => (v, reason),
            _ => (Verdict::Deny, Reason::StoreUnavailable),
        };
        LogEntry {
            id: r.id,
            subject: r.subject,
            verdict,
            reason,
            policy_version: r.policy_version,
            jurisdiction: r.jurisdiction,
            first_seen: instant(r.first_seen),
            last_seen: instant(r.last_seen),
            count: to_i64(r.count),
        }
    }
}

/// A consent receipt: one subject of one ledger event.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Receipt {
    pub receipt_id: String,
    pub event_id: i64,
    pub timestamp: SystemTime,
    pub event: EventKind,
    pub jurisdiction: Option<String>,
    pub law: Option<Law>,
    pub policy_id: String,
    pub policy_version: Option<String>,
    pub policy_url: Option<String>,
    pub controller: Option<String>,
    pub controller_contact: Option<String>,
    /// `purpose:<id>`, `sdk:<id>`, `permission:<id>`, `policy:<id>` or `profile`;
    /// none for the erase marker.
    pub subject: Option<String>,
    /// The legal basis the subject was asked under.
    pub basis: Option<String>,
    pub choice: String,
    pub separate: bool,
    pub by_guardian: bool,
    pub source: Option<String>,
}

/// The export document: the state, every receipt and the decision log.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExportDocument {
    pub exported_at: SystemTime,
    pub state: ConsentState,
    pub receipts: Vec<Receipt>,
    pub decision_log: Vec<LogEntry>,
    /// The same document as the CLI's `export --json`.
    pub json: String,
}

/// The result of recomputing the ledger's hash chain.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VerifyReport {
    pub ok: bool,
    pub events: i64,
    pub first_broken: Option<i64>,
}

impl From<report::Receipt> for Receipt {
    fn from(r: report::Receipt) -> Self {
        Receipt {
            receipt_id: r.receipt_id,
            event_id: r.event_id,
            timestamp: instant(r.timestamp),
            event: r.event,
            jurisdiction: r.jurisdiction,
            law: r.law,
            policy_id: r.policy_id,
            policy_version: r.policy_version,
            policy_url: r.policy_url,
            controller: r.controller,
            controller_contact: r.controller_contact,
            subject: r.subject,
            basis: r.basis,
            choice: r.choice,
            separate: r.separate,
            by_guardian: r.by_guardian,
            source: r.source,
        }
    }
}

impl From<report::Export> for ExportDocument {
    fn from(e: report::Export) -> Self {
        let json = e.to_json().to_string();
        ExportDocument {
            exported_at: instant(e.exported_at),
            receipts: e.receipts.into_iter().map(Into::into).collect(),
            decision_log: e.decision_log.into_iter().map(Into::into).collect(),
            state: e.state.into(),
            json,
        }
    }
}

impl From<ChainReport> for VerifyReport {
    fn from(r: ChainReport) -> Self {
        VerifyReport { ok: r.first_broken.is_none(), events: to_i64(r.events), first_broken: r.first_broken }
    }
}
