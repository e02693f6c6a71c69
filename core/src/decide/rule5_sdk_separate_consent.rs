//! Rule 5, SDKs only: under PIPL an SDK acting on its own account (`role`
//! `independent`), or whose vendor is in another country than the user (or either
//! country is unknown, which counts as cross-border), needs a grant of its own, given
//! `separate`, else asks `separate_consent_required`. Under every law, an SDK the user
//! denied or withdrew stays off: withdrawing must really switch things off.

use super::blockers::Assessment;
use super::{Context, Reason};
use crate::ledger::ChoiceKind;
use crate::manifest::{Law, Role, Sdk};

impl Context<'_> {
    /// Rule 5 for an SDK's own grant. `None` when the SDK needs no grant of its own.
    pub(super) fn assess_sdk(&self, s: &Sdk, law: Law, child: bool) -> Option<Assessment> {
        let choice = self.current(self.ledger.sdks.get(&s.id));
        let user_country = self.ledger.profile.country.as_deref();
        if needs_own_grant(s, law, user_country) {
            return Some(self.assess_grant(choice, true, Reason::SeparateConsentRequired, child));
        }
        match choice {
            Some(c) if c.kind != ChoiceKind::Granted => Some(self.refusal(c)),
            _ => None,
        }
    }
}

/// Whether rule 5 asks a user of `user_country` (None: unknown) under `law` for the SDK's
/// own separate grant: under PIPL, for an independent SDK, or one whose vendor is in another
/// country (or either country is unknown). The disclosure's `separate_consent_in` (contract
/// §10.2) is worked out with this same function.
pub fn needs_own_grant(s: &Sdk, law: Law, user_country: Option<&str>) -> bool {
    let cross_border = match (s.vendor_country.as_deref(), user_country) {
        (Some(v), Some(u)) => v != u,
        _ => true,
    };
    law == Law::Pipl && (s.role == Role::Independent || cross_border)
}
