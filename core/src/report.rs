//! What the store shows a person: the current state (contract §7 `state`) and the
//! export document with consent receipts (contract §6). These are the only outputs
//! that hold personal data (the profile); they are returned to the caller and never
//! logged.

use serde_json::{json, Map, Value};

use crate::decide::Context;
use crate::ledger::{major_of, minor_of, Choice, ChoiceKind, Event, EventKind, PermissionResult};
use crate::manifest::Law;
use crate::store::{LogRow, Store};
use crate::time::{format_rfc3339, MS_PER_DAY, MS_PER_HOUR};

/// The user's standing choice about a purpose or SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ChoiceStatus {
    /// Never decided, or decided under an older policy MAJOR (void).
    Undecided,
    /// Granted.
    Granted,
    /// Denied.
    Denied,
    /// Withdrawn after a grant.
    Withdrawn,
}

impl ChoiceStatus {
    /// The name the state document uses.
    pub fn as_str(self) -> &'static str {
        match self {
            ChoiceStatus::Undecided => "undecided",
            ChoiceStatus::Granted => "granted",
            ChoiceStatus::Denied => "denied",
            ChoiceStatus::Withdrawn => "withdrawn",
        }
    }
}

/// What the OS last said about a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PermissionStatusKind {
    /// The app never asked, or the OS has not answered.
    NotAsked,
    /// The user allowed it.
    Granted,
    /// The user refused, this time.
    Denied,
    /// The user refused and asked not to be asked again.
    DeniedPermanently,
}

impl PermissionStatusKind {
    /// The name the state document uses.
    pub fn as_str(self) -> &'static str {
        match self {
            PermissionStatusKind::NotAsked => "not_asked",
            PermissionStatusKind::Granted => "granted",
            PermissionStatusKind::Denied => "denied",
            PermissionStatusKind::DeniedPermanently => "denied_permanently",
        }
    }
}

/// How one purpose or SDK stands for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemStatus {
    /// Its id, as the manifest declares it.
    pub id: String,
    /// A choice made under an older policy MAJOR is void, so it shows as undecided.
    pub status: ChoiceStatus,
    /// When that was recorded.
    pub at: Option<i64>,
    /// Given in a prompt dedicated to it.
    pub separate: bool,
    /// Given by the user's guardian.
    pub by_guardian: bool,
    /// For a grant: when it expires.
    pub expires_at: Option<i64>,
    /// For a denial or withdrawal: when the app may ask again.
    pub retry_after: Option<i64>,
}

/// What the OS last said about one permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionStatus {
    /// Its id, as the manifest declares it.
    pub id: String,
    /// What the OS last said.
    pub status: PermissionStatusKind,
    /// When it said it.
    pub at: Option<i64>,
    /// After a plain denial: when the app may prompt again.
    pub retry_after: Option<i64>,
}

/// The state of the store (contract §7 `state`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateReport {
    /// The policy's id.
    pub policy_id: String,
    /// The policy version in force.
    pub current_version: String,
    /// Accepted under the current MAJOR.
    pub policy_accepted: bool,
    /// The version last accepted, if any.
    pub accepted_version: Option<String>,
    /// When it was accepted.
    pub accepted_at: Option<i64>,
    /// Accepted by a guardian.
    pub accepted_by_guardian: bool,
    /// Accepted under an older MINOR of the current MAJOR: the app should show what changed.
    pub notice_pending: bool,
    /// The user's country, if set.
    pub country: Option<String>,
    /// The user's age, if set.
    pub age: Option<u32>,
    /// The user's jurisdiction.
    pub jurisdiction: String,
    /// The law that jurisdiction applies.
    pub law: Law,
    /// Under this age the user is a child there.
    pub age_of_consent: u32,
    /// The user counts as a child.
    pub child: bool,
    /// Every purpose, in manifest order.
    pub purposes: Vec<ItemStatus>,
    /// Every SDK, in manifest order.
    pub sdks: Vec<ItemStatus>,
    /// Every permission, in manifest order.
    pub permissions: Vec<PermissionStatus>,
    /// Ledger events stored.
    pub events: u64,
    /// The hash chain checks out.
    pub ledger_intact: bool,
    /// The first event that does not check out.
    pub first_broken: Option<i64>,
    /// Decisions can be trusted: the store is readable, writable and intact.
    pub store_usable: bool,
    /// The store was started afresh because its file was corrupt.
    pub recovered_from_corruption: bool,
    /// When the corrupt file was found.
    pub recovered_at: Option<i64>,
    /// Where the corrupt file was moved.
    pub moved_aside_to: Option<String>,
    /// When the store was last erased.
    pub erased_at: Option<i64>,
}

