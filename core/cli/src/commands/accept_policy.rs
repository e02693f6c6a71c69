//! `gatekeeper accept-policy [--guardian] [--source S]`: records that the user (or their
//! guardian) accepted the current policy.

use clap::Args as ClapArgs;
use gatekeeper::Store;

use super::choice;
use crate::{Failure, Output};

/// The arguments of `accept-policy`.
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper accept-policy [--guardian] [--source S]")]
pub struct Args {
    /// Accepted by the user's guardian
    #[arg(long, overrides_with = "guardian")]
    pub guardian: bool,
    /// Where in the app it happened (e.g. first_run_dialog)
    #[arg(long, value_name = "S", default_value = "cli", value_parser = choice::source)]
    pub source: String,
}

impl Args {
    /// Records the acceptance.
    ///
    /// # Errors
    /// A malformed source, a store error.
    pub(crate) fn run(self, store: &mut Store) -> Result<Output, Failure> {
        let changes = store.accept_policy(self.guardian, &self.source)?;
        Ok(Output::changes("policy_accepted", &changes))
    }
}
