//! The options every command takes (`--db`, `--policy`, `--now`, `--json`,
//! `--strict`), accepted before or after the command, and what they resolve to when a
//! command runs: the manifest (the embedded example by default), the store's path and
//! the clock. `--db` and `--policy` fall back to the `GATEKEEPER_DB` and
//! `GATEKEEPER_POLICY` environment variables (clap's `env`), then to their defaults.
//!
//! Without `--strict`, a store that cannot be used is worked around as the library
//! does: `decide` fails closed and exits 0, and a store found corrupt is moved aside
//! with one warning. With `--strict` (for scripts) each of these exits 1 with an error:
//! a store that cannot be opened, a ledger whose hash chain is broken, a policy manifest
//! edited without a version change (otherwise a warning), and a recovery from corruption
//! not yet acknowledged (`gatekeeper state --ack-recovery`, which
//! `--strict` lets through so the script can acknowledge it, as it lets `erase`, the way
//! out of a broken ledger, and `verify`, which names what broke, through).

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use gatekeeper::manifest::{self, Manifest};
use gatekeeper::time::{parse_rfc3339, Clock, FixedClock, SystemClock};
use gatekeeper::{Error, Store};

use crate::failure::{clipped, non_empty, Failure, Refused};

/// The options every command takes.
#[derive(Debug, Default, Clone, PartialEq, Eq, Args)]
pub struct Global {
    /// The store [default: ./gatekeeper.db]
    #[arg(long, global = true, value_name = "PATH", env = "GATEKEEPER_DB", value_parser = path_of("--db"), overrides_with = "db")]
    pub db: Option<PathBuf>,
    /// The policy manifest [default: the embedded example]
    #[arg(long, global = true, value_name = "FILE", env = "GATEKEEPER_POLICY", value_parser = path_of("--policy"), overrides_with = "policy")]
    pub policy: Option<PathBuf>,
    /// The time to act at [default: the system clock]
    #[arg(long, global = true, value_name = "RFC3339", value_parser = now, overrides_with = "now")]
    pub now: Option<i64>,
    /// Print one JSON document on stdout, errors included
    #[arg(long, global = true, overrides_with = "json")]
    pub json: bool,
    /// Exit 1 when the store cannot be used (unopenable, a broken ledger, an
    /// unacknowledged recovery from corruption) instead of failing closed
    #[arg(long, global = true, overrides_with = "strict")]
    pub strict: bool,
}

/// A non-empty path given to `flag`.
fn path_of(flag: &'static str) -> impl Fn(&str) -> Result<PathBuf, Refused> + Clone + Send + Sync + 'static {
    move |s| non_empty(flag, s).map(PathBuf::from)
}

/// `--now`: an RFC 3339 time.
fn now(s: &str) -> Result<i64, Refused> {
    let ms = parse_rfc3339(s).ok_or_else(|| {
        Refused::new(format!("--now '{}' is not an RFC 3339 time such as 2026-01-01T00:00:00Z", clipped(s)))
    })?;
    if !gatekeeper::time::in_bounds(ms) {
        return Err(Refused::new(format!(
            "--now '{}' is out of range: it must be from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z",
            clipped(s)
        )));
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
    /// `--strict`: an unusable store is an error (exit 1), not worked around.
    pub(crate) strict: bool,
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
        Ok(Session { manifest: Arc::new(manifest), path, clock, strict: g.strict })
    }

    /// Opens the store, saying on stderr when this open found it corrupt and started
    /// afresh (once: later commands are quiet, `state` reports it until acknowledged).
    ///
    /// # Errors
    /// The store's own errors (see [`Store::open`]).
    pub(crate) fn open(&self) -> Result<Store, Error> {
        let store = Store::open(&self.path, self.manifest.clone(), self.clock.clone())?;
        if let (true, Some(r)) = (store.recovered_at_open(), store.recovery()) {
            eprintln!(
                "gatekeeper: warning: the store was corrupt; it was moved aside to {} and a fresh store started (everything asks or denies until the user decides again; `gatekeeper state` shows it until `gatekeeper state --ack-recovery`)",
                r.moved_to
            );
        }
        if let Some(e) = store.manifest_edit() {
            eprintln!(
                "gatekeeper: warning: the policy manifest differs from the version {} this store first saw (edited without a version change: raise policy.version; see gatekeeper diff)",
                e.version
            );
        }
        Ok(store)
    }

    /// Opens the store for a command that answers from it (`decide`, `explain`,
    /// `status`): `None` when it cannot be opened at all, said on stderr, so that the
    /// command fails closed; under `--strict` that, or a store that cannot be used as it
    /// is, is a failure (exit 1) instead.
    ///
    /// # Errors
    /// A store made for another policy or by a newer schema; under `--strict`, as above.
    pub(crate) fn open_to_decide(&self) -> Result<Option<Store>, Failure> {
        let store = match self.open() {
            Ok(store) => store,
            Err(e) if e.is_unopenable() && !self.strict => {
                eprintln!("gatekeeper: warning: {e}; failing closed");
                return Ok(None);
            }
            Err(e) => return Err(e.into()),
        };
        match self.strict_failure(&store) {
            Some(f) => Err(f),
            None => Ok(Some(store)),
        }
    }

    /// Under `--strict`, why the store cannot be used as it is, as a failure (exit 1).
    pub(crate) fn strict_failure(&self, store: &Store) -> Option<Failure> {
        if !self.strict {
            return None;
        }
        if !store.is_usable() {
            return Some(Failure::strict(format!(
                "the store at {} cannot be used: its ledger failed its check (see gatekeeper verify)",
                self.path.display()
            )));
        }
        if let Some(e) = store.manifest_edit() {
            return Some(Failure::strict(format!(
                "the policy manifest was edited without a version change: it differs from the version {} the store at {} first saw (raise policy.version)",
                e.version,
                self.path.display()
            )));
        }
        store.recovery().map(|r| {
            Failure::strict(format!(
                "the store at {} was found corrupt and started afresh (the old file is at {}); acknowledge with gatekeeper state --ack-recovery",
                self.path.display(),
                r.moved_to
            ))
        })
    }

    /// Runs `f` on the opened store and flushes the decision log after it.
    ///
    /// # Errors
    /// The store cannot be opened or flushed, or `f` failed; under `--strict`, a store
    /// that cannot be used as it is.
    pub(crate) fn with_store(
        &self,
        f: impl FnOnce(&mut Store) -> Result<crate::Output, Failure>,
    ) -> Result<crate::Output, Failure> {
        self.with_store_checked(true, f)
    }

    /// [`Session::with_store`], with the `--strict` check only when `strict_applies`
    /// (`state --ack-recovery` must get through it).
    ///
    /// # Errors
    /// As [`Session::with_store`].
    pub(crate) fn with_store_checked(
        &self,
        strict_applies: bool,
        f: impl FnOnce(&mut Store) -> Result<crate::Output, Failure>,
    ) -> Result<crate::Output, Failure> {
        let mut store = self.open()?;
        if strict_applies {
            if let Some(f) = self.strict_failure(&store) {
                return Err(f);
            }
        }
        let out = f(&mut store)?;
        store.flush()?;
        Ok(out)
    }
}
