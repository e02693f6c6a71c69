//! Rule 4: each purpose of the subject, by its legal basis and the jurisdiction's law.
//!
//! - `contract`, `legal_obligation`: met by policy acceptance, sensitive or not.
//! - `legitimate_interest`: met unless denied or withdrawn under gdpr and opt_out;
//!   treated as `consent` under pipl.
//! - `consent`: an explicit, unexpired grant under gdpr and pipl; under opt_out met
//!   unless denied or withdrawn, except a sensitive purpose, which needs a grant.
//! - a sensitive purpose under pipl or gdpr needs a grant given `separate`, else
//!   `separate_consent_required` (also when never decided, so the app knows to show a
//!   dedicated prompt);
//! - a child's grant counts only with `by_guardian`;
//! - a denial or withdrawal denies until `reask_after_denial_days` have passed, then
//!   asks `consent_expired`; a grant older than `consent_ttl_days` asks `consent_expired`.

use super::blockers::{Assessment, Standing};
use super::{Context, Reason, Verdict};
use crate::ledger::{Choice, ChoiceKind};
use crate::manifest::{Basis, Law, Purpose};
use crate::time::MS_PER_DAY;

impl Context<'_> {
    /// Rule 4 for one purpose under `law`.
    pub(super) fn assess_purpose(&self, p: &Purpose, law: Law, child: bool) -> Assessment {
        // Contract and legal obligation are met by policy acceptance, sensitive or not;
        // sensitivity raises the bar only where consent is the ground.
        let needs_grant = match p.basis {
            Basis::Contract | Basis::LegalObligation => false,
            Basis::LegitimateInterest => law == Law::Pipl || p.sensitive,
            Basis::Consent => law != Law::OptOut || p.sensitive,
        };
        let opt_out = !needs_grant && matches!(p.basis, Basis::Consent | Basis::LegitimateInterest);
        if !needs_grant && !opt_out {
            return Assessment::met(Standing::NotConsentBased);
        }
        let choice = self.current(self.ledger.purposes.get(&p.id));
        if !needs_grant {
            return match choice {
                Some(c) if c.kind != ChoiceKind::Granted => self.refusal(c),
                _ => Assessment::met(Standing::OptOut),
            };
        }
        // A sensitive purpose under PIPL or GDPR needs a separate grant, "else ask
        // separate_consent_required": that includes one never decided, so the app
        // knows to show a dedicated prompt.
        let needs_separate = p.sensitive && law != Law::OptOut;
        let missing = if needs_separate { Reason::SeparateConsentRequired } else { Reason::ConsentMissing };
        self.assess_grant(choice, needs_separate, missing, child)
    }

    /// Whether a recorded choice is a valid grant: not refused, separate where needed,
    /// given by a guardian for a child, and not expired. Rule 5 weighs an SDK's own
    /// grant the same way.
    pub(super) fn assess_grant(
        &self,
        choice: Option<&Choice>,
        needs_separate: bool,
        missing: Reason,
        child: bool,
    ) -> Assessment {
        let Some(c) = choice else {
            return Assessment::blocked(Verdict::Ask, missing);
        };
        if c.kind != ChoiceKind::Granted {
            return self.refusal(c);
        }
        if needs_separate && !c.separate {
            return Assessment::blocked(Verdict::Ask, Reason::SeparateConsentRequired);
        }
        if child && !c.by_guardian {
            return Assessment::blocked(Verdict::Ask, Reason::GuardianConsentRequired);
        }
        let expires = c.at + i64::from(self.manifest.settings.consent_ttl_days) * MS_PER_DAY;
        if self.now >= expires {
            return Assessment::blocked(Verdict::Ask, Reason::ConsentExpired);
        }
        Assessment { standing: Standing::Consented, changes_at: Some(expires) }
    }

    /// A denial or withdrawal: deny until the re-ask window ends, then ask again.
    pub(super) fn refusal(&self, c: &Choice) -> Assessment {
        let retry = c.at + i64::from(self.manifest.settings.reask_after_denial_days) * MS_PER_DAY;
        if self.now >= retry {
            return Assessment::blocked(Verdict::Ask, Reason::ConsentExpired);
        }
        let reason = if c.kind == ChoiceKind::Withdrawn { Reason::ConsentWithdrawn } else { Reason::ConsentDenied };
        Assessment {
            standing: Standing::Blocked { verdict: Verdict::Deny, reason, retry_after: Some(retry) },
            changes_at: Some(retry),
        }
    }
}
