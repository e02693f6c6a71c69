//! `gatekeeper sdk-stopped ID`: records that the app actually stopped the SDK (contract
//! §9.3), an `sdk_state` event with `running: false`. An undeclared id is an error (exit
//! status 1).

use clap::Args as ClapArgs;
use gatekeeper::Store;

use crate::{Failure, Output};

/// The arguments of `sdk-stopped`.
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper sdk-stopped ID")]
pub struct Args {
    /// The SDK, by id
    pub id: String,
}

impl Args {
    /// Records the stop.
    ///
    /// # Errors
    /// An undeclared SDK, a store error.
    pub(crate) fn run(self, store: &mut Store) -> Result<Output, Failure> {
        let changes = store.record_sdk_stopped(&self.id)?;
        Ok(Output::changes("sdk_state", &changes))
    }
}
