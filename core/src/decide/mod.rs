//! The decision engine (contract §4): given the manifest, the folded ledger and the
//! time, answer one subject (an SDK start, a permission prompt, a purpose) with a
//! verdict, a stable reason code, every blocking item, and the times at which the
//! answer could change.
//!
//! This is a pure function of its inputs: no I/O, no clock of its own. The store calls
//! it on the hot path and for change notifications; tests call it directly on a fixed
//! time. [`Context::decide_until`] applies the rules in the contract's order, the first
//! that applies deciding; each rule is in the file named after it:
//!
//! | rule | file | decides |
//! | --- | --- | --- |
//! | 1 | `rule1_unknown.rs` | an undeclared id: `unknown_subject`; an unusable store: `store_unavailable` |
//! | 2 | `rule2_trigger_gate.rs` | a permission prompt at launch or in the background |
//! | 2 | `rule2_background_access.rs` | a read of foreground-only data in the background (§9.2) |
//! | 3 | `rule3_policy_gate.rs` | the policy not accepted, accepted under an older MAJOR, a child without a guardian; basic mode after a decline (§9.1) |
//! | 4 | `rule4_purposes.rs` | each purpose of the subject, by its basis and the jurisdiction's law |
//! | 5 | `rule5_sdk_separate_consent.rs` | an SDK's own separate grant under PIPL |
//! | 4+5 | `blockers.rs` | how the purposes and the SDK combine: every blocker listed, deny outranking ask |
//! | 6 | `rule6_os_permission.rs` | what the OS last answered to the permission's prompt |
//! | 6 | `rule6_rate_limited.rs` | a data access sooner than its interval after the last allowed one (§9.2) |
//! | 7 | `rule7_allow.rs` | allow, and on what ground |

mod blockers;
mod decision;
mod reason;
mod rule1_unknown;
mod rule2_background_access;
mod rule2_trigger_gate;
mod rule3_policy_gate;
mod rule4_purposes;
mod rule5_sdk_separate_consent;
mod rule6_os_permission;
mod rule6_rate_limited;
mod rule7_allow;
mod subject;

use crate::id_map::IdMap;
use crate::ledger::{major_of, Choice, LedgerState};
use crate::manifest::{Jurisdiction, Manifest, UnknownAge};

use blockers::{Item, Tally};
use rule3_policy_gate::Gate;

pub use decision::{Decision, Verdict};
pub use reason::Reason;
pub use rule5_sdk_separate_consent::needs_own_grant;
pub use subject::{Subject, Trigger};

/// Everything a decision reads.
pub struct Context<'a> {
    /// The policy the decision is made under.
    pub manifest: &'a Manifest,
    /// The user's recorded consent, folded.
    pub ledger: &'a LedgerState,
    /// The time of the decision (UTC ms).
    pub now: i64,
    /// The last allowed access of each data access id (UTC ms), which rule 6 paces
    /// (§9.2); `None` where no access was recorded (outside a store), so no interval
    /// applies.
    pub accesses: Option<&'a IdMap<i64>>,
}

