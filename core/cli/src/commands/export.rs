//! `gatekeeper export`: everything the store holds about the user (contract §6), as one
//! JSON document: the profile, the state, every event as a consent receipt, and the
//! decision log.

use clap::Args as ClapArgs;
use gatekeeper::report::Export;
use gatekeeper::Store;

use crate::{Failure, Output};

/// The arguments of `export` (none).
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper export")]
pub struct Args {}

impl Args {
    /// Prints the export document.
    ///
    /// # Errors
    /// A store error.
    pub(crate) fn run(self, store: &mut Store) -> Result<Output, Failure> {
        let json = Export::of(store)?.to_json();
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        Ok(Output::ok(json, text))
    }
}
