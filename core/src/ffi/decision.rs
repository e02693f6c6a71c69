//! A decision as Kotlin and Swift see it (contract §4, §8), what they may ask to have
//! decided, and the change notifications their listener receives (contract §5).

use std::time::SystemTime;

use super::convert::instant;
use crate::decide::{self, Reason, Trigger, Verdict};
use crate::error::CallbackError;
use crate::store;

/// One answer (contract §4).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Decision {
    /// `sdk:<id>`, `permission:<id>` or `purpose:<id>`.
    pub subject: String,
    /// What the app should do.
    pub verdict: Verdict,
    /// Why, as a stable code.
    pub reason: Reason,
    /// Purposes the user must decide (or has refused).
    pub purposes: Vec<String>,
    /// SDKs that need their own, separate consent (or were refused).
    pub sdks: Vec<String>,
    /// On deny: when asking again becomes acceptable.
    pub retry_after: Option<SystemTime>,
    /// Cache this decision until then, or until the listener reports a change.
    pub valid_until: Option<SystemTime>,
    /// The policy version in force.
    pub policy_version: String,
    /// The user's jurisdiction.
    pub jurisdiction: String,
    /// When the answer was given.
    pub decided_at: SystemTime,
}

impl From<decide::Decision> for Decision {
    fn from(d: decide::Decision) -> Self {
        Decision {
            subject: d.subject,
            verdict: d.verdict,
            reason: d.reason,
            purposes: d.purposes,
            sdks: d.sdks,
            retry_after: d.retry_after.map(instant),
            valid_until: d.valid_until.map(instant),
            policy_version: d.policy_version,
            jurisdiction: d.jurisdiction,
            decided_at: instant(d.decided_at),
        }
    }
}

/// A subject whose verdict or reason changed (contract §5).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DecisionChange {
    /// The subject, `sdk:<id>` or `permission:<id>`.
    pub subject: String,
    /// What the app was told before.
    pub old: Decision,
    /// What it is told now.
    pub new: Decision,
    /// The write that caused it, numbered in commit order (one number per write). Two
    /// threads' notifications may reach the listener in either order; act on the
    /// highest sequence seen for a subject.
    pub sequence: i64,
}

/// A store's change, numbered with the write that caused it.
pub(super) fn change(c: store::Change, sequence: i64) -> DecisionChange {
    DecisionChange { subject: c.subject, old: c.old.into(), new: c.new.into(), sequence }
}

/// What to decide, for [`Gatekeeper::decide_many`](super::Gatekeeper::decide_many).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum DecisionSubject {
    /// May this SDK start?
    Sdk {
        /// The SDK, by id.
        id: String,
    },
    /// May the app show this permission's prompt?
    Permission {
        /// The permission, by id.
        id: String,
        /// What led to the prompt.
        trigger: Trigger,
    },
    /// May the app use data for this purpose?
    Purpose {
        /// The purpose, by id.
        id: String,
    },
}

impl From<DecisionSubject> for decide::Subject {
    fn from(s: DecisionSubject) -> Self {
        match s {
            DecisionSubject::Sdk { id } => decide::Subject::Sdk(id),
            DecisionSubject::Permission { id, trigger } => decide::Subject::Permission(id, trigger),
            DecisionSubject::Purpose { id } => decide::Subject::Purpose(id),
        }
    }
}

/// Told after every call that changed state, with every SDK and permission whose
/// decision changed. Called on the thread that made the change, after the
/// gatekeeper's lock is released.
#[uniffi::export(foreign)]
pub trait ChangeListener: Send + Sync {
    /// # Errors
    /// Whatever the app's listener throws is logged and otherwise ignored: the change
    /// it reports is already committed.
    fn on_change(&self, changes: Vec<DecisionChange>) -> std::result::Result<(), CallbackError>;
}
