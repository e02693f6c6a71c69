//! Reading the ledger from SQLite and checking it: the full check (every event's hash
//! recomputed and its body parsed, the end held to the recorded head), the quicker
//! check from a fold snapshot, and the background audit that runs the full check on a
//! thread of its own after an app's store has opened from a snapshot.
//!
//! An app opens its store at launch on the main thread, and the full check grows with
//! the user's history. [`Store::open_with`](super::Store::open_with) can therefore open
//! from the [fold snapshot](super::snapshot), checking only the events after it, and leave the
//! full check, and SQLite's `quick_check`, to the `gatekeeper.audit` thread. Until the
//! audit reports, decisions come from the snapshot (which was checked when it was
//! written); everything that writes or reports the ledger waits for it; an audit that
//! finds the chain broken makes every decision fail closed, as a broken chain found
//! while opening does; and one that finds the file corrupt has the store moved aside
//! and started afresh, as opening does.

use std::path::Path;
use std::thread::JoinHandle;

use rusqlite::Connection;

use super::connection::{self, quick_check};
use super::meta;
use super::snapshot::Snapshot;
use crate::error::{Error, Result, SqlContext};
use crate::ledger::{to_hex, ChainReport, ChainWalk, LedgerState, RowRef};

/// A ledger read from SQLite and checked.
#[derive(Debug, Clone)]
pub(super) struct Loaded {
    /// The chain check: rows read, first broken event.
    pub chain: ChainReport,
    /// The fold of the intact events.
    pub ledger: LedgerState,
    /// The hash the last row records (what the next event chains onto) and its id.
    pub last_hash: [u8; 32],
    /// The last row's id (0 when there is none).
    pub last_id: i64,
}

/// Reads every event (inside the caller's read transaction) and runs the full opening
/// check; `head` is the recorded ledger head ([`meta::MetaKey::LedgerHead`]).
///
/// # Errors
/// SQLite errors.
pub(super) fn read_ledger(conn: &Connection, head: Option<&str>) -> Result<Loaded> {
    // Each row is checked as SQLite steps to it, borrowed, and each event's JSON is
    // parsed once, by the chain check, and folded from there.
    let mut walk = ChainWalk::opening();
    let mut stmt = conn.prepare("SELECT id, ts, kind, body, hash FROM events ORDER BY id").ctx("reading the ledger")?;
    let rows = stmt
        .query_map([], |r| {
            let text = |i| r.get_ref(i)?.as_str().map_err(rusqlite::Error::from);
            walk.push(&RowRef { id: r.get(0)?, ts: r.get(1)?, kind: text(2)?, body: text(3)?, hash: text(4)? });
            Ok(())
        })
        .ctx("reading the ledger")?;
    rows.collect::<rusqlite::Result<()>>().ctx("reading the ledger")?;
    drop(stmt);
    let chain = check_head(&walk, head);
    let mut events = std::mem::take(&mut walk.events);
    if let Some(id) = chain.first_broken {
        events.truncate(events.iter().take_while(|e| e.id != id).count());
    }
    Ok(Loaded {
        chain,
        ledger: LedgerState::fold(&events),
        last_hash: walk.last_recorded_hash(),
        last_id: walk.ends().map_or(0, |(_, last_id)| last_id),
    })
}

/// Reads only the events from the snapshot's on: the snapshot's own event must still
/// carry the snapshot's hash, and every later one must chain onto it up to the
/// recorded head. `None` when anything does not check out: the caller then runs
/// [`read_ledger`], which names what is wrong.
///
/// # Errors
/// SQLite errors.
pub(super) fn read_from_snapshot(conn: &Connection, snapshot: &Snapshot, head: Option<&str>) -> Result<Option<Loaded>> {
    let through_hex = to_hex(&snapshot.through_hash);
    let mut walk = ChainWalk::resume(snapshot.through_id, snapshot.through_hash);
    let mut anchored = false;
    let mut stmt = conn
        .prepare("SELECT id, ts, kind, body, hash FROM events WHERE id >= ?1 ORDER BY id")
        .ctx("reading the ledger")?;
    let rows = stmt
        .query_map([snapshot.through_id], |r| {
            let text = |i| r.get_ref(i)?.as_str().map_err(rusqlite::Error::from);
            let row = RowRef { id: r.get(0)?, ts: r.get(1)?, kind: text(2)?, body: text(3)?, hash: text(4)? };
            if !anchored {
                anchored = row.id == snapshot.through_id && row.hash == through_hex;
            } else {
                walk.push(&row);
            }
            Ok(())
        })
        .ctx("reading the ledger")?;
    rows.collect::<rusqlite::Result<()>>().ctx("reading the ledger")?;
    drop(stmt);
    if !anchored || !walk.is_intact() {
        return Ok(None);
    }
    let tail = check_head(&walk, head);
    if tail.first_broken.is_some() {
        return Ok(None);
    }
    let mut ledger = snapshot.state.clone();
    for e in &walk.events {
        ledger.apply(e);
    }
    Ok(Some(Loaded {
        chain: ChainReport { events: snapshot.rows.saturating_add(tail.events), first_broken: None },
        ledger,
        last_hash: walk.last_recorded_hash(),
        last_id: walk.ends().map_or(0, |(_, last_id)| last_id),
    }))
}

