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
    pub id: String,
    pub status: ChoiceStatus,
    pub at: Option<SystemTime>,
    pub separate: bool,
    pub by_guardian: bool,
    pub expires_at: Option<SystemTime>,
    pub retry_after: Option<SystemTime>,
}

/// What the OS last said about one permission.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PermissionStatus {
    pub id: String,
    pub status: PermissionStatusKind,
    pub at: Option<SystemTime>,
    pub retry_after: Option<SystemTime>,
}

/// The current consent state (the CLI's `state`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ConsentState {
    pub policy_id: String,
    pub current_version: String,
    pub policy_accepted: bool,
    pub accepted_version: Option<String>,
    pub accepted_at: Option<SystemTime>,
    pub accepted_by_guardian: bool,
    pub notice_pending: bool,
    pub country: Option<String>,
    pub age: Option<i32>,
    pub jurisdiction: String,
    pub law: Law,
    pub age_of_consent: i32,
    pub child: bool,
    pub purposes: Vec<ItemStatus>,
    pub sdks: Vec<ItemStatus>,
    pub permissions: Vec<PermissionStatus>,
    pub events: i64,
    pub ledger_intact: bool,
    pub first_broken: Option<i64>,
    pub store_usable: bool,
    pub recovered_from_corruption: bool,
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
