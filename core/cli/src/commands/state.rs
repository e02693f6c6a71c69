//! `gatekeeper state`: the consent state (contract §7): the policy's acceptance and
//! version, `notice_pending`, the profile and jurisdiction, and how each purpose, SDK
//! and permission stands, with times.

use clap::Args as ClapArgs;
use gatekeeper::report::StateReport;
use gatekeeper::Store;

use crate::{Failure, Output};

/// The arguments of `state` (none).
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper state")]
pub struct Args {}

impl Args {
    /// Prints the state.
    ///
    /// # Errors
    /// None of its own (the store was opened by the caller).
    pub(crate) fn run(self, store: &mut Store) -> Result<Output, Failure> {
        let json = StateReport::of(store).to_json();
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        Ok(Output::ok(json, text))
    }
}
