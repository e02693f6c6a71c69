//! `gatekeeper erase`: account deletion (contract §3). Every event, decision-log row and
//! the profile are deleted, and one `erased` marker with a timestamp is kept; what it
//! switches off is printed like any write's changes.

use clap::Args as ClapArgs;
use gatekeeper::time::format_rfc3339;
use gatekeeper::Store;
use serde_json::json;

use crate::{Failure, Output};

/// The arguments of `erase` (none).
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper erase")]
pub struct Args {}

impl Args {
    /// Erases the store.
    ///
    /// # Errors
    /// A store error (nothing was erased).
    pub(crate) fn run(self, store: &mut Store) -> Result<Output, Failure> {
        let changes = store.erase()?;
        let mut out = Output::changes("erased", &changes);
        out.json["erased_at"] = json!(store.ledger().erased_at.map(format_rfc3339));
        out.text = format!("erased: the store now holds only an erase marker\n{}", out.text);
        Ok(out)
    }
}
