//! Rule 6, permissions only: what the OS last answered to the permission's prompt.
//! `denied_permanently` denies `denied_permanently` (the app should send the user to
//! the system settings) until a later `granted`; a plain `denied` less than
//! `reprompt_after_denial_hours` ago (the permission's own value, else the setting)
//! denies `recently_denied` until the window ends.

use super::{earliest, Context, Decision, Reason};
use crate::ledger::PermissionResult;
use crate::time::MS_PER_HOUR;

impl Context<'_> {
    /// Rule 6 for the permission `id`: when it blocks, fills in `d` and returns the
    /// time until which the answer holds (the window's end, or an earlier change
    /// `changes_at` of rules 4 and 5).
    pub(super) fn os_permission_gate(
        &self,
        id: &str,
        changes_at: Option<i64>,
        d: &mut Decision,
    ) -> Option<Option<i64>> {
        let (reason, retry_after) = self.permission_pacing(id)?;
        d.reason = reason;
        d.retry_after = retry_after;
        d.valid_until = earliest(changes_at.into_iter().chain(retry_after));
        Some(d.valid_until)
    }

    /// The OS said no: the reason and, for a plain denial, when the app may prompt again.
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
}
