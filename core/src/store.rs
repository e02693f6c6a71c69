//! The store (contract §6): one SQLite file holding the consent ledger, the decision
//! log and a little metadata, behind one writer connection in WAL mode.
//!
//! [`Store`] is the library's entry point for Rust callers (the CLI uses it directly;
//! the FFI object wraps it in a mutex). It keeps the folded ledger and the head of the
//! decision log in memory, so a repeated decision does no disk I/O; every consent write
//! commits with `synchronous=FULL` before it returns. Opening reads a [fold
//! snapshot](crate::snapshot) when it can, and an app's open leaves the full check of
//! the file to [a thread of its own](crate::audit); a subject's last log row is read
//! the first time it is decided. A file that is not a database, or
//! is corrupt, is moved aside and a fresh, empty store (which denies and asks
//! everything) takes its place; a store made for another policy, or by a newer schema,
//! is refused and left untouched.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use log::{info, warn};
use rusqlite::config::DbConfig;
use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension};

use crate::audit::{self, Audit, Loaded};
use crate::decide::{Context, Decision, Reason, Subject, Verdict};
use crate::error::{Error, Result, SqlContext};
use crate::id_map::{IdHasher, IdMap};
use crate::ledger::{
    chain_hash, to_hex, ChainReport, ChainWalk, Event, EventKind, LedgerState, PermissionResult, StoredEvent,
    GENESIS_HASH,
};
use crate::manifest::Manifest;
use crate::schema;
use crate::snapshot::{self, Snapshot};
use crate::time::{file_stamp, Clock, MS_PER_DAY};

/// One change reported to the listener: a subject whose verdict or reason changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub subject: String,
    pub old: Decision,
    pub new: Decision,
}

/// Adds `more` (later changes) to `into` (earlier ones), one entry per subject: a subject
/// in both keeps its first `old` and its latest `new`, and is dropped when that is no
/// change at all.
pub fn merge_changes(into: &mut Vec<Change>, more: Vec<Change>) {
    for c in more {
        match into.iter().position(|e| e.subject == c.subject) {
            Some(i) => {
                into[i].new = c.new;
                if !into[i].new.changed_from(&into[i].old) {
                    into.remove(i);
                }
            }
            None => into.push(c),
        }
    }
}

/// Receives the changes after every call that changes state (contract §5).
pub trait Listener: Send {
    fn on_change(&self, changes: &[Change]);
}

/// Why a store was started afresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// When the corrupt file was found.
    pub at: i64,
    /// Where it was moved to.
    pub moved_to: String,
}

/// What the store remembers of a policy version for receipts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDetails {
    pub url: Option<String>,
    pub controller: String,
    pub contact: Option<String>,
}

/// One row of the decision log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    pub id: i64,
    pub subject: String,
    pub verdict: String,
    pub reason: String,
    pub policy_version: String,
    pub jurisdiction: String,
    pub first_seen: i64,
    pub last_seen: i64,
    pub count: u64,
}

/// The last logged decision for a subject, with repeats not yet written.
#[derive(Debug, Clone)]
struct LogHead {
    row: LogRow,
    /// Repeats counted in memory and not yet added to the row. They are written as an
    /// increment (`count = count + pending`), so two processes logging the same row
    /// never overwrite each other's counts.
    pending: u64,
}

/// A decision kept for repeats: valid while the ledger has the same head and the time is
/// in `[from, until)` (see [`Context::decide_until`]).
#[derive(Debug, Clone)]
struct Memo {
    decision: Decision,
    head: [u8; 32],
    from: i64,
    until: Option<i64>,
}

/// How often a long-lived store looks for other processes' writes on the decision
/// path: after this many decisions, or this much clock time, whichever comes first
/// (see [`Store::refresh`]). Writes always catch up exactly.
const REFRESH_EVERY_DECISIONS: u32 = 1024;
const REFRESH_EVERY_MS: i64 = 1000;

/// Attempts to take the write lock (each waits up to the busy timeout) before a write
/// gives up with a typed error; between attempts the wait doubles from 5 ms to 200 ms.
const BUSY_ATTEMPTS: u32 = 8;
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);
/// How long a write of the fold snapshot (a cache) waits for the lock before giving up.
const SNAPSHOT_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(50);

/// Limits on what an app may pass as a `source`.
const MAX_SOURCE_LEN: usize = 64;

/// The consent store. See the module docs.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    manifest: Arc<Manifest>,
    clock: Arc<dyn Clock>,
    ledger: LedgerState,
    last_hash: [u8; 32],
    last_id: i64,
    chain: ChainReport,
    /// The full ledger check still running after an open from the fold snapshot.
    audit: Option<Audit>,
    /// The file has not had its full check (SQLite's and the chain's) since this store
    /// opened from its snapshot. While the audit runs, decisions go on; once it has
    /// ended without clearing this, the store fails closed until a check succeeds.
    pending_check: bool,
    /// The fold snapshot of a broken ledger has been deleted (see
    /// [`Store::forget_snapshot_if_broken`]).
    snapshot_forgotten: bool,
    /// The last logged decision per subject, read from disk the first time a subject
    /// is decided.
    heads: IdMap<LogHead>,
    /// The last answer per declared subject, reused for repeated decisions.
    memo: HashMap<Subject, Memo, BuildHasherDefault<IdHasher>>,
    recovery: Option<Recovery>,
    listener: Option<Box<dyn Listener>>,
    /// Set when the store cannot be used: from then on every decision is
    /// `deny store_unavailable`.
    broken: Option<Broken>,
    /// Changes found where no caller receives them (another process's write seen by a
    /// decision, a failed write after catching up, the store becoming unusable), kept
    /// for [`Store::take_unreported`] when no [`Listener`] is set.
    unreported: Vec<Change>,
    /// `PRAGMA data_version` when this store last looked for other connections' writes.
    data_version: i64,
    /// Decisions since then, and the clock time it was done at.
    decisions_since_refresh: u32,
    refreshed_at: i64,
}

/// How much of the ledger check [`Store::open_with`] does before it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerCheck {
    /// Every event's hash is recomputed and its body parsed before the store opens.
    Full,
    /// A store with a [fold snapshot](crate::snapshot) opens from it, checking only the
    /// events after it; the full check then runs on the `gatekeeper.audit` thread (see
    /// [`crate::audit`]). Decisions do not wait for it; writes, `verify`, the state and
    /// the export do. A store without a snapshot is checked in full, as with `Full`.
    Background,
}

/// Why a store answers `deny store_unavailable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Broken {
    /// Looking for other writers' changes failed: the next successful look clears it.
    Read,
    /// A decision could not be logged: it stays until the store is reopened or erased,
    /// so that a full disk does not flip every SDK on and off.
    LogWrite,
    /// The audit found the file corrupt and it could not be replaced by a fresh store:
    /// it stays until the store is reopened.
    Corrupt,
}

enum OpenFailure {
    /// Not a database, or a damaged one: move it aside and start afresh.
    Corrupt(String),
    Fatal(Error),
}

impl From<Error> for OpenFailure {
    fn from(e: Error) -> Self {
        match &e {
            Error::Sql { source, .. } if is_corruption(source) => OpenFailure::Corrupt(e.to_string()),
            _ => OpenFailure::Fatal(e),
        }
    }
}