impl<'a> Context<'a> {
    /// The jurisdiction the user is in now.
    pub fn jurisdiction(&self) -> &'a Jurisdiction {
        self.manifest.jurisdiction_for(self.ledger.profile.country.as_deref())
    }

    /// A child: younger than the jurisdiction's age of consent, or of unknown age when
    /// the manifest says to treat unknown ages as children.
    pub fn is_child(&self) -> bool {
        self.is_child_in(self.jurisdiction())
    }

    /// [`Context::is_child`] in a jurisdiction already looked up (a decision looks it up once).
    fn is_child_in(&self, j: &Jurisdiction) -> bool {
        match self.ledger.profile.age {
            Some(age) => age < j.age_of_consent,
            None => self.manifest.settings.unknown_age == UnknownAge::Child,
        }
    }

    /// A choice counts only if it was made under the current policy MAJOR, and after
    /// the last acceptance that changed the MAJOR (up or down): going back to an older
    /// MAJOR does not revive what was void (issue 13, defect 1).
    pub fn current<'c>(&self, choice: Option<&'c Choice>) -> Option<&'c Choice> {
        choice.filter(|c| {
            self.is_current_major(&c.policy_version) && self.ledger.major_changed_at.is_none_or(|m| c.event_id > m)
        })
    }

    /// Whether `version` has the current policy's MAJOR. The common case, a choice made
    /// under the very version in force, is told by comparing the text, without parsing.
    fn is_current_major(&self, version: &str) -> bool {
        version == self.manifest.policy.version || major_of(version) == Some(self.manifest.policy.major)
    }

    /// The answer every rule starts from: `deny unknown_subject` now, in jurisdiction `j`.
    fn base_in(&self, subject: String, j: &Jurisdiction) -> Decision {
        Decision {
            subject,
            verdict: Verdict::Deny,
            reason: Reason::UnknownSubject,
            purposes: Vec::new(),
            sdks: Vec::new(),
            retry_after: None,
            valid_until: None,
            policy_version: self.manifest.policy.version.clone(),
            jurisdiction: j.id.clone(),
            decided_at: self.now,
        }
    }

    /// Decides one subject (contract §4, rules 1-7).
    pub fn decide(&self, subject: &Subject) -> Decision {
        self.decide_until(subject).0
    }

    /// [`Context::decide`], and the time until which the whole answer stays the same by
    /// time alone: not only its verdict (`valid_until`) but its reason and its lists, so
    /// the earliest time any purpose's or the SDK's standing, or the re-prompt window,
    /// changes. `None` when only a ledger change can change it. The store reuses the
    /// answer for the same ledger until then.
    pub fn decide_until(&self, subject: &Subject) -> (Decision, Option<i64>) {
        let jurisdiction = self.jurisdiction();
        let child = self.is_child_in(jurisdiction);
        let mut d = self.base_in(subject.key(), jurisdiction);

        // Rule 1: unknown ids.
        let Some(target) = self.resolve(subject) else {
            return (d, None);
        };

        // Rule 2: no prompts at launch, none outside the feature.
        if let Some((permission, trigger)) = target.permission {
            if let Some(reason) = self.trigger_gate(permission, trigger) {
                d.reason = reason;
                return (d, None);
            }
        }

        // Rule 2 for data access: foreground-only data in the background.
        if let Some((access, background)) = target.access {
            if let Some(reason) = self.background_gate(access, background) {
                d.reason = reason;
                return (d, None);
            }
        }

        // Rule 3: the policy itself, or basic mode after a decline.
        let gate = match self.policy_gate(child, target.purposes) {
            Ok(gate) => gate,
            Err(reason) => {
                d.verdict = Verdict::Ask;
                d.reason = reason;
                return (d, None);
            }
        };

        // Rules 4 and 5: every purpose (in manifest order), then the SDK's own grant,
        // tallied in one pass: this is the hot path of every decision, so no list of
        // assessments is built.
        let law = jurisdiction.law;
        let mut tally = Tally::default();
        for p in self.manifest.purposes.iter().filter(|p| target.purposes.contains(&p.id)) {
            tally.add(Item::Purpose(&p.id), self.assess_purpose(p, law, child), &mut d);
        }
        if let Some(s) = target.sdk {
            if let Some(a) = self.assess_sdk(s, law, child) {
                tally.add(Item::Sdk(&s.id), a, &mut d);
            }
        }
        if tally.blocks(&mut d) {
            return (d, tally.changes_at);
        }

        // Rule 6: OS permission pacing.
        if let Some((permission, _)) = target.permission {
            if let Some(until) = self.os_permission_gate(&permission.id, tally.changes_at, &mut d) {
                return (d, until);
            }
        }

        // Rule 6 for data access: no sooner than its interval after the last allowed one.
        if let Some((access, _)) = target.access {
            if let Some(until) = self.rate_gate(access, tally.changes_at, &mut d) {
                return (d, until);
            }
        }

        // Rule 7: allowed, saying on what ground (in basic mode, that it is).
        let until = self.allow(&tally, &mut d);
        if gate == Gate::Basic {
            d.reason = Reason::BasicMode;
        }
        (d, until)
    }

    /// Every declared SDK and every permission (trigger `user_action`), in manifest
    /// order: the set re-decided for change notifications.
    pub fn watched_subjects(manifest: &Manifest) -> Vec<Subject> {
        manifest
            .sdks
            .iter()
            .map(|s| Subject::Sdk(s.id.clone()))
            .chain(manifest.permissions.iter().map(|p| Subject::Permission(p.id.clone(), Trigger::UserAction)))
            .collect()
    }
}

/// The earliest of `times`, if any.
fn earliest(times: impl IntoIterator<Item = i64>) -> Option<i64> {
    times.into_iter().min()
}
