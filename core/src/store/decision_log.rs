//! The `decision_log` table (contract §6): a row whenever a subject's answer (verdict,
//! reason, policy version) differs from the last one logged for it, written before the
//! answer is returned; identical repeats only add to that row's count and last-seen
//! time, buffered in memory until a flush, a write or close. Rows past
//! `decision_log_retention_days` are pruned when the store opens.
//!
//! Repeats are written as increments (`count = count + n`) to the row matched by id,
//! subject and first time, so two processes logging the same row keep both counts, and
//! another process's erase never lends them to a new row.

use rusqlite::{params, Connection};

use super::Store;
use crate::decide::Decision;
use crate::error::{Result, SqlContext};

/// One row of the decision log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    /// The row's id, in the order rows were written.
    pub id: i64,
    /// `sdk:<id>`, `permission:<id>` or `purpose:<id>`.
    pub subject: String,
    /// The verdict's code (`allow`, `ask`, `deny`).
    pub verdict: String,
    /// The reason code.
    pub reason: String,
    /// The policy version the answer was given under.
    pub policy_version: String,
    /// The user's jurisdiction then.
    pub jurisdiction: String,
    /// When this answer was first given (UTC ms).
    pub first_seen: i64,
    /// When it was last given.
    pub last_seen: i64,
    /// How many times it was given in a row.
    pub count: u64,
}

/// The last logged decision for a subject, with repeats not yet written.
#[derive(Debug, Clone)]
pub(super) struct LogHead {
    row: LogRow,
    /// Repeats counted in memory and not yet added to the row. They are written as an
    /// increment (`count = count + pending`), so two processes logging the same row
    /// never overwrite each other's counts.
    pending: u64,
}

impl LogHead {
    /// When this row's answer was last given, if it is an allow.
    pub(super) fn last_allowed(&self) -> Option<i64> {
        (self.row.verdict == "allow").then_some(self.row.last_seen)
    }
}

impl Store {
    /// Logs one answer: a repeat of the subject's last row is counted in memory, any
    /// other answer is a new row, written at once.
    pub(super) fn log_decision(&mut self, d: &Decision) -> Result<()> {
        let same = |r: &LogRow| {
            r.verdict == d.verdict.as_str() && r.reason == d.reason.as_str() && r.policy_version == d.policy_version
        };
        match self.heads.get_mut(&d.subject) {
            Some(head) if same(&head.row) => {
                head.row.count += 1;
                head.row.last_seen = head.row.last_seen.max(d.decided_at);
                head.pending += 1;
                return Ok(());
            }
            Some(_) => {}
            // The first decision about this subject since the store opened (or caught
            // up): its last row is read from disk once.
            None => {
                if let Some(row) = last_row(&self.conn, &d.subject)? {
                    let repeat = same(&row);
                    self.heads.insert(d.subject.clone(), LogHead { row, pending: 0 });
                    if repeat {
                        return self.log_decision(d);
                    }
                }
            }
        }
        let id = self.in_write("a decision-log write", |s| {
            s.flush_pending()?;
            s.conn
                .execute(
                    "INSERT INTO decision_log (subject, verdict, reason, policy_version, jurisdiction, first_seen, last_seen, count)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 1)",
                    params![d.subject, d.verdict.as_str(), d.reason.as_str(), d.policy_version, d.jurisdiction, d.decided_at],
                )
                .ctx("logging a decision")?;
            Ok(s.conn.last_insert_rowid())
        })?;
        let row = LogRow {
            id,
            subject: d.subject.clone(),
            verdict: d.verdict.as_str().into(),
            reason: d.reason.as_str().into(),
            policy_version: d.policy_version.clone(),
            jurisdiction: d.jurisdiction.clone(),
            first_seen: d.decided_at,
            last_seen: d.decided_at,
            count: 1,
        };
        self.heads.insert(d.subject.clone(), LogHead { row, pending: 0 });
        Ok(())
    }

    /// Writes the buffered repeat counts, in a transaction of their own (none when
    /// nothing is buffered).
    pub(super) fn flush_log(&mut self) -> Result<()> {
        if !self.heads.values().any(|h| h.pending > 0) {
            return Ok(());
        }
        self.in_write("a flush", |s| s.flush_pending())
    }

