//! The consent state (contract §7 `state`): whether the policy is accepted and under
//! which version, `notice_pending`, the profile and jurisdiction, and how each purpose,
//! SDK and permission stands, with its times. It holds the profile, so it is returned
//! to the caller and never logged.

use serde_json::{Map, Value};

use super::object::object;
use crate::decide::Context;
use crate::ledger::{major_of, minor_of, Choice, ChoiceKind, PermissionResult};
use crate::manifest::Law;
use crate::store::Store;
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
    /// Declined under the current MAJOR, and not accepted since (§9.1): basic mode.
    pub declined: bool,
    /// When it was declined.
    pub declined_at: Option<i64>,
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
    /// The manifest in use was edited without a version change: its version, and the
    /// fingerprint recorded for it and the one in use.
    pub manifest_edited: Option<crate::store::ManifestEdit>,
}

fn item_status(id: &str, choice: Option<&Choice>, ctx: &Context<'_>) -> ItemStatus {
    let s = &ctx.manifest.settings;
    let choice = ctx.current(choice);
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
        let ctx = Context { manifest: m, ledger, now: store.now(), accesses: None };
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
            declined: ctx.declined_current(),
            declined_at: ledger.declined.as_ref().filter(|_| ctx.declined_current()).map(|d| d.at),
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
            manifest_edited: store.manifest_edit().cloned(),
        }
    }

    /// The `state --json` document.
    pub fn to_json(&self) -> Value {
        let items = |list: &[ItemStatus]| -> Value {
            let mut map = Map::new();
            for i in list {
                map.insert(
                    i.id.clone(),
                    object(&mut [
                        ("status", i.status.as_str().into()),
                        ("at", i.at.map(format_rfc3339).into()),
                        ("separate", i.separate.into()),
                        ("by_guardian", i.by_guardian.into()),
                        ("expires_at", i.expires_at.map(format_rfc3339).into()),
                        ("retry_after", i.retry_after.map(format_rfc3339).into()),
                    ]),
                );
            }
            Value::Object(map)
        };
        let mut perms = Map::new();
        for p in &self.permissions {
            perms.insert(
                p.id.clone(),
                object(&mut [
                    ("status", p.status.as_str().into()),
                    ("at", p.at.map(format_rfc3339).into()),
                    ("retry_after", p.retry_after.map(format_rfc3339).into()),
                ]),
            );
        }
        let policy = object(&mut [
            ("id", self.policy_id.clone().into()),
            ("current_version", self.current_version.clone().into()),
            ("accepted", self.policy_accepted.into()),
            ("accepted_version", self.accepted_version.clone().into()),
            ("accepted_at", self.accepted_at.map(format_rfc3339).into()),
            ("accepted_by_guardian", self.accepted_by_guardian.into()),
            ("declined", self.declined.into()),
            ("declined_at", self.declined_at.map(format_rfc3339).into()),
        ]);
        let recovery = if self.recovered_from_corruption {
            object(&mut [
                ("at", self.recovered_at.map(format_rfc3339).into()),
                ("moved_aside_to", self.moved_aside_to.clone().into()),
            ])
        } else {
            Value::Null
        };
        let edited = self.manifest_edited.as_ref().map(|e| {
            object(&mut [
                ("version", e.version.clone().into()),
                ("recorded_fingerprint", e.recorded.clone().into()),
                ("fingerprint", e.current.clone().into()),
            ])
        });
        object(&mut [
            ("policy", policy),
            ("notice_pending", self.notice_pending.into()),
            ("profile", object(&mut [("country", self.country.clone().into()), ("age", self.age.into())])),
            (
                "jurisdiction",
                object(&mut [
                    ("id", self.jurisdiction.clone().into()),
                    ("law", self.law.as_str().into()),
                    ("age_of_consent", self.age_of_consent.into()),
                ]),
            ),
            ("child", self.child.into()),
            ("purposes", items(&self.purposes)),
            ("sdks", items(&self.sdks)),
            ("permissions", Value::Object(perms)),
            (
                "ledger",
                object(&mut [
                    ("events", self.events.into()),
                    ("intact", self.ledger_intact.into()),
                    ("first_broken", self.first_broken.into()),
                ]),
            ),
            ("store_usable", self.store_usable.into()),
            ("recovered_from_corruption", self.recovered_from_corruption.into()),
            ("recovery", recovery),
            ("erased_at", self.erased_at.map(format_rfc3339).into()),
            ("manifest_edited", edited.into()),
        ])
    }
}
