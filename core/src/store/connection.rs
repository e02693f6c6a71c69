//! The store's SQLite connection: how it is opened (the file created private, a newer
//! schema or another program's database refused before a byte is written, WAL and
//! `synchronous=FULL`), how long it waits for another writer, and the transactions every
//! read and write runs in. `BEGIN` is written here and nowhere else in the store.
//!
//! Everything the store reads, it reads in one read transaction, so from one moment
//! however many other processes are writing; everything it writes goes through one
//! write transaction that takes the write lock first (`BEGIN IMMEDIATE`), waits out
//! another writer (a busy timeout, then a few retries with backoff) and commits durably.

use std::path::Path;
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::schema;
use crate::error::{Error, Result, SqlContext};

/// Attempts to take the write lock (each waits up to the busy timeout) before a write
/// gives up with a typed error; between attempts the wait doubles from 5 ms to 200 ms.
pub(crate) const BUSY_ATTEMPTS: u32 = 8;
/// How long one attempt waits for another connection's lock.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a write of a cache (the fold snapshot) waits for the lock before giving up.
const CACHE_BUSY_TIMEOUT: Duration = Duration::from_millis(50);

/// Why a connection could not be opened.
pub(super) enum OpenFailure {
    /// Not a database, or a damaged one: move it aside and start afresh.
    Corrupt(String),
    /// Anything else: the open fails with this error.
    Fatal(Error),
}

impl From<Error> for OpenFailure {
    fn from(e: Error) -> Self {
        match corruption(&e) {
            Some(why) => OpenFailure::Corrupt(why),
            None => OpenFailure::Fatal(e),
        }
    }
}

/// Another connection holds the lock the operation needs.
pub(crate) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked))
}

/// The file is not a database, or a damaged one.
pub(crate) fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt))
}

/// The reason a failed read means the file is corrupt, if it does.
pub(super) fn corruption(e: &Error) -> Option<String> {
    match e {
        Error::Sql { source, .. } if is_corruption(source) => Some(e.to_string()),
        _ => None,
    }
}

/// What a SQLite failure says, without SQL text: a store kept locked is said in plain
/// words, a malformed statement by its message.
pub(crate) fn describe(source: &rusqlite::Error) -> String {
    match source {
        e if is_busy(e) => format!(
            "another connection kept the store locked through {BUSY_ATTEMPTS} waits of {} s",
            BUSY_TIMEOUT.as_secs()
        ),
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    }
}

/// Runs `f` again while the store is busy (each attempt has already waited out the busy
/// timeout), backing off between attempts, so a lock held by another process or
/// thread never reaches the caller unless it is held for minutes.
pub(super) fn retry_busy<T>(f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    retry_while(is_busy, f)
}

/// [`retry_busy`] for any error type, with `busy` saying which errors to wait out.
pub(super) fn retry_while<T, E>(
    busy: impl Fn(&E) -> bool,
    mut f: impl FnMut() -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    let mut delay = Duration::from_millis(5);
    let mut attempt = 1;
    loop {
        match f() {
            Err(e) if busy(&e) && attempt < BUSY_ATTEMPTS => {
                std::thread::sleep(delay);
                delay = (delay * 2).min(Duration::from_millis(200));
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// What the schema looks like when the store is opened, read by one statement (so
/// from one snapshot): a store another process is creating at this moment must not
/// look like a foreign database (tables already there, version not yet read as set).
struct SchemaState {
    version: u32,
    /// Schema objects of any kind and name.
    objects: i64,
    /// How many of the store's tables are there.
    tables: i64,
}

fn schema_state(conn: &Connection) -> Result<SchemaState> {
    conn.query_row(
        "SELECT user_version, (SELECT count(*) FROM sqlite_master),
                (SELECT count(*) FROM sqlite_master
                 WHERE type = 'table' AND name IN ('meta', 'events', 'decision_log'))
         FROM pragma_user_version",
        [],
        |r| Ok(SchemaState { version: r.get(0)?, objects: r.get(1)?, tables: r.get(2)? }),
    )
    .ctx("reading the schema")
}

/// Opens the file, refuses newer schemas before writing anything, sets WAL and full
/// durability, checks integrity (when `check` says so, and always before a migration),
/// and migrates.
pub(super) fn open(path: &Path, check: bool) -> std::result::Result<Connection, OpenFailure> {
    create_private(path);
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags).map_err(|source| {
        OpenFailure::Fatal(Error::OpenSql { path: path.display().to_string(), context: None, source })
    })?;
    // Until the file is known to be ours (schema, policy), closing must not checkpoint a
    // WAL left by another writer into it: a refused file stays byte for byte as it was.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true).ctx("opening the store")?;
    conn.busy_timeout(BUSY_TIMEOUT).ctx("setting the busy timeout")?;
    let state = schema_state(&conn)?;
    let version = state.version;
    if version > schema::CURRENT_VERSION {
        return Err(OpenFailure::Fatal(Error::NewerSchema {
            path: path.display().to_string(),
            found: version,
            supported: schema::CURRENT_VERSION,
        }));
    }
    // A new store is an empty file. Tables without our schema version mean some other
    // program's database: refuse it before changing a byte of it.
    if version == 0 && state.objects > 0 {
        return Err(OpenFailure::Fatal(Error::Open {
            path: path.display().to_string(),
            message: "it is a SQLite database of another program, not a Gatekeeper store; it was left untouched".into(),
        }));
    }
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).ctx("switching to WAL")?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(OpenFailure::Fatal(Error::Open {
            path: path.display().to_string(),
            message: format!("the file system does not support WAL (journal mode is {mode})"),
        }));
    }
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;").ctx("setting durability")?;
    if check || version != schema::CURRENT_VERSION {
        if let Some(why) = quick_check(&conn)? {
            return Err(OpenFailure::Corrupt(why));
        }
    }
    // A store at the current version is checked as it was read; one that was migrated
    // (here or by another process meanwhile) is read again.
    let tables = if version == schema::CURRENT_VERSION {
        state.tables
    } else {
        schema::migrate(&mut conn, version)?;
        schema_state(&conn)?.tables
    };
    if tables != schema::TABLES {
        return Err(OpenFailure::Corrupt("tables are missing for the schema version it reports".into()));
    }
    Ok(conn)
}

/// Once the file is known to be the store's and open: closing may checkpoint the WAL
/// again (see [`open`]); until then, or once the file is found corrupt, it may not.
pub(super) fn checkpoint_on_close(conn: &Connection, allowed: bool) -> rusqlite::Result<bool> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, !allowed)
}

