//! What `grant`, `deny` and `withdraw` share: the purposes and SDKs a choice is about
//! (at least one), the `--source` of every write, and recording the choice.

use clap::Args;
use gatekeeper::{EventKind, Reason, Store, Subject, Verdict};
use serde_json::json;

use crate::failure::{non_empty, Refused};
use crate::{Failure, Output};

/// The purposes and SDKs a choice is about: at least one of either (see
/// `Items::check`).
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Items {
    /// Purposes, by id
    #[arg(value_name = "PURPOSE")]
    pub purposes: Vec<String>,
    /// An SDK, by id (repeat for more)
    #[arg(long = "sdk", value_name = "ID", value_parser = sdk)]
    pub sdks: Vec<String>,
}

impl Items {
    /// At least one purpose or SDK is named.
    ///
    /// # Errors
    /// A usage error naming the command.
    pub(super) fn check(&self, command: &str) -> Result<(), Failure> {
        if self.purposes.is_empty() && self.sdks.is_empty() {
            return Err(Failure::usage(format!("{command} needs at least one PURPOSE or --sdk ID")));
        }
        Ok(())
    }
}

/// The arguments of `deny` and `withdraw`: what is refused, and where.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Refusal {
    /// What is refused or withdrawn.
    #[command(flatten)]
    pub items: Items,
    /// Where in the app it happened (e.g. settings)
    #[arg(long, value_name = "S", default_value = "cli", value_parser = source)]
    pub source: String,
    /// Refused or withdrawn by the user's guardian
    #[arg(long, overrides_with = "guardian")]
    pub guardian: bool,
}

/// `--sdk`: an id.
fn sdk(s: &str) -> Result<String, Refused> {
    non_empty("--sdk", s)
}

/// `--source`: where in the app the choice was made (checked by the store).
pub(crate) fn source(s: &str) -> Result<String, Refused> {
    non_empty("--source", s)
}

/// Records a choice of `kind` about `items`.
///
/// # Errors
/// An undeclared id, a malformed source, a store error (exit status 1).
pub(super) fn record(
    store: &mut Store,
    kind: EventKind,
    items: &Items,
    separate: bool,
    guardian: bool,
    source: &str,
) -> Result<Output, Failure> {
    let changes = store.record_choice(kind, &items.purposes, &items.sdks, separate, guardian, source)?;
    let mut out = Output::changes(kind.as_str(), &changes);
    if kind == EventKind::Granted {
        let needed = still_needed(store, items);
        for n in &needed {
            out.text.push_str(&format!("\n  still needed: {}: {} ({})", n.subject, n.hint, n.reason.as_str()));
        }
        out.json["still_needed"] = needed
            .iter()
            .map(|n| json!({"subject": n.subject, "reason": n.reason.as_str(), "hint": n.hint}))
            .collect::<Vec<_>>()
            .into();
    }
    Ok(out)
}

/// A granted item whose grant does not count yet, and what it still needs.
struct Needed {
    subject: String,
    reason: Reason,
    hint: &'static str,
}

/// After a grant: every granted item that is still not allowed because of itself (its
/// own grant does not count: not separate where it must be, not by a guardian for a
/// child, the policy not accepted), so that a grant that cannot count does not go by
/// without a word (issue 13, defect 3).
fn still_needed(store: &Store, items: &Items) -> Vec<Needed> {
    let subjects = items
        .purposes
        .iter()
        .map(|p| (Subject::Purpose(p.clone()), p, true))
        .chain(items.sdks.iter().map(|s| (Subject::Sdk(s.clone()), s, false)));
    let mut out = Vec::new();
    for (subject, id, is_purpose) in subjects {
        let d = store.peek(&subject);
        if d.verdict == Verdict::Allow {
            continue;
        }
        let blockers = if is_purpose { &d.purposes } else { &d.sdks };
        let policy_level = d.purposes.is_empty() && d.sdks.is_empty();
        if !policy_level && !blockers.contains(id) {
            continue;
        }
        let hint = match d.reason {
            Reason::SeparateConsentRequired => "grant it again with --separate, in a prompt dedicated to it",
            Reason::GuardianConsentRequired => "the user is a child: their guardian must give it (--guardian)",
            Reason::PolicyNotAccepted | Reason::PolicyUpdateRequiresAcceptance => {
                "the policy must be accepted first (accept-policy)"
            }
            _ => "the grant does not count yet",
        };
        out.push(Needed { subject: d.subject.clone(), reason: d.reason, hint });
    }
    out
}