/// A short description of a SQLite failure: what the store was doing and why it
/// failed, without SQL text.
fn sql_detail(context: &str, source: &rusqlite::Error) -> String {
    let detail = match source {
        e if is_busy(e) => format!(
            "another connection kept the store locked through {BUSY_ATTEMPTS} waits of {} s",
            BUSY_TIMEOUT.as_secs()
        ),
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        other => other.to_string(),
    };
    format!("{context}: {detail}")
}

/// A SQLite failure while opening means the store cannot be used: say which store.
fn opening_error(path: &Path, e: Error) -> Error {
    match e {
        Error::Sql { context, source } => {
            Error::Open { path: path.display().to_string(), message: sql_detail(context, &source) }
        }
        other => other,
    }
}

/// A SQLite failure on an open store, naming the store.
fn located(path: &Path, e: Error) -> Error {
    match e {
        Error::Sql { context, source } => {
            Error::Store { path: path.display().to_string(), message: sql_detail(context, &source) }
        }
        other => other,
    }
}

/// Another connection holds the lock the operation needs.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked))
}

/// Runs `f` again while the store is busy (each attempt has already waited out the busy
/// timeout), backing off between attempts, so a lock held by another process or
/// thread never reaches the caller unless it is held for minutes.
fn retry_busy<T>(f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    retry_while(is_busy, f)
}

/// [`retry_busy`] for any error type, with `busy` saying which errors to wait out.
fn retry_while<T, E>(
    busy: impl Fn(&E) -> bool,
    mut f: impl FnMut() -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    let mut delay = std::time::Duration::from_millis(5);
    let mut attempt = 1;
    loop {
        match f() {
            Err(e) if busy(&e) && attempt < BUSY_ATTEMPTS => {
                std::thread::sleep(delay);
                delay = (delay * 2).min(std::time::Duration::from_millis(200));
                attempt += 1;
            }
            other => return other,
        }
    }
}

fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt))
}

impl Store {
    /// Opens (creating if needed) the store at `path` for `manifest`, checking the
    /// whole ledger before it returns ([`LedgerCheck::Full`]).
    ///
    /// Prunes decision-log rows older than the retention setting, folds the ledger and
    /// checks its hash chain. A corrupt file is moved aside to `<name>.corrupt-<time>`
    /// and a fresh store is started; [`Store::recovery`] then says so.
    ///
    /// # Errors
    /// - [`Error::NewerSchema`] when the file was written by a newer schema (untouched).
    /// - [`Error::PolicyMismatch`] when the store was made for another `policy.id`.
    /// - [`Error::Open`] when the file cannot be opened, read or written (naming the path).
    pub fn open(path: impl AsRef<Path>, manifest: Arc<Manifest>, clock: Arc<dyn Clock>) -> Result<Store> {
        Store::open_with(path, manifest, clock, LedgerCheck::Full)
    }

