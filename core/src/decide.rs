//! The decision engine (contract §4): given the manifest, the folded ledger and the
//! time, answer one subject (an SDK start, a permission prompt, a purpose) with a
//! verdict, a stable reason code, every blocking item, and the times at which the
//! answer could change.
//!
//! This is a pure function of its inputs: no I/O, no clock of its own. The store calls
//! it on the hot path and for change notifications; tests call it directly on a fixed
//! time. Rules are applied in the contract's order; the first that applies decides.

use serde::Serialize;

use crate::ledger::{major_of, Choice, ChoiceKind, LedgerState, PermissionResult};
use crate::manifest::{Basis, Jurisdiction, Law, Manifest, Purpose, Role, Sdk, UnknownAge};
use crate::time::{format_rfc3339, MS_PER_DAY, MS_PER_HOUR};

/// How a permission prompt came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// The user tapped something that needs the permission.
    UserAction,
    /// The app is in the background or acting on its own.
    Background,
    /// The app is starting up.
    AppLaunch,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::UserAction => "user_action",
            Trigger::Background => "background",
            Trigger::AppLaunch => "app_launch",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "user_action" => Some(Trigger::UserAction),
            "background" => Some(Trigger::Background),
            "app_launch" => Some(Trigger::AppLaunch),
            _ => None,
        }
    }
}

/// What a decision is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    Sdk(String),
    Permission(String, Trigger),
    Purpose(String),
}

impl Subject {
    /// `sdk:<id>`, `permission:<id>` or `purpose:<id>`.
    pub fn key(&self) -> String {
        // On the hot path of every decision: one exact allocation, no formatting machinery.
        let (prefix, id) = match self {
            Subject::Sdk(id) => ("sdk:", id),
            Subject::Permission(id, _) => ("permission:", id),
            Subject::Purpose(id) => ("purpose:", id),
        };
        let mut key = String::with_capacity(prefix.len() + id.len());
        key.push_str(prefix);
        key.push_str(id);
        key
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Go ahead.
    Allow,
    /// The user must decide something first: show the policy or a consent prompt.
    Ask,
    /// Do not, and do not prompt now.
    Deny,
}

impl Verdict {
    /// The verdict with this name, if it is one.
    pub fn parse(name: &str) -> Option<Verdict> {
        [Verdict::Allow, Verdict::Ask, Verdict::Deny].into_iter().find(|v| v.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::Ask => "ask",
            Verdict::Deny => "deny",
        }
    }
}

/// The stable reason codes of contract §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    UnknownSubject,
    StoreUnavailable,
    LaunchTimeRequest,
    NotUserInitiated,
    PolicyNotAccepted,
    PolicyUpdateRequiresAcceptance,
    GuardianConsentRequired,
    SeparateConsentRequired,
    ConsentDenied,
    ConsentWithdrawn,
    ConsentExpired,
    ConsentMissing,
    DeniedPermanently,
    RecentlyDenied,
    Consented,
    OptOutNotExercised,
    NotConsentBased,
}

impl Reason {
    /// Every reason code, in the contract's order.
    pub const ALL: [Reason; 17] = [
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
    ];

    /// The reason with this code, if it is one.
    pub fn parse(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == code)
    }

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
        }
    }
}

/// One answer. Times are UTC milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub subject: String,
    pub verdict: Verdict,
    pub reason: Reason,
    /// Blocking purposes (empty on allow).
    pub purposes: Vec<String>,
    /// Blocking SDKs (empty on allow).
    pub sdks: Vec<String>,
    /// On deny: when asking again becomes acceptable.
    pub retry_after: Option<i64>,
    /// The earliest time at which this answer could change by time alone.
    pub valid_until: Option<i64>,
    pub policy_version: String,
    pub jurisdiction: String,
    pub decided_at: i64,
}

impl Decision {
    /// The decision object of contract §4, times in RFC 3339.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "subject": self.subject,
            "verdict": self.verdict.as_str(),
            "reason": self.reason.as_str(),
            "purposes": self.purposes,
            "sdks": self.sdks,
            "retry_after": self.retry_after.map(format_rfc3339),
            "valid_until": self.valid_until.map(format_rfc3339),
            "policy_version": self.policy_version,
            "jurisdiction": self.jurisdiction,
            "decided_at": format_rfc3339(self.decided_at),
        })
    }

    /// Whether this answer differs from `other` in what the app acts on.
    pub fn changed_from(&self, other: &Decision) -> bool {
        self.verdict != other.verdict || self.reason != other.reason
    }
}

/// Everything a decision reads.
pub struct Context<'a> {
    pub manifest: &'a Manifest,
    pub ledger: &'a LedgerState,
    pub now: i64,
}

/// How one purpose or SDK stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// Met by an explicit grant.
    Consented,
    /// Met because the user has not opted out.
    OptOut,
    /// Met without any consent (contract, legal obligation).
    NotConsentBased,
    Blocked {
        verdict: Verdict,
        reason: Reason,
        retry_after: Option<i64>,
    },
}

