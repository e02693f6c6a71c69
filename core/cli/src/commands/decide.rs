//! `gatekeeper decide sdk ID | decide purpose ID | decide permission ID [--trigger T] |
//! decide access ID [--background]`: decides one subject (contract §4, §9.2), logs the
//! answer and prints the decision object. An allowed access is recorded as the access
//! (durably, before the command returns) and starts the id's interval.
//! It exits 0 whatever the verdict. A store that cannot be opened, or an answer that
//! cannot be logged, still gets an answer: `deny store_unavailable`, with a warning on
//! stderr (with `--strict`: an error, exit 1).
//!
//! `gatekeeper decide consent-mode` (contract section 11) prints the four Google Consent
//! Mode signals, `{"ad_storage": "granted"|"denied", …}`, deciding (and logging) each
//! purpose that declares one; without a usable store every signal is `denied`.

use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use gatekeeper::consent_mode::{ConsentMode, ConsentSignal};
use gatekeeper::decide::Context;
use gatekeeper::ledger::LedgerState;
use gatekeeper::{Decision, Subject, Trigger};

use crate::options::Session;
use crate::{Failure, Output};

/// The arguments of `decide`.
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(
    override_usage = "gatekeeper decide sdk ID | decide purpose ID | decide permission ID [--trigger T] | decide access ID [--background] | decide consent-mode"
)]
pub struct Args {
    /// What to decide.
    #[command(subcommand)]
    pub what: What,
}

/// What to decide.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum What {
    /// May this SDK start now?
    #[command(override_usage = "gatekeeper decide sdk ID")]
    Sdk {
        /// The SDK, by id
        id: String,
    },
    /// May the app use data for this purpose now?
    #[command(override_usage = "gatekeeper decide purpose ID")]
    Purpose {
        /// The purpose, by id
        id: String,
    },
    /// May the app show this permission's prompt now?
    #[command(override_usage = "gatekeeper decide permission ID [--trigger T]")]
    Permission {
        /// The permission, by id
        id: String,
        /// What led to the prompt
        #[arg(long, value_enum, value_name = "T", default_value = "user_action")]
        trigger: TriggerArg,
    },
    /// May the app read this sensitive data now? An allow is the access
    #[command(override_usage = "gatekeeper decide access ID [--background]")]
    Access {
        /// The data access, by id
        id: String,
        /// The app is in the background
        #[arg(long)]
        background: bool,
    },
    /// The Google Consent Mode signals (ad_storage, analytics_storage, ad_user_data,
    /// ad_personalization) from the purposes that declare them
    #[command(override_usage = "gatekeeper decide consent-mode")]
    ConsentMode,
}

/// How a permission prompt came about, as the command line spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum TriggerArg {
    /// The user tapped something that needs the permission
    UserAction,
    /// The app is in the background or acting on its own
    Background,
    /// The app is starting up
    AppLaunch,
}

impl From<TriggerArg> for Trigger {
    fn from(t: TriggerArg) -> Self {
        match t {
            TriggerArg::UserAction => Trigger::UserAction,
            TriggerArg::Background => Trigger::Background,
            TriggerArg::AppLaunch => Trigger::AppLaunch,
        }
    }
}

impl What {
    /// The subject to decide; `None` for `consent-mode`, which decides several purposes.
    pub fn subject(&self) -> Option<Subject> {
        match self {
            What::Sdk { id } => Some(Subject::Sdk(id.clone())),
            What::Purpose { id } => Some(Subject::Purpose(id.clone())),
            What::Permission { id, trigger } => Some(Subject::Permission(id.clone(), (*trigger).into())),
            What::Access { id, background } => Some(Subject::Access(id.clone(), *background)),
            What::ConsentMode => None,
        }
    }
}

impl Args {
    /// Decides, logs and prints the decision.
    ///
    /// # Errors
    /// A store made for another policy, or by a newer schema (exit status 1).
    pub(crate) fn run(self, session: &Session) -> Result<Output, Failure> {
        let Some(subject) = self.what.subject() else { return consent_mode(session) };
        let Some(mut store) = session.open_to_decide()? else {
            return Ok(Output::decision(&unavailable(session, &subject)));
        };
        let d = store.decide(&subject);
        // Every answer is logged; one that cannot be (a full disk) fails closed, as the
        // library does when it cannot write a new log row.
        if let Err(e) = store.flush() {
            eprintln!("gatekeeper: warning: cannot write the decision log ({e}); failing closed");
            return Ok(Output::decision(&unavailable(session, &subject)));
        }
        Ok(Output::decision(&d))
    }
}

/// `decide consent-mode`: the signals, each declaring purpose decided and logged.
///
/// # Errors
/// As `decide`.
fn consent_mode(session: &Session) -> Result<Output, Failure> {
    let mode = match session.open_to_decide()? {
        Some(mut store) => {
            let mode = store.consent_mode();
            match store.flush() {
                Ok(()) => mode,
                Err(e) => {
                    eprintln!("gatekeeper: warning: cannot write the decision log ({e}); failing closed");
                    ConsentMode::DENIED
                }
            }
        }
        None => ConsentMode::DENIED,
    };
    let text: Vec<String> =
        ConsentSignal::ALL.iter().map(|s| format!("{}: {}", s.as_str(), mode.get(*s).as_str())).collect();
    Ok(Output::ok(mode.to_json(), text.join("\n")))
}

/// The fail-closed answer without a usable store.
fn unavailable(session: &Session, subject: &Subject) -> Decision {
    let ledger = LedgerState::default();
    Context { manifest: &session.manifest, ledger: &ledger, now: session.clock.now_ms(), accesses: None }
        .unavailable(subject)
}