    /// Opens the store as [`Store::open`] does, with the ledger checked as `check`
    /// says. An app opens it at launch with [`LedgerCheck::Background`] (the FFI's
    /// `Gatekeeper::open`), so the full check runs after the store opens.
    ///
    /// # Errors
    /// As [`Store::open`].
    pub fn open_with(
        path: impl AsRef<Path>,
        manifest: Arc<Manifest>,
        clock: Arc<dyn Clock>,
        check: LedgerCheck,
    ) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        // Opening may write a little (schema, policy id, pruning, the snapshot): while
        // another process holds the lock, wait and try the whole open again.
        let busy = |e: &Error| matches!(e, Error::Sql { source, .. } if is_busy(source));
        let store = retry_while(busy, || Store::open_inner(path.clone(), manifest.clone(), clock.clone(), check))
            .map_err(|e| opening_error(&path, e))?;
        // The file is ours and open: from now on closing may checkpoint the WAL again.
        if let Err(e) = store.conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false) {
            warn!("gatekeeper: could not re-enable the checkpoint on close: {e}");
        }
        info!("gatekeeper: store open, {} event(s)", store.chain.events);
        Ok(store)
    }

    /// The audit found the file corrupt: closes it, moves it aside and carries on with
    /// a fresh store (as opening a corrupt file does), keeping the listener.
    fn recover_in_place(&mut self, why: &str) {
        warn!("gatekeeper: the store failed its integrity check after opening ({why})");
        let placeholder = match Connection::open_in_memory() {
            Ok(c) => c,
            Err(e) => {
                warn!("gatekeeper: could not close the corrupt store, failing closed: {e}");
                return self.set_broken(Some(Broken::Corrupt));
            }
        };
        // Nothing more goes into the corrupt file, not even a checkpoint on close.
        let _ = self.conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
        self.heads.clear();
        let old = std::mem::replace(&mut self.conn, placeholder);
        if let Err((_, e)) = old.close() {
            warn!("gatekeeper: closing the corrupt store: {e}");
        }
        match Store::open_with(&self.path, self.manifest.clone(), self.clock.clone(), LedgerCheck::Full) {
            Ok(mut fresh) => {
                fresh.listener = self.listener.take();
                fresh.unreported = std::mem::take(&mut self.unreported);
                *self = fresh;
            }
            Err(e) => {
                warn!("gatekeeper: could not start afresh, failing closed: {e}");
                self.set_broken(Some(Broken::Corrupt));
            }
        }
    }

    fn open_inner(path: PathBuf, manifest: Arc<Manifest>, clock: Arc<dyn Clock>, check: LedgerCheck) -> Result<Store> {
        let now = clock.now_ms();
        match Store::open_once(&path, &manifest, &clock, check, None)? {
            Ok(store) => Ok(store),
            Err(why) => {
                let moved_to = move_aside(&path, now)?;
                warn!("gatekeeper: store was unreadable ({why}); moved aside and started afresh");
                let recovery = Recovery { at: now, moved_to };
                Store::open_once(&path, &manifest, &clock, LedgerCheck::Full, Some(recovery))?
                    .map_err(|why| Error::Open { path: path.display().to_string(), message: why })
            }
        }
    }

    /// One attempt at opening: `Ok(Err(why))` when the file is corrupt (and nothing was
    /// written to it), so the caller moves it aside.
    fn open_once(
        path: &Path,
        manifest: &Arc<Manifest>,
        clock: &Arc<dyn Clock>,
        check: LedgerCheck,
        recovery: Option<Recovery>,
    ) -> Result<std::result::Result<Store, String>> {
        let now = clock.now_ms();
        // An app's open leaves SQLite's integrity check to the audit thread, unless it
        // must write: the open writes nothing to a file that has not passed it. (A
        // decision-log row written before the audit ends can still land in a file the
        // audit then moves aside.)
        let checked = check == LedgerCheck::Full;
        let conn = match open_connection(path, checked) {
            Ok(conn) => conn,
            Err(OpenFailure::Fatal(e)) => return Err(e),
            Err(OpenFailure::Corrupt(why)) => return Ok(Err(why)),
        };
        // One read transaction: the metadata, the events and the recorded head from the
        // same moment, however many other processes are writing.
        let found = match read_at_open(&conn, check) {
            Ok(found) => found,
            Err(e) => return corruption(&e).map(Err).ok_or(e),
        };
        let Loaded { chain, ledger, last_hash, last_id } = found.loaded.clone();
        if chain.first_broken.is_some() {
            warn!("gatekeeper: ledger hash chain broken; decisions fail closed until erase");
        }
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            manifest: manifest.clone(),
            clock: clock.clone(),
            ledger,
            last_hash,
            last_id,
            chain,
            audit: None,
            pending_check: !checked,
            snapshot_forgotten: false,
            heads: IdMap::default(),
            memo: HashMap::default(),
            recovery: None,
            listener: None,
            broken: None,
            unreported: Vec::new(),
            data_version: found.data_version,
            decisions_since_refresh: 0,
            refreshed_at: now,
        };
        let plan = store.open_plan(&found, recovery.as_ref(), now)?;
        // A new snapshot only over a ledger that is intact as far as this open checked;
        // the snapshot of a broken one is deleted.
        let new_snapshot = store.chain.first_broken.is_none() && store.last_id > 0 && !found.snapshot_fresh;
        let forget = store.chain.first_broken.is_some() && found.meta.contains_key(snapshot::META_KEY);
        if (plan.writes() || new_snapshot || forget) && store.pending_check {
            if let Some(why) = audit::quick_check(&store.conn)? {
                return Ok(Err(why));
            }
            // With the chain read in full at this open, nothing is left for the audit.
            store.pending_check = found.from_snapshot;
        }
        store.open_writes(&plan, recovery.as_ref())?;
        store.recovery = recovery.or_else(|| {
            let at = found.meta.get("recovered_at").and_then(|s| s.parse().ok());
            at.zip(found.meta.get("recovered_moved_to").cloned()).map(|(at, moved_to)| Recovery { at, moved_to })
        });
        // The snapshot is a cache: writing or deleting it never fails the open.
        if new_snapshot {
            store.try_write_snapshot(found.snapshot_text.as_deref());
        }
        store.forget_snapshot_if_broken();
        if store.pending_check {
            store.audit = Audit::spawn(&store.path);
            if store.audit.is_none() {
                warn!("gatekeeper: could not start the ledger audit thread, checking in place");
                store.check_in_place();
            }
        }
        Ok(Ok(store))
    }

    /// What opening must write: the policy id of a new store (or the refusal of another
    /// policy's store), the url and controller of a policy version not seen before, a
    /// recovery note and the pruning of decision-log rows past retention.
    fn open_plan(&self, found: &AtOpen, recovery: Option<&Recovery>, now: i64) -> Result<OpenPlan> {
        let policy_id = &self.manifest.policy.id;
        let pin = match found.meta.get("policy_id") {
            Some(stored) if stored == policy_id => false,
            Some(stored) => return Err(self.policy_mismatch(stored)),
            None => true,
        };
        Ok(OpenPlan {
            pin,
            remember: !found.meta.contains_key(&policy_key(&self.manifest.policy.version)),
            recovery: recovery.is_some(),
            prune_before: Some(now - i64::from(self.manifest.settings.decision_log_retention_days) * MS_PER_DAY)
                .filter(|cutoff| found.oldest_log.is_some_and(|t| t < *cutoff)),
        })
    }

    /// Writes what [`Store::open_plan`] found, in one transaction (none when nothing
    /// needs writing).
    fn open_writes(&mut self, plan: &OpenPlan, recovery: Option<&Recovery>) -> Result<()> {
        if !plan.writes() {
            return Ok(());
        }
        let policy_id = self.manifest.policy.id.clone();
        let OpenPlan { pin, remember, prune_before, .. } = *plan;
        self.in_write("opening the store", |s| {
            if pin {
                // Another process may have made the store meanwhile.
                match s.meta("policy_id")? {
                    None => s.set_meta("policy_id", &policy_id)?,
                    Some(stored) if stored == policy_id => {}
                    Some(stored) => return Err(s.policy_mismatch(&stored)),
                }
            }
            if remember {
                s.remember_policy_version()?;
            }
            if let Some(r) = recovery {
                s.set_meta("recovered_at", &r.at.to_string())?;
                s.set_meta("recovered_moved_to", &r.moved_to)?;
            }
            if let Some(cutoff) = prune_before {
                s.prune_log(cutoff)?;
            }
            Ok(())
        })
    }

    /// A write of the fold snapshot, which is only a cache: one attempt with a short
    /// wait for the lock, and a failure is logged, never returned. `f` runs inside the
    /// transaction.
    fn try_cache_write(&mut self, what: &str, f: impl FnOnce(&mut Self) -> Result<()>) -> bool {
        let _ = self.conn.busy_timeout(SNAPSHOT_BUSY_TIMEOUT);
        let done = self.conn.execute_batch("BEGIN IMMEDIATE").ctx("writing the fold snapshot").and_then(|()| {
            let r = f(self).and_then(|()| self.conn.execute_batch("COMMIT").ctx("writing the fold snapshot"));
            if r.is_err() && !self.conn.is_autocommit() {
                let _ = self.conn.execute_batch("ROLLBACK");
            }
            r
        });
        let _ = self.conn.busy_timeout(BUSY_TIMEOUT);
        if let Err(e) = &done {
            warn!("gatekeeper: {what} did not happen: {e}");
        }
        done.is_ok()
    }

    /// Writes the fold snapshot of the ledger as this store read it, unless another
    /// connection has changed the ledger or the stored snapshot since (`expected` is the
    /// snapshot text read at open): a snapshot deleted because the chain was found
    /// broken is never written back by an open that read it before.
    fn try_write_snapshot(&mut self, expected: Option<&str>) {
        self.try_cache_write("writing the fold snapshot", |s| {
            if s.meta("ledger_head")? == s.known_head() && s.meta(snapshot::META_KEY)?.as_deref() == expected {
                s.write_snapshot()?;
            }
            Ok(())
        });
    }

    /// Once the chain is known to be broken, deletes the fold snapshot (whoever wrote
    /// it), so that no later open answers from it before the chain has been checked
    /// again. Tried again at the next refresh, write, `verify` or close if it fails.
    fn forget_snapshot_if_broken(&mut self) {
        if self.chain.first_broken.is_none() || self.snapshot_forgotten {
            return;
        }
        self.snapshot_forgotten = self.try_cache_write("deleting the fold snapshot of a broken ledger", |s| {
            s.conn
                .execute("DELETE FROM meta WHERE key = ?1", [snapshot::META_KEY])
                .ctx("deleting the fold snapshot")?;
            Ok(())
        });
    }

    fn policy_mismatch(&self, stored: &str) -> Error {
        Error::PolicyMismatch {
            path: self.path.display().to_string(),
            store_policy: stored.to_owned(),
            manifest_policy: self.manifest.policy.id.clone(),
        }
    }

    /// Saves the fold of the ledger as read (inside a write transaction).
    fn write_snapshot(&self) -> Result<()> {
        let text = snapshot::encode(&Snapshot {
            through_id: self.last_id,
            through_hash: self.last_hash,
            rows: self.chain.events,
            state: self.ledger.clone(),
        });
        self.set_meta(snapshot::META_KEY, &text)
    }

    /// Waits for the background ledger audit, if one is running, and applies what it
    /// found (see [`Store::settle_audit`]). Call before reporting the ledger.
    pub fn settle(&mut self) {
        self.settle_audit(true);
    }

    /// Applies the background audit's result once it is ready (or, with `wait`, after
    /// waiting for it). A broken chain makes every decision fail closed; a fold that
    /// differs from the snapshot's replaces it (the events are the truth) and a new
    /// snapshot is written; a corrupt file is moved aside and the store started afresh;
    /// any change is reported like another writer's. An audit that could not run, or
    /// that read another ledger than this store's (another process wrote meanwhile), is
    /// done again in place on the store's own connection.
    fn settle_audit(&mut self, wait: bool) {
        match &self.audit {
            None => return,
            Some(a) if !wait && !a.is_finished() => return,
            Some(_) => {}
        }
        // What decisions were (with the audit still counted as running).
        let now = self.clock.now_ms();
        let before = self.answers(now);
        let Some(audit) = self.audit.take() else { return };
        match audit.wait() {
            Ok(audit::Found::Checked(found)) => {
                if !self.apply_check(*found) {
                    self.check_in_place();
                }
            }
            Ok(audit::Found::Corrupt(why)) => self.recover_in_place(&why),
            Err(e) => match corruption(&e) {
                Some(why) => self.recover_in_place(&why),
                None => {
                    warn!("gatekeeper: the ledger audit could not run ({e}); checking in place");
                    self.check_in_place();
                }
            },
        }
        let changes = self.notify(before, now);
        self.keep_unreported(changes);
    }

    /// [`Store::check_in_place`], reporting what it changed like another writer's change.
    fn check_now(&mut self) {
        let now = self.clock.now_ms();
        let before = self.answers(now);
        self.check_in_place();
        let changes = self.notify(before, now);
        self.keep_unreported(changes);
    }

    /// The full check (SQLite's and the chain's) on the store's own connection: the
    /// state is read again with it. Until one succeeds, a store opened from its snapshot
    /// fails closed.
    fn check_in_place(&mut self) {
        let found = self.in_read(|s| {
            if let Some(why) = audit::quick_check(&s.conn)? {
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
            let stored = self.meta(snapshot::META_KEY).ok().flatten();
            self.try_write_snapshot(stored.as_deref());
        }
        true
    }

    /// The manifest this store decides with.
    pub fn manifest(&self) -> &Arc<Manifest> {
        &self.manifest
    }

    /// Where the store lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folded ledger.
    pub fn ledger(&self) -> &LedgerState {
        &self.ledger
    }

    /// Set when this store was started afresh because the old file was corrupt.
    pub fn recovery(&self) -> Option<&Recovery> {
        self.recovery.as_ref()
    }

    /// The hash-chain check done when the store was opened (and kept up to date).
    pub fn chain(&self) -> ChainReport {
        self.chain
    }

    /// Whether decisions can be trusted: the store is writable and its ledger intact.
    pub fn is_usable(&self) -> bool {
        self.broken.is_none() && self.chain.first_broken.is_none() && !(self.pending_check && self.audit.is_none())
    }

    /// The current time from the injected clock.
    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Registers the one listener (replacing any earlier one).
    pub fn set_listener(&mut self, listener: Option<Box<dyn Listener>>) {
        self.listener = listener;
    }

    fn context(&self, now: i64) -> Context<'_> {
        Context { manifest: &self.manifest, ledger: &self.ledger, now }
    }

    /// Decides one subject and logs the answer (contract §4, §6).
    ///
    /// Never fails: an unusable store answers `deny store_unavailable`.
    pub fn decide(&mut self, subject: &Subject) -> Decision {
        if self.audit.is_some() {
            self.settle_audit(false);
        }
        let now = self.clock.now_ms();
        self.decisions_since_refresh += 1;
        if self.decisions_since_refresh >= REFRESH_EVERY_DECISIONS
            || now.saturating_sub(self.refreshed_at) >= REFRESH_EVERY_MS
            || now < self.refreshed_at
        {
            match self.refresh() {
                Ok(changes) => self.keep_unreported(changes),
                Err(e) => warn!("gatekeeper: could not look for other writers' changes, failing closed: {e}"),
            }
        }
        if !self.is_usable() {
            return self.context(now).unavailable(subject);
        }
        let decision = self.decide_or_reuse(subject, now);
        if let Err(e) = self.log_decision(&decision) {
            warn!("gatekeeper: decision log write failed, failing closed: {e}");
            self.set_broken(Some(Broken::LogWrite));
            return self.context(now).unavailable(subject);
        }
        decision
    }

    /// The rules' answer, or the last one for this subject when neither the ledger (its
    /// chain head) nor anything time could change has moved since: a repeated decision
    /// then costs a lookup and a copy. Unknown ids are not kept (they cost nothing to
    /// answer, and an app could pass any number of them).
    fn decide_or_reuse(&mut self, subject: &Subject, now: i64) -> Decision {
        if let Some(m) = self.memo.get(subject) {
            if m.head == self.last_hash && m.from <= now && m.until.is_none_or(|u| now < u) {
                let mut d = m.decision.clone();
                d.decided_at = now;
                return d;
            }
        }
        let (decision, until) = self.context(now).decide_until(subject);
        if decision.reason != Reason::UnknownSubject {
            let memo = Memo { decision: decision.clone(), head: self.last_hash, from: now, until };
            self.memo.insert(subject.clone(), memo);
        }
        decision
    }

    /// Decides without logging: what the app would be told now.
    pub fn peek(&self, subject: &Subject) -> Decision {
        let ctx = self.context(self.clock.now_ms());
        if self.is_usable() {
            ctx.decide(subject)
        } else {
            ctx.unavailable(subject)
        }
    }

    /// What every watched subject would be told now (compared before and after a
    /// change, for the listener; not the fold snapshot).
    fn answers(&self, now: i64) -> Vec<Decision> {
        let ctx = self.context(now);
        Context::watched_subjects(&self.manifest)
            .iter()
            .map(|s| if self.is_usable() { ctx.decide(s) } else { ctx.unavailable(s) })
            .collect()
    }

    // --- writes ---------------------------------------------------------------------

    /// Records the user's country and age.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a country that is not an upper-case ISO 3166-1
    /// alpha-2 code or an age over 150; store errors.
    pub fn set_profile(&mut self, country: Option<&str>, age: Option<u32>) -> Result<Vec<Change>> {
        if let Some(c) = country {
            if !crate::country::is_iso_alpha2(c) {
                return Err(Error::invalid(
                    "country",
                    "expected an ISO 3166-1 alpha-2 code in upper case, such as CN or DE",
                ));
            }
        }
        if age.is_some_and(|a| a > 150) {
            return Err(Error::invalid("age", "expected a whole number of years from 0 to 150"));
        }
        let mut e = Event::new(EventKind::ProfileSet, 0);
        e.country = country.map(str::to_owned);
        e.age = age;
        self.record(e)
    }

    /// Records that the user (or their guardian) accepted the current policy.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a malformed source; store errors.
    pub fn accept_policy(&mut self, by_guardian: bool, source: &str) -> Result<Vec<Change>> {
        let mut e = Event::new(EventKind::PolicyAccepted, 0);
        e.by_guardian = by_guardian;
        e.source = Some(check_source(source)?);
        self.record(e)
    }

    /// Records a grant, denial or withdrawal for purposes and/or SDKs.
    ///
    /// # Errors
    /// [`Error::UnknownId`] for an id the manifest does not declare (nothing is
    /// recorded); [`Error::InvalidArgument`] for an empty list or a malformed source;
    /// store errors.
    pub fn record_choice(
        &mut self,
        kind: EventKind,
        purposes: &[String],
        sdks: &[String],
        separate: bool,
        by_guardian: bool,
        source: &str,
    ) -> Result<Vec<Change>> {
        if !matches!(kind, EventKind::Granted | EventKind::Denied | EventKind::Withdrawn) {
            return Err(Error::invalid("kind", "a choice is granted, denied or withdrawn"));
        }
        if purposes.is_empty() && sdks.is_empty() {
            return Err(Error::invalid("items", "name at least one purpose or SDK"));
        }
        for p in purposes {
            if self.manifest.purpose(p).is_none() {
                return Err(Error::UnknownId { kind: "purpose", id: clip(p) });
            }
        }
        for s in sdks {
            if self.manifest.sdk(s).is_none() {
                return Err(Error::UnknownId { kind: "sdk", id: clip(s) });
            }
        }
        let mut e = Event::new(kind, 0);
        e.purposes = dedup(purposes);
        e.sdks = dedup(sdks);
        e.separate = separate;
        e.by_guardian = by_guardian;
        e.source = Some(check_source(source)?);
        self.record(e)
    }

    /// Records what the OS answered to a permission prompt.
    ///
    /// # Errors
    /// [`Error::UnknownId`] for an undeclared permission; store errors.
    pub fn record_permission_result(&mut self, permission: &str, result: PermissionResult) -> Result<Vec<Change>> {
        if self.manifest.permission(permission).is_none() {
            return Err(Error::UnknownId { kind: "permission", id: clip(permission) });
        }
        let mut e = Event::new(EventKind::PermissionResult, 0);
        e.permission = Some(permission.to_owned());
        e.result = Some(result);
        self.record(e)
    }

    /// Deletes every event, every decision-log row and the profile, leaving one
    /// `erased` marker with a timestamp only. Afterwards the user is a new user. Copies
    /// of this store moved aside as corrupt (`<name>.corrupt-*`) may hold the user's
    /// earlier events, so they are deleted too.
    ///
    /// # Errors
    /// Store errors; on error nothing was erased.
    pub fn erase(&mut self) -> Result<Vec<Change>> {
        self.settle();
        self.erase_inner().map_err(|e| located(&self.path, e))
    }

    fn erase_inner(&mut self) -> Result<Vec<Change>> {
        let now = self.clock.now_ms();
        let before = self.answers(now);
        let mut marker = Event::new(EventKind::Erased, now);
        marker.id = 1;
        let body = marker.canonical();
        let hash = chain_hash(&GENESIS_HASH, &body);
        self.in_write("the erase", |s| {
            let tx = &s.conn;
            tx.execute("DELETE FROM events", []).ctx("erasing events")?;
            tx.execute("DELETE FROM decision_log", []).ctx("erasing the decision log")?;
            tx.execute(
                "DELETE FROM meta WHERE key IN ('recovered_at', 'recovered_moved_to', ?1)",
                [snapshot::META_KEY],
            )
            .ctx("erasing recovery notes and the fold snapshot")?;
            tx.execute(
                "INSERT INTO events (id, ts, kind, body, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![marker.id, marker.ts, marker.kind.as_str(), body, to_hex(&hash)],
            )
            .ctx("writing the erase marker")?;
            write_head(tx, marker.id, &hash)
        })?;
        // Push the deleted pages out of the WAL too; secure_delete has zeroed them.
        let _ = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
        remove_moved_aside(&self.path);
        self.ledger = LedgerState::fold([&marker]);
        self.last_hash = hash;
        self.last_id = marker.id;
        self.chain = ChainReport { events: 1, first_broken: None };
        self.heads.clear();
        self.memo.clear();
        self.snapshot_forgotten = false;
        self.pending_check = false;
        self.recovery = None;
        self.broken = None;
        info!("gatekeeper: store erased");
        Ok(self.notify(before, now))
    }

    /// Appends one event: fills in id, time, policy version and jurisdiction, chains it,
    /// commits it durably, folds it in, and reports what changed.
    fn record(&mut self, e: Event) -> Result<Vec<Change>> {
        // Nothing is chained onto a ledger the audit has not vouched for yet.
        self.settle();
        if self.pending_check {
            self.check_now();
            if self.pending_check {
                return Err(Error::Store {
                    path: self.path.display().to_string(),
                    message: "the ledger could not be checked, so nothing is added to it".into(),
                });
            }
        }
        if let Some(first_broken) = self.chain.first_broken {
            return Err(Error::LedgerTampered { path: self.path.display().to_string(), first_broken });
        }
        let result = self.append(e).map_err(|err| located(&self.path, err));
        self.forget_snapshot_if_broken();
        result
    }

    fn append(&mut self, mut e: Event) -> Result<Vec<Change>> {
        let now = self.clock.now_ms();
        let before = self.answers(now);
        // Under the write lock: catch up with events other processes appended since this
        // store last looked, then chain onto the real last event.
        let written = self.in_write("a ledger write", |s| {
            s.flush_pending()?;
            s.catch_up()?;
            if let Some(first_broken) = s.chain.first_broken {
                return Err(Error::LedgerTampered { path: s.path.display().to_string(), first_broken });
            }
            s.fill_and_insert(&mut e, now)
        });
        let hash = match written {
            Ok(hash) => hash,
            Err(err) => {
                // The write failed, but catching up may already have applied another
                // process's events (or found the ledger tampered with): what that
                // changed must still reach the app.
                let changes = self.notify(before, now);
                self.keep_unreported(changes);
                return Err(err);
            }
        };
        self.ledger.apply(&e);
        self.last_hash = hash;
        self.last_id = e.id;
        self.chain.events += 1;
        info!("gatekeeper: recorded {}", e.kind.as_str());
        let changes = self.notify(before, now);
        // A write that takes something away is copied into the main file now (never
        // waiting for other connections): SQLite drops WAL frames that fail their
        // checksum, and a lost withdrawal would let an older grant allow again. That is
        // a write of a narrowing kind, or any write that turned an allow into something
        // else (a plain grant replacing a separate one, say). Any other write stays in
        // the WAL until the next checkpoint: it is as durable against a crash (the WAL
        // is synced on commit), and if a damaged WAL loses it, the user is asked again,
        // which fails closed. That keeps a grant at one fsync. Failure here loses
        // nothing: the write is already durable in the WAL.
        let took_away = changes.iter().any(|c| c.old.verdict == Verdict::Allow && c.new.verdict != Verdict::Allow);
        if e.may_narrow() || took_away {
            if let Err(err) = self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                warn!("gatekeeper: checkpoint after a write did not run: {err}");
            }
        }
        Ok(changes)
    }

    /// Gives `e` its id, time, policy version and jurisdiction, and inserts it with the
    /// new ledger head. Runs inside the write transaction.
    fn fill_and_insert(&mut self, e: &mut Event, now: i64) -> Result<[u8; 32]> {
        e.id = self.last_id + 1;
        e.ts = now;
        e.policy_version = Some(self.manifest.policy.version.clone());
        // The jurisdiction the event was made under; a profile change is recorded under
        // the jurisdiction it moves the user into.
        e.jurisdiction = Some(match e.kind {
            EventKind::ProfileSet => self.manifest.jurisdiction_for(e.country.as_deref()).id.clone(),
            _ => self.context(now).jurisdiction().id.clone(),
        });
        let body = e.canonical();
        let hash = chain_hash(&self.last_hash, &body);
        self.conn
            .execute(
                "INSERT INTO events (id, ts, kind, body, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![e.id, e.ts, e.kind.as_str(), body, to_hex(&hash)],
            )
            .ctx("appending to the ledger")?;
        write_head(&self.conn, e.id, &hash)?;
        Ok(hash)
    }

    // --- transactions and other writers ---------------------------------------------

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction (the write lock taken first, waiting
    /// and retrying while another connection holds it) and commits it durably. On any
    /// error the transaction is rolled back. `f` must change memory only by reloading
    /// what is committed on disk; the caller applies its own change after the commit.
    fn in_write<T>(&mut self, what: &'static str, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        retry_busy(|| self.conn.execute_batch("BEGIN IMMEDIATE")).ctx(what)?;
        let result = f(self).and_then(|v| {
            retry_busy(|| self.conn.execute_batch("COMMIT")).ctx(what)?;
            Ok(v)
        });
        if result.is_err() && !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        if result.is_ok() {
            for h in self.heads.values_mut() {
                h.pending = 0;
            }
        }
        result
    }

    /// Runs `f` in one read transaction, so everything it reads is from one moment.
    fn in_read<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f(self);
        }
        // BEGIN takes no lock; the first SELECT takes the WAL snapshot.
        self.conn.execute_batch("BEGIN DEFERRED").ctx("starting a read")?;
        let result = f(self);
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let _ = self.conn.execute_batch(end);
        result
    }

    fn data_version(&self) -> Result<i64> {
        self.conn.query_row("PRAGMA data_version", [], |r| r.get(0)).ctx("looking for other writers")
    }

    /// The ledger head this store knows, as recorded in `meta`.
    fn known_head(&self) -> Option<String> {
        (self.last_id > 0).then(|| format!("{}:{}", self.last_id, to_hex(&self.last_hash)))
    }

    /// Inside a transaction: when another connection changed the ledger since this
    /// store last read it, re-reads and re-folds it (and the decision-log heads).
    /// Returns whether it did.
    fn catch_up(&mut self) -> Result<bool> {
        if self.meta("ledger_head")? == self.known_head() {
            return Ok(false);
        }
        self.load_ledger()?;
        // Pending repeats were written before catching up; heads are read again lazily.
        self.heads.clear();
        self.memo.clear();
        info!("gatekeeper: caught up with another writer, {} event(s)", self.chain.events);
        Ok(true)
    }

    /// Looks for consent written by other processes (or other `Store`s on the same
    /// file) and, when there is any, re-reads the ledger and reports what that changed
    /// to the listener. Cheap when nothing changed: one `PRAGMA data_version`.
    ///
    /// Writes always catch up first, under the write lock, so they are exact.
    /// [`Store::decide`] calls this itself after [`REFRESH_EVERY_DECISIONS`] decisions
    /// or [`REFRESH_EVERY_MS`] of clock time, whichever comes first; call it directly to
    /// see another process's write at once (on resume, say).
    ///
    /// # Errors
    /// Store errors (the caller should then fail closed).
    pub fn refresh(&mut self) -> Result<Vec<Change>> {
        self.settle_audit(false);
        if self.pending_check && self.audit.is_none() {
            self.check_now();
        }
        let refreshed = self.refresh_inner();
        self.forget_snapshot_if_broken();
        match refreshed {
            Ok(mut changes) => {
                if self.broken == Some(Broken::Read) {
                    let before = self.answers(self.refreshed_at);
                    self.broken = None;
                    info!("gatekeeper: the store can be read again");
                    merge_changes(&mut changes, self.notify(before, self.refreshed_at));
                }
                Ok(changes)
            }
            Err(e) => {
                if self.broken.is_none() {
                    self.set_broken(Some(Broken::Read));
                }
                Err(located(&self.path, e))
            }
        }
    }

    fn refresh_inner(&mut self) -> Result<Vec<Change>> {
        let now = self.clock.now_ms();
        self.decisions_since_refresh = 0;
        self.refreshed_at = now;
        let version = self.data_version()?;
        if version == self.data_version && self.broken != Some(Broken::Read) {
            return Ok(Vec::new());
        }
        let before = self.answers(now);
        self.flush_inner()?;
        let changed = self.in_read(|s| {
            s.data_version = s.data_version()?;
            s.catch_up()
        })?;
        Ok(if changed { self.notify(before, now) } else { Vec::new() })
    }

    /// Keeps changes no caller will receive, for [`Store::take_unreported`] (a
    /// [`Listener`], when set, has already heard of them).
    fn keep_unreported(&mut self, changes: Vec<Change>) {
        if self.listener.is_none() {
            merge_changes(&mut self.unreported, changes);
        }
    }

    /// Changes found since the last call where no caller received them: another
    /// process's write seen while deciding, the store becoming unusable or usable
    /// again, another process's write caught up by a write that then failed. An app
    /// without a [`Listener`] (the FFI object) takes them after each call.
    pub fn take_unreported(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.unreported)
    }

    /// Marks the store unusable (or usable again) and reports what that changed.
    fn set_broken(&mut self, broken: Option<Broken>) {
        if self.broken == broken {
            return;
        }
        let now = self.clock.now_ms();
        let before = self.answers(now);
        self.broken = broken;
        let changes = self.notify(before, now);
        self.keep_unreported(changes);
    }

    fn notify(&self, before: Vec<Decision>, now: i64) -> Vec<Change> {
        let after = self.answers(now);
        let changes: Vec<Change> = before
            .into_iter()
            .zip(after)
            .filter(|(old, new)| new.changed_from(old))
            .map(|(old, new)| Change { subject: new.subject.clone(), old, new })
            .collect();
        if let (Some(l), false) = (&self.listener, changes.is_empty()) {
            l.on_change(&changes);
        }
        changes
    }

    // --- decision log ---------------------------------------------------------------

    fn log_decision(&mut self, d: &Decision) -> Result<()> {
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
                if let Some(row) = self.read_head(&d.subject)? {
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

    /// Writes buffered repeat counts of the decision log.
    ///
    /// # Errors
    /// Store errors.
    /// A flush that fails leaves decisions unlogged: from then on every decision is
    /// `deny store_unavailable`, as when a new log row cannot be written.
    pub fn flush(&mut self) -> Result<()> {
        self.flush_inner().map_err(|e| {
            warn!("gatekeeper: decision log flush failed, failing closed: {e}");
            self.set_broken(Some(Broken::LogWrite));
            located(&self.path, e)
        })
    }

    fn flush_inner(&mut self) -> Result<()> {
        if !self.heads.values().any(|h| h.pending > 0) {
            return Ok(());
        }
        self.in_write("a flush", |s| s.flush_pending())
    }

    /// Adds the repeats counted in memory to their rows (inside a write transaction;
    /// [`Store::in_write`] clears them once it commits). A row is matched by subject and
    /// first time too: after another process's erase, a new row can reuse its id, and
    /// the repeats of an erased row must not land on it.
    fn flush_pending(&self) -> Result<()> {
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

    /// The decision log, oldest first, with buffered repeats included.
    ///
    /// # Errors
    /// Store errors.
    pub fn decision_log(&mut self) -> Result<Vec<LogRow>> {
        self.decision_log_inner().map_err(|e| located(&self.path, e))
    }

    fn decision_log_inner(&mut self) -> Result<Vec<LogRow>> {
        self.flush_inner()?;
        self.read_log(
            "SELECT id, subject, verdict, reason, policy_version, jurisdiction, first_seen, last_seen, count
                       FROM decision_log ORDER BY id",
        )
    }

    /// Runs a constant query over the decision log's columns (in table order).
    fn read_log(&self, sql: &'static str) -> Result<Vec<LogRow>> {
        let mut stmt = self.conn.prepare(sql).ctx("reading the decision log")?;
        let rows = stmt
            .query_map([], log_row)
            .ctx("reading the decision log")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("reading the decision log")?;
        Ok(rows)
    }

    // --- reading the ledger ---------------------------------------------------------

    /// Every stored event row, in order.
    ///
    /// # Errors
    /// Store errors.
    pub fn stored_events(&self) -> Result<Vec<StoredEvent>> {
        self.stored_events_inner().map_err(|e| located(&self.path, e))
    }

    fn stored_events_inner(&self) -> Result<Vec<StoredEvent>> {
        let mut stmt =
            self.conn.prepare("SELECT id, ts, kind, body, hash FROM events ORDER BY id").ctx("reading the ledger")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(StoredEvent { id: r.get(0)?, ts: r.get(1)?, kind: r.get(2)?, body: r.get(3)?, hash: r.get(4)? })
            })
            .ctx("reading the ledger")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("reading the ledger")?;
        Ok(rows)
    }

    /// Recomputes the hash chain from disk (contract §3 `verify`).
    ///
    /// # Errors
    /// Store errors.
    pub fn verify(&mut self) -> Result<ChainReport> {
        self.settle();
        if self.pending_check {
            self.check_now();
        }
        let now = self.clock.now_ms();
        let before = self.answers(now);
        // The state is read again with the chain, so the two always agree.
        let report = self
            .in_read(|s| {
                let rows = s.stored_events_inner()?;
                let report = s.audit(&rows)?;
                s.load_ledger()?;
                Ok(report)
            })
            .map_err(|e| located(&self.path, e))?;
        self.chain = report;
        let changes = self.notify(before, now);
        self.keep_unreported(changes);
        self.forget_snapshot_if_broken();
        Ok(report)
    }

    /// Recomputes the chain over `rows` and checks its end against the head recorded
    /// with every write, so a deleted last event (which leaves a valid shorter chain)
    /// is caught too. The chain has no secret key: it catches edits, not a forger who
    /// recomputes every hash.
    fn audit(&self, rows: &[StoredEvent]) -> Result<ChainReport> {
        self.audit_head(&ChainWalk::audit(rows))
    }

    /// The head check of [`Store::audit`], on a chain already recomputed.
    fn audit_head(&self, walk: &ChainWalk) -> Result<ChainReport> {
        Ok(audit::check_head(walk, self.meta("ledger_head")?.as_deref()))
    }

    // --- opening ----------------------------------------------------------------------

    fn meta(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .ctx("reading store metadata")
    }

    fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .ctx("writing store metadata")?;
        Ok(())
    }

    /// Keeps the url and controller of each policy version the store has been opened
    /// with, so a receipt shows the policy an event was recorded under.
    fn remember_policy_version(&self) -> Result<()> {
        let p = &self.manifest.policy;
        let details = serde_json::json!({
            "url": p.url,
            "controller": {"name": p.controller.name, "contact": p.controller.contact},
        });
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO NOTHING",
                params![policy_key(&p.version), details.to_string()],
            )
            .ctx("recording the policy version")?;
        Ok(())
    }

    /// The url and controller recorded for a policy version, if the store has seen it.
    ///
    /// # Errors
    /// Store errors.
    pub fn policy_details(&self, version: &str) -> Result<Option<PolicyDetails>> {
        let Some(text) = self.meta(&policy_key(version)).map_err(|e| located(&self.path, e))? else {
            return Ok(None);
        };
        let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let s = |x: &serde_json::Value| x.as_str().map(str::to_owned);
        Ok(Some(PolicyDetails {
            url: s(&v["url"]),
            controller: s(&v["controller"]["name"]).unwrap_or_default(),
            contact: s(&v["controller"]["contact"]),
        }))
    }

    /// Whether this store was made by `gatekeeper demo` (which may erase it freely).
    pub(crate) fn is_demo_store(&self) -> Result<bool> {
        Ok(self.meta("demo_store")?.is_some())
    }

    pub(crate) fn mark_demo_store(&self) -> Result<()> {
        self.set_meta("demo_store", "1")
    }

    fn prune_log(&self, cutoff: i64) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM decision_log WHERE last_seen < ?1", [cutoff])
            .ctx("pruning the decision log")?;
        if n > 0 {
            info!("gatekeeper: pruned {n} decision-log row(s) past retention");
        }
        Ok(())
    }

    /// Reads the whole ledger again and checks it (inside the caller's transaction).
    fn load_ledger(&mut self) -> Result<()> {
        let head = self.meta("ledger_head")?;
        let found = audit::read_ledger(&self.conn, head.as_deref())?;
        if found.chain.first_broken.is_some() {
            warn!("gatekeeper: ledger hash chain broken; decisions fail closed until erase");
        }
        self.chain = found.chain;
        self.ledger = found.ledger;
        self.last_hash = found.last_hash;
        self.last_id = found.last_id;
        self.memo.clear();
        Ok(())
    }

    /// The last logged row for `subject`, read when the subject is first decided.
    fn read_head(&self, subject: &str) -> Result<Option<LogRow>> {
        self.conn
            .prepare_cached(
                "SELECT id, subject, verdict, reason, policy_version, jurisdiction, first_seen, last_seen, count
                 FROM decision_log WHERE subject = ?1 ORDER BY id DESC LIMIT 1",
            )
            .and_then(|mut stmt| stmt.query_map([subject], log_row)?.next().transpose())
            .ctx("reading the decision log")
    }
}

