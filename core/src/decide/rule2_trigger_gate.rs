//! Rule 2, permissions only: no prompt at app launch (`launch_time_request`) unless the
//! permission has `allow_at_launch`, and none for a `user_initiated` permission (the
//! default) without a user action (`not_user_initiated`). It applies before the policy
//! is accepted, since a prompt at launch is never right.

use super::{Context, Reason, Trigger};
use crate::manifest::Permission;

impl Context<'_> {
    /// Rule 2 for a prompt of `permission` that `trigger` led to.
    ///
    /// A permission the manifest allows at launch may be asked then even though it is
    /// user-initiated otherwise: `allow_at_launch` is the more specific statement about
    /// that trigger. A background prompt is still `not_user_initiated`.
    pub(super) fn trigger_gate(&self, permission: &Permission, trigger: Trigger) -> Option<Reason> {
        if trigger == Trigger::AppLaunch && !permission.allow_at_launch {
            return Some(Reason::LaunchTimeRequest);
        }
        if trigger == Trigger::Background && permission.user_initiated {
            return Some(Reason::NotUserInitiated);
        }
        None
    }
}
