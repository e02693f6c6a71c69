//! The consent state as Kotlin and Swift see it (the CLI's `state`): the policy's
//! acceptance, the profile and jurisdiction, and how each purpose, SDK and permission
//! stands.

use std::time::SystemTime;

use super::convert::{instant, to_i32, to_i64};
use crate::manifest::Law;
use crate::report::{self, ChoiceStatus, PermissionStatusKind, StateReport};

/// How one purpose or SDK stands.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ItemStatus {
    /// Its id, as the manifest declares it.
    pub id: String,
    /// The standing choice (a choice under an older MAJOR shows as undecided).
    pub status: ChoiceStatus,
    /// When that was recorded.
    pub at: Option<SystemTime>,
    /// Given in a prompt dedicated to it.
    pub separate: bool,
    /// Given by the user's guardian.
    pub by_guardian: bool,
    /// For a grant: when it expires.
    pub expires_at: Option<SystemTime>,
    /// For a denial or withdrawal: when the app may ask again.
    pub retry_after: Option<SystemTime>,
}

/// What the OS last said about one permission.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PermissionStatus {
    /// Its id, as the manifest declares it.
    pub id: String,
    /// What the OS last said.
    pub status: PermissionStatusKind,
    /// When it said it.
    pub at: Option<SystemTime>,
    /// After a plain denial: when the app may prompt again.
    pub retry_after: Option<SystemTime>,
}

/// The current consent state (the CLI's `state`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConsentState {
    /// The policy's id.
    pub policy_id: String,
    /// The policy version in force.
    pub current_version: String,
    /// Accepted under the current MAJOR.
    pub policy_accepted: bool,
    /// The version last accepted, if any.
    pub accepted_version: Option<String>,
    /// When it was accepted.
    pub accepted_at: Option<SystemTime>,
    /// Accepted by a guardian.
    pub accepted_by_guardian: bool,
    /// Declined under the current MAJOR, and not accepted since: basic mode (§9.1).
    pub declined: bool,
    /// Accepted under an older MINOR of the current MAJOR: the app should show what changed.
    pub notice_pending: bool,
    /// The user's country, if set.
    pub country: Option<String>,
    /// The user's age, if set.
    pub age: Option<i32>,
    /// The user's jurisdiction.
    pub jurisdiction: String,
    /// The law that jurisdiction applies.
    pub law: Law,
    /// Under this age the user is a child there.
    pub age_of_consent: i32,
    /// The user counts as a child.
    pub child: bool,
    /// Every purpose, in manifest order.
    pub purposes: Vec<ItemStatus>,
    /// Every SDK, in manifest order.
    pub sdks: Vec<ItemStatus>,
    /// Every permission, in manifest order.
    pub permissions: Vec<PermissionStatus>,
    /// Ledger events stored.
    pub events: i64,
    /// The hash chain checks out.
    pub ledger_intact: bool,
    /// The first event that does not check out.
    pub first_broken: Option<i64>,
    /// Decisions can be trusted: the store is readable, writable and intact.
    pub store_usable: bool,
    /// The store was started afresh because its file was corrupt.
    pub recovered_from_corruption: bool,
    /// When the store was last erased.
    pub erased_at: Option<SystemTime>,
}

impl From<StateReport> for ConsentState {
    fn from(s: StateReport) -> Self {
        let item = |i: report::ItemStatus| ItemStatus {
            id: i.id,
            status: i.status,
            at: i.at.map(instant),
            separate: i.separate,
            by_guardian: i.by_guardian,
            expires_at: i.expires_at.map(instant),
            retry_after: i.retry_after.map(instant),
        };
        ConsentState {
            policy_id: s.policy_id,
            current_version: s.current_version,
            policy_accepted: s.policy_accepted,
            accepted_version: s.accepted_version,
            accepted_at: s.accepted_at.map(instant),
            accepted_by_guardian: s.accepted_by_guardian,
            declined: s.declined,
            notice_pending: s.notice_pending,
            country: s.country,
            age: s.age.map(to_i32),
            jurisdiction: s.jurisdiction,
            law: s.law,
            age_of_consent: to_i32(s.age_of_consent),
            child: s.child,
            purposes: s.purposes.into_iter().map(item).collect(),
            sdks: s.sdks.into_iter().map(item).collect(),
            permissions: s
                .permissions
                .into_iter()
                .map(|p| PermissionStatus {
                    id: p.id,
                    status: p.status,
                    at: p.at.map(instant),
                    retry_after: p.retry_after.map(instant),
                })
                .collect(),
            events: to_i64(s.events),
            ledger_intact: s.ledger_intact,
            first_broken: s.first_broken,
            store_usable: s.store_usable,
            recovered_from_corruption: s.recovered_from_corruption,
            erased_at: s.erased_at.map(instant),
        }
    }
}
