//! The options every command takes (`--db`, `--policy`, `--now`, `--json`), accepted
//! before or after the command, and what they resolve to when a command runs: the
//! manifest (the embedded example by default), the store's path and the clock.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use gatekeeper::manifest::{self, Manifest};
use gatekeeper::time::{parse_rfc3339, Clock, FixedClock, SystemClock};
use gatekeeper::{Error, Store};

use crate::failure::{non_empty, Failure, Refused};

/// The options every command takes.
#[derive(Debug, Default, Clone, PartialEq, Eq, Args)]
pub struct Global {
    /// The store [default: ./gatekeeper.db]
    #[arg(long, global = true, value_name = "PATH", value_parser = path_of("--db"), overrides_with = "db")]
    pub db: Option<PathBuf>,
    /// The policy manifest [default: the embedded example]
    #[arg(long, global = true, value_name = "FILE", value_parser = path_of("--policy"), overrides_with = "policy")]
    pub policy: Option<PathBuf>,
    /// The time to act at [default: the system clock]
    #[arg(long, global = true, value_name = "RFC3339", value_parser = now, overrides_with = "now")]
    pub now: Option<i64>,
    /// Print one JSON document on stdout, errors included
    #[arg(long, global = true, overrides_with = "json")]
    pub json: bool,
}

/// A non-empty path given to `flag`.
fn path_of(flag: &'static str) -> impl Fn(&str) -> Result<PathBuf, Refused> + Clone + Send + Sync + 'static {
    move |s| non_empty(flag, s).map(PathBuf::from)
}

/// `--now`: an RFC 3339 time.
fn now(s: &str) -> Result<i64, Refused> {
    let ms =
        parse_rfc3339(s).ok_or_else(|| Refused::new("--now must be an RFC 3339 time such as 2026-01-01T00:00:00Z"))?;
    if !gatekeeper::time::in_bounds(ms) {
        return Err(Refused::new("--now must be from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z"));
    }
    Ok(ms)
}

/// What a command runs with: the global options resolved.
pub(crate) struct Session {
    /// The policy the store is opened for.
    pub(crate) manifest: Arc<Manifest>,
    /// The store's file.
    pub(crate) path: PathBuf,
    /// Where "now" comes from.
    pub(crate) clock: Arc<dyn Clock>,
}

impl Session {
    /// Reads the manifest (`--policy`, else the embedded example), the store's path and
    /// the clock.
    ///
    /// # Errors
    /// The policy file cannot be read or is not a valid manifest (every issue listed).
    pub(crate) fn new(g: &Global) -> Result<Session, Failure> {
        let text = match &g.policy {
            Some(p) => std::fs::read_to_string(p)
                .map_err(|e| Failure::io(format!("cannot read the policy manifest {}: {e}", p.display())))?,
            None => manifest::EXAMPLE_MANIFEST.to_owned(),
        };
        let manifest = manifest::parse(&text).map_err(|issues| {
            let mut f = Failure::from(Error::InvalidManifest(issues));
            if let Some(p) = &g.policy {
                f.message = format!("{}: {}", p.display(), f.message);
            }
            f
        })?;
        let clock: Arc<dyn Clock> = match g.now {
            Some(t) => Arc::new(FixedClock::new(t)),
            None => Arc::new(SystemClock),
        };
        let path = g.db.clone().unwrap_or_else(|| PathBuf::from("gatekeeper.db"));
        Ok(Session { manifest: Arc::new(manifest), path, clock })
    }

    /// Opens the store, saying on stderr when it was found corrupt and started afresh.
    ///
    /// # Errors
    /// The store's own errors (see [`Store::open`]).
    pub(crate) fn open(&self) -> Result<Store, Error> {
        let store = Store::open(&self.path, self.manifest.clone(), self.clock.clone())?;
        if let Some(r) = store.recovery() {
            eprintln!(
                "gatekeeper: warning: the store was corrupt; it was moved aside to {} and a fresh store started (everything asks or denies until the user decides again)",
                r.moved_to
            );
        }
        Ok(store)
    }

    /// Runs `f` on the opened store and flushes the decision log after it.
    ///
    /// # Errors
    /// The store cannot be opened or flushed, or `f` failed.
    pub(crate) fn with_store(
        &self,
        f: impl FnOnce(&mut Store) -> Result<crate::Output, Failure>,
    ) -> Result<crate::Output, Failure> {
        let mut store = self.open()?;
        let out = f(&mut store)?;
        store.flush()?;
        Ok(out)
    }
}
