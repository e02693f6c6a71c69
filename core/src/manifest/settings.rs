//! The `settings` section, optional as a whole and field by field: how long a grant
//! lasts, when to ask again after a refusal, how long to wait before re-prompting for a
//! permission the OS denied, how to treat a user of unknown age, and how long the
//! decision log keeps its rows.

use serde::Serialize;

use super::checker::Checker;
use super::json::Json;
use super::limits::{MAX_DAYS, MAX_HOURS};
use super::location::Loc;

/// The `settings` section, with the contract's defaults.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// How long a grant counts, in days. Default 395.
    pub consent_ttl_days: u32,
    /// Days after a denial or withdrawal before the app may ask again. Default 180.
    pub reask_after_denial_days: u32,
    /// Hours after an OS denial before the app may prompt again. Default 48.
    pub reprompt_after_denial_hours: u32,
    /// How to treat a user whose age is unknown. Default Adult.
    pub unknown_age: UnknownAge,
    /// Days the decision log keeps a row after it was last seen. Default 400.
    pub decision_log_retention_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            consent_ttl_days: 395,
            reask_after_denial_days: 180,
            reprompt_after_denial_hours: 48,
            unknown_age: UnknownAge::Adult,
            decision_log_retention_days: 400,
        }
    }
}

/// How to treat a user whose age is unknown (`settings.unknown_age`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum UnknownAge {
    /// As an adult.
    Adult,
    /// As a child: a guardian must accept and grant.
    Child,
}

/// The fields of `settings`.
const SETTINGS_FIELDS: &[&str] = &[
    "consent_ttl_days",
    "reask_after_denial_days",
    "reprompt_after_denial_hours",
    "unknown_age",
    "decision_log_retention_days",
];

/// The values of `settings.unknown_age`.
const UNKNOWN_AGES: &[(&str, UnknownAge)] = &[("adult", UnknownAge::Adult), ("child", UnknownAge::Child)];

impl Checker {
    pub(super) fn settings(&mut self, value: &Json, loc: &Loc) -> Option<Settings> {
        let obj = self.object(value, loc, SETTINGS_FIELDS)?;
        let defaults = Settings::default();
        Some(Settings {
            consent_ttl_days: self
                .optional(&obj, "consent_ttl_days", |c, v, at| c.count_in(v, at, 1, MAX_DAYS))
                .unwrap_or(defaults.consent_ttl_days),
            reask_after_denial_days: self
                .optional(&obj, "reask_after_denial_days", |c, v, at| c.count_in(v, at, 0, MAX_DAYS))
                .unwrap_or(defaults.reask_after_denial_days),
            reprompt_after_denial_hours: self
                .optional(&obj, "reprompt_after_denial_hours", |c, v, at| c.count_in(v, at, 0, MAX_HOURS))
                .unwrap_or(defaults.reprompt_after_denial_hours),
            unknown_age: self
                .optional(&obj, "unknown_age", |c, v, at| c.choice(v, at, UNKNOWN_AGES))
                .unwrap_or(defaults.unknown_age),
            decision_log_retention_days: self
                .optional(&obj, "decision_log_retention_days", |c, v, at| c.count_in(v, at, 0, MAX_DAYS))
                .unwrap_or(defaults.decision_log_retention_days),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::super::tests::*;
    use super::*;

    #[test]
    fn settings_are_read() {
        let mut manifest = minimal();
        manifest["settings"] = json!({"consent_ttl_days": 30, "unknown_age": "child"});
        let settings = parse(&manifest.to_string()).expect("valid").settings;
        assert_eq!(settings.consent_ttl_days, 30);
        assert_eq!(settings.unknown_age, UnknownAge::Child);
        assert_eq!(settings.reask_after_denial_days, Settings::default().reask_after_denial_days);
    }
}