    /// Adds the repeats counted in memory to their rows (inside a write transaction;
    /// [`Store::in_write`] clears them once it commits, see [`Store::log_committed`]).
    /// A row is matched by subject and first time too: after another process's erase, a
    /// new row can reuse its id, and the repeats of an erased row must not land on it.
    pub(super) fn flush_pending(&self) -> Result<()> {
        for h in self.heads.values().filter(|h| h.pending > 0) {
            self.conn
                .execute(
                    "UPDATE decision_log SET count = count + ?1, last_seen = max(last_seen, ?2)
                     WHERE id = ?3 AND subject = ?4 AND first_seen = ?5",
                    params![h.pending as i64, h.row.last_seen, h.row.id, h.row.subject, h.row.first_seen],
                )
                .ctx("writing decision-log repeats")?;
        }
        Ok(())
    }

    /// A write transaction committed: the repeats it wrote are no longer pending.
    pub(super) fn log_committed(&mut self) {
        for h in self.heads.values_mut() {
            h.pending = 0;
        }
    }

    /// The decision log, oldest first, after writing the buffered repeats.
    pub(super) fn read_decision_log(&mut self) -> Result<Vec<LogRow>> {
        self.flush_log()?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, subject, verdict, reason, policy_version, jurisdiction, first_seen, last_seen, count
                 FROM decision_log ORDER BY id",
            )
            .ctx("reading the decision log")?;
        let rows = stmt
            .query_map([], log_row)
            .ctx("reading the decision log")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("reading the decision log")?;
        Ok(rows)
    }
}

/// The last logged row for `subject`, read when the subject is first decided.
fn last_row(conn: &Connection, subject: &str) -> Result<Option<LogRow>> {
    conn.prepare_cached(
        "SELECT id, subject, verdict, reason, policy_version, jurisdiction, first_seen, last_seen, count
         FROM decision_log WHERE subject = ?1 ORDER BY id DESC LIMIT 1",
    )
    .and_then(|mut stmt| stmt.query_map([subject], log_row)?.next().transpose())
    .ctx("reading the decision log")
}

/// The oldest `last_seen` in the log, read at open to know whether to prune.
pub(super) fn oldest(conn: &Connection) -> Result<Option<i64>> {
    conn.query_row("SELECT min(last_seen) FROM decision_log", [], |r| r.get(0)).ctx("reading the decision log")
}

/// Deletes the rows last seen before `cutoff` (inside the open's transaction).
pub(super) fn prune(conn: &Connection, cutoff: i64) -> Result<()> {
    let n = conn.execute("DELETE FROM decision_log WHERE last_seen < ?1", [cutoff]).ctx("pruning the decision log")?;
    if n > 0 {
        log::info!("gatekeeper: pruned {n} decision-log row(s) past retention");
    }
    Ok(())
}

/// Deletes every row (inside the erase's transaction).
pub(super) fn erase(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM decision_log", []).ctx("erasing the decision log")?;
    Ok(())
}

fn log_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LogRow> {
    Ok(LogRow {
        id: r.get(0)?,
        subject: r.get(1)?,
        verdict: r.get(2)?,
        reason: r.get(3)?,
        policy_version: r.get(4)?,
        jurisdiction: r.get(5)?,
        first_seen: r.get(6)?,
        last_seen: r.get(7)?,
        count: r.get::<_, i64>(8)?.max(0) as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&mut conn, 0).unwrap();
        conn
    }

    fn row(conn: &Connection, subject: &str, first_seen: i64, last_seen: i64) {
        conn.execute(
            "INSERT INTO decision_log (subject, verdict, reason, policy_version, jurisdiction, first_seen, last_seen, count)
             VALUES (?1, 'ask', 'policy_not_accepted', '3.1', 'CN', ?2, ?3, 1)",
            params![subject, first_seen, last_seen],
        )
        .unwrap();
    }

    #[test]
    fn the_last_row_of_a_subject_is_its_newest() {
        let conn = log();
        assert_eq!(last_row(&conn, "sdk:a").unwrap(), None);
        row(&conn, "sdk:a", 1, 1);
        row(&conn, "sdk:b", 2, 2);
        row(&conn, "sdk:a", 3, 4);
        let last = last_row(&conn, "sdk:a").unwrap().unwrap();
        assert_eq!((last.id, last.first_seen, last.last_seen, last.count), (3, 3, 4, 1));
        assert_eq!(last.reason, "policy_not_accepted");
    }

    #[test]
    fn pruning_deletes_only_rows_last_seen_before_the_cutoff() {
        let conn = log();
        assert_eq!(oldest(&conn).unwrap(), None);
        row(&conn, "sdk:a", 1, 10);
        row(&conn, "sdk:b", 1, 20);
        assert_eq!(oldest(&conn).unwrap(), Some(10));
        prune(&conn, 20).unwrap();
        assert_eq!(oldest(&conn).unwrap(), Some(20));
        erase(&conn).unwrap();
        assert_eq!(oldest(&conn).unwrap(), None);
    }
}