/// The chain report of `walk` with its end held to the head recorded with every write
/// (`id:hash`), so a deleted last event (which leaves a valid shorter chain) is caught
/// too. The chain has no secret key: it catches edits, not a forger who recomputes
/// every hash.
pub(super) fn check_head(walk: &ChainWalk, head: Option<&str>) -> ChainReport {
    let report = walk.report();
    if report.first_broken.is_some() {
        return report;
    }
    let head = head.and_then(meta::parse_head);
    // The chain is intact, so the last row's hash is the hex of the last hash.
    let ends = walk.ends();
    let last_hex = to_hex(&walk.last_hash());
    let last = ends.map(|(_, last_id)| (last_id, last_hex.as_str()));
    let first_broken = match (head, last) {
        (None, None) => None,
        (Some(h), Some(l)) if h == l => None,
        // Events after the recorded head were added behind the store's back.
        (Some((id, _)), Some((last_id, _))) if last_id > id => Some(id + 1),
        // The recorded head is gone: the first missing event is the broken one.
        (Some((id, _)), Some((last_id, _))) if last_id < id => Some(last_id + 1),
        (Some((id, _)), last) => Some(id.min(last.map_or(1, |(last_id, _)| last_id))),
        // Events without a head: the chain's end cannot be vouched for.
        (None, Some(_)) => ends.map(|(first_id, _)| first_id),
    };
    ChainReport { events: report.events, first_broken }
}

/// What the audit found.
#[derive(Debug, Clone)]
pub(super) enum Found {
    /// The file is sound; the ledger as read and checked.
    Checked(Box<Loaded>),
    /// The file is corrupt: why.
    Corrupt(String),
}

/// The full check running on the `gatekeeper.audit` thread.
pub(super) struct Audit {
    handle: JoinHandle<Result<Found>>,
}

impl Audit {
    /// Starts the full check of the store at `path` on a thread of its own, at background
    /// priority (see `crate::thread_priority`), with its own read-only connection. `None`
    /// when no thread could be started: the caller then checks in place.
    pub(super) fn spawn(path: &Path) -> Option<Audit> {
        let path = path.to_path_buf();
        std::thread::Builder::new()
            .name("gatekeeper.audit".into())
            .spawn(move || {
                crate::thread_priority::lower_current_thread();
                run(&path)
            })
            .ok()
            .map(|handle| Audit { handle })
    }

    /// Whether the result is ready ([`Audit::wait`] then returns at once).
    pub(super) fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// The audit's result, waiting for it if needed.
    ///
    /// # Errors
    /// The SQLite error that stopped the audit, or [`Error::Open`] if its thread died.
    pub(super) fn wait(self) -> Result<Found> {
        self.handle.join().unwrap_or_else(|_| {
            Err(Error::Open { path: String::new(), message: "the ledger audit stopped unexpectedly".into() })
        })
    }
}

fn run(path: &Path) -> Result<Found> {
    let mut conn = connection::open_for_audit(path)?;
    connection::read(&mut conn, |conn| match quick_check(conn)? {
        None => {
            let head = meta::head(conn)?;
            read_ledger(conn, head.as_deref()).map(|l| Found::Checked(Box::new(l)))
        }
        Some(why) => Ok(Found::Corrupt(why)),
    })
}
