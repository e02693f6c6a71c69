//! The steps every call that changes the store's state shares, in one wrapper
//! ([`Store::changing`]), and the store's write transaction ([`Store::in_write`]).
//!
//! A write must not be chained onto a ledger nobody has vouched for, must report what
//! it changed (to the listener at once, and to the caller or, when it fails, to
//! [`Store::take_unreported`]), must not leave a broken ledger's fold snapshot behind,
//! and must name the store in a SQLite error. Written once here, a new write operation
//! is its own transaction and a few lines:
//!
//! ```text
//! pub fn decline_policy(&mut self, source: &str) -> Result<Vec<Change>> {
//!     let mut e = Event::new(EventKind::PolicyDeclined, 0);
//!     e.source = Some(events::check_source(source)?);
//!     self.record(e) // = self.changing(LedgerNeed::Intact, |s, now| s.append(vec![e], None, now))
//! }
//! ```

use super::{connection, Change, Store};
use crate::error::{Error, Result};

/// What a change needs of the ledger before it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LedgerNeed {
    /// Nothing: the erase, which is the way out of any state.
    Any,
    /// The full check done (waiting for it, or running it here when the audit could
    /// not), but a broken chain is not refused: `verify` reports it.
    Checked,
    /// Checked and intact: nothing is chained onto a ledger the audit has not vouched
    /// for, or one found tampered with.
    Intact,
}

impl Store {
    /// Runs `op` (given the time it runs at) as a call that changes state:
    ///
    /// 1. waits for the background audit and applies what it found;
    /// 2. makes sure the ledger is as `need` says, or fails before changing anything;
    /// 3. takes the answers of every watched subject;
    /// 4. runs `op`;
    /// 5. tells the listener what changed, and returns the changes with `op`'s value
    ///    (when `op` fails, keeps them for [`Store::take_unreported`]: catching up with
    ///    another process may have changed things before the write itself failed);
    /// 6. deletes the fold snapshot if the ledger turned out broken;
    /// 7. names the store in a SQLite error.
    pub(super) fn changing<T>(
        &mut self,
        need: LedgerNeed,
        op: impl FnOnce(&mut Self, i64) -> Result<T>,
    ) -> Result<(T, Vec<Change>)> {
        self.settle();
        if need != LedgerNeed::Any && self.pending_check {
            self.check_now();
            if self.pending_check && need == LedgerNeed::Intact {
                return Err(Error::Store {
                    path: self.path.display().to_string(),
                    message: "the ledger could not be checked, so nothing is added to it".into(),
                });
            }
        }
        if let (LedgerNeed::Intact, Some(first_broken)) = (need, self.chain.first_broken) {
            return Err(Error::LedgerTampered { path: self.path.display().to_string(), first_broken });
        }
        let now = self.now();
        let (result, changes) = self.with_changes(now, |s| op(s, now));
        let result = match result {
            Ok(value) => Ok((value, changes)),
            Err(e) => {
                self.keep_unreported(changes);
                Err(e)
            }
        };
        self.forget_snapshot_if_broken();
        result.map_err(|e| self.located(e))
    }

    /// Runs `f` in the store's write transaction (see [`connection::write`]). `f` must
    /// change memory only by reloading what is committed on disk; the caller applies
    /// its own change after the commit. Once it commits, the decision-log repeats it
    /// wrote are no longer pending.
    pub(super) fn in_write<T>(&mut self, what: &'static str, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let result = connection::write(self, what, f);
        if result.is_ok() {
            self.log_committed();
        }
        result
    }

    /// Runs `f` in one read transaction (see [`connection::read`]).
    pub(super) fn in_read<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        connection::read(self, f)
    }
}

impl connection::Transact for Store {
    fn connection(&self) -> &rusqlite::Connection {
        &self.conn
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::error::SqlContext;
    use crate::manifest::{self, Manifest};
    use crate::store::Broken;
    use crate::time::FixedClock;

    fn store(dir: &tempfile::TempDir) -> Store {
        let m: Arc<Manifest> = Arc::new(manifest::parse(manifest::EXAMPLE_MANIFEST).unwrap());
        Store::open(dir.path().join("g.db"), m, Arc::new(FixedClock::new(1_767_225_600_000))).unwrap()
    }

    #[test]
    fn a_change_returns_what_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = store(&dir);
        let (value, changes) = s
            .changing(LedgerNeed::Any, |s, _| {
                s.broken = Some(Broken::Read);
                Ok(7)
            })
            .unwrap();
        assert_eq!(value, 7);
        assert!(!changes.is_empty() && changes.iter().all(|c| c.new.reason == crate::Reason::StoreUnavailable));
        assert!(s.take_unreported().is_empty(), "the caller heard of them");
    }

    #[test]
    fn a_failed_change_keeps_what_it_changed_for_later() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = store(&dir);
        let failed: Result<((), Vec<Change>)> = s.changing(LedgerNeed::Any, |s, _| {
            s.broken = Some(Broken::Read);
            Err(Error::invalid("x", "refused"))
        });
        assert!(matches!(failed, Err(Error::InvalidArgument { .. })));
        assert!(!s.take_unreported().is_empty(), "no caller heard of them, so they are kept");
    }

    #[test]
    fn nothing_is_chained_onto_a_tampered_ledger() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = store(&dir);
        s.chain.first_broken = Some(1);
        let mut ran = false;
        let refused = s.changing(LedgerNeed::Intact, |_, _| {
            ran = true;
            Ok(())
        });
        assert!(matches!(refused, Err(Error::LedgerTampered { first_broken: 1, .. })));
        assert!(!ran);
        // The erase, the way out, still runs.
        assert!(s.changing(LedgerNeed::Any, |_, _| Ok(())).is_ok());
    }

    #[test]
    fn a_sqlite_failure_names_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = store(&dir);
        let failed = s.changing(LedgerNeed::Any, |s, _| {
            s.conn.execute("INSERT INTO no_such_table VALUES (1)", []).ctx("a test write")?;
            Ok(())
        });
        match failed {
            Err(Error::StoreSql { path, context, .. }) => {
                assert_eq!((path.as_str(), context), (s.path.display().to_string().as_str(), "a test write"));
            }
            other => panic!("expected StoreSql, got {other:?}"),
        }
    }
}