/// Creates a new store file readable and writable by its owner only (0600), before
/// SQLite opens it: SQLite gives its `-wal` and `-shm` files the same mode. An existing
/// file is left as it is; a failure here is left for SQLite to report.
fn create_private(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        if !path.exists() {
            let _ = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path);
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Opens the store's file a second time for the ledger audit: read-write without
/// create, as SQLite needs for WAL's shared memory, but every statement is refused a
/// write (`query_only`), and closing must not checkpoint.
pub(super) fn open_for_audit(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).ctx("opening the store for the audit")?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true).ctx("opening the store for the audit")?;
    conn.busy_timeout(BUSY_TIMEOUT).ctx("opening the store for the audit")?;
    conn.execute_batch("PRAGMA query_only = ON").ctx("starting the audit")?;
    Ok(conn)
}

/// SQLite's own structural check: `None` when the file is sound, else what is wrong.
///
/// # Errors
/// SQLite errors other than corruption (which is the answer, not an error).
pub(super) fn quick_check(conn: &Connection) -> Result<Option<String>> {
    match conn.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0)) {
        Ok(answer) if answer == "ok" => Ok(None),
        Ok(answer) => Ok(Some(format!("integrity check failed: {answer}"))),
        Err(e) if is_corruption(&e) => Ok(Some(format!("integrity check failed: {e}"))),
        Err(e) => Err(e).ctx("checking integrity"),
    }
}

/// `PRAGMA data_version`: it changes when another connection commits to the file.
pub(super) fn data_version(conn: &Connection) -> Result<i64> {
    conn.prepare_cached("PRAGMA data_version")
        .and_then(|mut stmt| stmt.query_row([], |r| r.get(0)))
        .ctx("looking for other writers")
}

/// Something that runs on the store's connection: the [`Store`](super::Store), or a
/// bare connection while a store is being opened or audited.
pub(super) trait Transact {
    /// The connection the transaction runs on.
    fn connection(&self) -> &Connection;
}

impl Transact for Connection {
    fn connection(&self) -> &Connection {
        self
    }
}

/// How a transaction takes its locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `BEGIN DEFERRED`: no lock until the first statement, which takes the WAL snapshot.
    Read,
    /// `BEGIN IMMEDIATE`: the write lock first, waiting out another writer.
    Write,
}

/// Runs `f` in one read transaction, so everything it reads is from one moment (inside
/// a transaction already open, `f` simply runs in it).
///
/// # Errors
/// `f`'s error, or the SQLite error that kept the transaction from starting.
pub(super) fn read<S: Transact, T>(s: &mut S, f: impl FnOnce(&mut S) -> Result<T>) -> Result<T> {
    if !s.connection().is_autocommit() {
        return f(s);
    }
    begin(s.connection(), Kind::Read).ctx("starting a read")?;
    let result = f(s);
    if result.is_ok() {
        let _ = run(s.connection(), "COMMIT");
    } else {
        rollback(s.connection());
    }
    result
}

