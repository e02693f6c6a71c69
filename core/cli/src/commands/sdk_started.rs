//! `gatekeeper sdk-started ID`: records that the app actually started the SDK (contract
//! §9.3), an `sdk_state` event with `running: true`, for the start log that `audit`
//! checks. An undeclared id is an error (exit status 1).

use clap::Args as ClapArgs;
use gatekeeper::Store;

use crate::{Failure, Output};

/// The arguments of `sdk-started`.
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper sdk-started ID")]
pub struct Args {
    /// The SDK, by id
    pub id: String,
}

impl Args {
    /// Records the start.
    ///
    /// # Errors
    /// An undeclared SDK, a store error.
    pub(crate) fn run(self, store: &mut Store) -> Result<Output, Failure> {
        let changes = store.record_sdk_started(&self.id)?;
        Ok(Output::changes("sdk_state", &changes))
    }
}
