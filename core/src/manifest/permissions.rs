//! The `permissions` section: the OS permissions the app may prompt for, with their
//! Android and iOS names, the purposes they serve, and when a prompt is acceptable (only
//! after a user action, by default; never at launch, unless `allow_at_launch`; not again
//! soon after the OS said no).

use serde::Serialize;

use super::checker::Checker;
use super::cross_refs::Kind;
use super::json::Json;
use super::limits::MAX_HOURS;
use super::location::Loc;

/// One OS permission.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Permission {
    /// The permission's id (`^[a-z][a-z0-9_]*$`).
    pub id: String,
    /// What the user is shown.
    pub title: String,
    /// Android manifest permission names. Default empty.
    pub android: Vec<String>,
    /// iOS Info.plist usage-description keys. Default empty.
    pub ios: Vec<String>,
    /// Declared purpose ids, non-empty.
    pub purposes: Vec<String>,
    /// Default true.
    pub user_initiated: bool,
    /// Default false.
    pub allow_at_launch: bool,
    /// Per-permission override of `settings.reprompt_after_denial_hours`.
    pub reprompt_after_denial_hours: Option<u32>,
}

/// The fields of a permission.
const PERMISSION_FIELDS: &[&str] =
    &["id", "title", "android", "ios", "purposes", "user_initiated", "allow_at_launch", "reprompt_after_denial_hours"];

impl Checker {
    pub(super) fn permission(&mut self, value: &Json, loc: &Loc) -> Option<Permission> {
        let obj = self.object(value, loc, PERMISSION_FIELDS)?;
        let id = self.declared_id(&obj, Kind::Permission);
        let title = self.field(&obj, "title", Self::text);
        let android = self.optional(&obj, "android", Self::texts);
        let ios = self.optional(&obj, "ios", Self::texts);
        let purposes = self.served_purposes(&obj, "a permission");
        let user_initiated = self.optional(&obj, "user_initiated", Self::boolean);
        let allow_at_launch = self.optional(&obj, "allow_at_launch", Self::boolean);
        let reprompt_after_denial_hours =
            self.optional(&obj, "reprompt_after_denial_hours", |c, v, at| c.count_in(v, at, 0, MAX_HOURS));
        Some(Permission {
            id: id?,
            title: title?,
            android: android.unwrap_or_default(),
            ios: ios.unwrap_or_default(),
            purposes: purposes?,
            user_initiated: user_initiated.unwrap_or(true),
            allow_at_launch: allow_at_launch.unwrap_or(false),
            reprompt_after_denial_hours,
        })
    }
}