/// Runs `f` in a write transaction (the write lock taken first, waiting and retrying
/// while another connection holds it) and commits it durably. On any error the
/// transaction is rolled back; `what` names the write in the error.
///
/// # Errors
/// `f`'s error, or the SQLite error of taking the lock or committing.
pub(super) fn write<S: Transact, T>(s: &mut S, what: &'static str, f: impl FnOnce(&mut S) -> Result<T>) -> Result<T> {
    retry_busy(|| begin(s.connection(), Kind::Write)).ctx(what)?;
    let result = f(s).and_then(|v| {
        retry_busy(|| run(s.connection(), "COMMIT")).ctx(what)?;
        Ok(v)
    });
    if result.is_err() {
        rollback(s.connection());
    }
    result
}

/// A write of a cache (the fold snapshot): one attempt with a short wait for the lock,
/// so that it never stalls the call it serves.
///
/// # Errors
/// `f`'s error, or the SQLite error of taking the lock or committing.
pub(super) fn write_cache<S: Transact, T>(s: &mut S, f: impl FnOnce(&mut S) -> Result<T>) -> Result<T> {
    const WHAT: &str = "writing the fold snapshot";
    let _ = s.connection().busy_timeout(CACHE_BUSY_TIMEOUT);
    let done = begin(s.connection(), Kind::Write).ctx(WHAT).and_then(|()| {
        let r = f(s).and_then(|v| run(s.connection(), "COMMIT").ctx(WHAT).map(|()| v));
        if r.is_err() {
            rollback(s.connection());
        }
        r
    });
    let _ = s.connection().busy_timeout(BUSY_TIMEOUT);
    done
}

fn begin(conn: &Connection, kind: Kind) -> rusqlite::Result<()> {
    let sql = match kind {
        Kind::Read => "BEGIN DEFERRED",
        Kind::Write => "BEGIN IMMEDIATE",
    };
    run(conn, sql)
}

/// Runs one of the transaction statements from the connection's statement cache: they
/// run at every read and write, and preparing `BEGIN`, `COMMIT` anew each time costs
/// more than running them.
fn run(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    stmt.execute([]).map(|_| ())
}

/// Rolls back the transaction a failed call left open, if it left one.
fn rollback(conn: &Connection) {
    if !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(conn: &Connection) {
        conn.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
    }

    fn count(conn: &Connection) -> i64 {
        conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn a_write_commits_and_a_failed_one_leaves_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        table(&conn);
        write(&mut conn, "a test write", |c| c.execute("INSERT INTO t VALUES (1)", []).ctx("inserting")).unwrap();
        assert_eq!(count(&conn), 1);
        let failed: Result<()> = write(&mut conn, "a test write", |c| {
            c.execute("INSERT INTO t VALUES (2)", []).ctx("inserting")?;
            Err(Error::invalid("x", "refused"))
        });
        assert!(matches!(failed, Err(Error::InvalidArgument { .. })));
        assert_eq!(count(&conn), 1);
        assert!(conn.is_autocommit(), "no transaction is left open");
    }

    #[test]
    fn a_read_inside_a_transaction_joins_it() {
        let mut conn = Connection::open_in_memory().unwrap();
        table(&conn);
        write(&mut conn, "a test write", |c| {
            c.execute("INSERT INTO t VALUES (1)", []).ctx("inserting")?;
            read(c, |c| {
                assert!(!c.is_autocommit());
                Ok(count(c))
            })
        })
        .map(|n| assert_eq!(n, 1))
        .unwrap();
        assert_eq!(read(&mut conn, |c| Ok(count(c))).unwrap(), 1);
        assert!(conn.is_autocommit());
    }

    #[test]
    fn a_cache_write_rolls_back_on_error_and_restores_the_busy_timeout() {
        let mut conn = Connection::open_in_memory().unwrap();
        table(&conn);
        let failed: Result<()> = write_cache(&mut conn, |c| {
            c.execute("INSERT INTO t VALUES (1)", []).ctx("inserting")?;
            Err(Error::invalid("x", "refused"))
        });
        assert!(failed.is_err());
        assert_eq!(count(&conn), 0);
        let timeout: i64 = conn.query_row("PRAGMA busy_timeout", [], |r| r.get(0)).unwrap();
        assert_eq!(timeout, BUSY_TIMEOUT.as_millis() as i64);
    }

    #[test]
    fn busy_errors_are_retried_a_bounded_number_of_times() {
        let mut calls = 0;
        let r: std::result::Result<(), bool> = retry_while(
            |busy: &bool| *busy,
            || {
                calls += 1;
                Err(true)
            },
        );
        assert_eq!((r, calls), (Err(true), BUSY_ATTEMPTS));
        let mut calls = 0;
        let r: std::result::Result<(), bool> = retry_while(
            |busy: &bool| *busy,
            || {
                calls += 1;
                Err(false)
            },
        );
        assert_eq!((r, calls), (Err(false), 1), "other errors are not retried");
    }

    #[test]
    fn a_locked_store_is_described_without_sql() {
        let busy = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY), None);
        assert_eq!(describe(&busy), "another connection kept the store locked through 8 waits of 5 s");
    }
}
