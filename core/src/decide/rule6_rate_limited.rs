//! Rule 6 for data access (§9.2, 164号文 1.2): sensitive data must not be read more often
//! than needed. When the last **allowed** access of the id was less than its
//! `min_interval_seconds` ago, the read is denied `rate_limited` until that access plus
//! the interval. A denied or asked access is not an access, so it does not restart the
//! interval; the store records each allow (see the store's `decisions.rs`).

use super::{earliest, Context, Decision, Reason};
use crate::manifest::DataAccess;

impl Context<'_> {
    /// Rule 6 for `access`: when the interval since its last allowed access has not
    /// passed, fills in `d` and returns the time until which the answer holds (the
    /// interval's end, or an earlier change `changes_at` of rules 4 and 5).
    pub(super) fn rate_gate(
        &self,
        access: &DataAccess,
        changes_at: Option<i64>,
        d: &mut Decision,
    ) -> Option<Option<i64>> {
        if access.min_interval_seconds == 0 {
            return None;
        }
        let last = *self.accesses?.get(&access.id)?;
        let retry = last.saturating_add(i64::from(access.min_interval_seconds) * 1000);
        if self.now >= retry {
            return None;
        }
        d.reason = Reason::RateLimited;
        d.retry_after = Some(retry);
        d.valid_until = earliest(changes_at.into_iter().chain(Some(retry)));
        Some(d.valid_until)
    }
}