/// The `meta` key holding a policy version's url and controller.
fn policy_key(version: &str) -> String {
    format!("policy:{version}")
}

/// What opening a store must write.
#[derive(Debug, Clone, Copy)]
struct OpenPlan {
    pin: bool,
    remember: bool,
    recovery: bool,
    prune_before: Option<i64>,
}

impl OpenPlan {
    fn writes(&self) -> bool {
        self.pin || self.remember || self.recovery || self.prune_before.is_some()
    }
}

/// The reason a failed read means the file is corrupt, if it does.
fn corruption(e: &Error) -> Option<String> {
    match e {
        Error::Sql { source, .. } if is_corruption(source) => Some(e.to_string()),
        _ => None,
    }
}

/// What a store reads when it opens, in one read transaction (so from one moment,
/// however many other processes are writing).
struct AtOpen {
    meta: IdMap<String>,
    /// The oldest `last_seen` in the decision log (to know whether to prune).
    oldest_log: Option<i64>,
    loaded: Loaded,
    /// Read from the fold snapshot: the full check is still to run.
    from_snapshot: bool,
    /// The stored snapshot is recent enough to keep (see [`snapshot::REFRESH_AFTER_EVENTS`]).
    snapshot_fresh: bool,
    /// The stored snapshot's text, as read.
    snapshot_text: Option<String>,
    data_version: i64,
}

