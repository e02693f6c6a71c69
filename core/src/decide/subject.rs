//! What a decision is about (contract §4): an SDK start, a permission prompt with the
//! trigger that led to it, a use of data for a purpose, or (part two, §9.2) one read of
//! sensitive data, `access:<id>`, in the foreground or the background.

use serde::Serialize;

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
    /// The contract's name for the trigger (`user_action`, `background`, `app_launch`).
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::UserAction => "user_action",
            Trigger::Background => "background",
            Trigger::AppLaunch => "app_launch",
        }
    }

    /// The trigger with this name, if it is one.
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
    /// May this SDK start? (`sdk:<id>`)
    Sdk(String),
    /// May the app show this permission's prompt now? (`permission:<id>`)
    Permission(String, Trigger),
    /// May the app use data for this purpose? (`purpose:<id>`)
    Purpose(String),
    /// May the app read this sensitive data now, in the background (`true`) or the
    /// foreground? (`access:<id>`, §9.2) An allow is the access.
    Access(String, bool),
}

impl Subject {
    /// `sdk:<id>`, `permission:<id>` or `purpose:<id>`.
    pub fn key(&self) -> String {
        // On the hot path of every decision: one exact allocation, no formatting machinery.
        let (prefix, id) = match self {
            Subject::Sdk(id) => ("sdk:", id),
            Subject::Permission(id, _) => ("permission:", id),
            Subject::Purpose(id) => ("purpose:", id),
            Subject::Access(id, _) => ("access:", id),
        };
        let mut key = String::with_capacity(prefix.len() + id.len());
        key.push_str(prefix);
        key.push_str(id);
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_keyed_by_kind_and_id() {
        assert_eq!(Subject::Sdk("facebook".into()).key(), "sdk:facebook");
        assert_eq!(Subject::Permission("camera".into(), Trigger::AppLaunch).key(), "permission:camera");
        assert_eq!(Subject::Purpose("analytics".into()).key(), "purpose:analytics");
        assert_eq!(Subject::Access("clipboard".into(), true).key(), "access:clipboard");
    }

    #[test]
    fn triggers_round_trip_by_name() {
        for t in [Trigger::UserAction, Trigger::Background, Trigger::AppLaunch] {
            assert_eq!(Trigger::parse(t.as_str()), Some(t));
        }
        assert_eq!(Trigger::parse("boot"), None);
    }
}