fn item_status(id: &str, choice: Option<&Choice>, ctx: &Context<'_>) -> ItemStatus {
    let s = &ctx.manifest.settings;
    let choice = choice.filter(|c| major_of(&c.policy_version) == Some(ctx.manifest.policy.major));
    ItemStatus {
        id: id.to_owned(),
        status: choice.map_or(ChoiceStatus::Undecided, |c| match c.kind {
            ChoiceKind::Granted => ChoiceStatus::Granted,
            ChoiceKind::Denied => ChoiceStatus::Denied,
            ChoiceKind::Withdrawn => ChoiceStatus::Withdrawn,
        }),
        at: choice.map(|c| c.at),
        separate: choice.is_some_and(|c| c.separate),
        by_guardian: choice.is_some_and(|c| c.by_guardian),
        expires_at: choice
            .filter(|c| c.kind == ChoiceKind::Granted)
            .map(|c| c.at + i64::from(s.consent_ttl_days) * MS_PER_DAY),
        retry_after: choice
            .filter(|c| c.kind != ChoiceKind::Granted)
            .map(|c| c.at + i64::from(s.reask_after_denial_days) * MS_PER_DAY),
    }
}

impl StateReport {
    /// Builds the report for the store as it stands now.
    pub fn of(store: &Store) -> StateReport {
        let m = store.manifest();
        let ledger = store.ledger();
        let ctx = Context { manifest: m, ledger, now: store.now() };
        let j = ctx.jurisdiction();
        let acc = ledger.acceptance.as_ref();
        let same_major = acc.is_some_and(|a| major_of(&a.version) == Some(m.policy.major));
        let chain = store.chain();
        StateReport {
            policy_id: m.policy.id.clone(),
            current_version: m.policy.version.clone(),
            policy_accepted: same_major,
            accepted_version: acc.map(|a| a.version.clone()),
            accepted_at: acc.map(|a| a.at),
            accepted_by_guardian: acc.is_some_and(|a| a.by_guardian),
            notice_pending: same_major
                && acc.and_then(|a| minor_of(&a.version)).is_some_and(|minor| minor < m.policy.minor),
            country: ledger.profile.country.clone(),
            age: ledger.profile.age,
            jurisdiction: j.id.clone(),
            law: j.law,
            age_of_consent: j.age_of_consent,
            child: ctx.is_child(),
            purposes: m.purposes.iter().map(|p| item_status(&p.id, ledger.purposes.get(&p.id), &ctx)).collect(),
            sdks: m.sdks.iter().map(|s| item_status(&s.id, ledger.sdks.get(&s.id), &ctx)).collect(),
            permissions: m
                .permissions
                .iter()
                .map(|p| {
                    let h = ledger.permissions.get(&p.id);
                    let hours = p.reprompt_after_denial_hours.unwrap_or(m.settings.reprompt_after_denial_hours);
                    let status = match h {
                        Some(h) if h.permanently_denied => PermissionStatusKind::DeniedPermanently,
                        Some(h) => match h.last {
                            Some(PermissionResult::Granted) => PermissionStatusKind::Granted,
                            Some(PermissionResult::Denied) => PermissionStatusKind::Denied,
                            Some(PermissionResult::DeniedPermanently) => PermissionStatusKind::DeniedPermanently,
                            None => PermissionStatusKind::NotAsked,
                        },
                        None => PermissionStatusKind::NotAsked,
                    };
                    PermissionStatus {
                        id: p.id.clone(),
                        status,
                        at: h.and_then(|h| h.last_at),
                        retry_after: h
                            .filter(|_| status == PermissionStatusKind::Denied)
                            .and_then(|h| h.last_at)
                            .map(|t| t + i64::from(hours) * MS_PER_HOUR),
                    }
                })
                .collect(),
            events: chain.events,
            ledger_intact: chain.first_broken.is_none(),
            first_broken: chain.first_broken,
            store_usable: store.is_usable(),
            recovered_from_corruption: store.recovery().is_some(),
            recovered_at: store.recovery().map(|r| r.at),
            moved_aside_to: store.recovery().map(|r| r.moved_to.clone()),
            erased_at: ledger.erased_at,
        }
    }

