//! Rule 3: the policy itself. Never accepted asks `policy_not_accepted`; accepted under
//! an older MAJOR asks `policy_update_requires_acceptance`; a child whose acceptance was
//! not given by a guardian asks `guardian_consent_required`.
//!
//! Part two's basic-function mode (§9.1, 基本功能模式) is a branch here: when the policy
//! is not accepted under the current MAJOR but was **declined** under it, a subject whose
//! purposes are all `basic` goes on to the remaining rules as if the policy were accepted
//! (and its allow says `basic_mode`); every other subject asks `policy_not_accepted`. A
//! decline under an older MAJOR is void, like an acceptance. In basic mode there is no
//! acceptance for a guardian to have given, and basic purposes need none, so the
//! guardian check does not apply.

use super::{Context, Reason};

/// What rule 3 lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Gate {
    /// The policy is accepted: the remaining rules decide.
    Accepted,
    /// Basic mode: the remaining rules decide, and an allow says `basic_mode`.
    Basic,
}

impl Context<'_> {
    /// Whether the user declined the policy under the current MAJOR (§9.1).
    pub fn declined_current(&self) -> bool {
        self.ledger.declined.as_ref().is_some_and(|d| self.is_current_major(&d.version))
    }

    /// Rule 3: policy acceptance, its MAJOR, basic mode, and a guardian for children.
    /// `purposes`: the subject's purposes, all of which must be basic in basic mode.
    pub(super) fn policy_gate(&self, child: bool, purposes: &[String]) -> Result<Gate, Reason> {
        let accepted = self.ledger.acceptance.as_ref().filter(|a| self.is_current_major(&a.version));
        let Some(acc) = accepted else {
            if self.declined_current() {
                let all_basic = purposes.iter().all(|id| self.manifest.purpose(id).is_some_and(|p| p.basic));
                return if all_basic { Ok(Gate::Basic) } else { Err(Reason::PolicyNotAccepted) };
            }
            return Err(match self.ledger.acceptance {
                None => Reason::PolicyNotAccepted,
                Some(_) => Reason::PolicyUpdateRequiresAcceptance,
            });
        };
        if child && !acc.by_guardian {
            return Err(Reason::GuardianConsentRequired);
        }
        Ok(Gate::Accepted)
    }
}
