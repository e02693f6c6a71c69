//! `gatekeeper grant [PURPOSE...] [--sdk ID]... [--separate] [--guardian] [--source S]`:
//! records a grant for purposes and/or SDKs.

use clap::Args as ClapArgs;
use gatekeeper::{EventKind, Store};

use super::choice::{self, Items};
use crate::{Failure, Output};

/// The arguments of `grant`.
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper grant [PURPOSE...] [--sdk ID]... [--separate] [--guardian] [--source S]")]
pub struct Args {
    /// What is granted.
    #[command(flatten)]
    pub items: Items,
    /// Given in a prompt dedicated to these items
    #[arg(long, overrides_with = "separate")]
    pub separate: bool,
    /// Given by the user's guardian
    #[arg(long, overrides_with = "guardian")]
    pub guardian: bool,
    /// Where in the app it happened (e.g. first_run_dialog, settings, just_in_time)
    #[arg(long, value_name = "S", default_value = "cli", value_parser = choice::source)]
    pub source: String,
}

impl Args {
    /// Records the grant.
    ///
    /// # Errors
    /// An undeclared id, a malformed source, a store error.
    pub(crate) fn run(self, store: &mut Store) -> Result<Output, Failure> {
        choice::record(store, EventKind::Granted, &self.items, self.separate, self.guardian, &self.source)
    }
}
