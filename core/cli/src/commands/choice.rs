//! What `grant`, `deny` and `withdraw` share: the purposes and SDKs a choice is about
//! (at least one), the `--source` of every write, and recording the choice.

use clap::Args;
use gatekeeper::{EventKind, Store};

use crate::failure::{non_empty, Refused};
use crate::{Failure, Output};

/// The purposes and SDKs a choice is about: at least one of either (see
/// `Items::check`).
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Items {
    /// Purposes, by id
    #[arg(value_name = "PURPOSE")]
    pub purposes: Vec<String>,
    /// An SDK, by id (repeat for more)
    #[arg(long = "sdk", value_name = "ID", value_parser = sdk)]
    pub sdks: Vec<String>,
}

impl Items {
    /// At least one purpose or SDK is named.
    ///
    /// # Errors
    /// A usage error naming the command.
    pub(super) fn check(&self, command: &str) -> Result<(), Failure> {
        if self.purposes.is_empty() && self.sdks.is_empty() {
            return Err(Failure::usage(format!("{command} needs at least one PURPOSE or --sdk ID")));
        }
        Ok(())
    }
}

/// The arguments of `deny` and `withdraw`: what is refused, and where.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Refusal {
    /// What is refused or withdrawn.
    #[command(flatten)]
    pub items: Items,
    /// Where in the app it happened (e.g. settings)
    #[arg(long, value_name = "S", default_value = "cli", value_parser = source)]
    pub source: String,
    /// Refused or withdrawn by the user's guardian
    #[arg(long, overrides_with = "guardian")]
    pub guardian: bool,
}

/// `--sdk`: an id.
fn sdk(s: &str) -> Result<String, Refused> {
    non_empty("--sdk", s)
}

/// `--source`: where in the app the choice was made (checked by the store).
pub(crate) fn source(s: &str) -> Result<String, Refused> {
    non_empty("--source", s)
}

/// Records a choice of `kind` about `items`.
///
/// # Errors
/// An undeclared id, a malformed source, a store error (exit status 1).
pub(super) fn record(
    store: &mut Store,
    kind: EventKind,
    items: &Items,
    separate: bool,
    guardian: bool,
    source: &str,
) -> Result<Output, Failure> {
    let changes = store.record_choice(kind, &items.purposes, &items.sdks, separate, guardian, source)?;
    Ok(Output::changes(kind.as_str(), &changes))
}
