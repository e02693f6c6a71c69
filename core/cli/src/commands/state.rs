//! `gatekeeper state`: the consent state (contract §7): the policy's acceptance and
//! version, `notice_pending`, the profile and jurisdiction, and how each purpose, SDK
//! and permission stands, with times. A recovery from corruption is in it
//! (`recovered_from_corruption`, `recovery`) until `state --ack-recovery` acknowledges
//! it, which deletes the note (not the copy moved aside) and prints the state after.

use clap::Args as ClapArgs;
use gatekeeper::report::StateReport;
use gatekeeper::Store;

use crate::{Failure, Output};

/// The arguments of `state` (none).
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper state [--ack-recovery]")]
pub struct Args {
    /// Acknowledge that the store was found corrupt and started afresh: the state no
    /// longer reports it, and --strict no longer fails on it
    #[arg(long, overrides_with = "ack_recovery")]
    pub ack_recovery: bool,
}

impl Args {
    /// Prints the state.
    ///
    /// # Errors
    /// With `--ack-recovery`, a store error writing it.
    pub(crate) fn run(self, store: &mut Store) -> Result<Output, Failure> {
        if self.ack_recovery {
            store.acknowledge_recovery()?;
        }
        let json = StateReport::of(store).to_json();
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        Ok(Output::ok(json, text))
    }
}
