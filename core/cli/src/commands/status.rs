//! `gatekeeper status`: every SDK, permission (asked from a user action), purpose and data
//! access (a foreground read, paced by the reads already recorded) of the manifest with its verdict, reason and blockers now, in one table (`--json`:
//! `{"policy_version", "jurisdiction", "subjects": [{"kind", "id", "subject",
//! "verdict", "reason", "purposes", "sdks", "retry_after", "valid_until"}]}`). The
//! table is the library's (`gatekeeper::report::StatusReport`); it records and logs
//! nothing. A store that cannot be opened lists every subject as `deny
//! store_unavailable` with a warning (with `--strict`: exit 1).

use clap::Args as ClapArgs;
use gatekeeper::decide::Context;
use gatekeeper::ledger::LedgerState;
use gatekeeper::report::StatusReport;

use crate::options::Session;
use crate::{Failure, Output};

/// The arguments of `status` (none).
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper status")]
pub struct Args {}

impl Args {
    /// Prints the table.
    ///
    /// # Errors
    /// A store made for another policy or by a newer schema; under `--strict`, a store
    /// that cannot be used.
    pub(crate) fn run(self, session: &Session) -> Result<Output, Failure> {
        let store = session.open_to_decide()?;
        let report = match store {
            Some(mut s) => s.status()?,
            None => {
                let ledger = LedgerState::default();
                let ctx = Context {
                    manifest: &session.manifest,
                    ledger: &ledger,
                    now: session.clock.now_ms(),
                    accesses: None,
                };
                StatusReport::of(&ctx, false)
            }
        };
        Ok(Output::ok(report.to_json(), report.to_text()))
    }
}
