//! The fold of the ledger into the current consent state: the last word on every
//! purpose, SDK and permission, the policy acceptance and the profile. Whether a choice
//! still counts (made under the current policy MAJOR, unexpired, …) is the decision
//! engine's call; the fold only remembers what happened and when.

use serde::{Deserialize, Serialize};

use super::{Event, EventKind, PermissionResult};
use crate::id_map::IdMap;

/// The user's last choice about one purpose or SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceKind {
    /// Granted.
    Granted,
    /// Denied.
    Denied,
    /// Withdrawn after a grant.
    Withdrawn,
}

impl ChoiceKind {
    /// The contract's name for the choice.
    pub fn as_str(self) -> &'static str {
        match self {
            ChoiceKind::Granted => "granted",
            ChoiceKind::Denied => "denied",
            ChoiceKind::Withdrawn => "withdrawn",
        }
    }
}

/// The user's last choice about one purpose or SDK, and how it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// Granted, denied or withdrawn.
    pub kind: ChoiceKind,
    /// When.
    pub at: i64,
    /// Given in a prompt dedicated to it.
    pub separate: bool,
    /// Given by the user's guardian.
    pub by_guardian: bool,
    /// The policy version the choice was made under.
    pub policy_version: String,
    /// The ledger event it comes from.
    pub event_id: i64,
}

/// The last acceptance of the policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Acceptance {
    /// The policy version accepted.
    pub version: String,
    /// When.
    pub at: i64,
    /// By the user's guardian.
    pub by_guardian: bool,
}

/// The last decline of the policy (§9.1), cleared by a later acceptance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decline {
    /// The policy version declined.
    pub version: String,
    /// When.
    pub at: i64,
}

/// What the OS has said about one permission.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PermissionHistory {
    /// The last answer.
    pub last: Option<PermissionResult>,
    /// When.
    pub last_at: Option<i64>,
    /// Set by `denied_permanently`, cleared only by a later `granted`.
    pub permanently_denied: bool,
}

/// The user's profile, as last set.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Profile {
    /// The user's country, if set.
    pub country: Option<String>,
    /// The user's age, if set.
    pub age: Option<u32>,
}

/// The fold of the ledger: the last word on every item. Whether a choice still counts
/// (made under the current policy MAJOR, unexpired, …) is the decision engine's call;
/// the fold only remembers what happened and when.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LedgerState {
    /// The last policy acceptance.
    pub acceptance: Option<Acceptance>,
    /// The last decline of the policy, unless an acceptance came after it (§9.1).
    #[serde(default)]
    pub declined: Option<Decline>,
    /// The profile last set.
    pub profile: Profile,
    /// The last choice about each purpose.
    pub purposes: IdMap<Choice>,
    /// The last choice about each SDK.
    pub sdks: IdMap<Choice>,
    /// What the OS last said about each permission.
    pub permissions: IdMap<PermissionHistory>,
    /// When the ledger was last erased.
    pub erased_at: Option<i64>,
    /// Events folded since the last erase (the erase marker included).
    pub events: u64,
}

