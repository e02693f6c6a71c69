//! The commands, one file each, named after the command: its arguments (a clap `Args`
//! struct whose doc comments are its help), its usage line, and what it does.
//!
//! A new command is a file here with an `Args` struct and a `run`, and one variant of
//! [`Command`] with its arm in `Command::run` (and in `Command::check` if it must
//! be checked beyond what its parser says). Part two's commands (`decline-policy`,
//! `sdk-started`, `sdk-stopped`, `audit`, `disclose`, `tcf`) go the same way; `decide
//! access` and `decide consent-mode` are variants of [`decide::What`].

pub mod accept_policy;
pub mod audit;
pub mod choice;
pub mod decide;
pub mod decline_policy;
pub mod demo;
pub mod deny;
pub mod diff;
pub mod disclose;
pub mod erase;
pub mod explain;
pub mod export;
pub mod grant;
pub mod lint;
pub mod log;
pub mod permission_result;
pub mod profile;
pub mod sdk_started;
pub mod sdk_stopped;
pub mod state;
pub mod status;
pub mod tcf;
pub mod verify;
pub mod withdraw;

use clap::Subcommand;

use crate::options::{Global, Session};
use crate::{Failure, Output};

/// One command.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Walk the example app through first run, consent, SDK start, permission prompts
    /// and withdrawal (on a store of its own: it erases it first)
    Demo(demo::Args),
    /// Validate a manifest; exit 1 listing every error
    Lint(lint::Args),
    /// Compare two versions of a manifest; exit 1 when the version bump does not cover the changes
    Diff(diff::Args),
    /// Set the user's country and age
    Profile(profile::Args),
    /// Record acceptance of the current policy
    AcceptPolicy(accept_policy::Args),
    /// Record that the user declined the current policy (basic mode)
    DeclinePolicy(decline_policy::Args),
    /// Record a grant for purposes and/or SDKs
    Grant(grant::Args),
    /// Record a refusal for purposes and/or SDKs
    #[command(override_usage = "gatekeeper deny [PURPOSE...] [--sdk ID]... [--guardian] [--source S]")]
    Deny(deny::Args),
    /// Record a withdrawal for purposes and/or SDKs
    #[command(override_usage = "gatekeeper withdraw [PURPOSE...] [--sdk ID]... [--guardian] [--source S]")]
    Withdraw(withdraw::Args),
    /// Record what the OS answered to a permission prompt
    PermissionResult(permission_result::Args),
    /// Decide an SDK start, a permission prompt, a purpose or a data access (or the Consent Mode signals), and log the answer
    Decide(decide::Args),
    /// Print the consent state
    State(state::Args),
    /// Print every SDK, permission and purpose with its verdict and reason now
    Status(status::Args),
    /// Explain a decision: the rule that decided, what would change it, and when it changes by time alone
    Explain(explain::Args),
    /// Print the decision log
    Log(log::Args),
    /// Print everything the store holds about the user, with consent receipts
    Export(export::Args),
    /// Delete everything about the user, keeping one erase marker
    Erase(erase::Args),
    /// Recompute the ledger's hash chain; exit 1 naming the first broken event
    Verify(verify::Args),
    /// Record that the app actually started an SDK (the start log)
    SdkStarted(sdk_started::Args),
    /// Record that the app actually stopped an SDK (the start log)
    SdkStopped(sdk_stopped::Args),
    /// Check the start log: no SDK started before its allow, every SDK stopped after a withdrawal; exit 1 on a violation
    Audit(audit::Args),
    /// Decode or import an IAB TCF TC string (and Google Additional Consent string) a CMP stored
    Tcf(tcf::Args),
    /// Print the personal-information collection and third-party sharing lists an app publishes
    Disclose(disclose::Args),
}

impl Command {
    /// What the parser cannot say: a choice names at least one purpose or SDK.
    ///
    /// # Errors
    /// A usage error.
    pub fn check(&self) -> Result<(), Failure> {
        match self {
            Command::Grant(args) => args.items.check("grant"),
            Command::Deny(args) => args.items.check("deny"),
            Command::Withdraw(args) => args.items.check("withdraw"),
            _ => Ok(()),
        }
    }

    /// Runs the command with the global options.
    ///
    /// # Errors
    /// A [`Failure`] with exit status 1 (invalid input, a failed check, a store that
    /// cannot be used) or 2 (a value the parser let through but the command refuses).
    pub(crate) fn run(self, global: &Global) -> Result<Output, Failure> {
        match self {
            // `lint` reads no manifest but its argument, and opens no store.
            Command::Lint(args) => args.run(),
            // `diff` reads its two files and opens no store.
            Command::Diff(args) => args.run(),
            Command::Demo(args) => args.run(&Session::new(global)?),
            Command::Decide(args) => args.run(&Session::new(global)?),
            Command::Explain(args) => args.run(&Session::new(global)?),
            Command::Status(args) => args.run(&Session::new(global)?),
            Command::Profile(args) => Session::new(global)?.with_store(|s| args.run(s)),
            Command::AcceptPolicy(args) => Session::new(global)?.with_store(|s| args.run(s)),
            Command::DeclinePolicy(args) => Session::new(global)?.with_store(|s| args.run(s)),
            Command::SdkStarted(args) => Session::new(global)?.with_store(|s| args.run(s)),
            Command::SdkStopped(args) => Session::new(global)?.with_store(|s| args.run(s)),
            Command::Audit(args) => Session::new(global)?.with_store(|s| args.run(s)),
            Command::Grant(args) => Session::new(global)?.with_store(|s| args.run(s)),
            Command::Deny(args) => Session::new(global)?.with_store(|s| deny::run(args, s)),
            Command::Withdraw(args) => Session::new(global)?.with_store(|s| withdraw::run(args, s)),
            Command::PermissionResult(args) => Session::new(global)?.with_store(|s| args.run(s)),
            Command::State(args) => {
                let strict_applies = !args.ack_recovery;
                Session::new(global)?.with_store_checked(strict_applies, |s| args.run(s))
            }
            Command::Log(args) => Session::new(global)?.with_store(|s| args.run(s)),
            Command::Export(args) => Session::new(global)?.with_store(|s| args.run(s)),
            // `erase` is the way out of a broken ledger and `verify` the check that names
            // what broke, so `--strict` lets both through.
            Command::Erase(args) => Session::new(global)?.with_store_checked(false, |s| args.run(s)),
            Command::Verify(args) => Session::new(global)?.with_store_checked(false, |s| args.run(s)),
            Command::Tcf(args) => args.run(global),
            // `disclose` reads the manifest only, and opens no store.
            Command::Disclose(args) => args.run(global),
        }
    }
}
