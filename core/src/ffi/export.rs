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
    /// The row's id, in the order rows were written.
    pub id: i64,
    /// The subject decided.
    pub subject: String,
    /// The verdict.
    pub verdict: Verdict,
    /// The reason code.
    pub reason: Reason,
    /// The policy version then in force.
    pub policy_version: String,
    /// The user's jurisdiction.
    pub jurisdiction: String,
    /// When this answer was first given.
    pub first_seen: SystemTime,
    /// When it was last given.
    pub last_seen: SystemTime,
    /// How many times in a row it was given.
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
    /// A stable id: the first 16 hex digits of the event's chain hash, with `-N` for
    /// the Nth subject of an event about several.
    pub receipt_id: String,
    /// The ledger event it comes from.
    pub event_id: i64,
    /// When the event was recorded.
    pub timestamp: SystemTime,
    /// The event's kind.
    pub event: EventKind,
    /// The user's jurisdiction then.
    pub jurisdiction: Option<String>,
    /// Its law.
    pub law: Option<Law>,
    /// The policy's id.
    pub policy_id: String,
    /// The policy version then in force.
    pub policy_version: Option<String>,
    /// The url of the policy version it was recorded under.
    pub policy_url: Option<String>,
    /// The controller's name under that version.
    pub controller: Option<String>,
    /// The controller's contact under that version.
    pub controller_contact: Option<String>,
    /// `purpose:<id>`, `sdk:<id>`, `permission:<id>`, `policy:<id>` or `profile`;
    /// none for the erase marker.
    pub subject: Option<String>,
    /// The legal basis the subject was asked under.
    pub basis: Option<String>,
    /// accepted, granted, denied, withdrawn, the OS result, set or erased.
    pub choice: String,
    /// Given in a prompt dedicated to it.
    pub separate: bool,
    /// Given by the user's guardian.
    pub by_guardian: bool,
    /// Where in the app it happened.
    pub source: Option<String>,
    /// Whether the event checks out: false from the first broken event of a tampered
    /// ledger on.
    pub intact: bool,
}

/// The export document: the state, every receipt and the decision log.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ExportDocument {
    /// When the export was made.
    pub exported_at: SystemTime,
    /// The consent state.
    pub state: ConsentState,
    /// Every event as consent receipts.
    pub receipts: Vec<Receipt>,
    /// The decision log, oldest first.
    pub decision_log: Vec<LogEntry>,
    /// The same document as the CLI's `export --json`.
    pub json: String,
}

/// The result of recomputing the ledger's hash chain.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct VerifyReport {
    /// The chain is intact.
    pub ok: bool,
    /// Ledger events checked.
    pub events: i64,
    /// The first event that does not check out.
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
            intact: r.intact,
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
