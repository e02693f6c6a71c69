//! `gatekeeper explain SUBJECT [--trigger T]`: why a subject is decided as it is: the
//! answer now, the rule of contract §4 that decided it, what the user could do now that
//! would change it (a consent prompt, a separate one, a guardian's, accepting the
//! policy, the system settings) and the answer then, and when the answer changes by
//! time alone. SUBJECT is written as a decision names it: `sdk:ID`, `permission:ID`
//! or `purpose:ID`. The explanation is the library's (`gatekeeper::report::Explanation`);
//! it records and logs nothing.

use clap::Args as ClapArgs;
use gatekeeper::decide::Context;
use gatekeeper::ledger::LedgerState;
use gatekeeper::report::Explanation;
use gatekeeper::{Subject, Trigger};

use super::choice::closest;
use super::decide::TriggerArg;
use crate::failure::{clipped, Refused};
use crate::options::Session;
use crate::{Failure, Output};

/// The arguments of `explain`.
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(
    override_usage = "gatekeeper explain sdk:ID | purpose:ID | permission:ID [--trigger T]  (or: explain sdk ID, as decide takes it)"
)]
pub struct Args {
    /// What to explain: sdk:ID, purpose:ID or permission:ID
    #[arg(value_name = "SUBJECT", value_parser = subject)]
    pub subject: (String, String),
    /// The id, when SUBJECT is only the kind (`explain sdk facebook`, as `decide` takes it)
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// For a permission: what led to the prompt
    #[arg(long, value_enum, value_name = "T", default_value = "user_action")]
    pub trigger: TriggerArg,
}

/// `SUBJECT`: `KIND:ID` (a bare `ID` is refused by `run`, which can say what it is).
fn subject(s: &str) -> Result<(String, String), Refused> {
    let refused = || {
        Refused::new(format!(
            "SUBJECT '{}' is not sdk:ID, purpose:ID or permission:ID (for example sdk:facebook)",
            clipped(s)
        ))
    };
    let Some((kind, id)) = s.split_once(':') else {
        // A bare kind (`explain sdk ID`) or a bare id, which `run` sorts out.
        return Ok((String::new(), s.to_owned()));
    };
    if !["sdk", "purpose", "permission"].contains(&kind) || id.is_empty() {
        return Err(refused());
    }
    Ok((kind.to_owned(), id.to_owned()))
}

impl Args {
    /// The subject to explain.
    pub fn to_subject(&self) -> Subject {
        let (kind, id) = &self.subject;
        match kind.as_str() {
            "sdk" => Subject::Sdk(id.clone()),
            "purpose" => Subject::Purpose(id.clone()),
            _ => Subject::Permission(id.clone(), Trigger::from(self.trigger)),
        }
    }

    /// Explains the subject.
    ///
    /// # Errors
    /// An id the manifest does not declare (exit 1, with the closest declared one); a
    /// store made for another policy or by a newer schema; under `--strict`, a store
    /// that cannot be used.
    pub(crate) fn run(mut self, session: &Session) -> Result<Output, Failure> {
        let m = &session.manifest;
        if self.subject.0.is_empty() {
            match self.id.take() {
                Some(id) if ["sdk", "purpose", "permission"].contains(&self.subject.1.as_str()) => {
                    self.subject = (std::mem::take(&mut self.subject.1), id);
                }
                Some(_) => return Err(Failure::usage(format!(
                    "explain takes one SUBJECT (sdk:ID, purpose:ID or permission:ID), or a kind and an ID; '{}' is not a kind",
                    clipped(&self.subject.1)
                ))),
                None => return Err(bare_id(m, &self.subject.1)),
            }
        } else if self.id.is_some() {
            return Err(Failure::usage("explain takes one SUBJECT: sdk:ID, purpose:ID or permission:ID"));
        }
        let subject = self.to_subject();
        let ledger_none = LedgerState::default();
        let now = session.clock.now_ms();
        if !(Context { manifest: m, ledger: &ledger_none, now, accesses: None }).is_declared(&subject) {
            return Err(undeclared(m, &self.subject.0, &self.subject.1));
        }
        let store = session.open_to_decide()?;
        let (ledger, usable) = match &store {
            Some(s) => (s.ledger().clone(), s.is_usable()),
            None => (LedgerState::default(), false),
        };
        let ctx = Context { manifest: m, ledger: &ledger, now, accesses: None };
        let e = Explanation::of(&ctx, &subject, usable);
        Ok(Output::ok(e.to_json(&subject), e.to_text(&subject)))
    }
}

/// A SUBJECT without its kind (exit 1), with the kinds that declare that id.
fn bare_id(m: &gatekeeper::Manifest, id: &str) -> Failure {
    let mut kinds = Vec::new();
    if m.sdk(id).is_some() {
        kinds.push(format!("sdk:{id}"));
    }
    if m.purpose(id).is_some() {
        kinds.push(format!("purpose:{id}"));
    }
    if m.permission(id).is_some() {
        kinds.push(format!("permission:{id}"));
    }
    let mut message =
        format!("SUBJECT '{}' is not sdk:ID, purpose:ID or permission:ID (for example sdk:facebook)", clipped(id));
    if !kinds.is_empty() {
        message.push_str(&format!("; did you mean {}?", kinds.join(" or ")));
    }
    Failure::invalid_value(message)
}

/// An undeclared id, with the closest declared one of its kind.
fn undeclared(m: &gatekeeper::Manifest, kind: &str, id: &str) -> Failure {
    let ids: Vec<&str> = match kind {
        "sdk" => m.sdks.iter().map(|s| s.id.as_str()).collect(),
        "purpose" => m.purposes.iter().map(|p| p.id.as_str()).collect(),
        _ => m.permissions.iter().map(|p| p.id.as_str()).collect(),
    };
    let mut f = Failure::from(gatekeeper::Error::UnknownId {
        kind: match kind {
            "sdk" => "sdk",
            "purpose" => "purpose",
            _ => "permission",
        },
        id: clipped(id),
    });
    if let Some(c) = closest(id, &ids) {
        f.message.push_str(&format!("; did you mean {kind}:{c}?"));
    }
    f
}