fn read_at_open(conn: &Connection, check: LedgerCheck) -> Result<AtOpen> {
    // BEGIN takes no lock; the first SELECT takes the WAL snapshot.
    conn.execute_batch("BEGIN DEFERRED").ctx("starting a read")?;
    let found = read_at_open_inner(conn, check);
    let end = if found.is_ok() { "COMMIT" } else { "ROLLBACK" };
    let _ = conn.execute_batch(end);
    found
}

fn read_at_open_inner(conn: &Connection, check: LedgerCheck) -> Result<AtOpen> {
    let mut stmt = conn.prepare("SELECT key, value FROM meta").ctx("reading store metadata")?;
    let meta = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .ctx("reading store metadata")?
        .collect::<rusqlite::Result<IdMap<String>>>()
        .ctx("reading store metadata")?;
    drop(stmt);
    let oldest_log: Option<i64> =
        conn.query_row("SELECT min(last_seen) FROM decision_log", [], |r| r.get(0)).ctx("reading the decision log")?;
    let head = meta.get("ledger_head").map(String::as_str);
    let snap = meta.get(snapshot::META_KEY).and_then(|text| snapshot::decode(text));
    let resumed = match (&snap, check) {
        (Some(s), LedgerCheck::Background) => audit::read_from_snapshot(conn, s, head)?,
        _ => None,
    };
    let from_snapshot = resumed.is_some();
    let loaded = match resumed {
        Some(l) => l,
        None => audit::read_ledger(conn, head)?,
    };
    // Kept while it is of this ledger, not too far behind (see
    // `snapshot::REFRESH_AFTER_EVENTS`), and (when it is of the last event, so
    // comparable) the same as the fold just checked.
    let snapshot_fresh = snap.as_ref().is_some_and(|s| {
        let behind = loaded.last_id.saturating_sub(s.through_id);
        (0..snapshot::REFRESH_AFTER_EVENTS).contains(&behind)
            && (from_snapshot || behind > 0 || s.state == loaded.ledger)
    });
    let data_version = conn.query_row("PRAGMA data_version", [], |r| r.get(0)).ctx("looking for other writers")?;
    let snapshot_text = meta.get(snapshot::META_KEY).cloned();
    Ok(AtOpen { meta, oldest_log, loaded, from_snapshot, snapshot_fresh, snapshot_text, data_version })
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

impl Drop for Store {
    fn drop(&mut self) {
        // What the audit finds still counts: a broken chain's snapshot must be deleted
        // before the next open reads it, and a corrupt file moved aside.
        self.settle_audit(true);
        if let Err(e) = self.flush() {
            warn!("gatekeeper: could not flush the decision log on close: {e}");
        }
    }
}

/// Records the ledger's last event (id and hash) in the same transaction as the write.
fn write_head(tx: &Connection, id: i64, hash: &[u8; 32]) -> Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('ledger_head', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [format!("{id}:{}", to_hex(hash))],
    )
    .ctx("recording the ledger head")?;
    Ok(())
}

