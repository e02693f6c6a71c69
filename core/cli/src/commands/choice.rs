//! What `grant`, `deny` and `withdraw` share: the purposes and SDKs a choice is about
//! (at least one), the `--source` of every write, and recording the choice. An
//! undeclared id is refused by the store (exit 1, nothing recorded) with a suggestion
//! when one fits: an SDK given as a purpose (`grant alipay` → did you mean
//! `--sdk alipay`?), a purpose given with `--sdk`, or the closest declared id of the
//! same kind (Jaro-Winkler similarity of at least 0.8, from `strsim`, as clap suggests
//! commands).

use clap::Args;
use gatekeeper::manifest::Manifest;
use gatekeeper::{Error, EventKind, Reason, Store, Subject, Verdict};
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
    let changes = store.record_choice(kind, &items.purposes, &items.sdks, separate, guardian, source).map_err(|e| {
        let hint = match &e {
            Error::UnknownId { .. } => suggestion(store.manifest(), items),
            _ => None,
        };
        let mut f = Failure::from(e);
        if let Some(hint) = hint {
            f.message.push_str(&format!("; did you mean {hint}?"));
        }
        f
    })?;
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

/// What the user probably meant by the first undeclared id in `items`, if anything fits.
pub(crate) fn suggestion(m: &Manifest, items: &Items) -> Option<String> {
    let purposes: Vec<&str> = m.purposes.iter().map(|p| p.id.as_str()).collect();
    let sdks: Vec<&str> = m.sdks.iter().map(|s| s.id.as_str()).collect();
    if let Some(p) = items.purposes.iter().find(|p| !purposes.contains(&p.as_str())) {
        return if sdks.contains(&p.as_str()) {
            Some(format!("`--sdk {p}` (it is an SDK, not a purpose)"))
        } else {
            closest(p, &purposes).map(|c| format!("the purpose `{c}`"))
        };
    }
    let s = items.sdks.iter().find(|s| !sdks.contains(&s.as_str()))?;
    if purposes.contains(&s.as_str()) {
        Some(format!("`{s}` without --sdk (it is a purpose, not an SDK)"))
    } else {
        closest(s, &sdks).map(|c| format!("`--sdk {c}`"))
    }
}

/// The id in `ids` most like `given`, when it is alike enough.
pub(crate) fn closest<'a>(given: &str, ids: &[&'a str]) -> Option<&'a str> {
    ids.iter()
        .map(|id| (strsim::jaro_winkler(given, id), *id))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, id)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(purposes: &[&str], sdks: &[&str]) -> Items {
        Items {
            purposes: purposes.iter().map(|s| s.to_string()).collect(),
            sdks: sdks.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn an_undeclared_id_gets_the_suggestion_that_fits() {
        let m = gatekeeper::manifest::parse(gatekeeper::manifest::EXAMPLE_MANIFEST).unwrap();
        let s = |p: &[&str], k: &[&str]| suggestion(&m, &items(p, k));
        assert_eq!(s(&["facebook"], &[]).as_deref(), Some("`--sdk facebook` (it is an SDK, not a purpose)"));
        assert_eq!(s(&[], &["analytics"]).as_deref(), Some("`analytics` without --sdk (it is a purpose, not an SDK)"));
        assert_eq!(s(&["analytic"], &[]).as_deref(), Some("the purpose `analytics`"));
        assert_eq!(s(&[], &["facebok"]).as_deref(), Some("`--sdk facebook`"));
        assert_eq!(s(&["zzzz"], &[]), None);
        assert_eq!(s(&["analytics"], &["mmkv"]), None);
    }
}
