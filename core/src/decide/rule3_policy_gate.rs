//! Rule 3: the policy itself. Never accepted asks `policy_not_accepted`; accepted under
//! an older MAJOR asks `policy_update_requires_acceptance`; a child whose acceptance was
//! not given by a guardian asks `guardian_consent_required`.
//!
//! Part two's basic-function mode (§9.1) is a branch here: a declined policy lets a
//! subject whose purposes are all basic go on to the remaining rules.

use super::{Context, Reason};

impl Context<'_> {
    /// Rule 3: policy acceptance, its MAJOR, and a guardian for children.
    pub(super) fn policy_gate(&self, child: bool) -> Option<Reason> {
        let Some(acc) = &self.ledger.acceptance else {
            return Some(Reason::PolicyNotAccepted);
        };
        if !self.is_current_major(&acc.version) {
            return Some(Reason::PolicyUpdateRequiresAcceptance);
        }
        if child && !acc.by_guardian {
            return Some(Reason::GuardianConsentRequired);
        }
        None
    }
}
