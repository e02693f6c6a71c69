//! The SQLite schema and its migrations, keyed on `PRAGMA user_version`.
//!
//! Every schema this project has released is listed in [`MIGRATIONS`]; a store is
//! migrated forward one step at a time inside one transaction, so a crash mid-way
//! leaves it at its old version. A store with a version newer than [`CURRENT_VERSION`]
//! is refused before anything is written to it.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{Result, SqlContext};

/// The schema this build writes.
pub const CURRENT_VERSION: u32 = 1;

/// How many tables a store at [`CURRENT_VERSION`] has: `meta`, `events` and
/// `decision_log` (the open counts them by these names).
pub const TABLES: i64 = 3;

/// `MIGRATIONS[n]` takes a store from version `n` to `n + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the first released schema.
    "CREATE TABLE meta (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
     ) WITHOUT ROWID;
     CREATE TABLE events (
        id   INTEGER PRIMARY KEY,
        ts   INTEGER NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        hash TEXT NOT NULL
     );
     CREATE TABLE decision_log (
        id             INTEGER PRIMARY KEY,
        subject        TEXT NOT NULL,
        verdict        TEXT NOT NULL,
        reason         TEXT NOT NULL,
        policy_version TEXT NOT NULL,
        jurisdiction   TEXT NOT NULL,
        first_seen     INTEGER NOT NULL,
        last_seen      INTEGER NOT NULL,
        count          INTEGER NOT NULL
     );
     CREATE INDEX decision_log_by_subject ON decision_log(subject, id);
     CREATE INDEX decision_log_by_last_seen ON decision_log(last_seen);",
];

/// The schema version a store reports.
///
/// # Errors
/// A SQLite error when the file cannot be read as a database.
pub fn version(conn: &Connection) -> Result<u32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get::<_, u32>(0)).ctx("reading the schema version")
}

/// Applies every migration after `from`, one transaction each.
///
/// # Errors
/// A SQLite error when a step fails; the store stays at the last completed version.
pub fn migrate(conn: &mut Connection, from: u32) -> Result<()> {
    migrate_with(conn, from, MIGRATIONS)
}

pub(crate) fn migrate_with(conn: &mut Connection, from: u32, steps: &[&str]) -> Result<()> {
    for (i, sql) in steps.iter().enumerate().skip(from as usize) {
        // The write lock first, then look again: another process opening the same
        // store may have migrated it since `from` was read.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).ctx("starting a migration")?;
        if version(&tx)? > i as u32 {
            continue;
        }
        tx.execute_batch(sql).ctx("migrating the schema")?;
        // PRAGMA takes no bound parameters; the value is a constant from this file.
        tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1)).ctx("setting the schema version")?;
        tx.commit().ctx("committing a migration")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_reach_the_current_version() {
        assert_eq!(MIGRATIONS.len() as u32, CURRENT_VERSION);
        let mut c = Connection::open_in_memory().unwrap();
        migrate(&mut c, 0).unwrap();
        assert_eq!(version(&c).unwrap(), CURRENT_VERSION);
        // Idempotent at the current version.
        migrate(&mut c, CURRENT_VERSION).unwrap();
        assert_eq!(version(&c).unwrap(), CURRENT_VERSION);
    }

    #[test]
    fn a_failed_step_leaves_the_previous_version() {
        let mut c = Connection::open_in_memory().unwrap();
        let steps = ["CREATE TABLE a (x);", "CREATE TABLE b (y); THIS IS NOT SQL;"];
        assert!(migrate_with(&mut c, 0, &steps).is_err());
        assert_eq!(version(&c).unwrap(), 1);
        let has_b: i64 = c.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'b'", [], |r| r.get(0)).unwrap();
        assert_eq!(has_b, 0);
    }
}
