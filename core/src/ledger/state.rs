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
    /// The latest time of any event folded (UTC ms): the store never records or decides
    /// at an earlier time, so a clock set back cannot reorder the ledger (see `Store::time`).
    #[serde(default)]
    pub last_ts: i64,
    /// The id of the last `policy_accepted` event of another MAJOR than the one accepted
    /// last. A choice counts only when made after it: going to another MAJOR, up or down
    /// (a downgrade is treated as a new MAJOR), voids every choice made before, for good,
    /// whatever is accepted later.
    #[serde(default)]
    pub major_changed_at: Option<i64>,
    /// The id of the last `policy_accepted` event.
    #[serde(default)]
    pub acceptance_event: Option<i64>,
}

impl LedgerState {
    /// Folds one event into the state.
    pub fn apply(&mut self, e: &Event) {
        self.events += 1;
        self.last_ts = self.last_ts.max(e.ts);
        let version = e.policy_version.clone().unwrap_or_default();
        match e.kind {
            EventKind::PolicyAccepted => {
                let previous = self.acceptance.as_ref().map(|a| major_of(&a.version));
                if previous.is_some_and(|major| major != major_of(&version)) {
                    self.major_changed_at = self.acceptance_event;
                }
                self.acceptance_event = Some(e.id);
                self.acceptance = Some(Acceptance { version, at: e.ts, by_guardian: e.by_guardian });
                self.declined = None;
            }
            EventKind::PolicyDeclined => {
                // A decline of another MAJOR than the one accepted is a change of MAJOR
                // too: what was chosen before it stays void, whatever is accepted later.
                if self.acceptance.as_ref().is_some_and(|a| major_of(&a.version) != major_of(&version)) {
                    self.major_changed_at = self.acceptance_event;
                }
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
                    keep_stronger(&mut self.purposes, p, &choice, self.major_changed_at);
                }
                for s in &e.sdks {
                    keep_stronger(&mut self.sdks, s, &choice, self.major_changed_at);
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
                *self = LedgerState { erased_at: Some(e.ts), events: 1, last_ts: e.ts, ..Default::default() };
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

/// Records `choice` for `id`, except that a plain grant never replaces a grant given
/// `separate` under the same policy MAJOR: re-granting in an ordinary prompt must not
/// switch off what needed a dedicated one (a payment SDK, a sensitive purpose). The
/// separate grant stays, with its own time (a plain grant does not renew it). A denial or
/// withdrawal always replaces it, and so does any grant once the separate one is void
/// (made before a change of MAJOR, `major_changed_at`).
fn keep_stronger(choices: &mut IdMap<Choice>, id: &str, choice: &Choice, major_changed_at: Option<i64>) {
    if choice.kind == ChoiceKind::Granted && !choice.separate {
        if let Some(old) = choices.get(id) {
            if old.kind == ChoiceKind::Granted
                && old.separate
                && major_changed_at.is_none_or(|m| old.event_id > m)
                && major_of(&old.policy_version) == major_of(&choice.policy_version)
            {
                return;
            }
        }
    }
    choices.insert(id.to_owned(), choice.clone());
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

    fn accept(id: i64, version: &str) -> Event {
        let mut e = Event::new(EventKind::PolicyAccepted, id * 10);
        e.id = id;
        e.policy_version = Some(version.into());
        e
    }

    #[test]
    fn the_last_acceptance_of_another_major_is_remembered_both_ways() {
        let mut s = LedgerState::fold(&[accept(1, "1.0"), accept(2, "1.1")]);
        assert_eq!(s.major_changed_at, None, "a MINOR change is not a MAJOR one");
        s.apply(&accept(3, "2.0"));
        assert_eq!(s.major_changed_at, Some(2), "up: choices before the 2.0 acceptance's predecessor are void");
        s.apply(&accept(4, "2.0"));
        assert_eq!(s.major_changed_at, Some(2));
        s.apply(&accept(5, "1.0"));
        assert_eq!(s.major_changed_at, Some(4), "down: a new MAJOR like any other");
        s.apply(&Event::new(EventKind::Erased, 99));
        assert_eq!((s.major_changed_at, s.acceptance_event), (None, None));
    }

    #[test]
    fn a_plain_grant_keeps_a_separate_one_and_a_refusal_replaces_it() {
        let mut separate = grant(1, 10, &["analytics"]);
        separate.separate = true;
        let mut s = LedgerState::fold(&[separate.clone(), grant(2, 20, &["analytics"])]);
        assert_eq!((s.purposes["analytics"].event_id, s.purposes["analytics"].separate), (1, true));
        let mut withdraw = grant(3, 30, &["analytics"]);
        withdraw.kind = EventKind::Withdrawn;
        s.apply(&withdraw);
        s.apply(&grant(4, 40, &["analytics"]));
        assert_eq!((s.purposes["analytics"].event_id, s.purposes["analytics"].separate), (4, false));
        // Under another MAJOR, the plain grant replaces it.
        let mut newer = grant(5, 50, &["analytics"]);
        newer.policy_version = Some("4.0".into());
        let mut s = LedgerState::fold(&[separate, newer]);
        assert_eq!(s.purposes["analytics"].event_id, 5);
        // The last time is the latest of all, whatever the order.
        s.apply(&grant(6, 1, &["ads"]));
        assert_eq!(s.last_ts, 50);
    }

    #[test]
    fn a_decline_of_another_major_voids_earlier_choices_like_an_acceptance() {
        let mut decline = Event::new(EventKind::PolicyDeclined, 30);
        decline.id = 3;
        decline.policy_version = Some("2.0".into());
        let mut g = grant(2, 20, &["analytics"]);
        g.policy_version = Some("1.0".into());
        let s = LedgerState::fold(&[accept(1, "1.0"), g.clone(), decline.clone(), accept(4, "1.0")]);
        assert_eq!(s.major_changed_at, Some(1), "going back to 1.0 after declining 2.0 revives nothing");
        // A decline of the MAJOR accepted is no change of MAJOR.
        decline.policy_version = Some("1.0".into());
        let s = LedgerState::fold(&[accept(1, "1.0"), g, decline, accept(4, "1.0")]);
        assert_eq!(s.major_changed_at, None);
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
