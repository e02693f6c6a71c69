//! `gatekeeper log`: the decision log's rows, oldest first (contract §6), each a run of
//! identical answers for one subject with its count and first and last time.

use clap::Args as ClapArgs;
use gatekeeper::report::log_row_json;
use gatekeeper::time::format_rfc3339;
use gatekeeper::Store;
use serde_json::Value;

use crate::{Failure, Output};

/// The arguments of `log` (none).
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper log")]
pub struct Args {}

impl Args {
    /// Prints the log.
    ///
    /// # Errors
    /// A store error.
    pub(crate) fn run(self, store: &mut Store) -> Result<Output, Failure> {
        let rows = store.decision_log()?;
        let text = rows
            .iter()
            .map(|r| {
                format!(
                    "{:>4}  {:<28} {:<5} {:<34} x{:<5} {} .. {}",
                    r.id,
                    r.subject,
                    r.verdict,
                    r.reason,
                    r.count,
                    format_rfc3339(r.first_seen),
                    format_rfc3339(r.last_seen)
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        Ok(Output::ok(Value::Array(rows.iter().map(log_row_json).collect()), text))
    }
}
