//! Data accesses (contract §9.2): an allowed `access:<id>` decision **is** the access.
//! It is logged like any decision (a new decision-log row, or one more repeat of the
//! last allow, so the log counts the accesses), and it starts the id's interval.
//!
//! The last allowed access of an id is the `last_seen` of its newest `allow` row in the
//! decision log, read once per store (and again after another connection wrote, or an
//! erase). An id with a `min_interval_seconds` has each allow written through at once
//! (durable before the decision returns, so a crash or the next process — each CLI
//! call is one — never forgets an access and allows the next one too soon); an id
//! without one only counts its repeats in memory, like any repeated decision, so its
//! hot path does no disk I/O.

use rusqlite::params;

use super::Store;
use crate::decide::Subject;
use crate::error::{Result, SqlContext};

impl Store {
    /// Reads the last allowed access of every id from the decision log, once.
    pub(super) fn load_accesses(&mut self) -> Result<()> {
        if self.accesses_loaded {
            return Ok(());
        }
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT subject, max(last_seen) FROM decision_log
                 WHERE subject LIKE 'access:%' AND verdict = 'allow' GROUP BY subject",
            )
            .ctx("reading the data accesses")?;
        let rows = stmt
            .query_map(params![], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .ctx("reading the data accesses")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("reading the data accesses")?;
        drop(stmt);
        self.accesses.clear();
        for (subject, at) in rows {
            if let Some(id) = subject.strip_prefix("access:") {
                self.accesses.insert(id.to_owned(), at);
            }
        }
        // A buffered repeat is newer than its row on disk.
        for (subject, head) in self.heads.iter() {
            if let (Some(id), Some(at)) = (subject.strip_prefix("access:"), head.last_allowed()) {
                let last = self.accesses.entry(id.to_owned()).or_insert(at);
                *last = (*last).max(at);
            }
        }
        self.accesses_loaded = true;
        Ok(())
    }

    /// An allowed access of `id` at `now` (already logged): it starts the interval, and
    /// with an interval it is written through before the decision returns.
    pub(super) fn record_access(&mut self, id: &str, now: i64) -> Result<()> {
        let interval = self.manifest.data_access(id).map_or(0, |a| a.min_interval_seconds);
        // On the hot path of a repeated access: no allocation once the id is known.
        match self.accesses.get_mut(id) {
            Some(last) => *last = (*last).max(now),
            None => {
                self.accesses.insert(id.to_owned(), now);
            }
        }
        if interval == 0 {
            return Ok(());
        }
        // The answer for this id now depends on this access, in the foreground and the
        // background alike.
        self.memo.remove(&Subject::Access(id.to_owned(), false));
        self.memo.remove(&Subject::Access(id.to_owned(), true));
        self.flush_log()
    }

    /// Forgets what was read of the accesses: another connection or an erase changed them.
    pub(super) fn forget_accesses(&mut self) {
        self.accesses.clear();
        self.accesses_loaded = false;
        self.memo.retain(|subject, _| !matches!(subject, Subject::Access(..)));
    }
}
