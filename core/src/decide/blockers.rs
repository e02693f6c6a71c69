//! How rules 4 and 5 combine: each purpose of the subject (in manifest order) and then
//! the SDK's own grant is assessed, every blocking one is listed, deny outranks ask,
//! and the reason is the first blocker's with the winning verdict. The tally is built
//! in one pass, with no list of assessments: it is on the path of every decision.

use super::{earliest, Decision, Reason, Verdict};

/// How one purpose or SDK stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Standing {
    /// Met by an explicit grant.
    Consented,
    /// Met because the user has not opted out.
    OptOut,
    /// Met without any consent (contract, legal obligation).
    NotConsentBased,
    /// Not met: the verdict and reason it asks for, and when asking again is fine.
    Blocked { verdict: Verdict, reason: Reason, retry_after: Option<i64> },
}

/// A standing plus the time at which it could change by itself.
#[derive(Debug, Clone, Copy)]
pub(super) struct Assessment {
    pub(super) standing: Standing,
    pub(super) changes_at: Option<i64>,
}

impl Assessment {
    /// Met, for good.
    pub(super) fn met(standing: Standing) -> Self {
        Assessment { standing, changes_at: None }
    }

    /// Blocked until the ledger changes.
    pub(super) fn blocked(verdict: Verdict, reason: Reason) -> Self {
        Assessment { standing: Standing::Blocked { verdict, reason, retry_after: None }, changes_at: None }
    }
}

/// What an assessment is about, to list it when it blocks.
#[derive(Debug, Clone, Copy)]
pub(super) enum Item<'a> {
    Purpose(&'a str),
    Sdk(&'a str),
}

/// What rules 4 and 5 found over a subject's purposes and SDK.
#[derive(Debug, Default)]
pub(super) struct Tally {
    /// The earliest time any assessment could change by itself.
    pub(super) changes_at: Option<i64>,
    /// The reason of the first blocker that asks, and of the first that denies.
    first_ask: Option<Reason>,
    first_deny: Option<Reason>,
    /// The latest re-ask time among the denials.
    deny_retry_after: Option<i64>,
    /// Something was met by a grant.
    pub(super) consented: bool,
    /// Something was met because the user did not opt out.
    pub(super) opt_out: bool,
}

impl Tally {
    /// Counts one assessment; a blocked item is listed in the decision at once.
    pub(super) fn add(&mut self, item: Item<'_>, a: Assessment, d: &mut Decision) {
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

    /// When anything blocked, fills in `d`'s verdict, reason and times and returns
    /// true: deny outranks ask, and the reason is the first blocker's with the winning
    /// verdict.
    pub(super) fn blocks(&self, d: &mut Decision) -> bool {
        let Some(reason) = self.first_deny.or(self.first_ask) else {
            return false;
        };
        d.verdict = if self.first_deny.is_some() { Verdict::Deny } else { Verdict::Ask };
        d.reason = reason;
        if d.verdict == Verdict::Deny {
            d.retry_after = self.deny_retry_after;
        }
        // valid_until is when the *verdict* could change by time alone (§4). An ask
        // never changes by time (expiries only add asks); a deny turns into an ask
        // when the last denial's re-ask window ends, which is retry_after.
        d.valid_until = d.retry_after;
        true
    }
}
