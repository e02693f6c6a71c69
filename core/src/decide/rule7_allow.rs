//! Rule 7: otherwise allow, saying on what ground: `consented` if any purpose or the SDK
//! needed a grant, else `opt_out_not_exercised` if any relied on the user not opting
//! out, else `not_consent_based`. An allow stays valid until the earliest grant expiry.

use super::blockers::Tally;
use super::{Context, Decision, Reason, Verdict};

impl Context<'_> {
    /// Rule 7: turns `d` into an allow, and returns the time until which it holds.
    pub(super) fn allow(&self, tally: &Tally, d: &mut Decision) -> Option<i64> {
        d.verdict = Verdict::Allow;
        d.reason = if tally.consented {
            Reason::Consented
        } else if tally.opt_out {
            Reason::OptOutNotExercised
        } else {
            Reason::NotConsentBased
        };
        let valid_until = tally.changes_at.filter(|t| *t > self.now);
        d.valid_until = valid_until;
        valid_until
    }
}
