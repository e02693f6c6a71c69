//! Checking the ledger after the store opened: `verify` (contract §3), which recomputes
//! the whole chain from disk, and applying what the background audit found after an
//! app's open from the fold snapshot (see [`super::audit`]).
//!
//! A broken chain makes every decision fail closed and deletes the fold snapshot, so
//! the next launch checks the whole chain before its first answer; a corrupt file is
//! moved aside and a fresh store started, as at open; a fold that differs from the
//! snapshot's replaces it (the events are the truth). Each is reported like another
//! writer's change. An audit that could not run, or that read another ledger than the
//! store's (another process wrote meanwhile), is done again on the store's own
//! connection.

use log::warn;

use super::audit::{self, Found, Loaded};
use super::connection;
use super::meta::{self, MetaKey};
use super::{events, Store};
use crate::error::Result;
use crate::ledger::{ChainReport, ChainWalk};

impl Store {
    /// The chain recomputed over every stored row, as `verify` reports it, with the
    /// state read again with it so the two always agree (inside a read transaction).
    pub(super) fn verify_chain(&mut self, _now: i64) -> Result<ChainReport> {
        let report = self.in_read(|s| {
            let rows = events::stored_events(&s.conn)?;
            // The chain has no secret key: it catches edits, not a forger who
            // recomputes every hash. Its end is held to the head recorded with every
            // write, so a deleted last event (a valid shorter chain) is caught too.
            let report =
                audit::check_head(&ChainWalk::audit(&rows), meta::get(&s.conn, MetaKey::LedgerHead)?.as_deref());
            s.load_ledger()?;
            Ok(report)
        })?;
        self.chain = report;
        Ok(report)
    }

    /// Applies the background audit's result once it is ready (or, with `wait`, after
    /// waiting for it), reporting what it changed.
    pub(super) fn settle_audit(&mut self, wait: bool) {
        match &self.audit {
            None => return,
            Some(a) if !wait && !a.is_finished() => return,
            Some(_) => {}
        }
        // What decisions were is taken with the audit still counted as running.
        self.unreported_changes(|s| {
            let Some(audit) = s.audit.take() else { return };
            match audit.wait() {
                Ok(Found::Checked(found)) => {
                    if !s.apply_check(*found) {
                        s.check_in_place();
                    }
                }
                Ok(Found::Corrupt(why)) => s.recover_in_place(&why),
                Err(e) => match connection::corruption(&e) {
                    Some(why) => s.recover_in_place(&why),
                    None => {
                        warn!("gatekeeper: the ledger audit could not run ({e}); checking in place");
                        s.check_in_place();
                    }
                },
            }
        });
    }

    /// [`Store::check_in_place`], reporting what it changed like another writer's change.
    pub(super) fn check_now(&mut self) {
        self.unreported_changes(Store::check_in_place);
    }

    /// The full check (SQLite's and the chain's) on the store's own connection: the
    /// state is read again with it. Until one succeeds, a store opened from its snapshot
    /// fails closed.
    pub(super) fn check_in_place(&mut self) {
        let found = self.in_read(|s| {
            if let Some(why) = connection::quick_check(&s.conn)? {
                return Ok(Some(why));
            }
            s.load_ledger()?;
            Ok(None)
        });
        match found {
            Ok(None) => {
                self.pending_check = false;
                self.forget_snapshot_if_broken();
            }
            Ok(Some(why)) => self.recover_in_place(&why),
            Err(e) => warn!("gatekeeper: the ledger could not be checked, failing closed: {e}"),
        }
    }

    /// Applies a full check of the ledger this store holds (same last event and hash);
    /// returns false, changing nothing, for a check of another ledger.
    fn apply_check(&mut self, found: Loaded) -> bool {
        if (found.last_id, found.last_hash) != (self.last_id, self.last_hash) {
            return false;
        }
        self.pending_check = false;
        if found.chain.first_broken.is_some() {
            warn!("gatekeeper: ledger hash chain broken; decisions fail closed until erase");
            self.chain = found.chain;
            self.ledger = found.ledger;
            self.memo.clear();
            self.forget_snapshot_if_broken();
        } else if found.ledger != self.ledger {
            // Only a snapshot edited together with its checksum gets here.
            warn!("gatekeeper: the fold snapshot disagreed with the ledger; using the ledger");
            self.ledger = found.ledger;
            self.memo.clear();
            let stored = meta::get(&self.conn, MetaKey::FoldSnapshot).ok().flatten();
            self.try_write_snapshot(stored.as_deref());
        }
        true
    }
}