/// A standing plus the time at which it could change by itself.
#[derive(Debug, Clone, Copy)]
struct Assessment {
    standing: Standing,
    changes_at: Option<i64>,
}

impl Assessment {
    fn met(standing: Standing) -> Self {
        Assessment { standing, changes_at: None }
    }
    fn blocked(verdict: Verdict, reason: Reason) -> Self {
        Assessment { standing: Standing::Blocked { verdict, reason, retry_after: None }, changes_at: None }
    }
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

    /// A choice counts only if it was made under the current policy MAJOR.
    fn current<'c>(&self, choice: Option<&'c Choice>) -> Option<&'c Choice> {
        choice.filter(|c| self.is_current_major(&c.policy_version))
    }

    /// Whether `version` has the current policy's MAJOR. The common case, a choice made
    /// under the very version in force, is told by comparing the text, without parsing.
    fn is_current_major(&self, version: &str) -> bool {
        version == self.manifest.policy.version || major_of(version) == Some(self.manifest.policy.major)
    }

    fn base(&self, subject: String) -> Decision {
        self.base_in(subject, self.jurisdiction())
    }

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

    /// The fail-closed answer when the store cannot be trusted or reached.
    ///
    /// Rule 1 puts unknown ids first, so an undeclared id is still `unknown_subject`.
    pub fn unavailable(&self, subject: &Subject) -> Decision {
        let mut d = self.base(subject.key());
        if self.is_declared(subject) {
            d.reason = Reason::StoreUnavailable;
        }
        d
    }

    /// Whether the manifest declares the subject's id.
    pub fn is_declared(&self, subject: &Subject) -> bool {
        match subject {
            Subject::Sdk(id) => self.manifest.sdk(id).is_some(),
            Subject::Permission(id, _) => self.manifest.permission(id).is_some(),
            Subject::Purpose(id) => self.manifest.purpose(id).is_some(),
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
        let m = self.manifest;

        // Rule 1: unknown ids.
        let (purpose_ids, sdk) = match subject {
            Subject::Sdk(id) => match m.sdk(id) {
                Some(s) => (&s.purposes[..], Some(s)),
                None => return (d, None),
            },
            Subject::Permission(id, trigger) => match m.permission(id) {
                Some(p) => {
                    // Rule 2: no prompts at launch, none outside the feature. A
                    // permission the manifest allows at launch may be asked then even
                    // though it is user-initiated otherwise: `allow_at_launch` is the
                    // more specific statement about that trigger.
                    if *trigger == Trigger::AppLaunch && !p.allow_at_launch {
                        d.reason = Reason::LaunchTimeRequest;
                        return (d, None);
                    }
                    if *trigger == Trigger::Background && p.user_initiated {
                        d.reason = Reason::NotUserInitiated;
                        return (d, None);
                    }
                    (&p.purposes[..], None)
                }
                None => return (d, None),
            },
            Subject::Purpose(id) => match m.purpose(id) {
                Some(p) => (std::slice::from_ref(&p.id), None),
                None => return (d, None),
            },
        };

        // Rule 3: the policy itself.
        if let Some(reason) = self.policy_gate(child) {
            d.verdict = Verdict::Ask;
            d.reason = reason;
            return (d, None);
        }

        // Rules 4 and 5: every purpose (in manifest order), then the SDK's own grant,
        // tallied in one pass: this is the hot path of every decision, so no list of
        // assessments is built.
        let law = jurisdiction.law;
        let mut tally = Tally::default();
        for p in m.purposes.iter().filter(|p| purpose_ids.contains(&p.id)) {
            tally.add(Item::Purpose(&p.id), self.assess_purpose(p, law, child), &mut d);
        }
        if let Some(s) = sdk {
            if let Some(a) = self.assess_sdk(s, law, child) {
                tally.add(Item::Sdk(&s.id), a, &mut d);
            }
        }
        let mut valid_until = tally.changes_at;

        // Deny outranks ask; the reason is the first blocker's with the winning verdict.
        if let Some(reason) = tally.first_deny.or(tally.first_ask) {
            d.verdict = if tally.first_deny.is_some() { Verdict::Deny } else { Verdict::Ask };
            d.reason = reason;
            if d.verdict == Verdict::Deny {
                d.retry_after = tally.deny_retry_after;
            }
            // valid_until is when the *verdict* could change by time alone (§4). An ask
            // never changes by time (expiries only add asks); a deny turns into an ask
            // when the last denial's re-ask window ends, which is retry_after.
            d.valid_until = d.retry_after;
            return (d, tally.changes_at);
        }

        // Rule 6: OS permission pacing.
        if let Subject::Permission(id, _) = subject {
            if let Some(block) = self.permission_pacing(id) {
                d.reason = block.0;
                d.retry_after = block.1;
                d.valid_until = earliest(valid_until.into_iter().chain(block.1));
                let until = d.valid_until;
                return (d, until);
            }
        }

        // Rule 7: allowed, saying on what ground.
        d.verdict = Verdict::Allow;
        d.reason = if tally.consented {
            Reason::Consented
        } else if tally.opt_out {
            Reason::OptOutNotExercised
        } else {
            Reason::NotConsentBased
        };
        valid_until = valid_until.filter(|t| *t > self.now);
        d.valid_until = valid_until;
        (d, valid_until)
    }

    /// Rule 3: policy acceptance, its MAJOR, and a guardian for children.
    fn policy_gate(&self, child: bool) -> Option<Reason> {
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

    /// Rule 4 for one purpose under `law`.
    fn assess_purpose(&self, p: &Purpose, law: Law, child: bool) -> Assessment {
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

    /// Rule 5 for an SDK's own grant. `None` when the SDK needs no grant of its own.
    ///
    /// Under PIPL an independent SDK, or one whose vendor is in another country than
    /// the user (or either country is unknown), needs a separate grant. Under every law,
    /// an explicit denial or withdrawal of the SDK itself keeps it off: withdrawing must
    /// really switch things off.
    fn assess_sdk(&self, s: &Sdk, law: Law, child: bool) -> Option<Assessment> {
        let choice = self.current(self.ledger.sdks.get(&s.id));
        let user_country = self.ledger.profile.country.as_deref();
        let cross_border = match (s.vendor_country.as_deref(), user_country) {
            (Some(v), Some(u)) => v != u,
            _ => true,
        };
        let needs_grant = law == Law::Pipl && (s.role == Role::Independent || cross_border);
        if needs_grant {
            return Some(self.assess_grant(choice, true, Reason::SeparateConsentRequired, child));
        }
        match choice {
            Some(c) if c.kind != ChoiceKind::Granted => Some(self.refusal(c)),
            _ => None,
        }
    }

    /// Whether a recorded choice is a valid grant: not refused, separate where needed,
    /// given by a guardian for a child, and not expired.
    fn assess_grant(&self, choice: Option<&Choice>, needs_separate: bool, missing: Reason, child: bool) -> Assessment {
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
    fn refusal(&self, c: &Choice) -> Assessment {
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

    /// Rule 6: the OS said no. Returns the reason and, for a plain denial, when the
    /// app may prompt again.
    fn permission_pacing(&self, id: &str) -> Option<(Reason, Option<i64>)> {
        let h = self.ledger.permissions.get(id)?;
        if h.permanently_denied {
            return Some((Reason::DeniedPermanently, None));
        }
        if h.last != Some(PermissionResult::Denied) {
            return None;
        }
        let hours = self
            .manifest
            .permission(id)
            .and_then(|p| p.reprompt_after_denial_hours)
            .unwrap_or(self.manifest.settings.reprompt_after_denial_hours);
        let retry = h.last_at? + i64::from(hours) * MS_PER_HOUR;
        (self.now < retry).then_some((Reason::RecentlyDenied, Some(retry)))
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

#[derive(Debug, Clone, Copy)]
enum Item<'a> {
    Purpose(&'a str),
    Sdk(&'a str),
}

/// What rules 4 and 5 found over a subject's purposes and SDK.
#[derive(Debug, Default)]
struct Tally {
    /// The earliest time any assessment could change by itself.
    changes_at: Option<i64>,
    /// The reason of the first blocker that asks, and of the first that denies.
    first_ask: Option<Reason>,
    first_deny: Option<Reason>,
    /// The latest re-ask time among the denials.
    deny_retry_after: Option<i64>,
    consented: bool,
    opt_out: bool,
}

impl Tally {
    /// Counts one assessment; a blocked item is listed in the decision at once.
    fn add(&mut self, item: Item<'_>, a: Assessment, d: &mut Decision) {
        self.changes_at = earliest(self.changes_at.into_iter().chain(a.changes_at));
        match a.standing {
            Standing::Consented => self.consented = true,
            Standing::OptOut => self.opt_out = true,
            Standing::NotConsentBased => {}
            Standing::Blocked { verdict, reason, retry_after } => {
                match item {
                    Item::Purpose(id) => d.purposes.push(id.to_owned()),
                    Item::Sdk(id) => d.sdks.push(id.to_owned()),
                }
                if verdict == Verdict::Deny {
                    self.first_deny.get_or_insert(reason);
                    self.deny_retry_after = self.deny_retry_after.max(retry_after);
                } else {
                    self.first_ask.get_or_insert(reason);
                }
            }
        }
    }
}

fn earliest(times: impl IntoIterator<Item = i64>) -> Option<i64> {
    times.into_iter().min()
}

#[cfg(test)]
mod tests {
    use super::*;

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