/// What the schema looks like when the store is opened, read by one statement (so
/// from one snapshot): a store another process is creating at this moment must not
/// look like a foreign database (tables already there, version not yet read as set).
struct SchemaState {
    version: u32,
    /// Schema objects of any kind and name.
    objects: i64,
    /// How many of the store's three tables are there.
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
fn open_connection(path: &Path, check: bool) -> std::result::Result<Connection, OpenFailure> {
    create_private(path);
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)
        .map_err(|e| OpenFailure::Fatal(Error::Open { path: path.display().to_string(), message: e.to_string() }))?;
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
    if version == 0 {
        // A new store is an empty file. Tables without our schema version mean some
        // other program's database: refuse it before changing a byte of it.
        if state.objects > 0 {
            return Err(OpenFailure::Fatal(Error::Open {
                path: path.display().to_string(),
                message: "it is a SQLite database of another program, not a Gatekeeper store; it was left untouched"
                    .into(),
            }));
        }
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
        if let Some(why) = audit::quick_check(&conn)? {
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
    if tables != 3 {
        return Err(OpenFailure::Corrupt("tables are missing for the schema version it reports".into()));
    }
    Ok(conn)
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

/// Renames a corrupt file (and its WAL and shared-memory files) to
/// `<name>.corrupt-<UTC time>`, never overwriting an earlier one.
fn move_aside(path: &Path, now: i64) -> Result<String> {
    let base = format!("{}.corrupt-{}", path.display(), file_stamp(now));
    let mut target = base.clone();
    let mut n = 1;
    while Path::new(&target).exists() {
        n += 1;
        target = format!("{base}-{n}");
    }
    std::fs::rename(path, &target).map_err(|e| Error::Open {
        path: path.display().to_string(),
        message: format!("cannot move the corrupt file aside: {e}"),
    })?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        if side.exists() {
            let _ = std::fs::rename(&side, format!("{target}{suffix}"));
        }
    }
    Ok(target)
}

/// Deletes the files [`move_aside`] made for the store at `path` (with their WAL and
/// shared-memory files). Failures are logged: the erase itself has already committed.
fn remove_moved_aside(path: &Path) {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let prefix = format!("{name}.corrupt-");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_str().is_some_and(|n| n.starts_with(&prefix)) {
            if let Err(e) = std::fs::remove_file(entry.path()) {
                warn!("gatekeeper: could not delete a moved-aside copy of the store: {e}");
            }
        }
    }
}

fn check_source(source: &str) -> Result<String> {
    let ok = !source.is_empty()
        && source.len() <= MAX_SOURCE_LEN
        && source.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'));
    if ok {
        Ok(source.to_owned())
    } else {
        Err(Error::invalid(
            "source",
            format!("expected 1-{MAX_SOURCE_LEN} characters of letters, digits, _ - . or : (e.g. first_run_dialog)"),
        ))
    }
}

fn dedup(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for i in items {
        if !out.contains(i) {
            out.push(i.clone());
        }
    }
    out
}

/// Ids in error messages are capped so a pasted blob never ends up in a log.
fn clip(id: &str) -> String {
    id.chars().take(64).collect()
}
