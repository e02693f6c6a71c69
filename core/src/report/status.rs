//! Every subject of the manifest with its answer now, in one table (`gatekeeper
//! status`): each SDK, each permission (asked from a user action), each purpose and each
//! data access (a read in the foreground), in manifest order, with its verdict, reason and blockers. It is the demo's "what may
//! start now" step as a command, for an app team checking a user's store, and it is
//! read-only: the answers are worked out from the folded ledger, not logged (a status
//! is not the app asking), so the decision log stays what the app was told.

use serde_json::{json, Value};

use crate::decide::{Context, Decision, Subject, Trigger};
use crate::manifest::Manifest;
use crate::time::format_rfc3339;

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRow {
    /// `sdk`, `permission`, `purpose` or `access`.
    pub kind: &'static str,
    /// The subject's id.
    pub id: String,
    /// Its answer now.
    pub decision: Decision,
}

/// Every subject's answer now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusReport {
    /// The policy version in force.
    pub policy_version: String,
    /// The user's jurisdiction.
    pub jurisdiction: String,
    /// The rows: SDKs, then permissions, purposes and data accesses, each in manifest order.
    pub rows: Vec<StatusRow>,
}

/// Every subject `status` lists, with its kind: SDKs, permissions (trigger
/// `user_action`), purposes, data accesses (in the foreground).
pub fn subjects(m: &Manifest) -> Vec<(&'static str, Subject)> {
    let sdks = m.sdks.iter().map(|s| ("sdk", Subject::Sdk(s.id.clone())));
    let permissions =
        m.permissions.iter().map(|p| ("permission", Subject::Permission(p.id.clone(), Trigger::UserAction)));
    let purposes = m.purposes.iter().map(|p| ("purpose", Subject::Purpose(p.id.clone())));
    let accesses = m.data_access.iter().map(|a| ("access", Subject::Access(a.id.clone(), false)));
    sdks.chain(permissions).chain(purposes).chain(accesses).collect()
}

impl StatusReport {
    /// The table under `ctx`; with `usable` false (a store that cannot be used) every
    /// row is `deny store_unavailable`.
    pub fn of(ctx: &Context<'_>, usable: bool) -> StatusReport {
        let rows = subjects(ctx.manifest)
            .into_iter()
            .map(|(kind, subject)| {
                let decision = if usable { ctx.decide(&subject) } else { ctx.unavailable(&subject) };
                let id = match &subject {
                    Subject::Sdk(id) | Subject::Purpose(id) | Subject::Permission(id, _) | Subject::Access(id, _) => {
                        id.clone()
                    }
                };
                StatusRow { kind, id, decision }
            })
            .collect();
        StatusReport {
            policy_version: ctx.manifest.policy.version.clone(),
            jurisdiction: ctx.jurisdiction().id.clone(),
            rows,
        }
    }

    /// The `status --json` document.
    pub fn to_json(&self) -> Value {
        json!({
            "policy_version": self.policy_version,
            "jurisdiction": self.jurisdiction,
            "subjects": self.rows.iter().map(|r| json!({
                "kind": r.kind,
                "id": r.id,
                "subject": r.decision.subject,
                "verdict": r.decision.verdict.as_str(),
                "reason": r.decision.reason.as_str(),
                "purposes": r.decision.purposes,
                "sdks": r.decision.sdks,
                "retry_after": r.decision.retry_after.map(format_rfc3339),
                "valid_until": r.decision.valid_until.map(format_rfc3339),
            })).collect::<Vec<_>>(),
        })
    }

    /// The table as text: one line per subject, columns aligned.
    pub fn to_text(&self) -> String {
        let width = self.rows.iter().map(|r| r.decision.subject.len()).max().unwrap_or(0).max("SUBJECT".len());
        let mut t = format!("policy {} in jurisdiction {}\n", self.policy_version, self.jurisdiction);
        t.push_str(&format!("{:<width$}  {:<7}  {:<33}  BLOCKING", "SUBJECT", "VERDICT", "REASON"));
        for r in &self.rows {
            let d = &r.decision;
            let mut blocking: Vec<String> = d.purposes.clone();
            blocking.extend(d.sdks.iter().map(|s| format!("sdk:{s}")));
            let line = format!(
                "{:<width$}  {:<7}  {:<33}  {}",
                d.subject,
                d.verdict.as_str(),
                d.reason.as_str(),
                blocking.join(", ")
            );
            t.push('\n');
            t.push_str(line.trim_end());
        }
        t
    }
}
