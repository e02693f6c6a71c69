//! The stable reason codes of contract §4, one per way a rule can decide. Part two's
//! codes (`basic_mode`, `background_access`, `rate_limited`) are added here, with the
//! rule that gives them.

use serde::Serialize;

/// The stable reason codes of contract §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Rule 1: the manifest does not declare the id.
    UnknownSubject,
    /// Rule 1: the store cannot be read, written or trusted.
    StoreUnavailable,
    /// Rule 2: a permission prompt at app launch.
    LaunchTimeRequest,
    /// Rule 2: a prompt for a user-initiated permission without a user action.
    NotUserInitiated,
    /// Rule 3: the policy was never accepted.
    PolicyNotAccepted,
    /// Rule 3: accepted under an older policy MAJOR.
    PolicyUpdateRequiresAcceptance,
    /// Rules 3 and 4: a child needs a guardian's acceptance or grant.
    GuardianConsentRequired,
    /// Rules 4 and 5: a grant given in a prompt of its own is needed.
    SeparateConsentRequired,
    /// Rules 4 and 5: the user denied it.
    ConsentDenied,
    /// Rules 4 and 5: the user withdrew it.
    ConsentWithdrawn,
    /// Rules 4 and 5: the grant expired, or the re-ask window after a refusal ended.
    ConsentExpired,
    /// Rule 4: never decided.
    ConsentMissing,
    /// Rule 6: the OS said "don't ask again".
    DeniedPermanently,
    /// Rule 6: the OS said no a short while ago.
    RecentlyDenied,
    /// Rule 7: allowed, and something needed a grant.
    Consented,
    /// Rule 7: allowed because the user did not opt out (also rule 4's ground).
    OptOutNotExercised,
    /// Rule 7: allowed without any consent (contract, legal obligation).
    NotConsentBased,
    /// Rules 3 and 7: allowed in basic mode, the policy having been declined (§9.1).
    BasicMode,
    /// Rule 2: a read of foreground-only data in the background (§9.2).
    BackgroundAccess,
    /// Rule 6: a data access sooner than its interval after the last allowed one (§9.2).
    RateLimited,
}

impl Reason {
    /// Every reason code, in the contract's order.
    pub const ALL: [Reason; 20] = [
        Reason::UnknownSubject,
        Reason::StoreUnavailable,
        Reason::LaunchTimeRequest,
        Reason::NotUserInitiated,
        Reason::PolicyNotAccepted,
        Reason::PolicyUpdateRequiresAcceptance,
        Reason::GuardianConsentRequired,
        Reason::SeparateConsentRequired,
        Reason::ConsentDenied,
        Reason::ConsentWithdrawn,
        Reason::ConsentExpired,
        Reason::ConsentMissing,
        Reason::DeniedPermanently,
        Reason::RecentlyDenied,
        Reason::Consented,
        Reason::OptOutNotExercised,
        Reason::NotConsentBased,
        Reason::BasicMode,
        Reason::BackgroundAccess,
        Reason::RateLimited,
    ];

    /// The reason with this code, if it is one.
    pub fn parse(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == code)
    }

    /// The contract's code for the reason.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::UnknownSubject => "unknown_subject",
            Reason::StoreUnavailable => "store_unavailable",
            Reason::LaunchTimeRequest => "launch_time_request",
            Reason::NotUserInitiated => "not_user_initiated",
            Reason::PolicyNotAccepted => "policy_not_accepted",
            Reason::PolicyUpdateRequiresAcceptance => "policy_update_requires_acceptance",
            Reason::GuardianConsentRequired => "guardian_consent_required",
            Reason::SeparateConsentRequired => "separate_consent_required",
            Reason::ConsentDenied => "consent_denied",
            Reason::ConsentWithdrawn => "consent_withdrawn",
            Reason::ConsentExpired => "consent_expired",
            Reason::ConsentMissing => "consent_missing",
            Reason::DeniedPermanently => "denied_permanently",
            Reason::RecentlyDenied => "recently_denied",
            Reason::Consented => "consented",
            Reason::OptOutNotExercised => "opt_out_not_exercised",
            Reason::NotConsentBased => "not_consent_based",
            Reason::BasicMode => "basic_mode",
            Reason::BackgroundAccess => "background_access",
            Reason::RateLimited => "rate_limited",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::Verdict;

    #[test]
    fn reason_codes_round_trip_and_are_distinct() {
        let mut codes: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
        for r in Reason::ALL {
            assert_eq!(Reason::parse(r.as_str()), Some(r));
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Reason::ALL.len());
        assert_eq!(Reason::parse("because"), None);
        assert_eq!(Verdict::parse("ask"), Some(Verdict::Ask));
        assert_eq!(Verdict::parse("maybe"), None);
    }
}
