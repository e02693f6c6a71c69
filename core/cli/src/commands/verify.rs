//! `gatekeeper verify`: recomputes the ledger's hash chain (contract §3) and names the
//! first broken event; exit status 1 when there is one.

use clap::Args as ClapArgs;
use gatekeeper::Store;
use serde_json::json;

use crate::{Failure, Output};

/// The arguments of `verify` (none).
#[derive(Debug, Clone, PartialEq, Eq, ClapArgs)]
#[command(override_usage = "gatekeeper verify")]
pub struct Args {}

impl Args {
    /// Verifies the chain.
    ///
    /// # Errors
    /// A store error.
    pub(crate) fn run(self, store: &mut Store) -> Result<Output, Failure> {
        let r = store.verify()?;
        let ok = r.first_broken.is_none();
        let json = json!({"ok": ok, "events": r.events, "first_broken": r.first_broken});
        let text = match r.first_broken {
            None => format!("ok: {} event(s), hash chain intact", r.events),
            Some(id) => format!("BROKEN: {} event(s); the first broken event is {id}", r.events),
        };
        Ok(Output { json, text, status: if ok { 0 } else { 1 } })
    }
}