    /// The `state --json` document.
    pub fn to_json(&self) -> Value {
        let items = |list: &[ItemStatus]| -> Value {
            let mut map = Map::new();
            for i in list {
                map.insert(
                    i.id.clone(),
                    json!({
                        "status": i.status.as_str(),
                        "at": i.at.map(format_rfc3339),
                        "separate": i.separate,
                        "by_guardian": i.by_guardian,
                        "expires_at": i.expires_at.map(format_rfc3339),
                        "retry_after": i.retry_after.map(format_rfc3339),
                    }),
                );
            }
            Value::Object(map)
        };
        let mut perms = Map::new();
        for p in &self.permissions {
            perms.insert(
                p.id.clone(),
                json!({
                    "status": p.status.as_str(),
                    "at": p.at.map(format_rfc3339),
                    "retry_after": p.retry_after.map(format_rfc3339),
                }),
            );
        }
        json!({
            "policy": {
                "id": self.policy_id,
                "current_version": self.current_version,
                "accepted": self.policy_accepted,
                "accepted_version": self.accepted_version,
                "accepted_at": self.accepted_at.map(format_rfc3339),
                "accepted_by_guardian": self.accepted_by_guardian,
            },
            "notice_pending": self.notice_pending,
            "profile": {"country": self.country, "age": self.age},
            "jurisdiction": {"id": self.jurisdiction, "law": self.law.as_str(), "age_of_consent": self.age_of_consent},
            "child": self.child,
            "purposes": items(&self.purposes),
            "sdks": items(&self.sdks),
            "permissions": Value::Object(perms),
            "ledger": {"events": self.events, "intact": self.ledger_intact, "first_broken": self.first_broken},
            "store_usable": self.store_usable,
            "recovered_from_corruption": self.recovered_from_corruption,
            "recovery": if self.recovered_from_corruption {
                json!({"at": self.recovered_at.map(format_rfc3339), "moved_aside_to": self.moved_aside_to})
            } else {
                Value::Null
            },
            "erased_at": self.erased_at.map(format_rfc3339),
        })
    }
}

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
        // One metadata read per policy version, not per event.
        let mut details_by_version: std::collections::HashMap<String, Option<crate::store::PolicyDetails>> =
            std::collections::HashMap::new();
        for (row, e) in rows.iter().filter_map(|r| serde_json::from_str::<Event>(&r.body).ok().map(|e| (r, e))) {
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
                });
            }
        }
        Ok(Export { exported_at: store.now(), state: StateReport::of(store), receipts, decision_log })
    }

    /// The `export --json` document.
    pub fn to_json(&self) -> Value {
        json!({
            "format": "gatekeeper-export",
            "format_version": 1,
            "exported_at": format_rfc3339(self.exported_at),
            "profile": {"country": self.state.country, "age": self.state.age},
            "state": self.state.to_json(),
            "receipts": self.receipts.iter().map(Receipt::to_json).collect::<Vec<_>>(),
            "decision_log": self.decision_log.iter().map(log_row_json).collect::<Vec<_>>(),
        })
    }
}

impl Receipt {
    /// The receipt as the export document shows it.
    pub fn to_json(&self) -> Value {
        json!({
            "receipt_id": self.receipt_id,
            "event_id": self.event_id,
            "timestamp": format_rfc3339(self.timestamp),
            "event": self.event.as_str(),
            "jurisdiction": self.jurisdiction,
            "law": self.law.map(Law::as_str),
            "policy_id": self.policy_id,
            "policy_version": self.policy_version,
            "policy_url": self.policy_url,
            "controller": {"name": self.controller, "contact": self.controller_contact},
            "subject": self.subject,
            "basis": self.basis,
            "choice": self.choice,
            "separate": self.separate,
            "by_guardian": self.by_guardian,
            "source": self.source,
        })
    }
}

/// One decision-log row as JSON (`log --json`, and in the export).
pub fn log_row_json(r: &LogRow) -> Value {
    json!({
        "id": r.id,
        "subject": r.subject,
        "verdict": r.verdict,
        "reason": r.reason,
        "policy_version": r.policy_version,
        "jurisdiction": r.jurisdiction,
        "first_seen": format_rfc3339(r.first_seen),
        "last_seen": format_rfc3339(r.last_seen),
        "count": r.count,
    })
}
