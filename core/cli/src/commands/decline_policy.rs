//! `gatekeeper decline-policy [--source S]`: records that the user declined the current
//! policy (contract §9.1). The app then keeps its basic service: subjects whose purposes
//! are all `basic` are decided as if the policy were accepted (`basic_mode`), everything
//! else asks `policy_not_accepted`, until the user accepts.

use clap::Args as ClapArgs;
use gatekeeper::Store;

use super::choice;
use crate::{Failure, Output};

/// The arguments of `decline-policy`.
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper decline-policy [--source S]")]
pub struct Args {
    /// Where in the app it happened (e.g. first_run_dialog)
    #[arg(long, value_name = "S", default_value = "cli", value_parser = choice::source)]
    pub source: String,
}

impl Args {
    /// Records the decline.
    ///
    /// # Errors
    /// A malformed source, a store error.
    pub(crate) fn run(self, store: &mut Store) -> Result<Output, Failure> {
        let changes = store.decline_policy(&self.source)?;
        Ok(Output::changes("policy_declined", &changes))
    }
}
