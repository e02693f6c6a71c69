//! One answer (contract §4): the verdict, its [reason code](super::Reason), every
//! blocking purpose and SDK, and the times at which it could change, with the JSON the
//! CLI prints for it.

use serde::Serialize;

use super::Reason;
use crate::time::format_rfc3339;

/// What the app should do.
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

    /// The contract's name for the verdict.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allow => "allow",
            Verdict::Ask => "ask",
            Verdict::Deny => "deny",
        }
    }
}

/// One answer. Times are UTC milliseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// `sdk:<id>`, `permission:<id>` or `purpose:<id>`.
    pub subject: String,
    /// What the app should do.
    pub verdict: Verdict,
    /// Why, as a stable code.
    pub reason: Reason,
    /// Blocking purposes (empty on allow).
    pub purposes: Vec<String>,
    /// Blocking SDKs (empty on allow).
    pub sdks: Vec<String>,
    /// On deny: when asking again becomes acceptable.
    pub retry_after: Option<i64>,
    /// The earliest time at which this answer could change by time alone.
    pub valid_until: Option<i64>,
    /// The policy version in force.
    pub policy_version: String,
    /// The user's jurisdiction.
    pub jurisdiction: String,
    /// When the answer was given.
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
