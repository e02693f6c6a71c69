//! The export document (contract §6): everything the store holds about the user, for
//! a data-access request or a regulator: the profile, the state, every event as a
//! consent receipt (with the policy version, url and controller it was recorded under)
//! and the decision log. It holds personal data, so it is returned to the caller and
//! never logged.

use serde_json::Value;

use super::object::object;
use super::StateReport;
use crate::ledger::{Event, EventKind, PermissionResult};
use crate::manifest::Law;
use crate::store::{LogRow, Store};
use crate::time::format_rfc3339;

/// A consent receipt: one subject of one ledger event, told for a regulator. An event
/// about several purposes or SDKs gives one receipt per subject, sharing its event id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// A stable id: the first 16 hex digits of the event's chain hash, with `-N` for
    /// the Nth subject of an event about several.
    pub receipt_id: String,
    /// The ledger event it comes from.
    pub event_id: i64,
    /// When the event was recorded.
    pub timestamp: i64,
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
    /// The url and controller of the policy version the event was recorded under.
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
    /// Whether the event checks out: false for the first event whose hash does not
    /// (`verify`'s `first_broken`) and every event after it, which the chain can no
    /// longer vouch for.
    pub intact: bool,
}

/// The export document (contract §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// When the export was made.
    pub exported_at: i64,
    /// The consent state.
    pub state: StateReport,
    /// Every event as consent receipts.
    pub receipts: Vec<Receipt>,
    /// The decision log, oldest first.
    pub decision_log: Vec<LogRow>,
}

/// The subjects one event is about, each with its legal basis, and the choice made.
fn subjects_of(e: &Event, m: &crate::manifest::Manifest) -> (Vec<(String, String)>, String) {
    let basis_of = |p: &str| m.purpose(p).map_or("unknown", |p| p.basis.as_str()).to_owned();
    let mut subjects: Vec<(String, String)> =
        e.purposes.iter().map(|p| (format!("purpose:{p}"), basis_of(p))).collect();
    subjects.extend(e.sdks.iter().map(|s| (format!("sdk:{s}"), "consent".to_owned())));
    let choice = match e.kind {
        EventKind::PolicyAccepted => {
            subjects.push((format!("policy:{}", m.policy.id), "contract".into()));
            "accepted".to_owned()
        }
        EventKind::PermissionResult => {
            if let Some(p) = &e.permission {
                let basis = m
                    .permission(p)
                    .and_then(|perm| perm.purposes.first())
                    .map_or_else(|| "unknown".to_owned(), |first| basis_of(first));
                subjects.push((format!("permission:{p}"), basis));
            }
            e.result.map_or("unknown", PermissionResult::as_str).to_owned()
        }
        EventKind::ProfileSet => {
            subjects.push(("profile".into(), "contract".into()));
            "set".to_owned()
        }
        EventKind::PolicyDeclined => {
            subjects.push((format!("policy:{}", m.policy.id), "contract".into()));
            "declined".to_owned()
        }
        EventKind::SdkState => {
            if let Some(sdk) = &e.sdk {
                subjects.push((format!("sdk:{sdk}"), "consent".into()));
            }
            if e.running == Some(true) { "started" } else { "stopped" }.to_owned()
        }
        other => other.as_str().to_owned(),
    };
    (subjects, choice)
}

