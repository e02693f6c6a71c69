//! What the integration tests share, so no test file defines it again: the fixed start
//! of every scenario, the example manifest, a store's file in a temporary directory on
//! a clock the test moves, and the random-ledger generator ([`ledgers`], shared with
//! the `decide` fuzz target, which includes that file by path), and TC strings built
//! field by field ([`tcf`]).
//!
//! Each test file is its own crate and uses some of these, so what one leaves unused
//! is not a warning.
#![allow(dead_code)]

pub mod ledgers;
pub mod tcf;

use std::path::PathBuf;
use std::sync::Arc;

use gatekeeper::manifest::{self, Manifest};
use gatekeeper::store::LedgerCheck;
use gatekeeper::time::{parse_rfc3339, FixedClock};
use gatekeeper::{Error, Store};
use rusqlite::Connection;
use tempfile::TempDir;

/// 2026-01-01T00:00:00Z, the start of every scenario.
pub fn t0() -> i64 {
    parse_rfc3339("2026-01-01T00:00:00Z").unwrap()
}

/// The embedded example manifest (`core/policy/example-manifest.json`).
pub fn example() -> Arc<Manifest> {
    Arc::new(manifest::parse(manifest::EXAMPLE_MANIFEST).unwrap())
}

/// Owned strings, for the store's lists of purposes and SDKs.
pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// A store's file (`gatekeeper.db`) in a temporary directory, and a clock at [`t0`].
pub struct TempStore {
    _dir: TempDir,
    /// The store's file.
    pub path: PathBuf,
    /// The clock every store opened here reads.
    pub clock: Arc<FixedClock>,
}

impl TempStore {
    /// A new directory, with no store in it yet.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gatekeeper.db");
        TempStore { _dir: dir, path, clock: Arc::new(FixedClock::new(t0())) }
    }

    /// The store for the example manifest, checked in full as it opens (as the CLI
    /// opens it).
    pub fn open(&self) -> Store {
        Store::open(&self.path, example(), self.clock.clone()).unwrap()
    }

    /// The store for `m`, or why it cannot be opened.
    pub fn open_with(&self, m: Arc<Manifest>) -> Result<Store, Error> {
        Store::open(&self.path, m, self.clock.clone())
    }

    /// The store for the example manifest, opened as an app opens it: from the fold
    /// snapshot, with the full check on the audit thread.
    pub fn open_background(&self) -> Store {
        Store::open_with(&self.path, example(), self.clock.clone(), LedgerCheck::Background).unwrap()
    }

    /// A second connection to the same file, as another process would open it.
    pub fn raw(&self) -> Connection {
        Connection::open(&self.path).unwrap()
    }

    /// The store's path with `suffix` added (`-wal`, `.corrupt-…`).
    pub fn side(&self, suffix: &str) -> PathBuf {
        PathBuf::from(format!("{}{suffix}", self.path.display()))
    }
}