impl LedgerState {
    /// Folds one event into the state.
    pub fn apply(&mut self, e: &Event) {
        self.events += 1;
        let version = e.policy_version.clone().unwrap_or_default();
        match e.kind {
            EventKind::PolicyAccepted => {
                self.acceptance = Some(Acceptance { version, at: e.ts, by_guardian: e.by_guardian });
                self.declined = None;
            }
            EventKind::PolicyDeclined => {
                // A decline after an acceptance takes the acceptance back: the user is
                // in basic mode from then on, until they accept again.
                self.acceptance = None;
                self.declined = Some(Decline { version, at: e.ts });
            }
            // The start log is read by the audit; it does not change any decision.
            EventKind::SdkState => {}
            EventKind::Granted | EventKind::Denied | EventKind::Withdrawn => {
                let kind = match e.kind {
                    EventKind::Granted => ChoiceKind::Granted,
                    EventKind::Denied => ChoiceKind::Denied,
                    _ => ChoiceKind::Withdrawn,
                };
                let choice = Choice {
                    kind,
                    at: e.ts,
                    separate: e.separate,
                    by_guardian: e.by_guardian,
                    policy_version: version,
                    event_id: e.id,
                };
                for p in &e.purposes {
                    self.purposes.insert(p.clone(), choice.clone());
                }
                for s in &e.sdks {
                    self.sdks.insert(s.clone(), choice.clone());
                }
            }
            EventKind::PermissionResult => {
                if let (Some(p), Some(r)) = (&e.permission, e.result) {
                    let h = self.permissions.entry(p.clone()).or_default();
                    h.last = Some(r);
                    h.last_at = Some(e.ts);
                    match r {
                        PermissionResult::Granted => h.permanently_denied = false,
                        PermissionResult::DeniedPermanently => h.permanently_denied = true,
                        PermissionResult::Denied => {}
                    }
                }
            }
            EventKind::ProfileSet => {
                self.profile = Profile { country: e.country.clone(), age: e.age };
            }
            EventKind::Erased => {
                *self = LedgerState { erased_at: Some(e.ts), events: 1, ..Default::default() };
            }
        }
    }

    /// Folds a whole ledger.
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> Self {
        let mut s = LedgerState::default();
        for e in events {
            s.apply(e);
        }
        s
    }
}

/// The MAJOR part of a "MAJOR.MINOR" version, if it has one.
pub fn major_of(version: &str) -> Option<u32> {
    version.split('.').next()?.parse().ok()
}

/// The MINOR part of a "MAJOR.MINOR" version, if it has one.
pub fn minor_of(version: &str) -> Option<u32> {
    version.split('.').nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::testing::grant;

    #[test]
    fn fold_keeps_the_last_choice_and_erase_forgets_everything() {
        let mut withdraw = grant(2, 20, &["analytics"]);
        withdraw.kind = EventKind::Withdrawn;
        let mut profile = Event::new(EventKind::ProfileSet, 5);
        profile.country = Some("CN".into());
        profile.age = Some(30);
        let s = LedgerState::fold(&[profile.clone(), grant(1, 10, &["analytics"]), withdraw]);
        assert_eq!(s.purposes["analytics"].kind, ChoiceKind::Withdrawn);
        assert_eq!(s.profile.country.as_deref(), Some("CN"));
        let mut s2 = s.clone();
        s2.apply(&Event::new(EventKind::Erased, 99));
        assert!(s2.purposes.is_empty());
        assert_eq!(s2.profile, Profile::default());
        assert_eq!(s2.erased_at, Some(99));
    }

    #[test]
    fn permanent_denial_lasts_until_a_later_grant() {
        let mut s = LedgerState::default();
        let mut e = Event::new(EventKind::PermissionResult, 1);
        e.permission = Some("camera".into());
        e.result = Some(PermissionResult::DeniedPermanently);
        s.apply(&e);
        e.result = Some(PermissionResult::Denied);
        s.apply(&e);
        assert!(s.permissions["camera"].permanently_denied);
        e.result = Some(PermissionResult::Granted);
        s.apply(&e);
        assert!(!s.permissions["camera"].permanently_denied);
    }

    #[test]
    fn a_decline_and_an_acceptance_clear_each_other() {
        let mut accept = Event::new(EventKind::PolicyAccepted, 1);
        accept.policy_version = Some("3.1".into());
        let mut decline = Event::new(EventKind::PolicyDeclined, 2);
        decline.policy_version = Some("3.1".into());
        let s = LedgerState::fold(&[accept.clone(), decline.clone()]);
        assert_eq!((s.acceptance.is_none(), s.declined.as_ref().map(|d| d.at)), (true, Some(2)));
        let s = LedgerState::fold(&[decline, accept]);
        assert_eq!((s.acceptance.map(|a| a.at), s.declined), (Some(1), None));
    }

    #[test]
    fn versions_split_into_major_and_minor() {
        assert_eq!(major_of("3.1"), Some(3));
        assert_eq!(minor_of("3.1"), Some(1));
        assert_eq!(major_of("x"), None);
    }
}