impl Export {
    /// Gathers the export for the store as it stands now.
    ///
    /// # Errors
    /// Store errors.
    pub fn of(store: &mut Store) -> crate::error::Result<Export> {
        let decision_log = store.decision_log()?;
        let rows = store.stored_events()?;
        let m = store.manifest().clone();
        let mut receipts = Vec::new();
        let first_broken = store.chain().first_broken;
        // One metadata read per policy version, not per event.
        let mut details_by_version: std::collections::HashMap<String, Option<crate::store::PolicyDetails>> =
            std::collections::HashMap::new();
        for row in &rows {
            let Ok(e) = serde_json::from_str::<Event>(&row.body) else {
                // A body that no longer parses (tampered with) is still listed, as not
                // intact, with what its row says, so the export shows where the damage is.
                if let Ok(kind) = serde_json::from_value::<EventKind>(Value::String(row.kind.clone())) {
                    receipts.push(Receipt::unreadable(row.id, row.ts, kind, &row.hash, &m.policy.id));
                }
                continue;
            };
            let details = match &e.policy_version {
                Some(v) => match details_by_version.get(v) {
                    Some(d) => d.clone(),
                    None => {
                        let d = store.policy_details(v)?;
                        details_by_version.insert(v.clone(), d.clone());
                        d
                    }
                },
                None => None,
            };
            let (subjects, choice) = subjects_of(&e, &m);
            let id: String = row.hash.chars().take(16).collect();
            let many = subjects.len() > 1;
            let items: Vec<(Option<String>, Option<String>)> = if subjects.is_empty() {
                vec![(None, None)]
            } else {
                subjects.into_iter().map(|(s, b)| (Some(s), Some(b))).collect()
            };
            for (n, (subject, basis)) in items.into_iter().enumerate() {
                receipts.push(Receipt {
                    receipt_id: if many { format!("{id}-{}", n + 1) } else { id.clone() },
                    event_id: e.id,
                    timestamp: e.ts,
                    event: e.kind,
                    law: e.jurisdiction.as_deref().and_then(|j| m.jurisdiction(j)).map(|j| j.law),
                    jurisdiction: e.jurisdiction.clone(),
                    policy_id: m.policy.id.clone(),
                    policy_version: e.policy_version.clone(),
                    policy_url: details.as_ref().and_then(|d| d.url.clone()),
                    controller: details.as_ref().map(|d| d.controller.clone()),
                    controller_contact: details.as_ref().and_then(|d| d.contact.clone()),
                    subject,
                    basis,
                    choice: choice.clone(),
                    separate: e.separate,
                    by_guardian: e.by_guardian,
                    source: e.source.clone(),
                    intact: first_broken.is_none_or(|b| row.id < b),
                });
            }
        }
        Ok(Export { exported_at: store.now(), state: StateReport::of(store), receipts, decision_log })
    }

    /// The `export --json` document.
    pub fn to_json(&self) -> Value {
        object(&mut [
            ("format", "gatekeeper-export".into()),
            ("format_version", 1.into()),
            ("exported_at", format_rfc3339(self.exported_at).into()),
            ("profile", object(&mut [("country", self.state.country.clone().into()), ("age", self.state.age.into())])),
            ("state", self.state.to_json()),
            ("receipts", self.receipts.iter().map(Receipt::to_json).collect::<Vec<_>>().into()),
            ("decision_log", self.decision_log.iter().map(log_row_json).collect::<Vec<_>>().into()),
        ])
    }
}

impl Receipt {
    /// The receipt of an event whose stored body does not parse: what its row says.
    fn unreadable(event_id: i64, timestamp: i64, event: EventKind, hash: &str, policy_id: &str) -> Receipt {
        Receipt {
            receipt_id: hash.chars().take(16).collect(),
            event_id,
            timestamp,
            event,
            jurisdiction: None,
            law: None,
            policy_id: policy_id.to_owned(),
            policy_version: None,
            policy_url: None,
            controller: None,
            controller_contact: None,
            subject: None,
            basis: None,
            choice: "unreadable".to_owned(),
            separate: false,
            by_guardian: false,
            source: None,
            intact: false,
        }
    }

    /// The receipt as the export document shows it.
    pub fn to_json(&self) -> Value {
        object(&mut [
            ("receipt_id", self.receipt_id.clone().into()),
            ("event_id", self.event_id.into()),
            ("timestamp", format_rfc3339(self.timestamp).into()),
            ("event", self.event.as_str().into()),
            ("jurisdiction", self.jurisdiction.clone().into()),
            ("law", self.law.map(Law::as_str).into()),
            ("policy_id", self.policy_id.clone().into()),
            ("policy_version", self.policy_version.clone().into()),
            ("policy_url", self.policy_url.clone().into()),
            (
                "controller",
                object(&mut [
                    ("name", self.controller.clone().into()),
                    ("contact", self.controller_contact.clone().into()),
                ]),
            ),
            ("subject", self.subject.clone().into()),
            ("basis", self.basis.clone().into()),
            ("choice", self.choice.clone().into()),
            ("separate", self.separate.into()),
            ("by_guardian", self.by_guardian.into()),
            ("source", self.source.clone().into()),
            ("intact", self.intact.into()),
        ])
    }
}

/// One decision-log row as JSON (`log --json`, and in the export).
pub fn log_row_json(r: &LogRow) -> Value {
    object(&mut [
        ("id", r.id.into()),
        ("subject", r.subject.clone().into()),
        ("verdict", r.verdict.clone().into()),
        ("reason", r.reason.clone().into()),
        ("policy_version", r.policy_version.clone().into()),
        ("jurisdiction", r.jurisdiction.clone().into()),
        ("first_seen", format_rfc3339(r.first_seen).into()),
        ("last_seen", format_rfc3339(r.last_seen).into()),
        ("count", r.count.into()),
    ])
}
